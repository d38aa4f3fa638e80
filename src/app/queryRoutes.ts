/**
 * Queries declared one call each, route and reads together: `const get = queriesOf(route)`, then
 * `getOrders: get('/orders', 'Your orders', { answer: ordersPage, reads: [ordersView], run: ({ userId }, ctx) => … })`.
 * `reads` takes views (GetItem on their tables) beside `reads.index(…)` and `reads.events`.
 * `readYourWrites: true` adds the `minVersion` query parameter (the version a command returned), its
 * 503 VIEW_BEHIND and the events read that `ctx.view(view, id, { atLeast: 'stream' })` needs;
 * `run` reads with `atLeast: query.minVersion`. The route is the short form's (`route.get`), so
 * the OpenAPI document is the long form's.
 */
import * as z from 'zod/mini';
import type { RouteRequest } from '../http/httpRoute';
import { queryInt } from '../http/fieldSchemas';
import type { Schema } from '../http/schema';
import { reads as access, type ReadAccess, type View } from './definition';
import { query, type Query, type QueryContext } from './query';
import type { KitErrorCode, RouteBuilders, ShortRouteOptions, WithPathParams } from './routes';

/** `?minVersion=N`: read-your-writes (`readYourWrites: true`). */
export const minVersionQuery = /* @__PURE__ */ (() =>
  z.strictObject({
    minVersion: z.optional(queryInt({ min: 0 })).check(
      z.meta({
        description:
          'Read-your-writes: wait up to 1.5 s for the view to reach this version (the one a command returned), else 503 VIEW_BEHIND',
      }),
    ),
  }))();

/** A query's options besides its route's: what it reads, how GraphQL names and prices it. */
export interface QueryRouteOptions<C extends string> extends ShortRouteOptions<C> {
  /** Views it reads by item, and other accesses (`reads.index(view, name)`, `reads.events`): its role gets these. */
  readonly reads: readonly (View | ReadAccess)[];
  /** Offers `?minVersion` (unless its `query` schema is its own), with 503 VIEW_BEHIND. */
  readonly readYourWrites?: boolean;
  readonly graphqlName?: string;
  readonly graphqlCost?: Query['graphqlCost'];
}

/** The request schemas of a query on path `P` with query schema `Q` (or `?minVersion` when `W`). */
type QuerySchemas<P extends string, Q, W> = WithPathParams<
  Q extends Schema
    ? { readonly query: Q }
    : W extends true
      ? { readonly query: typeof minVersionQuery }
      : Record<never, never>,
  P
>;

/** One query a call: `get(path, summary, { answer, reads, run })`; `run` is typed by the path, `query` and `answer`. */
export type QueryBuilder<C extends string> = <
  P extends string,
  A extends Schema,
  Q extends Schema | undefined = undefined,
  W extends boolean = false,
>(
  path: P,
  summary: string,
  options: QueryRouteOptions<C | KitErrorCode> & {
    readonly query?: Q;
    readonly answer: A;
    readonly readYourWrites?: W;
    readonly run: (
      request: Pick<RouteRequest<QuerySchemas<P, Q, W>>, 'params' | 'query' | 'userId'>,
      context: QueryContext,
    ) => Promise<z.output<A>>;
  },
) => Query<QuerySchemas<P, Q, W>, QueryContext, A>;

const isView = (read: View | ReadAccess): read is View => read.kind === 'stream' || read.kind === 'counter';

/** Binds queries to a group of routes (`route` or `route.with({ … })`). */
export const queriesOf = <C extends string, A extends boolean>(routes: RouteBuilders<C, A>): QueryBuilder<C> =>
  ((path: string, summary: string, options: QueryRouteOptions<string> & { run: Query['run'] }) => {
    const { reads, readYourWrites, graphqlName, graphqlCost, run, ...routeOptions } = options;
    const waits = readYourWrites === true && !routeOptions.query;
    const route = (routes.get as (path: string, summary: string, options: ShortRouteOptions<string>) => Query['route'])(
      path,
      summary,
      waits
        ? { ...routeOptions, query: minVersionQuery, errors: { ...routeOptions.errors, 503: ['VIEW_BEHIND'] } }
        : routeOptions,
    );
    const accesses = reads.map((read) => (isView(read) ? access.item(read) : read));
    const withEvents = waits && !accesses.some((a) => a.kind === 'events') ? [...accesses, access.events] : accesses;
    return query({
      route,
      reads: withEvents,
      run,
      ...(graphqlName === undefined ? {} : { graphqlName }),
      ...(graphqlCost === undefined ? {} : { graphqlCost }),
    });
  }) as unknown as QueryBuilder<C>;
