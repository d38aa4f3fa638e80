import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { httpRoute, type RouteRequest, type RouteSchemas } from './httpRoute';
import { parse, type Schema } from './schema';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One answer of a route: its body schema and, for some statuses, headers. */
export interface ApiResponse<A extends Schema = Schema> {
  /** Set for an answer shared by many routes: it becomes a reusable response of the document under this name. */
  readonly id?: string;
  readonly description: string;
  readonly schema: A;
  readonly headers?: Readonly<Record<string, { readonly description: string; readonly schema: Schema }>>;
}

/** A request header a route reads; a reusable parameter of the document, named by `id`. */
export interface ApiRequestHeader {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly schema: Schema;
}

/**
 * One row of an API's route table: everything a client needs to call the route. The same
 * row validates the request (`request`), shapes the success answer (`apiHandler`) and
 * describes the route in the OpenAPI document (`openApiDocument`). `A` is its success answer's
 * schema, where the route's builder knows it (a query's `run` must return its output).
 */
export interface ApiRoute<S extends RouteSchemas = RouteSchemas, A extends Schema = Schema> {
  readonly method: HttpMethod;
  /** With `{name}` path parameters, as in serverless.yml. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  /** `jwt`: a bearer token checked by the gateway's JWT authorizer; `none`: public. */
  readonly auth: 'jwt' | 'none';
  readonly request: S;
  /** The optional request headers the route honours (the body, path and query are in `request`). */
  readonly headers?: readonly ApiRequestHeader[];
  /** Every status the route can answer, success and errors. */
  readonly responses: Readonly<Record<number, ApiResponse>>;
  /**
   * The one 2xx answer, where the route knows it apart from `responses`: then serving the route
   * never builds its error schemas (only the OpenAPI document reads them).
   */
  readonly success?: { readonly status: number; readonly response: ApiResponse<A> };
}

/** Declares a route; only keeps the types of its request schemas for `apiHandler`. */
export const apiRoute = <S extends RouteSchemas>(route: ApiRoute<S>): ApiRoute<S> => route;

/** The one 2xx answer of a route. */
export const successOf = (route: ApiRoute): { status: number; response: ApiResponse } => {
  if (route.success) return route.success;
  const found = Object.entries(route.responses).filter(([status]) => Number(status) >= 200 && Number(status) < 300);
  const [entry] = found;
  if (!entry || found.length > 1) throw new Error(`${route.method} ${route.path} needs exactly one 2xx answer`);
  return { status: Number(entry[0]), response: entry[1] };
};

/**
 * An `httpRoute` driven by a route table row: validates with `route.request`, answers with
 * the row's 2xx status, and passes `fn`'s result through that answer's schema, so the body
 * holds exactly the documented fields.
 */
export const apiHandler = <S extends RouteSchemas>(
  route: ApiRoute<S>,
  fn: (request: RouteRequest<S>) => Promise<unknown>,
  ...middlewares: MiddlewareObj<APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Error, Context>[]
) => {
  const { status, response } = successOf(route);
  return httpRoute(
    route.request,
    async (request) => ({ statusCode: status, body: parse(response.schema, await fn(request)) }),
    ...middlewares,
  );
};
