/**
 * Route rows with the kit's error answers filled in: an app names its success answer and
 * the error codes its domain can raise on that route, typed as its own code union, and the
 * kit adds what every route (and every command route) can answer.
 */
import * as z from 'zod/mini';
import { apiRoute, type ApiRequestHeader, type ApiResponse, type ApiRoute, type HttpMethod } from '../http/apiRoute';
import type { RouteSchemas } from '../http/httpRoute';
import { kitId } from '../http/fieldSchemas';
import { derivedCommandAnswers } from './derivedAnswers';
import { shapeOf, type Schema } from '../http/schema';
import type { AppDefinition } from './definition';
import { graphqlRequest, graphqlResponse } from '../graphql/graphqlSchemas';
import { once } from '../once';

/** Codes the kit itself answers with. */
export type KitErrorCode =
  | 'MALFORMED_JSON'
  | 'VALIDATION_ERROR'
  | 'UNAUTHORIZED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INTERNAL_ERROR'
  | 'CONCURRENCY_CONFLICT'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'INVALID_NEXT_TOKEN'
  | 'VIEW_BEHIND'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED';

const STATUS: Record<number, string> = {
  400: 'The request is not valid',
  401: 'No valid bearer token',
  404: "Not found (another user's data is not found either)",
  409: 'Refused by the current state',
  413: 'The body is over 64 KB',
  415: 'The body is not JSON (Content-Type must be application/json)',
  422: 'This Idempotency-Key was used with a different request',
  500: 'Something went wrong on our side',
  503: 'The view has not caught up with minVersion yet; retry after Retry-After seconds',
};

/** What every route behind `httpRoute` can answer: bad JSON or input, no caller, too big a body, a bug. */
const EVERY_ROUTE: Record<number, readonly KitErrorCode[]> = {
  400: ['MALFORMED_JSON', 'VALIDATION_ERROR'],
  401: ['UNAUTHORIZED'],
  413: ['PAYLOAD_TOO_LARGE'],
  415: ['UNSUPPORTED_MEDIA_TYPE'],
  500: ['INTERNAL_ERROR'],
};
/** What every command route can answer besides: a stream that kept changing, and a reused `Idempotency-Key`. */
const EVERY_COMMAND: Record<number, readonly KitErrorCode[]> = {
  409: ['CONCURRENCY_CONFLICT'],
  422: ['IDEMPOTENCY_KEY_REUSED'],
};

/** The one error body of the API, with the codes one status of one route can carry. */
export const errorBody = (codes: readonly string[]) =>
  z.object({
    error: z.object({
      code: z.enum(codes as [string, ...string[]]),
      message: z.string(),
      details: z.optional(z.unknown()),
    }),
  });

/**
 * API Gateway's own answer, in its shape, when it refuses or fails a request itself: its JWT
 * authorizer's 401, its throttling's 429, its 5xx when the function failed or timed out.
 */
export const gatewayError = /* @__PURE__ */ once(() =>
  z
    .looseObject({ message: z.string() })
    .check(z.meta({ id: 'GatewayError', description: 'The gateway\'s own body, e.g. {"message":"Unauthorized"}' })),
);

/** What the gateway can answer on any route, before or instead of the function (reusable answers). */
export const gatewayResponses = (): Record<string, ApiResponse> => ({
  429: {
    id: 'GatewayThrottled',
    description: "The stage's request rate or burst limit is exceeded: the gateway's own answer; retry later",
    schema: gatewayError(),
  },
  '5XX': {
    id: 'GatewayFailure',
    description: "The gateway's own answer when the function could not answer (it failed, timed out or was throttled)",
    schema: gatewayError(),
  },
});

const errorResponse = (status: number, codes: readonly string[]): ApiResponse => ({
  description: `${STATUS[status] ?? 'Error'}: ${codes.join(', ')}`,
  // The gateway's authorizer answers 401 in its own shape before the function runs; a function
  // that fails or times out gets the gateway's own 5xx body instead of the app's.
  schema: status === 401 || status >= 500 ? z.union([errorBody(codes), gatewayError()]) : errorBody(codes),
  ...(status === 503
    ? {
        headers: {
          'Retry-After': { description: 'Seconds to wait before retrying', schema: z.int().check(z.minimum(0)) },
        },
      }
    : {}),
});

