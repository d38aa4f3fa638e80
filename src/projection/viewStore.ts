/**
 * The one exactly-once loop of every projection, behind a small port: a view store reads a
 * stream's checkpoint (last applied version and what the view folded so far) and writes the
 * next one only on top of the version it read. Adapters: one item per stream and totals
 * across streams, each on DynamoDB and in memory — so a projection can be specified like a
 * decider (given commits, expect the view) in unit tests, and the same spec run on DynamoDB.
 */
import type { CommitInfo, DomainEvent } from '../contracts';
import type { EventStore } from '../eventStore';
import { ownRecord, type OwnRecord } from '../records';
import { commitsAfter, type ApplyOutcome, type CommitProjection } from './commitProjection';

/** What a counter view's `contributions` gives for one source: total key → counter → amount. */
export type Contributions = OwnRecord<OwnRecord<number>>;

/**
 * The (total key, counter, amount) of a source's contributions, own keys only, each amount a
 * finite number. Anything else (NaN, a string, `undefined`) is a bug in the domain's
 * `contributions`: it throws, so the record fails and is filed as a dead letter, instead of
 * writing a total nothing can add to again.
 */
export const contributionsOf = (contributions: Contributions): [key: string, counter: string, amount: number][] =>
  Object.entries(contributions).flatMap(([key, contribution]) =>
    Object.entries(contribution).map(([counter, amount]): [string, string, number] => {
      if (typeof amount !== 'number' || !Number.isFinite(amount)) {
        throw new Error(
          `A view's contributions gave ${key} ${counter} = ${String(amount)}: amounts are finite numbers`,
        );
      }
      return [key, counter, amount];
    }),
  );

/** Where a stream's view stands. */
export interface ViewCheckpoint<S> {
  /** The last commit applied (0: none). */
  readonly version: number;
  /** What the view folded from the stream so far (null: nothing, or deleted). */
  readonly state: S | null;
  /** What the store read, handed back to its `write` (opaque to the loop). */
  readonly token?: unknown;
  /**
   * The stored view cannot be trusted (a writer died half-way): fold the stream again from its
   * first commit, at least up to this version (`version` is then 0 and `state` null).
   */
  readonly refoldTo?: number;
}

export interface ViewChange<S> {
  /** The version the change was folded on top of: the write must find the stream still there. */
  readonly seen: number;
  readonly before: S | null;
  readonly after: S | null;
  /** The last commit folded in. */
  readonly version: number;
  readonly at: string;
  /** The checkpoint's `token`, back to the store that read it. */
  readonly token?: unknown;
}

/** A view's storage, per source stream. */
export interface ViewStore<S> {
  read(streamId: string): Promise<ViewCheckpoint<S>>;
  /** Writes `change` atomically; throws `ViewConflictError` if the stream moved past `seen` meanwhile. */
  write(streamId: string, change: ViewChange<S>): Promise<void>;
}

/**
 * Our write lost a race and had no effect: another writer applied commits of the stream between
 * our read and our write (`moved`), or DynamoDB cancelled our transaction because another one was
 * in flight on an item it touches (`transaction`: a counter view's totals). Either way the fold
 * starts again from a fresh read.
 */
export class ViewConflictError extends Error {
  constructor(
    readonly streamId: string,
    readonly seen: number,
    readonly race: 'moved' | 'transaction' = 'moved',
  ) {
    super(
      race === 'moved'
        ? `The view of ${streamId} moved past version ${seen}`
        : `The view of ${streamId} met another transaction at version ${seen}`,
    );
    this.name = 'ViewConflictError';
  }
}

/** Folds a run of commits into a view, one event at a time. */
export const foldCommits = <TView, TEvent extends DomainEvent>(
  view: TView | null,
  commits: readonly {
    readonly events: readonly DomainEvent[];
    readonly streamId: string;
    readonly version: number;
    readonly at: string;
  }[],
  evolve: (view: TView | null, event: TEvent, commit: CommitInfo) => TView | null,
): TView | null =>
  commits.reduce(
    (acc, commit) => commit.events.reduce((inner, event) => evolve(inner, event as TEvent, commit), acc),
    view,
  );

export interface ExactlyOnceOptions<S, TEvent extends DomainEvent> {
  readonly name: string;
  readonly streamType: string;
  /** Read to heal gaps. */
  readonly store: EventStore;
  readonly views: ViewStore<S>;
  /** state + event → state; pure, from the domain. */
  readonly evolve: (state: S | null, event: TEvent, commit: CommitInfo) => S | null;
  /** Attempts when another writer moved the view between our read and our write. Default 20. */
  readonly maxAttempts?: number;
}

