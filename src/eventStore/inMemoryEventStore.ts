import type { DomainEvent, Reducer } from '../contracts';
import {
  ConcurrencyError,
  KeyTakenError,
  assertGroup,
  commitFromInput,
  isLiveKey,
  type KeyRecord,
  type AppendInput,
  type Commit,
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
 * Date or another object with `toJSON`, a class instance, an array hole, a `__proto__` key)
 * throws NOT_PLAIN, and the caller copies through JSON instead.
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
        // `in`: a toJSON of its own (listed or not) changes what JSON writes too.
        if (Object.getPrototypeOf(value) !== Array.prototype || 'toJSON' in value) throw NOT_PLAIN;
        const copy = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i += 1) {
          if (!(i in value)) throw NOT_PLAIN;
          copy[i] = frozenPlainCopy(value[i]);
        }
        return Object.freeze(copy);
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if ((proto !== Object.prototype && proto !== null) || 'toJSON' in value) throw NOT_PLAIN;
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        if (key === '__proto__') throw NOT_PLAIN;
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
    if (error !== NOT_PLAIN) throw error;
    return deepFreeze(JSON.parse(JSON.stringify(events)) as TEvent[]);
  }
};

/**
 * What the store keeps of a commit: its events as the DynamoDB store gives them back, frozen all
 * the way down. Written out field by field (not spread): the object keeps every field in itself,
 * and a fold reaches `events` without one more hop through a separate property store.
 */
const stored = <TEvent extends DomainEvent>(commit: Commit<TEvent>): Commit =>
  Object.freeze({
    streamId: commit.streamId,
    version: commit.version,
    streamType: commit.streamType,
    commandId: commit.commandId,
    at: commit.at,
    events: storedEvents(commit.events),
    metadata: Object.freeze({ ...commit.metadata }),
  });

/** A commit as the store will keep it, with its snapshot as JSON text: built whole before any write. */
interface Prepared {
  readonly commit: Commit;
  readonly snapshot?: { readonly reducerVersion: string; readonly json: string };
}

/**
 * The copies a write keeps, made before the write changes anything: JSON that cannot be written
 * (a BigInt, a cycle) throws here, and — as DynamoDB's store throws before it sends — nothing is written.
 */
const prepare = <TEvent extends DomainEvent>(commit: Commit<TEvent>, snapshot: AppendInput['snapshot']): Prepared =>
  snapshot
    ? {
        commit: stored(commit),
        snapshot: { reducerVersion: snapshot.reducerVersion, json: JSON.stringify(snapshot.state) },
      }
    : { commit: stored(commit) };

/** An event store in a Map: for unit tests and for users trying the kit. Same contract as DynamoDB. */
export class InMemoryEventStore implements EventStore {
  private readonly streams = new Map<string, Commit[]>();
  /** Each stream's events, all its commits' in one array (the same frozen objects): what a fold walks. */
  private readonly events = new Map<string, DomainEvent[]>();
  private readonly keys = new Map<string, KeyRecord>();
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
        ? Object.freeze({
            ...commit,
            snapshot: { reducerVersion: kept.reducerVersion, state: JSON.parse(kept.json) as unknown },
          })
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
    const prepared = prepare(commit, input.snapshot);
    if (input.key)
      this.keys.set(input.key.id, Object.freeze({ ...input.key, streamId: input.streamId, version: commit.version }));
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
    const prepared = group.map((commit, i) => prepare(commit, inputs[i]!.snapshot));
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
    const prepared = commits.map((commit, i) => prepare(commit, input.commits[i]!.snapshot));
    if (input.key) {
      const at = input.keyAt ?? { streamId: commits[0]!.streamId, version: commits[0]!.version };
      this.keys.set(input.key.id, Object.freeze({ ...input.key, streamId: at.streamId, version: at.version }));
    }
    for (const one of prepared) {
      const stream = this.streams.get(one.commit.streamId) ?? [];
      this.keep(one, stream);
      this.streams.set(one.commit.streamId, stream);
    }
    return commits;
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