/** The request headers the kit reads: reusable parameters of the document. */
const headers = {
  correlationId: (): ApiRequestHeader => ({
    id: 'CorrelationId',
    name: 'X-Correlation-Id',
    description:
      "Your id for this request: stored in the commit's metadata (with the commits it causes) and in every log line " +
      "about it. 1 to 128 characters; when absent, empty or longer, the gateway's request id is used instead.",
    schema: z.string().check(z.minLength(1), z.maxLength(128)),
  }),
  idempotencyKey: (): ApiRequestHeader => ({
    id: 'IdempotencyKey',
    name: 'Idempotency-Key',
    description:
      'Makes a command take effect once per caller, command and key, for 24 hours: a retry with the same key and ' +
      'request gets the first answer (the same ids and version); the same key with another request is 422 ' +
      'IDEMPOTENCY_KEY_REUSED. 1 to 128 printable ASCII characters (else 400 VALIDATION_ERROR). On POST /graphql ' +
      "it applies to the request's mutation.",
    schema: z.string().check(z.regex(/^[\x21-\x7e]{1,128}$/)),
  }),
};

/** What the kit's tags mean. */
export const KIT_TAGS = [
  {
    name: 'commands',
    description:
      'Changes: each is decided on the current state of its stream and stored as one commit (all or nothing). ' +
      "The answer's `version` is that commit's; a command that changes nothing answers the unchanged version and " +
      'writes nothing.',
  },
  {
    name: 'queries',
    description:
      'Reads from the views, which follow the commits within moments; `minVersion` (where offered) waits for a ' +
      'version a command returned.',
  },
  { name: 'graphql', description: 'The same commands and queries through one GraphQL endpoint.' },
  { name: 'meta', description: 'About the API itself.' },
] as const;

/** A route's description when its declaration gives none: what every route of its kind does. */
const KIND_DESCRIPTION: Record<string, string> = {
  commands:
    "A command, stored as one commit on its stream; the answer's `version` is that commit's (unchanged, nothing " +
    'written, when the command changes nothing). Send an `Idempotency-Key` to make a retry safe.',
  queries: 'A query, answered from the views (they follow the commits within moments).',
};

/** Error codes by HTTP status. */
export type ErrorCodes<C extends string> = Readonly<Partial<Record<number, readonly C[]>>>;

/** Error tables merged status by status, each status's codes in order of first appearance. */
const addErrors = <C extends string>(...tables: ErrorCodes<C>[]): Map<number, C[]> => {
  const merged = new Map<number, C[]>();
  for (const table of tables) {
    for (const [status, codes] of Object.entries(table) as [string, readonly C[] | undefined][]) {
      const list = merged.get(Number(status)) ?? [];
      for (const code of codes ?? []) if (!list.includes(code)) list.push(code);
      merged.set(Number(status), list);
    }
  }
  return merged;
};

const mergeErrors = (...tables: ErrorCodes<string>[]): Record<number, ApiResponse> =>
  Object.fromEntries(
    [...addErrors(...tables).entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, codes]) => [status, errorResponse(status, codes)]),
  );

export interface RouteOptions<S extends RouteSchemas, C extends string> {
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly request?: S;
  /** The success answer's status (default 200 for queries and changes, 201 to create). */
  readonly status?: 200 | 201;
  /** Describes the success answer. */
  readonly ok?: string;
  readonly answer: Schema;
  /** The codes the app's own errors can carry on this route, by status. */
  readonly errors?: ErrorCodes<C>;
}

/**
 * A route row whose request and success schemas are built on their first read (the serving
 * function's) and its error answers on the first read of `responses` (the OpenAPI document's): a
 * function serving the route builds its success answer only, and a function that never serves it
 * (the REST functions and the GraphQL route) nothing. The errors are zod schemas of their own per
 * route and status: built eagerly, about a third of a REST bundle's own start-up (measured with
 * bench part 6 and a CPU profile of the require).
 */
const lazyRoute = <S extends RouteSchemas>(
  route: Omit<ApiRoute<S>, 'request' | 'responses' | 'success' | 'headers'>,
  request: () => S,
  success: () => { status: number; response: ApiResponse },
  errors: () => Record<number, ApiResponse>,
  requestHeaders: () => ApiRequestHeader[] = () => [],
): ApiRoute<S> => {
  const requestOnce = once(request);
  const successOnce = once(success);
  const responsesOnce = once(() => {
    const { status, response } = successOnce();
    return { [status]: response, ...errors() };
  });
  const headersOnce = once(requestHeaders);
  return apiRoute({
    ...route,
    get request() {
      return requestOnce();
    },
    get success() {
      return successOnce();
    },
    get responses() {
      return responsesOnce();
    },
    get headers() {
      return headersOnce();
    },
  });
};

