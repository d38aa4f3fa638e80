/**
 * An app, declared once: its aggregates, the commands that run on them, the views that
 * project them and the queries that read them. The kit derives everything else from this
 * declaration: the Lambda handlers (`createRuntime`), the route table, OpenAPI and GraphQL,
 * the serverless functions with their IAM and stream mappings (`serverlessResources`), and
 * rebuild / verify / redrive. Nothing here touches AWS: a declaration is data and pure code.
 */
import type { Action, CommitInfo, DomainEvent, Reducer, StreamsAction } from '../contracts';
import { eventSchema, schemaByStreamType, type EventSchema, type Upcasters } from '../eventStore/eventSchema';
import type { ApiRoute } from '../http/apiRoute';
import type { ApiContact, ApiLicense, ApiServer } from '../http/openApiDocument';
import type { RouteRequest, RouteSchemas } from '../http/httpRoute';
import type { Schema } from '../http/schema';
import type { ViewChildren } from '../projection/childItemsViewStore';
import type { CounterChildren } from '../projection/counterViewProjection';
import { reactionFunctionName, undeclaredCauses, type Reaction } from '../reaction/reaction';
import type * as z from 'zod/mini';
import type { OwnRecord } from '../records';
import { refuseDerivedAnswer } from './derivedMark';
import { graphqlNameOf, type Query, type QueryContext } from './query';
import { keyCheckedEvolve, type ViewKey } from './viewKey';

// ── aggregates ──
export interface AggregateOptions<TState, TEvent extends DomainEvent> {
  /** The stream type stored with every commit; never rename it once data exists. */
  readonly streamType: string;
  readonly initialState: TState;
  readonly reducer: Reducer<TState, TEvent>;
  readonly upcasters?: Upcasters<TEvent>;
  /**
   * Prepended to this aggregate's ids to make its stream ids in the shared events table
   * (`orders#o1`). Ids never contain `#`, so two aggregates cannot share a stream. Default: the
   * stream type and `#`. `''` for none: at most one aggregate of an app (one kept for data stored before).
   */
  readonly streamPrefix?: string;
  /** Bump when the reducer changes meaning: snapshots taken by another version are ignored. */
  readonly reducerVersion?: string;
  /** Take a snapshot every this many commits. Default 50. */
  readonly snapshotEvery?: number;
  /** Who may read a stream's history (events, time travel). Default: nobody but through commands. */
  readonly canRead?: (state: TState, userId: string) => boolean;
}

export interface Aggregate<TState = unknown, TEvent extends DomainEvent = DomainEvent>
  extends AggregateOptions<TState, TEvent> {
  readonly streamPrefix: string;
  /** Built once: stamps schema versions on write, upcasts on read. */
  readonly schema: EventSchema;
  /** The stream id in the events table of this aggregate's `id`. */
  readonly streamIdOf: (id: string) => string;
  /** The aggregate's id of one of its stream ids. */
  readonly idOf: (streamId: string) => string;
}

