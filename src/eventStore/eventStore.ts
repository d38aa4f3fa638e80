import type { DomainEvent, Reducer } from '../contracts';
import type { MultiStreamAppendInput } from './multiStreamAppend';

/** Who and what caused a commit. Stored with it; never part of the domain's decisions. */
export interface CommitMetadata {
  readonly userId?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
}

/** All events one command produced, stored atomically as one item. */
export interface Commit<TEvent extends DomainEvent = DomainEvent> {
  readonly streamId: string;
  /** 1, 2, 3 … within the stream. */
  readonly version: number;
  readonly streamType: string;
  readonly commandId: string;
  /** ISO-8601 time the command ran. */
  readonly at: string;
  readonly events: readonly TEvent[];
  readonly metadata: CommitMetadata;
  /**
   * The stream's folded state after this commit, if the store kept one with it (see
   * `AppendInput.snapshot`). Only on commits read with `withSnapshots`.
   */
  readonly snapshot?: CommitSnapshot;
}

/** A stream's folded state at a commit, by a given version of its reducer. */
export interface CommitSnapshot<TState = unknown> {
  readonly reducerVersion: string;
  readonly state: TState;
}

export interface AppendInput<TEvent extends DomainEvent = DomainEvent> {
  readonly streamId: string;
  readonly streamType: string;
  /** The version the caller folded; 0 for a new stream. The append fails if the stream moved on. */
  readonly expectedVersion: number;
  readonly events: readonly TEvent[];
  readonly commandId: string;
  readonly at: string;
  readonly metadata?: CommitMetadata;
  /**
   * The command's Idempotency-Key: recorded in the same atomic write as the commit, so "this
   * key took effect" and the effect can never disagree. The append fails with `KeyTakenError`
   * if the key was already recorded (and has not expired).
   */
  readonly key?: CommandKey;
  /**
   * The stream's state after this commit. A store may keep it in the commit's own item, so that
   * a load reading the stream's tail finds its starting state in the same read (DynamoDB keeps
   * it while it is small; a larger state goes to the snapshot store only).
   */
  readonly snapshot?: CommitSnapshot;
}

/** What a store keeps of a keyed command, beside its commit. */
export interface CommandKey {
  /** One id per (caller, command, Idempotency-Key). */
  readonly id: string;
  /** The request the key was first sent with (a hash of its JSON): a retry must match it. */
  readonly fingerprint: string;
  /** What the command answered besides its version (JSON text), given back to every retry. */
  readonly result: string;
  /** Epoch seconds after which the key may be forgotten (and is, by the table's TTL). */
  readonly expiresAt: number;
}

/** A recorded key: where its commit went. */
export interface KeyRecord extends CommandKey {
  readonly streamId: string;
  readonly version: number;
}

export interface ReadStreamOptions {
  /** First version to return (inclusive). Default 1. */
  readonly fromVersion?: number;
  /** Last version to return (inclusive). Default: the end of the stream. */
  readonly toVersion?: number;
  /** Only the last `last` commits of the range (still in ascending order): one short read of a long stream's tail. */
  readonly last?: number;
  /** Also give back the snapshots kept with the commits (`Commit.snapshot`): only loads want them. */
  readonly withSnapshots?: boolean;
}

/** A stream's state after its last commit, and that commit's version (0 for an empty stream). */
export interface FoldedStream<TState> {
  readonly state: TState;
  readonly version: number;
}

/** The event store port. Adapters: DynamoDB (`DynamoDbEventStore`) and in-memory (`InMemoryEventStore`). */
export interface EventStore {
  /** Commits of a stream in version order; an unknown stream is empty. */
  readStream<TEvent extends DomainEvent = DomainEvent>(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<Commit<TEvent>[]>;
  /**
   * Optional: a whole stream folded inside the store, with the version of its last commit — what
   * `readStream` and a fold over its commits' events would give, without building the commits.
   * The in-memory store keeps each stream's events in one array too, so a load walks one array
   * instead of a commit, its event array and the event for each commit. A store without it has
   * the pipeline read the stream and fold its commits.
   */
  foldStream?<TState, TEvent extends DomainEvent = DomainEvent>(
    streamId: string,
    reducer: Reducer<TState, TEvent>,
    state: TState,
  ): Promise<FoldedStream<TState>>;
  /** Appends one commit at `expectedVersion + 1`; throws `ConcurrencyError` if that version exists. */
  append<TEvent extends DomainEvent>(input: AppendInput<TEvent>): Promise<Commit<TEvent>>;
  /**
   * Optional group commit: consecutive commits of one stream (each `expectedVersion` the one
   * before's version; no keys), all written or none — `ConcurrencyError` if any slot is taken.
   * A store without it has the pipeline append one commit at a time.
   */
  appendMany?<TEvent extends DomainEvent>(inputs: readonly AppendInput<TEvent>[]): Promise<Commit<TEvent>[]>;
  /**
   * A command across several streams: every commit, every read stream's check and the key in one
   * atomic write — `ConcurrencyError` (naming the stream) if any stream moved on, `KeyTakenError`
   * if the key is recorded; nothing is written then. See `MultiStreamAppendInput`.
   */
  appendStreams?<TEvent extends DomainEvent>(input: MultiStreamAppendInput<TEvent>): Promise<Commit<TEvent>[]>;
  /** The record of a command key appended with a commit, unless unknown or expired. Strongly consistent. */
  readKey(id: string): Promise<KeyRecord | undefined>;
}

/** The stream already has a commit at the version an append wanted: someone else wrote first. */
export class ConcurrencyError extends Error {
  readonly isConcurrencyError = true;
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
  ) {
    super(`Stream ${streamId} is past version ${expectedVersion}`);
    this.name = 'ConcurrencyError';
  }
}

