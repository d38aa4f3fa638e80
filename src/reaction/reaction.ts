/**
 * Reactions: "when this happens, do that". A reaction is declared like a view — an aggregate and
 * the event types it follows — with a function from one event (and, where it needs them, the views
 * it reads) to what the event causes: commands of the app, run as the causing commit's user, and
 * integration events, the public shape told to the outside world. The kit runs it from the events
 * table's stream (its own function, role, dead letters) and makes each effect happen once: a caused
 * command carries an Idempotency-Key derived from the reaction and the causing commit.
 */
import type * as z from 'zod/mini';
import type { DomainEvent } from '../contracts';
import type { Aggregate, Command, CounterView, QueryContext, ReadAccess, StreamView, View } from '../app/definition';
import type { OwnRecord } from '../records';

/** The commit an event came in, as a reaction sees it. */
export interface CausingCommit {
  readonly streamId: string;
  /** The aggregate's id of the stream (its stream id without the aggregate's prefix). */
  readonly id: string;
  readonly version: number;
  readonly at: string;
  /** Who sent the command that wrote it: caused commands run as this user. */
  readonly userId?: string;
  readonly correlationId?: string;
}

/** A command of the app the event causes: its name in the app's `commands`, and its input. */
export interface CausedCommand {
  readonly kind: 'command';
  readonly command: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly body?: Readonly<Record<string, unknown>>;
  /** Who runs it. Default: the causing commit's user. */
  readonly userId?: string;
}

/**
 * An integration event: a documented, versioned public shape (never an internal event), published
 * to the app's bus. Its id, for consumers to deduplicate by, is the causing commit's.
 */
