import type { DomainEvent, Reducer } from '../contracts';
import {
  ConcurrencyError,
  KeyTakenError,
  assertGroup,
  commitFromInput,
  metadataOf,
  isLiveKey,
  type CommandKey,
  type KeyRecord,
  type AppendInput,
  type Commit,
  type CommitMetadata,
  type EventStore,
  type FoldedStream,
  type ReadStreamOptions,
} from './eventStore';
import { assertMultiStream, type MultiStreamAppendInput } from './multiStreamAppend';

/** Freezes a JSON value all the way down: stored commits are immutable, so reads can share them. */
const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
};

/** Something plain copying cannot give as JSON would: the copy falls back to JSON. */
const NOT_PLAIN = Symbol('not plain JSON');

/**
 * A frozen copy of a plain JSON value (strings, finite numbers, booleans, null, arrays and
 * plain objects of them), in one pass. Anything JSON would change (undefined, -0, NaN, a
 * Date or another object with `toJSON`, a class instance, an array hole, a key named as a
 * property of Object.prototype) throws NOT_PLAIN, and the caller copies through JSON instead.
 *
 * Objects are built up from `{}`, field by field, and arrays copied by `slice`. Not spread: on
 * Node 20 (V8 11) a spread copy's shape lies outside V8's shape tree, and freezing it makes a new
 * shape for every object, so each stored event and its `data` had a shape of its own (570 instead
 * of 324 bytes kept a command) and a reducer folding them read every field through V8's slowest
 * path: part 2's fold ran at half the rate. Node 22 and 24 (V8 12, 13) share those shapes; there
 * spreading keeps 35 bytes a command less at the same rate, not worth a second path. The same
 * holds for every frozen record the store keeps (`keyRecord`, a commit read with its snapshot).
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one switch over the JSON value kinds the store refuses or copies
const frozenPlainCopy = (value: unknown): unknown => {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value) || Object.is(value, -0)) throw NOT_PLAIN;
      return value;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        // `in`: a toJSON of its own (listed or not) changes what JSON writes too. A constructor of
        // its own would make `slice` build the copy with it (its "species"), not as an Array.
        if (
          Object.getPrototypeOf(value) !== Array.prototype ||
          'toJSON' in value ||
          Object.hasOwn(value, 'constructor')
        )
          throw NOT_PLAIN;
        // Array.prototype's own slice: the array may have a `slice` of its own (data to JSON).
        const copy = Array.prototype.slice.call(value) as unknown[];
        for (let i = 0; i < copy.length; i += 1) {
          if (!(i in copy)) throw NOT_PLAIN;
          const item = copy[i];
          const kept = frozenPlainCopy(item);
          if (kept !== item) copy[i] = kept;
        }
        return Object.freeze(copy);
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if ((proto !== Object.prototype && proto !== null) || 'toJSON' in value) throw NOT_PLAIN;
      // Symbol keys: `Object.keys` leaves them out, as JSON does.
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        // A name Object.prototype has (`__proto__`, a setter someone added, a field frozen with it):
        // assigning it would not make a field of the copy's own, as JSON.parse does.
        if (key in Object.prototype) throw NOT_PLAIN;
        const item = (value as Record<string, unknown>)[key];
        if (item === undefined) throw NOT_PLAIN;
        copy[key] = frozenPlainCopy(item);
      }
      return Object.freeze(copy);
    }
    default:
      throw NOT_PLAIN;
  }
};

/**
 * The events as the DynamoDB store gives them back (it stores them as one JSON attribute),
 * deeply frozen, and no longer shared with the caller: changing what was appended afterwards
 * cannot change the store.
 */
const storedEvents = <TEvent>(events: readonly TEvent[]): readonly TEvent[] => {
  try {
    return frozenPlainCopy(events) as readonly TEvent[];
  } catch (error) {
    // A value that refers to itself overflows the copy's recursion (a RangeError): JSON then
    // refuses it as the DynamoDB store does, with a TypeError.
    if (error !== NOT_PLAIN && !(error instanceof RangeError)) throw error;
    return deepFreeze(JSON.parse(JSON.stringify(events)) as TEvent[]);
  }
};

/**
 * A recorded Idempotency-Key, frozen, with the fields the DynamoDB store gives back in its order
 * (nothing else the caller's key carried); written out field by field (see `frozenPlainCopy` on shapes).
 */
const keyRecord = (key: CommandKey, streamId: string, version: number): KeyRecord =>
  Object.freeze({
    id: key.id,
    fingerprint: key.fingerprint,
    result: key.result,
    streamId,
    version,
    expiresAt: key.expiresAt,
  });

/** The metadata of a commit given none (or an empty one): one frozen object for them all. */
const NO_METADATA: CommitMetadata = Object.freeze({});