/** An append carried a command key that is already recorded: the command took effect before. */
export class KeyTakenError extends Error {
  readonly isKeyTakenError = true;
  constructor(readonly keyId: string) {
    super(`Command key ${keyId} is already recorded`);
    this.name = 'KeyTakenError';
  }
}

export const isKeyTakenError = (error: unknown): error is KeyTakenError =>
  typeof error === 'object' && error !== null && (error as { isKeyTakenError?: unknown }).isKeyTakenError === true;

/** Whether a key record still counts at `nowSeconds` (a TTL deletes expired items only eventually). */
export const isLiveKey = (record: { readonly expiresAt: number }, nowSeconds: number = Date.now() / 1000): boolean =>
  record.expiresAt > nowSeconds;

export const isConcurrencyError = (error: unknown): error is ConcurrencyError =>
  typeof error === 'object' &&
  error !== null &&
  (error as { isConcurrencyError?: unknown }).isConcurrencyError === true;

/** What `appendMany` accepts: one or more consecutive unkeyed commits of one stream. */
export const assertGroup = (inputs: readonly AppendInput[]): void => {
  if (inputs.length === 0) throw new RangeError('appendMany needs at least one commit');
  inputs.forEach((input, i) => {
    if (input.key) throw new RangeError('appendMany takes no keyed commit: append it alone');
    const first = inputs[0]!;
    if (i > 0 && (input.streamId !== first.streamId || input.expectedVersion !== first.expectedVersion + i)) {
      throw new RangeError('appendMany takes consecutive commits of one stream');
    }
  });
};

/**
 * Metadata is text or absent: both stores keep each field as a string (DynamoDB as an `S`
 * attribute), so anything else, which a caller outside TypeScript can pass, is refused before
 * any write instead of being kept by one store and mangled or refused by the other.
 */
const assertTextMetadata = (metadata: CommitMetadata | undefined): void => {
  if (metadata === undefined) return;
  for (const field of ['userId', 'correlationId', 'causationId'] as const) {
    const value: unknown = metadata[field];
    if (value !== undefined && typeof value !== 'string')
      throw new TypeError(`metadata.${field} must be a string, got ${value === null ? 'null' : typeof value}`);
  }
};

/**
 * A commit's metadata as the stores keep it: only the fields that are set, always in this order
 * (DynamoDB's store reads its attributes back so; the in-memory one keeps the same shape).
 */
export const metadataOf = (
  userId: string | undefined,
  correlationId: string | undefined,
  causationId: string | undefined,
): CommitMetadata => {
  const metadata: { userId?: string; correlationId?: string; causationId?: string } = {};
  if (userId !== undefined) metadata.userId = userId;
  if (correlationId !== undefined) metadata.correlationId = correlationId;
  if (causationId !== undefined) metadata.causationId = causationId;
  return metadata;
};

export const commitFromInput = <TEvent extends DomainEvent>(input: AppendInput<TEvent>): Commit<TEvent> => {
  if (!Number.isInteger(input.expectedVersion) || input.expectedVersion < 0) {
    throw new RangeError(`expectedVersion must be a non-negative integer, got ${input.expectedVersion}`);
  }
  if (input.events.length === 0) throw new RangeError('A commit holds at least one event');
  assertTextMetadata(input.metadata);
  return {
    streamId: input.streamId,
    version: input.expectedVersion + 1,
    streamType: input.streamType,
    commandId: input.commandId,
    at: input.at,
    events: input.events,
    metadata: input.metadata ?? {},
  };
};
