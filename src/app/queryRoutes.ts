/**
 * Queries declared one call each, route and reads together: `const get = queriesOf(route)`, then
 * `getOrders: get('/orders', 'Your orders', { answer: ordersPage, reads: [ordersView], run: ({ userId }, ctx) => … })`.
 * `reads` takes views (GetItem on their tables) beside `reads.index(…)` and `reads.events`.
 * `readYourWrites: true` adds the `minVersion` query parameter (the version a command returned), its
 * 503 VIEW_BEHIND and the events read that `ctx.view(view, id, { atLeast: 'stream' })` needs;
 * `run` reads with `atLeast: query.minVersion`. The route is the short form's (`route.get`), so
 * the OpenAPI document is the long form's. A named answer without a description is described by the summary.
 */
import * as z from 'zod/mini';
import type { RouteRequest } from '../http/httpRoute';
import { queryInt } from '../http/fieldSchemas';
import type { Schema } from '../http/schema';
import type { OwnRecord } from '../records';
import { describedAnswer } from './answers';
import { reads as access, type CounterView, type ReadAccess, type StreamView, type View } from './definition';
import { query, type Query, type QueryContext } from './query';
import type { KitErrorCode, PathParamNames, RouteBuilders, ShortRouteOptions, WithPathParams } from './routes';

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
  /**
   * Views `run` reads itself, by item, and other accesses (`reads.index(view, name)`, `reads.events`):
   * its role gets these, and those of `read`.
   */
  readonly reads?: readonly (View | ReadAccess)[];
  /**
   * Offers `?minVersion` (unless its `query` schema is its own), with 503 VIEW_BEHIND: given, each
   * stream view of `read` is read once it has caught up with its stream (every view the query joins);
   * counter totals are read as they are.
   */
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

/** What `read` names: a view and the path parameter that holds its id (`'userId'`: the caller's). */
// biome-ignore lint/suspicious/noExplicitAny: existential: any view of the app, whatever its item and event types
type ViewRead<P extends string> = readonly [StreamView<any, any> | CounterView<any, any>, PathParamNames<P> | 'userId'];

/** What `run` gets for each of `read`: a stream view's item (null if none), a counter view's totals. */
export type ReadViews<R> = {
  readonly [K in keyof R]: R[K] extends readonly [StreamView<infer V, infer _E>, string]
    ? (V & { readonly version: number }) | null
    : OwnRecord<number>;
};

/**
 * What a query's `check` may answer (not used): anything but a boolean, as it refuses by throwing (an
 * async one's promise is an object: a boolean it resolves to fails when it comes).
 */
type CheckAnswer = object | string | number | bigint | symbol | null | undefined;

/** What a query's `check` and `run` get: the request typed by the path and `query`, and the views of `read`. */
type QueryRequest<P extends string, Q, W, R> = Pick<
  RouteRequest<QuerySchemas<P, Q, W>>,
  'params' | 'query' | 'userId'
> & {
  readonly read: ReadViews<R>;
};

/**
 * One query a call: `get(path, summary, { answer, read, run })`; `run` is typed by the path, `query`
 * and `answer`, and gets the views `read` names, read in parallel: `read: { order: [ordersView, 'orderId'] }`.
 */
export type QueryBuilder<C extends string> = <
  P extends string,
  A extends Schema,
  Q extends Schema | undefined = undefined,
  W extends boolean = false,
  R extends Readonly<Record<string, ViewRead<P>>> = Record<never, never>,
>(
  path: P,
  summary: string,
  options: QueryRouteOptions<C | KitErrorCode> & {
    readonly query?: Q;
    readonly answer: A;
    readonly readYourWrites?: W;
    readonly read?: R;
    /**
     * Who may read, checked before `run` with the same request: it throws (a domain error: its 4xx)
     * to refuse; what it returns is not used (`check: ({ userId, read }) => order.readableOrder(read.order, userId)`),
     * but a boolean is refused (a predicate's `false` would let everyone read): it does not compile, or fails.
     */
    // biome-ignore lint/suspicious/noConfusingVoidType: a check with a block body answers void; only void admits it and still refuses a boolean
    readonly check?: (request: QueryRequest<P, Q, W, R>, context: QueryContext) => CheckAnswer | void;
    readonly run: (request: QueryRequest<P, Q, W, R>, context: QueryContext) => Promise<z.output<A>> | z.output<A>;
  },
) => Query<QuerySchemas<P, Q, W>, QueryContext, A>;

const isView = (read: View | ReadAccess): read is View => read.kind === 'stream' || read.kind === 'counter';

/** `run` with the views of `read` read first, in parallel (each caught up with its stream when `?minVersion` is given). */
const withReads =
  (read: Readonly<Record<string, ViewRead<string>>>, run: Run, check: Run | undefined): Query['run'] =>
  async (request, ctx) => {
    const atLeast =
      (request.query as { minVersion?: number } | undefined)?.minVersion === undefined
        ? {}
        : { atLeast: 'stream' as const };
    const entries = await Promise.all(
      Object.entries(read).map(async ([name, [view, key]]) => {
        const id = key === 'userId' ? request.userId : (request.params as Readonly<Record<string, string>>)[key]!;
        return [
          name,
          view.kind === 'counter' ? await ctx.totals(view, id) : await ctx.view(view, id, atLeast),
        ] as const;
      }),
    );
    const withViews = { ...request, read: Object.fromEntries(entries) };
    const checked = await check?.(withViews, ctx);
    if (typeof checked === 'boolean')
      throw new Error(
        `A query's check answered ${checked}: it throws the domain's error to refuse, and answers nothing`,
      );
    return run(withViews, ctx);
  };
type Run = (request: Parameters<Query['run']>[0] & { read: object }, ctx: QueryContext) => unknown;

/** Binds queries to a group of routes (`route` or `route.with({ … })`). */
export const queriesOf = <C extends string, A extends boolean>(routes: RouteBuilders<C, A>): QueryBuilder<C> =>
  ((
    path: string,
    summary: string,
    options: QueryRouteOptions<string> & { read?: Readonly<Record<string, ViewRead<string>>>; check?: Run; run: Run },
  ) => {
    const { reads = [], read = {}, readYourWrites, graphqlName, graphqlCost, check, run, ...routeOptions } = options;
    const waits = readYourWrites === true && !routeOptions.query;
    if (routeOptions.answer !== undefined) describedAnswer(routeOptions.answer, summary);
    const route = (routes.get as (path: string, summary: string, options: ShortRouteOptions<string>) => Query['route'])(
      path,
      summary,
      waits
        ? { ...routeOptions, query: minVersionQuery, errors: { ...routeOptions.errors, 503: ['VIEW_BEHIND'] } }
        : routeOptions,
    );
    const views = [...new Set([...Object.values(read).map(([view]) => view), ...reads])];
    const accesses = views.map((r) => (isView(r) ? access.item(r) : r));
    const withEvents = waits && !accesses.some((a) => a.kind === 'events') ? [...accesses, access.events] : accesses;
    return query({
      route,
      reads: withEvents,
      run: withReads(read, run, check),
      ...(graphqlName === undefined ? {} : { graphqlName }),
      ...(graphqlCost === undefined ? {} : { graphqlCost }),
    });
  }) as unknown as QueryBuilder<C>;