export interface PublishedEvent {
  readonly kind: 'publish';
  /** The public type (EventBridge's `detail-type`), e.g. `OrderShipped`. */
  readonly type: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export type ReactionEffect = CausedCommand | PublishedEvent;

/** `cause('releaseStock', { params: { orderId, itemId } })`: a command the event causes. */
export const cause = (command: string, input: Omit<CausedCommand, 'kind' | 'command'> = {}): CausedCommand => ({
  kind: 'command',
  command,
  ...input,
});

/** `publish('OrderShipped', { version: 1, … })`: an integration event for the outside world. */
export const publish = (type: string, detail: Readonly<Record<string, unknown>>): PublishedEvent => ({
  kind: 'publish',
  type,
  detail,
});

// biome-ignore lint/suspicious/noExplicitAny: default for a list of reactions over different event types
export interface Reaction<TEvent extends DomainEvent = any> {
  readonly kind: 'reaction';
  /** Names its function (`<name>Reaction`), its checkpoints and its caused commands' keys: never rename it. */
  readonly name: string;
  // biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
  readonly on: Aggregate<any, TEvent>;
  /** The event types it follows; other commits of the aggregate only move its checkpoint. */
  readonly events: readonly TEvent['type'][];
  /** The views it reads (its role gets exactly these). */
  readonly reads?: readonly ReadAccess[];
  /**
   * The app's commands it causes, by name (the short form, `reactionsOf`, records them; the long form
   * lists them): the only commands it runs, so its function needs no other part of the declaration.
   */
  // biome-ignore lint/suspicious/noExplicitAny: existential: any command of the app; its schema checks the input
  readonly causes?: Readonly<Record<string, Command<any, any, any, any>>>;
  /**
   * What one event causes. Runs again when a record is redelivered: what it answers may change with
   * the views it reads, so each caused command's key derives from the command and its input, and one
   * caused the first time is answered from its record (see `causedKey`).
   */
  readonly run: (
    event: TEvent,
    commit: CausingCommit,
    context: QueryContext,
  ) => readonly ReactionEffect[] | Promise<readonly ReactionEffect[]>;
}

/** Declares a reaction: `reaction({ name, on: tags, events: ['TagDeleted'], run: (event) => [cause(…)] })`. */
export const reaction = <TEvent extends DomainEvent, K extends TEvent['type']>(
  options: Omit<Reaction<TEvent>, 'kind' | 'events' | 'run'> & {
    readonly events: readonly K[];
    readonly run: (
      event: Extract<TEvent, { type: K }>,
      commit: CausingCommit,
      context: QueryContext,
    ) => readonly ReactionEffect[] | Promise<readonly ReactionEffect[]>;
  },
): Reaction<TEvent> => ({ ...options, kind: 'reaction' }) as unknown as Reaction<TEvent>;

/** A reaction's function (and dead letters' name): `<name>Reaction`. */
export const reactionFunctionName = (reaction: Pick<Reaction, 'name'>) => `${reaction.name}Reaction`;

/**
 * What is wrong with a reaction's `causes` for an app: each must be one of the app's commands (under
 * any name), so what a reaction's function runs is declared, routed and allowed like the rest.
 */
export const undeclaredCauses = (
  reaction: Pick<Reaction, 'name' | 'causes'>,
  commands: Readonly<Record<string, unknown>>,
) => {
  const declared = new Set(Object.values(commands));
  return Object.entries(reaction.causes ?? {})
    .filter(([, command]) => !declared.has(command))
    .map(([name]) => `reaction ${reaction.name} causes ${name}, which is not one of the app's commands`);
};

/** What a caused commit records as its cause (`causationId`): the reaction and the commit that caused it. */
export const causationIdOf = (reactionName: string, streamId: string, version: number) =>
  `${reactionName}:${streamId}:${version}`;

/** The cause a `causationId` names, or undefined if it is not a reaction's. */
export const causeOf = (
  causationId: string | undefined,
): { reaction: string; streamId: string; version: number } | undefined => {
  const match = causationId === undefined ? null : /^([A-Za-z][A-Za-z0-9_-]*):(.+):([0-9]+)$/.exec(causationId);
  return match ? { reaction: match[1]!, streamId: match[2]!, version: Number(match[3]) } : undefined;
};

// ── the short form: one row a reaction ──
type Out<S> = S extends z.core.$ZodType ? z.output<S> : unknown;
// biome-ignore lint/suspicious/noExplicitAny: existential: any command of the app; only its route's schemas matter here
type AnyCommand = Command<any, any, any, any>;

/** The fields a caused command takes: its route's path parameters and its body's fields, in one object. */
// biome-ignore lint/suspicious/noExplicitAny: matches a command of any state, event and payload to infer its schemas
export type CommandFields<C> = C extends Command<any, any, infer S, any> ? Out<S['params']> & Out<S['body']> : never;

/** What one event causes, decided by a pure function: the event, its commit and what the reaction read. */
export type Decide<TEvent, TRead, TOut> = (event: TEvent, commit: CausingCommit, read: TRead) => TOut;

/** A caused command's fields as params (its route's path parameters, `{orderId}`) and body (the rest). */
const splitFields = (command: AnyCommand, fields: object): Pick<CausedCommand, 'params' | 'body'> => {
  const entries = Object.entries(fields);
  const inPath = ([field]: [string, unknown]) => command.route.path.includes(`{${field}}`);
  return {
    params: Object.fromEntries(entries.filter(inPath)),
    body: Object.fromEntries(entries.filter((entry) => !inPath(entry))),
  };
};

/** The fields of an event's data that hold a string (an id to read a view by). */
type StringField<D> = { [K in keyof D]-?: D[K] extends string ? K : never }[keyof D] & string;

/** A reaction as declared in the short form, before its name (its key in `reactionsOf`'s object) is known. */
export interface ReactionRow {
  readonly declare: (name: string) => Reaction;
}

/** `on(aggregate, ...events)` once the events are named: what it reads, then what it causes or publishes. */
export interface ReactionOn<C extends Readonly<Record<string, AnyCommand>>, TEvent, TRead> {
  /**
   * Causes the app's command `command` once for each fields object `decide` returns (path parameters
   * and body fields in one object, typed from the command's route), as the causing commit's user.
   */
  cause<N extends keyof C & string>(
    command: N,
    decide: Decide<TEvent, TRead, readonly CommandFields<C[N]>[]>,
  ): ReactionRow;
  /** Publishes the public shape `decide` returns as the integration event `type` (docs/integration-events.md). */
  publish(type: string, decide: Decide<TEvent, TRead, object>): ReactionRow;
}

/** As `ReactionOn`, before anything is read: `readsTotals` / `readsView` hand the decision what it needs. */
export interface ReactionFrom<C extends Readonly<Record<string, AnyCommand>>, TEvent extends DomainEvent>
  extends ReactionOn<C, TEvent, undefined> {
  /** Reads a counter view's totals under the key the event's `field` holds (`productId`): its role gets that view. */
  readsTotals<F extends StringField<TEvent['data']>>(
    // biome-ignore lint/suspicious/noExplicitAny: existential: any source and event type (unknown breaks variance)
    view: CounterView<any, any>,
    field: F,
  ): ReactionOn<C, TEvent, OwnRecord<number>>;
  /** Reads one stream view's item (null if none) by the id the event's `field` holds: its role gets that view. */
  readsView<TView extends object, F extends StringField<TEvent['data']>>(
    // biome-ignore lint/suspicious/noExplicitAny: reads a view fed by any event type; only its item type matters here
    view: StreamView<TView, any>,
    field: F,
  ): ReactionOn<C, TEvent, (TView & { readonly version: number }) | null>;
}

/** Where a short-form reaction follows events: `on(tags, 'TagDeleted')`, event names checked against the aggregate. */
export type ReactionStart<C extends Readonly<Record<string, AnyCommand>>> = <
  TEvent extends DomainEvent,
  K extends TEvent['type'],
>(
  // biome-ignore lint/suspicious/noExplicitAny: existential: any state type (unknown breaks variance)
  aggregate: Aggregate<any, TEvent>,
  ...events: [K, ...K[]]
) => ReactionFrom<C, Extract<TEvent, { type: K }>>;

type ReadOf = (event: DomainEvent, context: QueryContext) => Promise<unknown>;

const fieldOf = (event: DomainEvent, field: string) => String((event.data as Record<string, unknown>)[field]);

/**
 * Declares an app's reactions, one row each, named by their keys (which name their functions, checkpoints
 * and caused keys: never rename one):
 *
 * ```ts
 * export const reactions = reactionsOf(orderCommands, (on) => ({
 *   dropWithdrawnProduct: on(products, 'ProductWithdrawn').readsTotals(openLinesView, 'productId').cause('removeLine', order.linesOf),
 *   publishOrderShipped: on(orders, 'OrderShipped').publish('OrderShipped', order.orderShippedV1),
 * }));
 * ```
 *
 * Event names come from the aggregate's event union, the decision's event type from them, and a caused
 * command's name and fields from `commands`: a wrong one fails to compile. The decision is a pure function
 * (in domain/); the kit reads, runs and keys the rest as for `reaction({ … })`, the long form.
 */
export const reactionsOf = <C extends Readonly<Record<string, AnyCommand>>>(
  commands: C,
  rows: (on: ReactionStart<C>) => Readonly<Record<string, ReactionRow>>,
): Reaction[] => {
  const declared = (
    aggregate: Aggregate,
    events: readonly string[],
    read?: { access: ReadAccess; of: ReadOf },
  ): ReactionOn<C, DomainEvent, unknown> => {
    const row =
      (
        effects: (event: DomainEvent, commit: CausingCommit, read: unknown) => readonly ReactionEffect[],
        causes?: Reaction['causes'],
      ) =>
      (name: string): Reaction => ({
        kind: 'reaction',
        name,
        on: aggregate,
        events,
        reads: read && [read.access],
        ...(causes ? { causes } : {}),
        run: async (event, commit, context) => effects(event, commit, await read?.of(event, context)),
      });
    return {
      cause: (command, decide) => {
        const caused = commands[command];
        if (!caused) throw new Error(`No command ${command} to cause`);
        return {
          declare: row((...a) => decide(...a).map((fields) => cause(command, splitFields(caused, fields))), {
            [command]: caused,
          }),
        };
      },
      publish: (type, decide) => ({ declare: row((...a) => [publish(type, { ...decide(...a) })]) }),
    };
  };
  const on = (aggregate: Aggregate, ...events: string[]) => {
    const reading = (of: 'totals' | 'view') => (view: View, field: string) =>
      declared(aggregate, events, {
        access: { kind: 'viewItem', view },
        of: (event, context) => context[of](view as never, fieldOf(event, field)),
      });
    return { ...declared(aggregate, events), readsTotals: reading('totals'), readsView: reading('view') };
  };
  return Object.entries(rows(on as unknown as ReactionStart<C>)).map(([name, row]) => row.declare(name));
};
