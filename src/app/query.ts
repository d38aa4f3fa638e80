/**
 * A query of an app's declaration (./definition.ts): its route, the tables it reads, and `run`, with
 * what it reads with (`QueryContext`: views by id, by index page, counter totals, a stream's events).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod/mini';
import type { DomainEvent } from '../contracts';
import type { Commit, ReadStreamOptions } from '../eventStore/eventStore';
import type { RootFieldCost } from '../graphql/graphqlCosts';
import type { ApiRoute } from '../http/apiRoute';
import type { RouteRequest, RouteSchemas } from '../http/httpRoute';
import type { Schema } from '../http/schema';
import type { OwnRecord } from '../records';
import type { Aggregate, CounterView, ReadAccess, StreamView, View } from './definition';

/** How fresh a view read must be (read-your-writes); 503 VIEW_BEHIND when the view has not caught up after a short wait. */
export interface ViewReadOptions {
  /**
   * A version the view must have reached (the one a command returned), or `'stream'`: every commit
   * its stream had when the read began (one short read of the stream's last commit), so a query
   * that joins views of other streams waits for each of them too. Unset: the view as it is.
   */
  readonly atLeast?: number | 'stream';
}

/** What a query's `run` reads with: the app's tables, and its aggregates' streams. */
export interface QueryContext {
  readonly documentClient: DynamoDBDocumentClient;
  /** The table of a view, in this stage. */
  readonly tableOf: (view: View) => string;
  /**
   * One stream's item of a stream view, by the aggregate's id, whatever its layout (one item, or a
   * header and its children): the view with its key and `version`, or null (none yet, or deleted).
   */
  readonly view: <TView extends object>(
    // biome-ignore lint/suspicious/noExplicitAny: reads a view fed by any event type; only its item type matters here
    view: StreamView<TView, any>,
    id: string,
    options?: ViewReadOptions,
  ) => Promise<(TView & { readonly version: number }) | null>;
  /** A counter view's totals for one key (an owner, …), by counter (read with `getOwn`); one not counted yet is absent (read it as 0). */
  // biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
  readonly totals: (view: CounterView<any, any>, key: string) => Promise<OwnRecord<number>>;
  /** The commits of one of an aggregate's streams, by the aggregate's id. */
  readonly readStream: <TEvent extends DomainEvent>(
    // biome-ignore lint/suspicious/noExplicitAny: reads a stream of any aggregate; only its event type matters here
    aggregate: Aggregate<any, TEvent>,
    id: string,
    options?: ReadStreamOptions,
  ) => Promise<Commit<TEvent>[]>;
  /**
   * One page of a stream view's items on one of its indexes (`indexes`), those whose hash
   * attribute is `key` (`ownerId = userId`), in its range order (`newestFirst`: descending).
   * The kit owns the page key: `nextToken` is refused (400 INVALID_NEXT_TOKEN) unless it is a
   * token this read gave for the same `key`.
   */
  readonly viewPage: <TItem extends object>(
    // biome-ignore lint/suspicious/noExplicitAny: any stream view of the app; its item type is the caller's
    view: StreamView<any, any>,
    index: string,
    page: ViewPageOptions,
  ) => Promise<Page<TItem & { readonly version: number }>>;
  /**
   * One page of an aggregate's stream, `limit` commits in version order from the start or from
   * `nextToken` (refused, 400, unless this read gave it for the same stream).
   */
  readonly eventsPage: <TEvent extends DomainEvent>(
    // biome-ignore lint/suspicious/noExplicitAny: any aggregate of the app; its state is not read here
    aggregate: Aggregate<any, TEvent>,
    id: string,
    page: { readonly limit: number; readonly nextToken?: string },
  ) => Promise<{ readonly commits: Commit<TEvent>[]; readonly nextToken?: string }>;
}

/** A page of items and, when more follow, the opaque token of the next one. */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

export interface ViewPageOptions {
  /** The value of the index's hash attribute. */
  readonly key: string;
  readonly limit: number;
  readonly nextToken?: string;
  /** Descending range order (newest first when the range is a timestamp). */
  readonly newestFirst?: boolean;
}

/**
 * A query: its route, the tables it reads, and `run`, whose result must be its route's answer (the
 * output of its `answer` schema, checked by the compiler): GraphQL serves that result as it is,
 * REST passes it through the schema, which drops undeclared fields.
 */
export interface Query<S extends RouteSchemas = RouteSchemas, C = QueryContext, A extends Schema = Schema> {
  readonly kind: 'query';
  readonly route: ApiRoute<S, A>;
  /**
   * Its GraphQL field (arguments: the route's path and query parameters). Default: its name in
   * the app's `queries` without a leading `get` (`getOrders` → `orders`).
   */
  readonly graphqlName?: string;
  readonly reads: readonly ReadAccess[];
  /**
   * What its GraphQL field costs in the request budget, from its arguments: its reads and waits
   * (`GRAPHQL_COSTS`) and the most items of each list in its answer. Default: one read, and
   * `DEFAULT_LIST_SIZE` items a list.
   */
  readonly graphqlCost?: (args: Readonly<Record<string, unknown>>) => RootFieldCost;
  readonly run: (request: Pick<RouteRequest<S>, 'params' | 'query' | 'userId'>, context: C) => Promise<z.output<A>>;
}

/**
 * Declares a query; its request's types and its answer's come from its route:
 * `query({ route, reads, run })`, where `run` must return what the route's `answer` describes.
 */
export const query = <S extends RouteSchemas, A extends Schema, C = QueryContext>(
  options: Omit<Query<S, C, A>, 'kind'>,
): Query<S, C, A> => ({
  ...options,
  kind: 'query',
});

/** A query's GraphQL field name: its own `graphqlName`, or its name without a leading `get`. */
export const graphqlNameOf = (name: string, query: Pick<Query, 'graphqlName'>): string =>
  query.graphqlName ?? (/^get[A-Z]/.test(name) ? `${name[3]!.toLowerCase()}${name.slice(4)}` : name);