/**
 * A commit's metadata as the DynamoDB store gives it back: only the fields it keeps that are set,
 * in its order. When they are the ones the stream's previous commit kept, that frozen object.
 */
const storedMetadata = (given: CommitMetadata, previous: CommitMetadata | undefined): CommitMetadata => {
  const { userId, correlationId, causationId } = given;
  if (
    previous &&
    previous.userId === userId &&
    previous.correlationId === correlationId &&
    previous.causationId === causationId
  )
    return previous;
  if (userId === undefined && correlationId === undefined && causationId === undefined) return NO_METADATA;
  return Object.freeze(metadataOf(userId, correlationId, causationId));
};

/**
 * What the store keeps of a commit: its events as the DynamoDB store gives them back, frozen all
 * the way down. Written out field by field (not spread): the object keeps every field in itself,
 * and a fold reaches `events` without one more hop through a separate property store.
 *
 * Fields equal to ones already kept are kept once (`Shared`): the stream's id as first stored, the
 * previous commit's metadata when this one's is the same, the last commit's time when it is the
 * same millisecond. Equal strings and frozen objects are indistinguishable to a reader, and a
 * store holding many commits keeps a third less per commit (docs/performance.md, "What the
 * in-memory store keeps").
 */
const stored = <TEvent extends DomainEvent>(commit: Commit<TEvent>, shared: Shared): Commit =>
  Object.freeze({
    streamId: shared.streamId,
    version: commit.version,
    streamType: commit.streamType,
    commandId: commit.commandId,
    at: shared.at === commit.at ? shared.at : commit.at,
    events: storedEvents(commit.events),
    metadata: storedMetadata(commit.metadata, shared.metadata),
  });

/** What a new commit may share with those already kept: its stream's id and last metadata, the store's last time. */
interface Shared {
  readonly streamId: string;
  readonly metadata: CommitMetadata | undefined;
  readonly at: string | undefined;
}

/** A commit as the store will keep it, with its snapshot as JSON text: built whole before any write. */
interface Prepared {
  readonly commit: Commit;
  readonly snapshot?: { readonly reducerVersion: string; readonly json: string };
}

/**
 * The copies a write keeps, made before the write changes anything: JSON that cannot be written
 * (a BigInt, a cycle) throws here, and — as DynamoDB's store throws before it sends — nothing is written.
 */
const prepareCommit = <TEvent extends DomainEvent>(
  commit: Commit<TEvent>,
  snapshot: AppendInput['snapshot'],
  shared: Shared,
): Prepared =>
  snapshot
    ? {
        commit: stored(commit, shared),
        snapshot: { reducerVersion: snapshot.reducerVersion, json: JSON.stringify(snapshot.state) },
      }
    : { commit: stored(commit, shared) };

/** An event store in a Map: for unit tests and for users trying the kit. Same contract as DynamoDB. */
export class InMemoryEventStore implements EventStore {
  private readonly streams = new Map<string, Commit[]>();
  /** Each stream's events, all its commits' in one array (the same frozen objects): what a fold walks. */
  private readonly events = new Map<string, DomainEvent[]>();
  private readonly keys = new Map<string, KeyRecord>();
  /** The time of the last commit prepared: the next one, often in the same millisecond, shares the string. */
  private lastAt: string | undefined;
  /** The snapshots kept with commits (JSON text, so each read gets its own state, as from DynamoDB). */
  private readonly snapshots = new WeakMap<Commit, { readonly reducerVersion: string; readonly json: string }>();

