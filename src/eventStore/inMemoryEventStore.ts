import type { DomainEvent } from '../contracts';
import {
  ConcurrencyError,
  commitFromInput,
  type AppendInput,
  type Commit,
  type EventStore,
  type ReadStreamOptions,
} from './eventStore';

/** An event store in a Map: for unit tests and for users trying the kit. Same contract as DynamoDB. */
export class InMemoryEventStore implements EventStore {
  private readonly streams = new Map<string, Commit[]>();

  async readStream<TEvent extends DomainEvent = DomainEvent>(
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<Commit<TEvent>[]> {
    const from = options.fromVersion ?? 1;
    const to = options.toVersion ?? Number.POSITIVE_INFINITY;
    const commits = this.streams.get(streamId) ?? [];
    // Commits are stored at index version - 1, so a range is a slice.
    const range = commits.slice(Math.max(from, 1) - 1, Math.min(to, commits.length));
    const tail = options.last === undefined ? range : range.slice(Math.max(0, range.length - options.last));
    return structuredClone(tail) as Commit<TEvent>[];
  }

  async append<TEvent extends DomainEvent>(input: AppendInput<TEvent>): Promise<Commit<TEvent>> {
    const commit = commitFromInput(input);
    const commits = this.streams.get(input.streamId) ?? [];
    // The check and the push run with no await between them, so racing appends serialise here.
    if (commits.length !== input.expectedVersion) throw new ConcurrencyError(input.streamId, input.expectedVersion);
    commits.push(structuredClone(commit) as Commit);
    this.streams.set(input.streamId, commits);
    return commit;
  }

  /** Every commit of every stream, for tests and rebuilds. */
  allCommits(): Commit[] {
    return [...this.streams.values()].flat();
  }
}
