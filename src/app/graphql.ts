/**
 * The GraphQL schema of an app, derived from its declaration: one mutation per command
 * (arguments: the route's path parameters and body fields) and one query field per query
 * (arguments: path and query parameters). Arguments are checked by the route's own schemas
 * and answers shaped by its own answer schema, so REST and GraphQL cannot drift apart.
 */
import { GraphQLObjectType, GraphQLSchema } from 'graphql';
import * as z from 'zod/mini';
import { IDEMPOTENCY_HEADER } from '../commandKeys';
import { HttpError } from '../errors';
import { successOf, type ApiRoute } from '../http/apiRoute';
import { issuesOf } from '../http/httpRoute';
import { safeParse, shapeOf as objectShapeOf, type Schema, type Shape } from '../http/schema';
import { ZodGraphQLTypes, graphqlRoute, type GraphQLContext, type RootFieldCostOf } from '../graphql';
import type { ApiRuntime } from './apiRuntime';
import { graphqlNameOf } from './definition';

const shapeOf = (schema: Schema | undefined): Shape => {
  if (schema === undefined) return {};
  const shape = objectShapeOf(schema);
  if (!shape) throw new Error('A GraphQL field needs object schemas for its route parts');
  return shape;
};

/** The route's own schema applied to its part of the arguments (refinements included). */
const part = (input: Record<string, unknown>, schema: Schema | undefined, field: string): unknown => {
  if (schema === undefined) return undefined;
  const picked = Object.fromEntries(
    Object.keys(shapeOf(schema)).flatMap((key) => (input[key] === undefined ? [] : [[key, input[key]]])),
  );
  const result = safeParse(schema, picked);
  if (!result.success)
    throw new HttpError(400, 'VALIDATION_ERROR', `The arguments of ${field} are not valid`, issuesOf(result.error));
  return result.data;
};

const argsOf = (route: ApiRoute, parts: ('params' | 'body' | 'query')[]) => {
  const shape = Object.assign({}, ...parts.map((p) => shapeOf(route.request[p]))) as Shape;
  return Object.keys(shape).length === 0 ? undefined : z.strictObject(shape);
};

export const graphqlSchemaOf = (runtime: ApiRuntime): GraphQLSchema => {
  const { app } = runtime;
  const types = new ZodGraphQLTypes<GraphQLContext>();
  const queryFields = Object.fromEntries(
    Object.entries(app.queries).map(([name, query]) => {
      const { route } = query;
      const args = argsOf(route, ['params', 'query']);
      const field = graphqlNameOf(name, query);
      return [
        field,
        types.field(field, {
          description: route.summary,
          ...(args ? { args } : {}),
          type: successOf(route).response.schema,
          resolve: (input, { userId }) => {
            const raw = (input ?? {}) as Record<string, unknown>;
            return query.run(
              {
                userId,
                params: part(raw, route.request.params, field),
                query: part(raw, route.request.query, field) ?? {},
              },
              runtime.queryContext,
            );
          },
        }),
      ];
    }),
  );
  const mutationFields = Object.fromEntries(
    Object.entries(app.commands).map(([name, command]) => {
      const { route } = command;
      const args = argsOf(route, ['params', 'body']);
      return [
        name,
        types.field(name, {
          description: route.summary,
          ...(args ? { args } : {}),
          type: successOf(route).response.schema,
          resolve: (input, context) => {
            const raw = (input ?? {}) as Record<string, unknown>;
            return runtime.runCommand(command, {
              userId: context.userId,
              correlationId: context.correlationId,
              params: part(raw, route.request.params, name),
              body: part(raw, route.request.body, name),
              // A request runs at most one mutation, so its key names that one command.
              idempotencyKey: context.event.headers?.[IDEMPOTENCY_HEADER],
            });
          },
        }),
      ];
    }),
  );
  return new GraphQLSchema({
    query: new GraphQLObjectType<unknown, GraphQLContext>({ name: 'Query', fields: queryFields }),
    mutation: new GraphQLObjectType<unknown, GraphQLContext>({ name: 'Mutation', fields: mutationFields }),
  });
};

/** A query field's arguments as its `run` gets them (its route's schemas applied), or undefined when they break them. */
const checkedArgs = (
  route: ApiRoute,
  args: Readonly<Record<string, unknown>>,
  field: string,
): Record<string, unknown> | undefined => {
  try {
    return {
      ...(part(args, route.request.params, field) as object | undefined),
      ...(part(args, route.request.query, field) as object | undefined),
    };
  } catch (error) {
    if (error instanceof HttpError) return undefined;
    throw error;
  }
};

/**
 * Each query field priced as its query declares (`graphqlCost`), from its arguments as its route's
 * schemas give them: a price never sees a `limit` its schema refuses (-2147483648 once priced a
 * request below zero). A field whose arguments break its schema is refused before it reads
 * anything, so it weighs 0 (its answer still counts). Mutations cost one read and their answer.
 */
export const graphqlCostOf = (runtime: Pick<ApiRuntime, 'app'>): RootFieldCostOf => {
  // By field name, once: a request prices each of its root fields.
  const byField = new Map(Object.entries(runtime.app.queries).map(([key, q]) => [graphqlNameOf(key, q), q]));
  return ({ operation, name, args }) => {
    const query = operation === 'query' ? byField.get(name) : undefined;
    if (!query?.graphqlCost) return undefined;
    const checked = checkedArgs(query.route, args, name);
    return checked === undefined ? { weight: 0 } : query.graphqlCost(checked);
  };
};

/**
 * POST /graphql for an app: introspection only where the config allows it (the local stage),
 * and the kit's limits (request budget, one mutation a request, 5 MiB answers) with the app's prices.
 */
export const graphqlHandler = (runtime: ApiRuntime) => {
  let handler: ReturnType<typeof graphqlRoute> | undefined;
  return (...args: Parameters<ReturnType<typeof graphqlRoute>>) => {
    handler ??= graphqlRoute({
      schema: graphqlSchemaOf(runtime),
      introspection: runtime.config.graphqlIntrospection,
      costOf: graphqlCostOf(runtime),
    });
    return handler(...args);
  };
};
