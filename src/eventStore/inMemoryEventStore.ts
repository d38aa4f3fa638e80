import type { DomainEvent } from '../contracts';
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
  type ReadStreamOptions,
} from './eventStore';

/** Freezes a JSON value all the way down: stored commits are immutable, so reads can share them. */
const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
};

/**
 * What the store keeps of a commit: its events through JSON as in the DynamoDB store (one JSON
 * attribute), so the same values come back from both adapters, frozen all the way down.
 */
const stored = <TEvent extends DomainEvent>(commit: Commit<TEvent>): Commit =>
  deepFreeze({ ...commit, events: JSON.parse(JSON.stringify(commit.events)) as TEvent[], metadata: { ...commit.metadata } });

/** An event store in a Map: for unit tests and for users trying the kit. Same contract as DynamoDB. */
export class InMemoryEventStore implements EventStore {
  private readonly streams = new Map<string, Commit[]>();
  private readonly keys = new Map<string, KeyRecord>();

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
    return commits.slice(start, end) as Commit<TEvent>[];
  }

  async append<TEvent extends DomainEvent>(input: AppendInput<TEvent>): Promise<Commit<TEvent>> {
    const commit = commitFromInput(input);
    const commits = this.streams.get(input.streamId) ?? [];
    // The check and the push run with no await between them, so racing appends serialise here.
    // As on DynamoDB, a taken key wins over a lost race: the command already took effect.
    const key = input.key && this.keys.get(input.key.id);
    if (key && isLiveKey(key)) throw new KeyTakenError(key.id);
    if (commits.length !== input.expectedVersion) throw new ConcurrencyError(input.streamId, input.expectedVersion);
    if (input.key) this.keys.set(input.key.id, Object.freeze({ ...input.key, streamId: input.streamId, version: commit.version }));
    commits.push(stored(commit));
    this.streams.set(input.streamId, commits);
    return commit;
  }

  async appendMany<TEvent extends DomainEvent>(inputs: readonly AppendInput<TEvent>[]): Promise<Commit<TEvent>[]> {
    assertGroup(inputs);
    const commits = this.streams.get(inputs[0]!.streamId) ?? [];
    if (commits.length !== inputs[0]!.expectedVersion) throw new ConcurrencyError(inputs[0]!.streamId, inputs[0]!.expectedVersion);
    // No await from the check to the last push: the group lands whole, as one transaction would.
    const group = inputs.map((input) => commitFromInput(input));
    for (const commit of group) commits.push(stored(commit));
    this.streams.set(inputs[0]!.streamId, commits);
    return group;
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
