/**
 * The HTTP shapes of GraphQL over HTTP (`application/json`), as zod schemas. Kept apart from
 * graphql-js so that a route table can name them without pulling GraphQL into every bundle. Each is
 * built on its first use: the REST functions' route table names the GraphQL route (OpenAPI, the
 * 404/405 answers) but never serves it, so their cold start builds none of these (bench part 6).
 */
import * as z from 'zod/mini';
import { once } from '../once';

/** Longest query text accepted, in characters (the whole body is capped at 64 KB as everywhere). */
export const MAX_GRAPHQL_QUERY_LENGTH = 10_000;

/** The body of `POST /graphql` (GraphQL over HTTP, `application/json`). */
export const graphqlRequest = /* @__PURE__ */ once(() =>
  z
    .strictObject({
      query: z.string().check(z.minLength(1), z.maxLength(MAX_GRAPHQL_QUERY_LENGTH)),
      variables: z.nullish(z.record(z.string(), z.unknown())),
      operationName: z.nullish(z.string().check(z.maxLength(256))),
      extensions: z.nullish(z.record(z.string(), z.unknown())),
    })
    .check(
      z.meta({
        id: 'GraphQLRequest',
        description: 'A GraphQL request: the query text, and optionally its variables and operation name.',
      }),
    ),
);

export const graphqlError = /* @__PURE__ */ once(() =>
  z
    .object({
      message: z.string(),
      locations: z.optional(z.array(z.object({ line: z.int(), column: z.int() }))),
      path: z.optional(z.array(z.union([z.string(), z.int()]))),
      extensions: z.object({
        /** The REST error code for domain and kit errors (LIST_NOT_FOUND, VALIDATION_ERROR, …). */
        code: z.string(),
        details: z.optional(z.unknown()),
        retryAfterSeconds: z.optional(z.int()),
      }),
    })
    .check(
      z.meta({
        id: 'GraphQLError',
        description:
          '`extensions.code` is the REST error code (LIST_NOT_FOUND, LIST_ARCHIVED, VALIDATION_ERROR, VIEW_BEHIND, …), ' +
          'or GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, QUERY_TOO_DEEP, GRAPHQL_TOO_COSTLY, TOO_MANY_MUTATIONS, ' +
          'ANSWER_TOO_LARGE, BAD_USER_INPUT, INTERNAL_ERROR.',
      }),
    ),
);

/** The answer of `POST /graphql` to any well-formed request: 200 with data and/or errors. */
export const graphqlResponse = /* @__PURE__ */ once(() =>
  z
    .object({
      data: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
      errors: z.optional(z.array(graphqlError())),
    })
    .check(z.meta({ id: 'GraphQLResponse' })),
);
