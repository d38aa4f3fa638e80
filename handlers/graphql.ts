import { GraphQLObjectType, GraphQLSchema } from 'graphql';
import * as z from 'zod';
import { optionalEnv, successOf } from '../src';
import { ZodGraphQLTypes, graphqlRoute, type GraphQLContext } from '../src/graphql';
import { apiRoutes } from './apiRoutes';
import { eventsPage, eventsQuery, listQuery, listView, listsPage, listsQuery, stats } from './apiSchemas';
import { runListCommand } from './todoApp';
import { todoCommands, type ListCommand } from './todoCommands';
import { readEvents, readList, readListAt, readLists, readStats } from './todoQueries';

const types = new ZodGraphQLTypes<GraphQLContext>();

const shapeOf = (schema: z.ZodType | undefined): z.ZodRawShape => {
  if (schema === undefined) return {};
  if (!(schema instanceof z.ZodObject)) throw new Error('A command mutation needs object schemas for its path and body');
  return schema.shape;
};

const pick = (input: Record<string, unknown>, schema: z.ZodType | undefined) =>
  schema === undefined ? undefined : Object.fromEntries(Object.keys(shapeOf(schema)).map((key) => [key, input[key]]));

/**
 * A command as a mutation: its arguments are its route's path parameters and body fields,
 * checked by the same schemas; it runs the same action through the same pipeline and answers
 * with the same schema as its REST route.
 */
// The commands differ in their schemas and payloads; each is checked where it is declared.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type SomeListCommand = ListCommand<any, any>;

const mutation = (name: string, command: SomeListCommand) => {
  const { params, body } = command.route.request;
  return types.field(name, {
    description: command.route.summary,
    args: z.object({ ...shapeOf(params), ...shapeOf(body) }).strict(),
    type: successOf(command.route).response.schema,
    // The arguments were checked by the route's own schemas; split them back into path and body.
    resolve: (input, context) => runListCommand(command, { ...context, params: pick(input, params), body: pick(input, body) }),
  });
};

const query = new GraphQLObjectType<unknown, GraphQLContext>({
  name: 'Query',
  fields: {
    lists: types.field('lists', {
      description: apiRoutes.getLists.summary,
      args: listsQuery,
      type: listsPage,
      resolve: (args, { userId }) => readLists(userId, args),
    }),
    list: types.field('list', {
      description: 'One list with its todos: as it is now (waiting for `minVersion`), or as it was at `atVersion`',
      args: listQuery,
      type: listView,
      resolve: ({ listId, minVersion, atVersion }, { userId }) =>
        atVersion === undefined ? readList(userId, listId, minVersion) : readListAt(userId, listId, atVersion),
    }),
    stats: types.field('stats', { description: apiRoutes.getStats.summary, type: stats, resolve: (_args, { userId }) => readStats(userId) }),
    events: types.field('events', {
      description: "A list's events from the event store, in version order, a page of `limit` commits at a time",
      args: eventsQuery,
      type: eventsPage,
      resolve: ({ listId, ...page }, { userId }) => readEvents(userId, listId, page),
    }),
  },
});

const mutationType = new GraphQLObjectType<unknown, GraphQLContext>({
  name: 'Mutation',
  fields: Object.fromEntries(Object.entries(todoCommands as Record<string, SomeListCommand>).map(([name, command]) => [name, mutation(name, command)])),
});

export const schema = new GraphQLSchema({ query, mutation: mutationType });

/** POST /graphql: introspection only where GRAPHQL_INTROSPECTION is `true` (the local stage). */
export const handler = graphqlRoute({ schema, introspection: optionalEnv(process.env, 'GRAPHQL_INTROSPECTION') === 'true' });