const row = <S extends RouteSchemas, C extends string>(
  options: RouteOptions<S, C>,
  tag: string,
  extra: ErrorCodes<string>,
): ApiRoute<S> =>
  lazyRoute(
    {
      method: options.method,
      path: options.path,
      summary: options.summary,
      description: options.description ?? KIND_DESCRIPTION[tag]!,
      tags: [tag],
      auth: 'jwt',
    },
    () => options.request ?? ({} as S),
    () => ({ status: options.status ?? 200, response: { description: options.ok ?? 'OK', schema: options.answer } }),
    () => mergeErrors(EVERY_ROUTE, extra, options.errors ?? {}),
    () => (tag === 'commands' ? [headers.idempotencyKey(), headers.correlationId()] : [headers.correlationId()]),
  );

/** The names of a path's `{parameters}`: `'/orders/{orderId}/items/{itemId}'` → `'orderId' | 'itemId'`. */
export type PathParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}`
  ? N | PathParamNames<Rest>
  : never;

/** A route's request schemas, with `params` from its path when it declares none (each a string). */
export type WithPathParams<S extends RouteSchemas, P extends string> = [PathParamNames<P>] extends [never]
  ? S
  : S extends { readonly params: Schema }
    ? S
    : S & { readonly params: Schema<{ [K in PathParamNames<P>]: string }> };

/**
 * Fills in `request.params` from the path (`{orderId}` → `orderId`, each `pathParam`) when the route
 * declares none, and refuses params whose names are not the path's: a route whose schema and path
 * disagree would refuse every request, or never see a parameter.
 */
const withPathParams = <S extends RouteSchemas>(
  options: RouteOptions<S, string>,
  pathParam: () => Schema,
): RouteOptions<S, string> => {
  const names = [...options.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const params = options.request?.params;
  if (params) {
    const declared = Object.keys(shapeOf(params) ?? {});
    if (declared.sort().join() !== [...names].sort().join()) {
      throw new Error(
        `${options.method} ${options.path}: its params schema names ${declared.join(', ') || 'nothing'}, its path ${names.join(', ') || 'nothing'}`,
      );
    }
    return options;
  }
  if (names.length === 0) return options;
  // Built on first read: a function serving one route reads one route's schemas (bench part 6).
  let paramsSchema: Schema | undefined;
  return {
    ...options,
    request: {
      ...options.request,
      get params() {
        paramsSchema ??= z.object(Object.fromEntries(names.map((name) => [name, pathParam()])));
        return paramsSchema;
      },
    } as unknown as S,
  };
};

export interface RoutesForOptions {
  /** The schema of a path parameter a route's `request.params` does not declare (the app's id). Default: `kitId`, an id the kit minted. */
  readonly pathParam?: Schema<string>;
}

/**
 * A route's options in the short form (`route.post(path, summary, options)`): its request schemas
 * at the top, the rest as in `RouteOptions`. `status` defaults to 201 when the command `creates`
 * an id, and `ok` to `Created` for a 201, `Deleted` for a DELETE, else `OK`.
 */
export interface ShortRouteOptions<C extends string> {
  readonly body?: Schema;
  readonly query?: Schema;
  readonly params?: Schema;
  readonly description?: string;
  readonly status?: 200 | 201;
  readonly ok?: string;
  readonly answer?: Schema;
  /** Added to the group's (`route.with({ errors })`), status by status. */
  readonly errors?: ErrorCodes<C>;
  /**
   * The request field the command's new id goes to (`creates: 'orderId'`): its payload is then the
   * request's fields with `orderId: newId()` (see `commandsOf`), and its status 201.
   */
  readonly creates?: string;
}

/** What a group of routes shares (`route.with({ answer, errors })`). */
export interface RouteDefaults<C extends string> {
  readonly answer?: Schema;
  readonly errors?: ErrorCodes<C>;
}

/** The request schemas a short route declares. */
export type SchemasOf<O> = { readonly [K in Extract<keyof O, keyof RouteSchemas>]: O[K] };

/** A route built by the short form: its request types, and the field its command creates. */
export type ShortRoute<O, P extends string> = ApiRoute<
  WithPathParams<SchemasOf<O>, P>,
  O extends { readonly answer: infer Answer extends Schema } ? Answer : Schema
> &
  (O extends { readonly creates: infer F extends string } ? { readonly creates: F } : unknown);

/** One method's short builder: `(path, summary, options)`; `options.answer` is required unless the group gave one. */
type ShortBuilder<C extends string, A extends boolean> = <P extends string, const O extends ShortRouteOptions<C>>(
  path: P,
  summary: string,
  ...options: A extends true ? [options?: O] : [options: O & { readonly answer: Schema }]
) => ShortRoute<O, P>;

/** The route builders of an app (or of a group of its routes, `with`). */
export interface RouteBuilders<C extends string, A extends boolean = false> {
  /** A command route from the whole options (the long form). */
  command<S extends RouteSchemas, P extends string>(
    options: RouteOptions<S, C | KitErrorCode> & { readonly path: P },
  ): ApiRoute<WithPathParams<S, P>>;
  /** A query route from the whole options (the long form); its query's `run` must return the answer's type. */
  query<S extends RouteSchemas, P extends string, Answer extends Schema>(
    options: RouteOptions<S, C | KitErrorCode> & { readonly path: P; readonly answer: Answer },
  ): ApiRoute<WithPathParams<S, P>, Answer>;
  /** Command routes: without an answer (nor the group's), their ids and version (`derivedCommandAnswers`). */
  readonly post: ShortBuilder<C | KitErrorCode, true>;
  readonly put: ShortBuilder<C | KitErrorCode, true>;
  readonly patch: ShortBuilder<C | KitErrorCode, true>;
  readonly delete: ShortBuilder<C | KitErrorCode, true>;
  /** A query route (GET). */
  readonly get: ShortBuilder<C | KitErrorCode, A>;
  /** The same builders with a shared answer and error codes (each route's own codes are added to these). */
  with<D extends RouteDefaults<C | KitErrorCode>>(
    defaults: D,
  ): RouteBuilders<C, A extends true ? true : D extends { readonly answer: Schema } ? true : false>;
}

/** What a success is called when a short route does not say (201 is `Created`). */
const DEFAULT_OK: Partial<Record<HttpMethod, string>> = { DELETE: 'Deleted' };

/** The long form of a short route's options. */
const longOptions = (
  method: HttpMethod,
  path: string,
  summary: string,
  options: ShortRouteOptions<string>,
  defaults: RouteDefaults<string>,
  derived: ReturnType<typeof derivedCommandAnswers>,
): RouteOptions<RouteSchemas, string> => {
  const { body, query, params, creates, answer, errors, status, ok, description } = options;
  const request = Object.fromEntries(Object.entries({ body, query, params }).filter(([, schema]) => schema));
  const answerOf = answer ?? defaults.answer ?? (method === 'GET' ? undefined : derived(method, path, creates));
  if (!answerOf) throw new Error(`${method} ${path}: the route names no answer (nor does its group)`);
  const statusOf = status ?? (creates ? 201 : 200);
  return {
    method,
    path,
    summary,
    ...(description === undefined ? {} : { description }),
    ...(Object.keys(request).length > 0 ? { request } : {}),
    status: statusOf,
    ok: ok ?? (statusOf === 201 ? 'Created' : (DEFAULT_OK[method] ?? 'OK')),
    answer: answerOf,
    errors: Object.fromEntries(addErrors(defaults.errors ?? {}, errors ?? {})),
  };
};

/**
 * Route builders typed by an app's error codes: `routesFor<MyErrorCode>({ pathParam: id })`. A
 * code that is not in the union (a typo, a code the domain no longer raises) does not compile.
 * A route's path parameters need no schema: `{itemId}` in its path is a `pathParam`. Besides the
 * long form (`route.command({ method, path, summary, … })`), one call a route:
 * `route.post('/orders', 'Place an order', { body: orderBody, creates: 'orderId', answer: orderAnswer })`,
 * and groups that share an answer and error codes: `const orderRoute = route.with({ answer: orderAnswer })`.
 */
export const routesFor = <C extends string>({ pathParam }: RoutesForOptions = {}): RouteBuilders<C> => {
  const param = () => pathParam ?? kitId;
  const derived = derivedCommandAnswers(param);
  const command = (options: RouteOptions<RouteSchemas, string>) =>
    row(withPathParams(options, param), 'commands', EVERY_COMMAND);
  const query = (options: RouteOptions<RouteSchemas, string>) => row(withPathParams(options, param), 'queries', {});
  const builders = (defaults: RouteDefaults<string>) => {
    const short =
      (method: HttpMethod, build: typeof command) =>
      (path: string, summary: string, options: ShortRouteOptions<string> = {}) => {
        const route = build(longOptions(method, path, summary, options, defaults, derived));
        // Set on the row itself: a spread would read its lazy `responses` (the error schemas) now.
        return options.creates ? Object.assign(route, { creates: options.creates }) : route;
      };
    return {
      command,
      query,
      post: short('POST', command),
      put: short('PUT', command),
      patch: short('PATCH', command),
      delete: short('DELETE', command),
      get: short('GET', query),
      with: (more: RouteDefaults<string>) =>
        builders({
          answer: more.answer ?? defaults.answer,
          errors: Object.fromEntries(addErrors(defaults.errors ?? {}, more.errors ?? {})),
        }),
    };
  };
  return builders({}) as unknown as RouteBuilders<C>;
};

/** GET /openapi.json: the document itself. */
export const openApiDocumentSchema = /* @__PURE__ */ once(() =>
  z
    .looseObject({
      openapi: z.string(),
      info: z.looseObject({ title: z.string(), version: z.string() }),
      paths: z.record(z.string(), z.unknown()),
    })
    .check(z.meta({ id: 'OpenApiDocument' })),
);

/** POST /graphql: the kit's rules; an app adds its own list sizes and prices (`graphqlDescription`). */
const GRAPHQL_DESCRIPTION =
  'One query field per query route (arguments: its path and query parameters) and one mutation per command ' +
  '(arguments: its path parameters and body fields). A well-formed request is answered 200; domain errors are in ' +
  '`errors[].extensions.code` with the REST codes. Limits: 10,000 characters, 1,000 tokens, 8 fields deep ' +
  '(QUERY_TOO_DEEP). Every request is priced before it runs: each value in the answer costs 1 times the most ' +
  'items of each list it is in (as its query declares; a page its `limit`), and each field its reads (10 a read ' +
  'unit; a `minVersion` wait 30 times its read); over 40,000 is GRAPHQL_TOO_COSTLY, more than one mutation ' +
  'TOO_MANY_MUTATIONS, both with no data and nothing run. An answer over 5 MiB is replaced by ANSWER_TOO_LARGE. ' +
  'So one request reads at most about 4,000 read units, answers at most 5 MiB and runs at most one command.';

const graphqlRouteWith = (description: string) =>
  lazyRoute(
    {
      method: 'POST',
      path: '/graphql',
      summary: 'GraphQL: the same commands (mutations) and queries',
      description,
      tags: ['graphql'],
      auth: 'jwt',
    },
    () => ({ body: graphqlRequest() }),
    () => ({ status: 200, response: { description: 'The GraphQL response', schema: graphqlResponse() } }),
    () => mergeErrors(EVERY_ROUTE),
    () => [headers.idempotencyKey(), headers.correlationId()],
  );

/**
 * The routes the kit adds to every app: GraphQL and the OpenAPI document. Its top-level schemas
 * here and in graphqlSchemas.ts are marked pure, so a bundle that never names them (a
 * projection's) leaves them and zod out.
 */
export const kitRoutes = {
  graphql: /* @__PURE__ */ graphqlRouteWith(GRAPHQL_DESCRIPTION),
  openapi: /* @__PURE__ */ lazyRoute(
    {
      method: 'GET',
      path: '/openapi.json',
      summary: 'This document (public)',
      description:
        'The OpenAPI 3.1 document of this API, generated from the same declaration that validates requests and ' +
        'shapes answers. Needs no token.',
      tags: ['meta'],
      auth: 'none',
    },
    () => ({}),
    () => ({ status: 200, response: { description: 'The OpenAPI 3.1 document', schema: openApiDocumentSchema() } }),
    () => mergeErrors({ 500: ['INTERNAL_ERROR'] }),
  ),
};

/** The GraphQL route of an app: the kit's, its description followed by what the app adds (`graphqlDescription`). */
const graphqlRouteOf = (app: AppDefinition): ApiRoute =>
  app.graphqlDescription ? graphqlRouteWith(`${GRAPHQL_DESCRIPTION} ${app.graphqlDescription}`) : kitRoutes.graphql;

/** Every route of an app by its operation id (= its function name): commands, queries, and the kit's own. */
export const routesOf = (app: AppDefinition): Record<string, ApiRoute> => ({
  ...Object.fromEntries(Object.entries(app.commands).map(([name, c]) => [name, c.route as ApiRoute])),
  ...Object.fromEntries(Object.entries(app.queries).map(([name, q]) => [name, q.route as ApiRoute])),
  ...kitRoutes,
  graphql: graphqlRouteOf(app),
});
