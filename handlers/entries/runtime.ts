/**
 * The composition root: config read once at cold start, clients and pipelines built once. The API
 * runtime only: the reaction functions build their own (projections/reactions.ts, createReactionRuntime).
 */
import { createApiRuntime } from '../../src';
import { app } from '../app';

export const runtime = createApiRuntime(app);
