import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  execute,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type * as z from 'zod';
import { isHttpMappableError } from '../errors';
import { httpRoute, type RouteRequest } from '../http/httpRoute';
import { logger } from '../observability';
import { graphqlRequest, type graphqlError, type graphqlResponse } from './graphqlSchemas';
import { maxDepthRule } from './maxDepthRule';
import { DEFAULT_MAX_COST, DEFAULT_MAX_MUTATIONS, type RootFieldCostOf } from './graphqlCosts';
import { checkRequestBudget, type RequestBudget } from './requestBudget';

type GraphQLErrorJson = z.output<ReturnType<typeof graphqlError>>;
type GraphQLResponseJson = z.output<ReturnType<typeof graphqlResponse>>;
type GraphQLRequestBody = ReturnType<typeof graphqlRequest>;

/** What every resolver receives as its context: the authenticated caller. */
export type GraphQLContext = Pick<RouteRequest<{ body: GraphQLRequestBody }>, 'userId' | 'correlationId' | 'event'>;

export interface GraphQLRouteOptions extends GraphQLLimits {
  readonly schema: GraphQLSchema;
}

/** What a GraphQL route allows: introspection, and the limits of one request. */
export interface GraphQLLimits {
  /** Answer `__schema` / `__type`: on locally, off in deployed stages. */
  readonly introspection: boolean;
  /** Deepest nesting of data fields (introspection aside). Default 8. */
  readonly maxDepth?: number;
  /** Most lexical tokens in a query: bounds aliases and breadth. Default 1,000. */
  readonly maxTokens?: number;
  /** The budget of one request, checked before any resolver runs (see `operationCost`). Default 40,000. */
  readonly maxCost?: number;
  /** What each root field costs and how long the lists in its answer are. */
  readonly costOf?: RootFieldCostOf;
  /** Mutations in one request. Default 1. */
  readonly maxMutations?: number;
  /**
   * Largest answer, in bytes of the Lambda result's body as sent (JSON inside JSON). Default
   * 5 MiB: under Lambda's 6 MB response limit with room for the envelope and headers.
   */
  readonly maxAnswerBytes?: number;
}

/** The default `maxAnswerBytes`. */
export const DEFAULT_MAX_ANSWER_BYTES = 5 * 1024 * 1024;

const INTERNAL_MESSAGE = 'Something went wrong on our side';

/**
 * An error as the client sees it. Errors that carry an HTTP meaning keep their code, message
 * and details; a resolver's unknown error is logged and answered as INTERNAL_ERROR with no
 * internals; GraphQL's own errors (parse, validation, variables) get `fallbackCode`.
 */
