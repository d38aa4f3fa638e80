import middy, { type MiddlewareObj } from '@middy/core';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { z } from 'zod/mini';
import { HttpError } from '../errors';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { flushMetrics, logger } from '../observability';
import { jsonErrors } from './jsonErrors';
import { safeParse, type Schema } from './schema';

type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
type ApiResult = APIGatewayProxyResultV2;

/** Largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface RouteSchemas {
  readonly body?: Schema;
  readonly params?: Schema;
  readonly query?: Schema;
}

type Out<S> = S extends Schema ? z.output<S> : undefined;

/** What a route's function receives: validated input and the caller. */
export interface RouteRequest<S extends RouteSchemas> {
  readonly body: Out<S['body']>;
  readonly params: Out<S['params']>;
  readonly query: Out<S['query']>;
  /** The JWT's `sub`. */
  readonly userId: string;
  /** From `x-correlation-id` when the client sends one, else the API Gateway request id. */
  readonly correlationId: string;
  readonly event: ApiEvent;
}

export interface RouteResponse {
  readonly statusCode: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

/** A zod error as the `details` of a VALIDATION_ERROR: `[{ path, message }]`. */
export const issuesOf = (error: z.core.$ZodError) =>
  error.issues.map((issue) => ({
    // An unknown field is named by its key, not by the object that holds it.
    path: issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.map(String).join('.'),
    message: issue.message,
  }));

const validate = <S extends Schema>(schema: S, input: unknown, what: string): z.output<S> => {
  const result = safeParse(schema, input);
  if (!result.success) {
    throw new HttpError(400, 'VALIDATION_ERROR', `The request ${what} is not valid`, issuesOf(result.error));
  }
  return result.data;
};

/**
 * Whether a `content-type` says JSON: `application/json` or a `+json` type such as
 * `application/merge-patch+json`, in any case, with parameters, but no charset other than UTF-8
 * (the body is read as UTF-8).
 */
export const isJsonContentType = (header: string | undefined): boolean => {
  if (header === undefined) return false;
  const [type = '', ...params] = header.split(';').map((part) => part.trim().toLowerCase());
  if (!/^application\/([a-z0-9!#$&^_.-]+\+)?json$/.test(type)) return false;
  return params.every((param) => {
    const [name, value = ''] = param.split('=').map((part) => part.trim());
    return name !== 'charset' || ['utf-8', 'utf8', '"utf-8"'].includes(value);
  });
};

/** Reads the raw body with the media type, size cap and JSON checks; never throws anything but an HttpError. */
const parseBody = (event: ApiEvent): unknown => {
  const body: unknown = event.body;
  // serverless-offline hands a JSON `null` body over as null, like no body at all: a declared
  // length or a chunked transfer tells them apart (API Gateway passes the text "null").
  const declared =
    Number(event.headers?.['content-length'] ?? 0) > 0 || event.headers?.['transfer-encoding'] !== undefined;
  if (body === undefined || body === '' || (body === null && !declared)) return undefined;
  // A body is read only as what it says it is: text/plain or no content type is not JSON.
  const contentType = event.headers?.['content-type'];
  if (!isJsonContentType(typeof contentType === 'string' ? contentType : undefined)) {
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'A request body must be JSON, sent as Content-Type: application/json',
    );
  }
  // API Gateway passes the body as a string. serverless-offline passes a falsy JSON body
  // (`false`, `0`) as the value it already parsed, which Buffer.from threw on: a 500.
  if (typeof body !== 'string') return parseBody({ ...event, body: JSON.stringify(body), isBase64Encoded: false });
  const raw = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (raw.byteLength > MAX_BODY_BYTES) {
    throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `The request body is over ${MAX_BODY_BYTES} bytes`);
  }
  const text = utf8Text(raw);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'MALFORMED_JSON', 'The request body is not valid JSON');
  }
};

// `ignoreBOM: true` keeps a leading byte order mark in the text (the default drops it), so JSON.parse
// refuses it as it refuses any text that does not start with JSON (RFC 8259: senders must not add one).
const strictUtf8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The body's text, refusing bytes that are not UTF-8 (RFC 8259: JSON exchanged between systems is
 * UTF-8), which a lenient decoder would store as U+FFFD. A gateway that passes the body as a string
 * (API Gateway for JSON, serverless-offline always) has already replaced such bytes by U+FFFD, so a
 * literal U+FFFD is refused too: nothing can tell it from the bytes it replaced. A client that
 * means the character sends it escaped (`\ufffd`), which is read as usual.
 */