export const defineAggregate = <TState, TEvent extends DomainEvent>(
  options: AggregateOptions<TState, TEvent>,
): Aggregate<TState, TEvent> => {
  const prefix = options.streamPrefix ?? `${options.streamType}#`;
  if (prefix !== '' && !/^[a-z][A-Za-z0-9]*#$/.test(prefix))
    throw new Error(
      options.streamPrefix === undefined
        ? `streamType ${options.streamType} is no name for a stream prefix: give streamPrefix (a name followed by #)`
        : `streamPrefix ${prefix} must be a name followed by #`,
    );
  return {
    ...options,
    streamPrefix: prefix,
    schema: eventSchema(options.upcasters ?? {}),
    streamIdOf: (id) => `${prefix}${id}`,
    idOf: (streamId) => streamId.slice(prefix.length),
  };
};

// ── commands ──
/** Another aggregate's stream a command reads before it decides (a label for "label an order"). */
export interface StreamRead<S extends RouteSchemas = RouteSchemas> {
  // biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
  readonly aggregate: Aggregate<any, any>;
  /** Its id (the aggregate's own id, without prefix). */
  readonly id: (request: Omit<CommandRequest<S>, 'reads' | 'newId'>) => string;
}

/** The streams a command reads, by the name its payload sees them under. */
export type StreamReads<S extends RouteSchemas = RouteSchemas> = Readonly<Record<string, StreamRead<S>>>;

/** The states the streams of `reads` were loaded to, by name. */
export type ReadStates<R> = {
  // biome-ignore lint/suspicious/noExplicitAny: matches an aggregate of any event type to infer its state
  readonly [K in keyof R]: R[K] extends { readonly aggregate: Aggregate<infer T, any> } ? T : unknown;
};

/** What a command's mapping functions see: the validated request, the caller, what it read. */
export interface CommandRequest<S extends RouteSchemas = RouteSchemas, R = StreamReads<S>>
  extends Pick<RouteRequest<S>, 'body' | 'params' | 'userId' | 'correlationId'> {
  /** A new id for something the command creates. */
  readonly newId: () => string;
  /** The states of the other streams the command declared in `reads`, by name. */
  readonly reads: ReadStates<R>;
}

/** Where a command runs: its stream's id (without the aggregate's prefix) from its payload or its caller. */
export type StreamIdOf<P, S extends RouteSchemas = RouteSchemas> = (payload: P, request: CommandRequest<S>) => string;

/** The caller's own stream (one stream per user): `commandsOf(carts, { streamId: byCaller })`; a client never names it. */
export const byCaller: StreamIdOf<unknown> = (_payload, { userId }) => userId;

/**
 * A command's payload when it declares no `payload`: its path parameters, its body's fields and
 * the states of the streams it read (`{ ...params, ...body, ...reads }`).
 */
export type RequestFields<S extends RouteSchemas, R = unknown> = (S['params'] extends Schema
  ? z.output<S['params']>
  : unknown) &
  (S['body'] extends Schema ? z.output<S['body']> : unknown) &
  ReadStates<R>;

export interface CommandOptions<TState, TEvent extends DomainEvent, S extends RouteSchemas, P> {
  readonly route: ApiRoute<S>;
  readonly action: Action<TState, P, TEvent>;
  /** The action's payload from the request. Default: the request's fields (`RequestFields`). */
  readonly payload: (request: CommandRequest<S>) => P;
  /** The id of the stream the command runs on (without the aggregate's prefix). */
  readonly streamId: StreamIdOf<P, S>;
  readonly reads?: StreamReads<S>;
}

export interface Command<
  TState = unknown,
  TEvent extends DomainEvent = DomainEvent,
  S extends RouteSchemas = RouteSchemas,
  P = unknown,
> extends CommandOptions<TState, TEvent, S, P> {
  readonly kind: 'command';
  readonly aggregate: Aggregate<TState, TEvent>;
  /** A command across several streams (`commandAcross`): its streams and its decision; `action` is then unused. */
  readonly across?: Across;
}

/** A command as declared: `payload` may be left out, and `streamId` too where `commandsOf` was given one. */
type Declared<TState, TEvent extends DomainEvent, S extends RouteSchemas, R, P, Q> = Omit<
  CommandOptions<TState, TEvent, S, P>,
  'payload' | 'streamId' | 'reads'
> & {
  readonly reads?: R;
} & ([Q] extends [never]
    ? { readonly streamId: StreamIdOf<P, S> }
    : P extends Q
      ? { readonly streamId?: StreamIdOf<P, S> }
      : { readonly streamId: StreamIdOf<P, S> });

/** Declares the commands of one aggregate (see `commandsOf`). */
export interface CommandsOf<TState, TEvent extends DomainEvent, Q> {
  /** A command whose action takes the payload `payload` maps from the request. */
  <S extends RouteSchemas, P, R extends StreamReads<S> = Record<never, never>>(
    options: Declared<TState, TEvent, S, R, P, Q> & { readonly payload: (request: CommandRequest<S, R>) => P },
  ): Command<TState, TEvent, S, P>;
  /** A command whose action takes the request's fields and read states as they are (`RequestFields`). */
  <S extends RouteSchemas, R extends StreamReads<S> = Record<never, never>>(
    options: Declared<TState, TEvent, S, R, RequestFields<S, R>, Q> & { readonly payload?: undefined },
  ): Command<TState, TEvent, S, RequestFields<S, R>>;
  /**
   * The short form, one row a command: `command(order.shipOrder, route.command({ … }))`. The
   * action takes the request's fields, on the stream `commandsOf` names (so it must name one, and
   * the fields must carry what it needs).
   */
  <S extends RouteSchemas, F extends string = never>(
    action: Action<TState, RequestFields<S> & Created<NoInfer<F>>, TEvent>,
    route: ApiRoute<S> & { readonly creates?: F } & OnDefaultStream<RequestFields<S> & Created<F>, Q>,
  ): Command<TState, TEvent, S, RequestFields<S> & Created<F>>;
}

/** The id field a route `creates` (`route.post(path, summary, { creates: 'orderId' })`): a new id in the payload. */
export type Created<F extends string> = [F] extends [never] ? unknown : { readonly [K in F]: string };

/** What the short form needs: a stream id from `commandsOf`, which the request's fields can feed. */
export type OnDefaultStream<F, Q> = [Q] extends [never]
  ? {
      readonly streamIdMissing: 'commandsOf(aggregate, { streamId }) names no stream: use command({ route, action, streamId })';
    }
  : F extends Q
    ? unknown
    : {
        readonly streamIdUnfed: "the request's fields lack what commandsOf's streamId needs: use command({ route, action, payload })";
      };

const requestFields = (request: CommandRequest): unknown => ({
  ...(request.params as object),
  ...(request.body as object),
  ...request.reads,
});

/** A payload's field, as a stream id. */
const fieldOf = (payload: unknown, field: string) => String((payload as Record<string, unknown>)[field]);

/**
 * Binds commands to their aggregate: `const command = commandsOf(orders, { streamId: 'orderId' })` (the
 * payload's field that holds the stream's id; or a function, `(payload) => payload.orderId`),
 * then `command(action, route)` or `command({ route, action, payload?, reads?, streamId? })`. `streamId`,
 * given here, is every command's unless one says otherwise (a command whose payload lacks what it
 * needs must); without it each command names its own.
 */
export function commandsOf<TState, TEvent extends DomainEvent>(
  aggregate: Aggregate<TState, TEvent>,
): CommandsOf<TState, TEvent, never>;
export function commandsOf<TState, TEvent extends DomainEvent, const F extends string>(
  aggregate: Aggregate<TState, TEvent>,
  defaults: { readonly streamId: F },
): CommandsOf<TState, TEvent, { readonly [K in F]: string }>;
export function commandsOf<TState, TEvent extends DomainEvent, Q>(
  aggregate: Aggregate<TState, TEvent>,
  defaults: { readonly streamId: StreamIdOf<Q> },
): CommandsOf<TState, TEvent, Q>;
export function commandsOf(aggregate: Aggregate, given?: { readonly streamId: string | StreamIdOf<unknown> }) {
  const field = given?.streamId;
  const defaultId: StreamIdOf<unknown> | undefined =
    typeof field === 'string' ? (payload) => fieldOf(payload, field) : field;
  type Options = Partial<CommandOptions<unknown, DomainEvent, RouteSchemas, unknown>> &
    Pick<CommandOptions<unknown, DomainEvent, RouteSchemas, unknown>, 'route' | 'action'>;
  return (optionsOrAction: Options | Options['action'], route?: ApiRoute): Command => {
    const options: Options =
      typeof optionsOrAction === 'function' ? { action: optionsOrAction, route: route! } : optionsOrAction;
    const streamId = options.streamId ?? defaultId;
    if (!streamId)
      throw new Error(
        `${options.route.method} ${options.route.path}: the command needs a streamId (or commandsOf one)`,
      );
    const creates = (options.route as { readonly creates?: string }).creates;
    // The minted id goes last: a request field of that name can never choose it.
    const fields = creates
      ? (request: CommandRequest) => ({ ...(requestFields(request) as object), [creates]: request.newId() })
      : requestFields;
    return { ...options, payload: options.payload ?? fields, streamId, kind: 'command', aggregate };
  };
}

// ── commands across streams ──
/** A stream of a multi-stream command given by any aggregate and its id (without prefix) from the payload. */
// biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
export interface StreamOf<P = any> {
  // biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
  readonly aggregate: Aggregate<any, any>;
  readonly id: (payload: P, request: CommandRequest) => string;
}

/** The streams and decision of a multi-stream command, as the runtime runs them. */
export interface Across {
  readonly streams: Readonly<Record<string, StreamOf>>;
  // biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
  readonly action: StreamsAction<any, any, Readonly<Record<string, readonly DomainEvent[] | undefined>>>;
}

/** The states a multi-stream action sees: a field name stands for the command's own aggregate. */
type AcrossStates<M, TState> = {
  // biome-ignore lint/suspicious/noExplicitAny: matches an aggregate of any event type to infer its state
  readonly [K in keyof M]: M[K] extends { readonly aggregate: Aggregate<infer T, any> } ? T : TState;
};
/** The events it may return for each stream (none for a stream it only reads). */
type AcrossEvents<M, TEvent> = {
  // biome-ignore lint/suspicious/noExplicitAny: matches an aggregate of any state to infer its event type
  readonly [K in keyof M]?: readonly (M[K] extends { readonly aggregate: Aggregate<any, infer E> } ? E : TEvent)[];
};

/**
 * A command that decides on several streams and writes them atomically, in one row:
 * `commandAcross(carts, { from: 'cartId', to: 'toCartId' }, cart.moveItem, route.command({ … }))`.
 * Each stream is named by a field of the request (an id of `aggregate`) or by `{ aggregate, id }`;
 * the action gets their states by name and returns events by name. Every stream's commit, a check
 * on each stream it returned nothing for (read, not written) and the Idempotency-Key record are one
 * write: a stream that moved on makes the command decide again on fresh states. It answers the
 * request's fields, `version` (the first stream's) and `<name>Version` for each other stream.
 */
export const commandAcross = <
  TState,
  TEvent extends DomainEvent,
  S extends RouteSchemas,
  M extends Readonly<Record<string, string | StreamOf<RequestFields<S>>>>,
>(
  aggregate: Aggregate<TState, TEvent>,
  // A field name must be one of the request's fields.
  streams: M & {
    readonly [K in keyof M]: M[K] extends string ? keyof RequestFields<S> & M[K] : StreamOf<RequestFields<S>>;
  },
  action: StreamsAction<AcrossStates<M, TState>, RequestFields<S>, AcrossEvents<M, TEvent>>,
  route: ApiRoute<S>,
): Command<TState, TEvent, S, RequestFields<S>> => {
  const named = Object.entries(streams as Readonly<Record<string, string | StreamOf>>);
  if (named.length < 2) {
    throw new Error(`${route.method} ${route.path}: a command across streams names at least two (else use commandsOf)`);
  }
  refuseDerivedAnswer(route);
  const resolved = Object.fromEntries(
    named.map(([name, stream]) => [
      name,
      typeof stream === 'string' ? { aggregate, id: (payload: unknown) => fieldOf(payload, stream) } : stream,
    ]),
  );
  const [first] = named;
  return {
    kind: 'command',
    aggregate,
    route,
    payload: requestFields as (request: CommandRequest<S>) => RequestFields<S>,
    streamId: (payload, request) => resolved[first![0]]!.id(payload, request as CommandRequest),
    action: () => {
      throw new Error(`${route.method} ${route.path} runs across streams: the runtime calls across.action`);
    },
    across: { streams: resolved, action: action as Across['action'] },
  };
};

// ── views ──
/** A secondary index of a view table (one attribute of the view item as its hash key). */
export interface ViewIndex {
  readonly hash: string;
  readonly range?: string;
  /** The item attributes the index carries besides the keys. */
  readonly include: readonly string[];
}

interface ViewBase<TEvent extends DomainEvent> {
  /** Names the view table (`<service>-<stage>-<name>`) and its function (`<name>View`). */
  readonly name: string;
  // biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
  readonly aggregate: Aggregate<any, TEvent>;
}

/**
 * One view per stream of the aggregate, keyed by its stream id in `key`. `evolve` returning
 * null deletes the view (it stays as a tombstone holding the version, so a late or
 * redelivered commit can never bring it back).
 *
 * Without `children` the view is one item, rewritten whole by every commit. With them it is a
 * header item plus one item per child in the stream's partition (sort key `sk`), and a commit
 * writes only the header and the children it changed: a view that grows with its aggregate
 * (an order's lines) keeps a flat write cost, and no item grows with it. Only the header carries
 * the header's attributes, so an index on them lists headers only.
 */
export interface StreamView<TView extends object = object, TEvent extends DomainEvent = DomainEvent>
  extends ViewBase<TEvent> {
  readonly kind: 'stream';
  readonly key: string;
  readonly evolve: (view: TView | null, event: TEvent, commit: CommitInfo) => TView | null;
  readonly indexes?: Readonly<Record<string, ViewIndex>>;
  /** How the view splits into a header and children, and joins back (both pure). */
  // biome-ignore lint/suspicious/noExplicitAny: existential: a child view's item and event types differ per view
  readonly children?: ViewChildren<TView, any, any>;
}

/**
 * Totals across many streams (per-owner stats, per-tag counts): each stream's `source` is
 * folded with `evolve`, and `contributions` says what it adds to which totals item.
 */
export interface CounterView<TSource = unknown, TEvent extends DomainEvent = DomainEvent> extends ViewBase<TEvent> {
  readonly kind: 'counter';
  readonly evolve: (source: TSource | null, event: TEvent, commit: CommitInfo) => TSource | null;
  /** total key → counter → amount (finite numbers); a stream that is gone (null) adds nothing. Keys come from data: build it with `ownRecord`. */
  readonly contributions: (source: TSource) => OwnRecord<OwnRecord<number>>;
  /**
   * How a source is stored as a header and one item per child (an order and its lines), so that no
   * item grows with the stream: a commit rewrites only the children it changes. Without it the
   * whole source is one item, rewritten by every commit (fine for a small, bounded source).
   */
  // biome-ignore lint/suspicious/noExplicitAny: each view's children are typed where it is declared
  readonly children?: CounterChildren<TSource, any, any>;
}

// biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
export type View = StreamView<any, any> | CounterView<any, any>;

/**
 * A view's table name after the stage's prefix: its name, and `-items` for a view with children
 * and for a counter view (another key schema, so another table: CloudFormation creates it beside
 * the old one, and `npm run rebuild` fills it: docs/projections.md).
 */
export const viewTableName = (view: View) =>
  view.kind === 'counter' || view.children ? `${view.name}-items` : view.name;

/** The function (and projection) that keeps a view: `<view>View`; its dead letters carry this name. */
export const viewFunctionName = (view: Pick<View, 'name'>) => `${view.name}View`;

/**
 * Declares a stream view. Its item stores the stream id under `key`: a field of the view of that
 * name must be a string holding the stream id itself (its aggregate's id with no prefix), else it
 * does not compile, or `evolve` throws on the first event that makes it hold anything else.
 */
export const streamView = <TView extends object, TEvent extends DomainEvent, K extends string = 'streamId'>(
  view: Omit<StreamView<TView, TEvent>, 'kind' | 'key'> & { readonly key?: K & ViewKey<TView, K> },
): StreamView<TView, TEvent> => {
  const keyed = { ...view, key: view.key ?? 'streamId' };
  return { ...keyed, kind: 'stream', evolve: keyCheckedEvolve(keyed, view.evolve) };
};

export const counterView = <TSource, TEvent extends DomainEvent>(
  view: Omit<CounterView<TSource, TEvent>, 'kind'>,
): CounterView<TSource, TEvent> => ({
  ...view,
  kind: 'counter',
});

// ── queries ──
/** A table access a query needs: its IAM role gets exactly these. */
export type ReadAccess =
  | { readonly kind: 'viewItem'; readonly view: View }
  | { readonly kind: 'viewIndex'; readonly view: View; readonly index: string }
  | { readonly kind: 'events' };

export const reads = {
  /** GetItem / BatchGetItem on a view table. */
  item: (view: View): ReadAccess => ({ kind: 'viewItem', view }),
  /** Query on one index of a view table. */
  index: (view: View, index: string): ReadAccess => ({ kind: 'viewIndex', view, index }),
  /** Query on the events table (history, time travel, ownership). */
  events: { kind: 'events' } as ReadAccess,
};

// ── queries: ./query.ts ──
export {
  graphqlNameOf,
  query,
  type Page,
  type Query,
  type QueryContext,
  type ViewPageOptions,
  type ViewReadOptions,
} from './query';

// ── the app ──
export interface AppDefinition<C = QueryContext> {
  /** The serverless service; names tables `<service>-<stage>-…`. */
  readonly service: string;
  readonly title: string;
  readonly version: string;
  readonly description: string;
  /** Who answers for the API, in its OpenAPI document. */
  readonly contact?: ApiContact;
  /** The API's license, in its OpenAPI document. */
  readonly license?: ApiLicense;
  /** Where the API is served (a deployed stage, the local stack), in its OpenAPI document. */
  readonly servers?: readonly ApiServer[];
  // biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
  readonly aggregates: readonly Aggregate<any, any>[];
  // biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
  readonly commands: Readonly<Record<string, Command<any, any, any, any>>>;
  readonly views: readonly View[];
  // biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
  readonly queries: Readonly<Record<string, Query<any, C, any>>>;
  /** What the app does when something happens: caused commands, integration events (src/reaction). */
  readonly reactions?: readonly Reaction[];
  /**
   * What POST /graphql's description adds for this app after the kit's: its lists' most items and
   * its queries' prices (the kit's description states only the rules).
   */
  readonly graphqlDescription?: string;
}

/** Checks what types cannot: unique names, one unprefixed aggregate, commands on declared aggregates. */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one pass of independent declaration checks, each a guard clause
export const defineApp = <C>(app: AppDefinition<C>): AppDefinition<C> => {
  const fail = (message: string) => {
    throw new Error(`App ${app.service}: ${message}`);
  };
  const types = app.aggregates.map((a) => a.streamType);
  if (new Set(types).size !== types.length) fail(`two aggregates share a stream type (${types.join(', ')})`);
  const prefixes = app.aggregates.map((a) => a.streamPrefix);
  if (new Set(prefixes).size !== prefixes.length) fail('two aggregates share a stream prefix; give each its own');
  for (const [name, command] of Object.entries(app.commands)) {
    if (!app.aggregates.includes(command.aggregate))
      fail(`command ${name} runs on an aggregate the app does not declare`);
    for (const stream of Object.values(command.across?.streams ?? {})) {
      if (!app.aggregates.includes(stream.aggregate)) fail(`command ${name} names an undeclared aggregate`);
    }
  }
  for (const view of app.views)
    if (!app.aggregates.includes(view.aggregate)) fail(`view ${view.name} projects an undeclared aggregate`);
  const views = app.views.map((v) => v.name);
  if (new Set(views).size !== views.length) fail('two views share a name');
  for (const r of app.reactions ?? []) {
    if (!app.aggregates.includes(r.on)) fail(`reaction ${r.name} follows an undeclared aggregate`);
    for (const problem of undeclaredCauses(r, app.commands)) fail(problem);
  }
  const reactions = (app.reactions ?? []).map(reactionFunctionName);
  const functions = [
    ...Object.keys(app.commands),
    ...Object.keys(app.queries),
    ...app.views.map(viewFunctionName),
    ...reactions,
  ];
  if (new Set(functions).size !== functions.length) fail('a command, query, view or reaction name is used twice');
  const fields = Object.entries(app.queries).map(([name, q]) => graphqlNameOf(name, q));
  if (new Set(fields).size !== fields.length) fail(`two queries share a GraphQL field (${fields.join(', ')})`);
  const routes = [...Object.values(app.commands), ...Object.values(app.queries)].map(
    (c) => `${c.route.method} ${c.route.path}`,
  );
  if (new Set(routes).size !== routes.length) fail('two commands or queries share a route');
  return app;
};

/** The app's event schema: each commit encoded and upcast with its own aggregate's upcasters. */
export const appEventSchema = (app: Pick<AppDefinition, 'aggregates'>): EventSchema =>
  schemaByStreamType(Object.fromEntries(app.aggregates.map((a) => [a.streamType, a.schema])));

/** The schema of a route's input part, as an object shape (for GraphQL arguments). */
export type { Shape } from '../http/schema';