/** Full jitter, 5 ms doubling up to 200 ms: racers that lost spread out instead of colliding again. */
const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));

/**
 * Exactly-once effect under what Lambda really does — a batch redelivered, a retry after a
 * partial failure, a commit arriving before an earlier one of its stream: duplicates are
 * skipped by version, gaps healed from the event store, and the write is conditional on the
 * checkpoint it started from, so two invocations can never both apply the same commit.
 *
 * At a ParallelizationFactor above 1 Lambda keeps order per item only (each commit is an
 * item), so invocations holding commits of one stream race: a loser had no effect, reads
 * again (finding its commits applied, or healing up to them) after a jittered pause. Each lost
 * race is another writer's progress, so losing is bounded; ten lanes on one hot stream can make
 * one lose several times in a row, hence 20 attempts before the batch fails and Lambda retries.
 */
export const exactlyOnceProjection = <S, TEvent extends DomainEvent>(
  options: ExactlyOnceOptions<S, TEvent>,
): CommitProjection => ({
  name: options.name,
  streamType: options.streamType,
  async applyCommits(streamId, incoming): Promise<ApplyOutcome> {
    const maxAttempts = options.maxAttempts ?? 20;
    for (let attempt = 1; ; attempt += 1) {
      const checkpoint = await options.views.read(streamId);
      const read = (from: number, to: number) =>
        options.store.readStream(streamId, { fromVersion: from, toVersion: to });
      // A refold must reach at least the version the view had claimed, whatever arrived.
      const floor = checkpoint.refoldTo ?? 0;
      const arriving =
        floor === 0 || incoming.some((c) => c.version >= floor)
          ? incoming
          : [...incoming, ...(await read(floor, floor))];
      const { commits, duplicates, healed } = await commitsAfter(checkpoint.version, arriving, read);
      const last = commits.at(-1);
      if (!last) return { applied: 0, duplicates, healed };
      const after = foldCommits(checkpoint.state, commits, options.evolve);
      try {
        await options.views.write(streamId, {
          seen: checkpoint.version,
          before: checkpoint.state,
          after,
          version: last.version,
          at: last.at,
          token: checkpoint.token,
        });
        return { applied: commits.length, duplicates, healed };
      } catch (error) {
        if (!(error instanceof ViewConflictError) || attempt >= maxAttempts) throw error;
        await backoff(attempt);
      }
    }
  },
});

// ── in memory ──
/** A stream view in memory: one item per stream, as `streamViewStore` keeps it on DynamoDB. */
export const inMemoryStreamViewStore = <S>() => {
  const items = new Map<string, ViewCheckpoint<S> & { updatedAt: string }>();
  const store: ViewStore<S> & { updatedAt(streamId: string): string | undefined } = {
    read: async (streamId) => {
      const item = items.get(streamId);
      return item ? { version: item.version, state: structuredClone(item.state) } : { version: 0, state: null };
    },
    write: async (streamId, change) => {
      if ((items.get(streamId)?.version ?? 0) !== change.seen) throw new ViewConflictError(streamId, change.seen);
      items.set(streamId, { version: change.version, state: structuredClone(change.after), updatedAt: change.at });
    },
    updatedAt: (streamId) => items.get(streamId)?.updatedAt,
  };
  return store;
};

/** Totals across streams in memory, as `counterViewStore` keeps them on DynamoDB. */
export const inMemoryCounterViewStore = <S>(contributions: (source: S) => Contributions) => {
  const checkpoints = new Map<string, ViewCheckpoint<S>>();
  // Maps: a total key (an owner) or a counter (a tag id) is any string, `__proto__` included.
  const totals = new Map<string, Map<string, number>>();
  const add = (source: S | null, sign: 1 | -1) => {
    if (source === null) return;
    for (const [key, counter, amount] of contributionsOf(contributions(source))) {
      const total = totals.get(key) ?? new Map<string, number>();
      total.set(counter, (total.get(counter) ?? 0) + sign * amount);
      totals.set(key, total);
    }
  };
  const store: ViewStore<S> & { totals(key: string): OwnRecord<number> } = {
    read: async (streamId) => structuredClone(checkpoints.get(streamId) ?? { version: 0, state: null }),
    write: async (streamId, change) => {
      if ((checkpoints.get(streamId)?.version ?? 0) !== change.seen) throw new ViewConflictError(streamId, change.seen);
      add(change.before, -1);
      add(change.after, 1);
      checkpoints.set(streamId, { version: change.version, state: structuredClone(change.after) });
    },
    totals: (key) => ownRecord(totals.get(key) ?? []),
  };
  return store;
};