  async readStream<TEvent extends DomainEvent = DomainEvent>(
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<Commit<TEvent>[]> {
    const from = options.fromVersion ?? 1;
    const to = options.toVersion ?? Number.POSITIVE_INFINITY;
    const commits = this.streams.get(streamId) ?? [];
    // Commits are stored at index version - 1, so a range is a slice.
    let start = Math.max(from, 1) - 1;
    const end = Math.min(to, commits.length);
    if (options.last !== undefined) start = Math.max(start, end - options.last);
    // Stored commits are deeply frozen: callers share them, and none can change the store through them.
    const read = commits.slice(start, end) as Commit<TEvent>[];
    if (!options.withSnapshots) return read;
    return read.map((commit) => {
      const kept = this.snapshots.get(commit);
      return kept
        ? Object.freeze(
            Object.assign({}, commit, {
              snapshot: { reducerVersion: kept.reducerVersion, state: JSON.parse(kept.json) as unknown },
            }),
          )
        : commit;
    });
  }

  async foldStream<TState, TEvent extends DomainEvent = DomainEvent>(
    streamId: string,
    reducer: Reducer<TState, TEvent>,
    state: TState,
  ): Promise<FoldedStream<TState>> {
    const events = (this.events.get(streamId) ?? []) as readonly unknown[] as readonly TEvent[];
    for (let i = 0; i < events.length; i += 1) state = reducer(state, events[i]!);
    return { state, version: this.streams.get(streamId)?.length ?? 0 };
  }

  async append<TEvent extends DomainEvent>(input: AppendInput<TEvent>): Promise<Commit<TEvent>> {
    const commit = commitFromInput(input);
    const commits = this.streams.get(input.streamId) ?? [];
    // The check and the push run with no await between them, so racing appends serialise here.
    // As on DynamoDB, a taken key wins over a lost race: the command already took effect.
    const key = input.key && this.keys.get(input.key.id);
    if (key && isLiveKey(key)) throw new KeyTakenError(key.id);
    if (commits.length !== input.expectedVersion) throw new ConcurrencyError(input.streamId, input.expectedVersion);
    const prepared = this.prepare(commit, input.snapshot, commits.at(-1));
    if (input.key) this.keys.set(input.key.id, keyRecord(input.key, input.streamId, commit.version));
    this.keep(prepared, commits);
    this.streams.set(input.streamId, commits);
    return commit;
  }

  async appendMany<TEvent extends DomainEvent>(inputs: readonly AppendInput<TEvent>[]): Promise<Commit<TEvent>[]> {
    assertGroup(inputs);
    const commits = this.streams.get(inputs[0]!.streamId) ?? [];
    if (commits.length !== inputs[0]!.expectedVersion)
      throw new ConcurrencyError(inputs[0]!.streamId, inputs[0]!.expectedVersion);
    // No await from the check to the last push: the group lands whole, as one transaction would.
    const group = inputs.map((input) => commitFromInput(input));
    let before = commits.at(-1);
    const prepared = group.map((commit, i) => {
      const one = this.prepare(commit, inputs[i]!.snapshot, before);
      before = one.commit;
      return one;
    });
    for (const one of prepared) this.keep(one, commits);
    this.streams.set(inputs[0]!.streamId, commits);
    return group;
  }

  async appendStreams<TEvent extends DomainEvent>(input: MultiStreamAppendInput<TEvent>): Promise<Commit<TEvent>[]> {
    assertMultiStream(input);
    const commits = input.commits.map((append) => commitFromInput(append));
    // Every check before any write, with no await between: the whole write lands or none of it.
    const key = input.key && this.keys.get(input.key.id);
    if (key && isLiveKey(key)) throw new KeyTakenError(key.id);
    for (const append of input.commits) {
      const length = this.streams.get(append.streamId)?.length ?? 0;
      if (length !== append.expectedVersion) throw new ConcurrencyError(append.streamId, append.expectedVersion);
    }
    for (const check of input.checks ?? []) {
      const length = this.streams.get(check.streamId)?.length ?? 0;
      if (length !== check.version) throw new ConcurrencyError(check.streamId, check.version);
    }
    const prepared = commits.map((commit, i) =>
      this.prepare(commit, input.commits[i]!.snapshot, this.streams.get(commit.streamId)?.at(-1)),
    );
    if (input.key) {
      const at = input.keyAt ?? { streamId: commits[0]!.streamId, version: commits[0]!.version };
      this.keys.set(input.key.id, keyRecord(input.key, at.streamId, at.version));
    }
    for (const one of prepared) {
      const stream = this.streams.get(one.commit.streamId) ?? [];
      this.keep(one, stream);
      this.streams.set(one.commit.streamId, stream);
    }
    return commits;
  }

  /** A commit prepared to follow `before` in its stream (see `stored`: what it shares with those kept). */
  private prepare<TEvent extends DomainEvent>(
    commit: Commit<TEvent>,
    snapshot: AppendInput['snapshot'],
    before: Commit | undefined,
  ): Prepared {
    const prepared = prepareCommit(commit, snapshot, {
      streamId: before?.streamId ?? commit.streamId,
      metadata: before?.metadata,
      at: this.lastAt,
    });
    this.lastAt = prepared.commit.at;
    return prepared;
  }

  /** Adds a prepared commit to its stream, with the snapshot taken at it, if any: nothing here can throw. */
  private keep({ commit, snapshot }: Prepared, commits: Commit[]): void {
    commits.push(commit);
    const events = this.events.get(commit.streamId) ?? [];
    for (const event of commit.events) events.push(event);
    this.events.set(commit.streamId, events);
    if (snapshot) this.snapshots.set(commit, snapshot);
  }

  async readKey(id: string): Promise<KeyRecord | undefined> {
    const key = this.keys.get(id);
    return key && isLiveKey(key) ? key : undefined;
  }

  /** Every commit of every stream (frozen), for tests and rebuilds. */
  allCommits(): Commit[] {
    return [...this.streams.values()].flat();
  }
}
