/**
 * Reactions: "when this happens, do that". A reaction is declared like a view — an aggregate and
 * the event types it follows — with a function from one event (and, where it needs them, the views
 * it reads) to what the event causes: commands of the app, run as the causing commit's user, and
 * integration events, the public shape told to the outside world. The kit runs it from the events
 * table's stream (its own function, role, dead letters) and makes each effect happen once: a caused
 * command carries an Idempotency-Key derived from the reaction and the causing commit.
 */
import type { DomainEvent } from '../contracts';
import type { Aggregate, QueryContext, ReadAccess } from '../app/definition';

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
