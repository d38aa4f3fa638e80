import { graphqlHandler } from '../../src/app/graphql';
import { runtime } from './runtime';

/** POST /graphql: every command as a mutation, every query as a field (kept apart: graphql-js is big). */
export const handler = graphqlHandler(runtime);
