/**
 * The GraphQL schema of an app, derived from its declaration: one mutation per command
 * (arguments: the route's path parameters and body fields) and one query field per query
 * (arguments: path and query parameters). Arguments are checked by the route's own schemas
 * and answers shaped by its own answer schema, so REST and GraphQL cannot drift apart.
 */
import type { GraphQLSchema } from 'graphql';
import * as z from 'zod/mini';
import { IDEMPOTENCY_HEADER } from '../commandKeys';
import { HttpError } from '../errors';
import { successOf, type ApiRoute } from '../http/apiRoute';
import { issuesOf } from '../http/httpRoute';
import { safeParse, shapeOf as objectShapeOf, type Schema, type Shape } from '../http/schema';
import type { RootFieldCostOf } from '../graphql/graphqlCosts';
import type { GraphQLContext } from '../graphql/graphqlRoute';
import { modelRoute } from '../graphql/modelRoute';
import { schemaModel, type ModelField, type SchemaModel } from '../graphql/typeModel';
import { graphqlSchemaOfModel } from '../graphql/zodGraphQLTypes';
import { ZodTypeModel } from '../graphql/zodTypeModel';
import type { ApiRuntime } from './apiRuntime';
import { graphqlNameOf } from './definition';

const shapeOf = (schema: Schema | undefined): Shape => {
  if (schema === undefined) return {};
  const shape = objectShapeOf(schema);
  if (!shape) throw new Error('A GraphQL field needs object schemas for its route parts');
  return shape;
};

type Part = 'params' | 'body' | 'query';

/**
 * The route's own schemas applied to their parts of the arguments (refinements included): the only
 * check a field's arguments get. One 400 lists the issues of every part.
 */
const parts = (
  input: Record<string, unknown>,
  route: ApiRoute,
  names: readonly Part[],
  field: string,
): Partial<Record<Part, unknown>> => {
  const parsed: Partial<Record<Part, unknown>> = {};
  const issues: ReturnType<typeof issuesOf> = [];
  for (const name of names) {
    const schema = route.request[name];
    if (schema === undefined) continue;
    const picked = Object.fromEntries(
      Object.keys(shapeOf(schema)).flatMap((key) => (input[key] === undefined ? [] : [[key, input[key]]])),
    );
    const result = safeParse(schema, picked);
    if (result.success) parsed[name] = result.data;
    else issues.push(...issuesOf(result.error));
  }
  if (issues.length > 0)
    throw new HttpError(400, 'VALIDATION_ERROR', `The arguments of ${field} are not valid`, issues);
  return parsed;
};

const argsOf = (route: ApiRoute, parts: ('params' | 'body' | 'query')[]) => {
  const shape = Object.assign({}, ...parts.map((p) => shapeOf(route.request[p]))) as Shape;
  return Object.keys(shape).length === 0 ? undefined : z.strictObject(shape);
};

/** The app's GraphQL schema as `typeModel` data: what its API function validates and executes against. */
export const graphqlModelOf = (runtime: ApiRuntime): SchemaModel<GraphQLContext> => {
  const { app } = runtime;
  const types = new ZodTypeModel<GraphQLContext>();
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
          check: (given) => parts(given, route, ['params', 'query'], field),
          type: successOf(route).response.schema,
          resolve: (input, { userId }) =>
            query.run({ userId, params: input.params, query: input.query ?? {} }, runtime.queryContext),
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
          check: (given) => parts(given, route, ['params', 'body'], name),
          type: successOf(route).response.schema,
          resolve: (input, context) => {
            return runtime.runCommand(command, {
              userId: context.userId,
              correlationId: context.correlationId,
              params: input.params,
              body: input.body,
              // A request runs at most one mutation, so its key names that one command.
              idempotencyKey: context.event.headers?.[IDEMPOTENCY_HEADER],
            });
          },
        }),
      ];
    }),
  );
  const root = (name: string, fields: Record<string, ModelField<GraphQLContext>>) =>
    ({ kind: 'OBJECT', name, fields }) as const;
  return schemaModel({
    query: root('Query', queryFields),
    mutation: root('Mutation', mutationFields),
    types: types.types,
  });
};

/** The app's GraphQL schema as graphql-js's objects (printSchema, tests, tools), from the same model. */
export const graphqlSchemaOf = (runtime: ApiRuntime): GraphQLSchema => graphqlSchemaOfModel(graphqlModelOf(runtime));

/** A query field's arguments as its `run` gets them (its route's schemas applied), or undefined when they break them. */
const checkedArgs = (
  route: ApiRoute,
  args: Readonly<Record<string, unknown>>,
  field: string,
): Record<string, unknown> | undefined => {
  try {
    const { params, query } = parts(args, route, ['params', 'query'], field);
    return { ...(params as object | undefined), ...(query as object | undefined) };
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
  let handler: ReturnType<typeof modelRoute> | undefined;
  return (...args: Parameters<ReturnType<typeof modelRoute>>) => {
    handler ??= modelRoute({
      model: graphqlModelOf(runtime),
      introspection: runtime.config.graphqlIntrospection,
      costOf: graphqlCostOf(runtime),
    });
    return handler(...args);
  };
};