const utf8Text = (raw: Buffer): string => {
  let text: string;
  try {
    text = strictUtf8.decode(raw);
  } catch {
    throw new HttpError(400, 'MALFORMED_JSON', 'The request body is not valid UTF-8');
  }
  if (text.includes('\uFFFD')) {
    throw new HttpError(
      400,
      'MALFORMED_JSON',
      'The request body is not valid UTF-8 (it holds U+FFFD, which stands for bytes that were not; send the character escaped as \\ufffd)',
    );
  }
  return text;
};

/**
 * Longest caller id (`sub`) accepted. It becomes part of DynamoDB keys (the lists view's owner
 * index, the per-owner stats item), which are capped at 2 KB: a longer one was committed, then
 * failed every projection forever and made a query of its totals answer 500.
 */
export const MAX_CALLER_ID_LENGTH = 256;

/** The `sub` of the bearer token in the Authorization header, if it has a readable one. */
const presentedSubject = (event: ApiEvent): unknown => {
  const header = event.headers?.authorization;
  const payload =
    typeof header === 'string'
      ? header
          .trim()
          .replace(/^bearer\s+/i, '')
          .split('.')[1]
      : undefined;
  if (payload === undefined) return undefined;
  try {
    return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown } | null)?.sub;
  } catch {
    return undefined;
  }
};

const callerOf = (event: ApiEvent): string => {
  const unauthorized = () => new HttpError(401, 'UNAUTHORIZED', 'A valid bearer token is required');
  const sub = event.requestContext?.authorizer?.jwt?.claims?.sub;
  if (typeof sub !== 'string' || sub === '' || sub.length > MAX_CALLER_ID_LENGTH) throw unauthorized();
  // The authorizer read these claims from the request's own bearer token (its identity source
  // is the Authorization header, which the gateway passes on), so they name its subject.
  // Claims naming someone else, or arriving with no token at all, did not come from it:
  // serverless-offline lets an `sls-offline-authorizer-override` header replace them, and its
  // Lambda invoke port takes a hand-made event whose claims name anyone.
  const presented = presentedSubject(event);
  if (!((typeof presented === 'string' || typeof presented === 'number') && String(presented) === sub)) {
    throw unauthorized();
  }
  return sub;
};

const headerOf = (event: ApiEvent, name: string): string | undefined => {
  const value = event.headers?.[name];
  return typeof value === 'string' && value.length > 0 && value.length <= 128 ? value : undefined;
};

/** Read once at load: serverless-offline sets it before it loads any handler. */
const OFFLINE = Boolean(process.env.IS_OFFLINE);

/** API Gateway's request id; serverless-offline sends one placeholder for every request, so offline a fresh id. */
const requestIdOf = (event: ApiEvent): string => {
  const id = event.requestContext?.requestId;
  return id && !OFFLINE ? id : randomUUID();
};

/** Serialises a route's answer as JSON. */
const jsonResponse = (response: RouteResponse): ApiResult => ({
  statusCode: response.statusCode,
  headers: { 'content-type': 'application/json', ...response.headers },
  body: JSON.stringify(response.body),
});

/**
 * One HTTP API route: authenticates, parses and validates the body, path and query with
 * zod, calls `fn`, and maps every error to `{ error: { code, message, details? } }`.
 */
export const httpRoute = <S extends RouteSchemas>(
  schemas: S,
  fn: (request: RouteRequest<S>) => Promise<RouteResponse>,
  ...middlewares: MiddlewareObj<ApiEvent, ApiResult, Error, Context>[]
) => {
  const handler = middy<ApiEvent, ApiResult, Error, Context>()
    // Powertools: Lambda context in every log line (keys reset per request), metrics flushed per request.
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({ after: () => flushMetrics(), onError: () => flushMetrics() })
    .use(jsonErrors());
  // Who is calling comes first: a request without a usable caller is 401 before any other
  // middleware (idempotency records, validation) acts on it.
  handler.use({ before: (request) => void callerOf(request.event) });
  for (const middleware of middlewares) handler.use(middleware);
  return handler.handler(async (event) => {
    const userId = callerOf(event);
    const rawBody = parseBody(event);
    const request: RouteRequest<S> = {
      body: (schemas.body ? validate(schemas.body, rawBody, 'body') : undefined) as Out<S['body']>,
      params: (schemas.params ? validate(schemas.params, event.pathParameters ?? {}, 'path') : undefined) as Out<
        S['params']
      >,
      query: (schemas.query ? validate(schemas.query, event.queryStringParameters ?? {}, 'query') : undefined) as Out<
        S['query']
      >,
      userId,
      correlationId: headerOf(event, 'x-correlation-id') ?? requestIdOf(event),
      event,
    };
    // Carried into the commit's metadata and on into the projections' logs.
    logger.appendKeys({ correlationId: request.correlationId, route: event.routeKey });
    return jsonResponse(await fn(request));
  });
};