export const formatGraphQLError = (error: GraphQLError, fallbackCode: string): GraphQLErrorJson => {
  const where = {
    ...(error.locations ? { locations: error.locations.map(({ line, column }) => ({ line, column })) } : {}),
    ...(error.path ? { path: [...error.path] } : {}),
  };
  const original = error.originalError;
  if (isHttpMappableError(original)) {
    const retryAfter = (original as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    return {
      message: original.message,
      ...where,
      extensions: {
        code: original.code,
        ...(original.details === undefined ? {} : { details: original.details }),
        ...(typeof retryAfter === 'number' ? { retryAfterSeconds: retryAfter } : {}),
      },
    };
  }
  // A field that failed for a reason nobody declared: a bug or an outage, not the client's doing.
  // Not graphql-js's own refusal of a field's arguments (a null for a non-null one, through a
  // variable's default), which comes as a GraphQLError: that one is the client's (fallbackCode).
  if (error.path !== undefined && !(original instanceof GraphQLError)) {
    logger.error('Unhandled error in a GraphQL resolver', {
      graphqlPath: error.path.join('.'),
      error: original ?? error,
    });
    return { message: INTERNAL_MESSAGE, ...where, extensions: { code: 'INTERNAL_ERROR' } };
  }
  const code = typeof error.extensions.code === 'string' ? error.extensions.code : fallbackCode;
  const details = error.extensions.details;
  return { message: error.message, ...where, extensions: { code, ...(details === undefined ? {} : { details }) } };
};

/** What answering a request needs of an engine: validation, the budget check before anything runs, execution. */
export interface GraphQLEngine {
  readonly validate: (document: DocumentNode) => readonly GraphQLError[];
  readonly checkBudget: (request: {
    document: DocumentNode;
    operationName?: string | null;
    variables?: Readonly<Record<string, unknown>> | null;
    budget: RequestBudget;
  }) => GraphQLError | undefined;
  readonly execute: (request: {
    document: DocumentNode;
    context: GraphQLContext;
    variables?: Readonly<Record<string, unknown>>;
    operationName?: string;
  }) =>
    | Promise<{ data?: unknown; errors?: readonly GraphQLError[] }>
    | { data?: unknown; errors?: readonly GraphQLError[] };
}

const runGraphQL = async (
  options: GraphQLLimits,
  engine: GraphQLEngine,
  request: RouteRequest<{ body: GraphQLRequestBody }>,
): Promise<GraphQLResponseJson> => {
  const { query, variables, operationName } = request.body;
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: options.maxTokens ?? 1000 });
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { errors: [formatGraphQLError(error, 'GRAPHQL_PARSE_FAILED')] };
  }
  const invalid = engine.validate(document);
  if (invalid.length > 0)
    return { errors: invalid.map((error) => formatGraphQLError(error, 'GRAPHQL_VALIDATION_FAILED')) };
  const overBudget = engine.checkBudget({
    document,
    operationName,
    variables,
    budget: {
      maxCost: options.maxCost ?? DEFAULT_MAX_COST,
      maxMutations: options.maxMutations ?? DEFAULT_MAX_MUTATIONS,
      ...(options.costOf ? { costOf: options.costOf } : {}),
    },
  });
  if (overBudget) return { errors: [formatGraphQLError(overBudget, 'GRAPHQL_TOO_COSTLY')] };
  const context: GraphQLContext = {
    userId: request.userId,
    correlationId: request.correlationId,
    event: request.event,
  };
  const result = await engine.execute({
    document,
    context,
    ...(variables ? { variables } : {}),
    ...(operationName ? { operationName } : {}),
  });
  const response = {
    ...(result.data === undefined ? {} : { data: result.data as Record<string, unknown> | null }),
    // Errors without a field path are about the request itself: its variables or operation name.
    ...(result.errors ? { errors: result.errors.map((error) => formatGraphQLError(error, 'BAD_USER_INPUT')) } : {}),
  };
  return withinAnswerLimit(response, options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES);
};

/**
 * The answer, or ANSWER_TOO_LARGE in its place. Measured as the body will travel: a JSON string
 * inside the Lambda result's JSON, where every quote and backslash is escaped once more.
 */
export const withinAnswerLimit = (response: GraphQLResponseJson, maxBytes: number): GraphQLResponseJson => {
  const bytes = Buffer.byteLength(JSON.stringify(JSON.stringify(response)));
  if (bytes <= maxBytes) return response;
  logger.warn('GraphQL answer over the size limit', { bytes, maxBytes });
  return {
    errors: [
      {
        message: `The answer would be ${bytes.toLocaleString('en-US')} bytes, over the limit of ${maxBytes.toLocaleString('en-US')}: ask for fewer fields, aliases or items`,
        extensions: { code: 'ANSWER_TOO_LARGE', details: { bytes, maxBytes } },
      },
    ],
  };
};

/**
 * `POST /graphql` on top of `httpRoute`: the same authentication, 64 KB body cap and JSON
 * checks as every REST route (answered with the REST error body), then parse (token cap),
 * validate (depth cap, introspection only when allowed), check the request budget (cost and
 * mutations, before any resolver runs), execute, and check the answer's size. A well-formed
 * request is always answered 200 with `{ data, errors }`, as GraphQL over HTTP asks for
 * `application/json`; a refusal by a limit is 200 with one error and no data, as QUERY_TOO_DEEP.
 */
export const graphqlRoute = (options: GraphQLRouteOptions) => {
  const { schema } = options;
  const rules = [
    ...specifiedRules,
    maxDepthRule(options.maxDepth ?? 8),
    ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
  return graphqlEngineRoute(options, {
    validate: (document) => validate(schema, document, rules, { maxErrors: 10 }),
    checkBudget: (request) => checkRequestBudget({ schema, ...request }),
    execute: ({ document, context, variables, operationName }) =>
      execute({
        schema,
        document,
        contextValue: context,
        ...(variables ? { variableValues: variables } : {}),
        ...(operationName ? { operationName } : {}),
      }),
  });
};

/** `graphqlRoute`'s HTTP handling, parsing, limits and answers, with the engine given. */
export const graphqlEngineRoute = (options: GraphQLLimits, engine: GraphQLEngine) =>
  httpRoute({ body: graphqlRequest() }, async (request) => ({
    statusCode: 200,
    body: await runGraphQL(options, engine, request),
  }));
