import { newId } from './ids';
import type { Action, CommandContext, DomainEvent, Reducer } from './contracts';
import { HttpError } from './errors';
import { isConcurrencyError, type CommandKey, type Commit, type CommitMetadata, type EventStore } from './eventStore';
import { count } from './observability';
import type { SnapshotStore } from './snapshots';
import type { StateCache } from './stateCache';
import { StreamLanes, type Lane } from './streamLanes';

/** How a stream type folds: the domain's reducer and its starting state. */
export interface Aggregate<TState, TEvent extends DomainEvent> {
  readonly streamType: string;
  readonly initialState: TState;
  readonly reducer: Reducer<TState, TEvent>;
  /** Bump it when the reducer changes meaning: snapshots taken by another version are ignored. Default '1'. */
  readonly reducerVersion?: string;
}

export interface SnapshotOptions {
  readonly store: SnapshotStore;
  /** Take a snapshot every this many commits (at versions that are multiples of it). Default 50. */
  readonly every?: number;
  /** Called when taking a snapshot failed; the command has already succeeded. */
  readonly onError?: (error: unknown) => void;
}

export interface BackoffOptions {
  /** The first retry waits up to this long. Default 10 ms. */
  readonly baseMs?: number;
  /** No wait is longer than this. Default 1000 ms. */
  readonly capMs?: number;
}

export interface CommandPipelineOptions<TState, TEvent extends DomainEvent> {
  readonly store: EventStore;
  readonly aggregate: Aggregate<TState, TEvent>;
  /**
   * How long a command may keep retrying lost append races before it answers 409
   * `CONCURRENCY_CONFLICT`, in ms from its start. Default 5000: half the function's 10 s
   * timeout, so a command that gives up still answers in time.
   */
  readonly timeBudgetMs?: number;
  /** Backoff between attempts: full jitter, `random(0, min(capMs, baseMs × 2^(conflicts − 1)))`. */
  readonly backoff?: BackoffOptions;
  /** Also give up after this many attempts (default: only the time budget bounds them). */
  readonly maxAttempts?: number;
  /** Keeps long streams cheap to load: the fold starts from the latest snapshot. */
  readonly snapshots?: SnapshotOptions;
  /** Warm streams skip the read entirely (see `StateCache`). */
  readonly cache?: StateCache<TState>;
}

export interface RunCommandInput<TState, TPayload, TEvent extends DomainEvent> {
  readonly streamId: string;
  readonly action: Action<TState, TPayload, TEvent>;
  readonly payload: TPayload;
  readonly ctx: CommandContext;
  readonly metadata?: CommitMetadata;
  /** Identifies this command in the commit; a fresh UUID by default. */
  readonly commandId?: string;
  /**
   * The command's Idempotency-Key, recorded atomically with its commit; a key already
   * recorded makes the append throw `KeyTakenError` (the caller answers from the record).
   */
  readonly key?: CommandKey;
}

export interface CommandResult<TState, TEvent extends DomainEvent> {
  readonly streamId: string;
  /** The stream's version after the command: unchanged when the command produced no event. */
  readonly version: number;
  readonly events: readonly TEvent[];
  readonly state: TState;
}

/** A folded stream, with what the pipeline needs to know to snapshot it. */
export interface LoadedStream<TState> {
  readonly state: TState;
  readonly version: number;
  /** Version of the snapshot the fold started from (0 if none). */
  readonly snapshotVersion: number;
  /** Where the state came from: the cache, or the stores. */
  readonly source: 'cache' | 'store';
  /** The load had to read past the tail (no usable snapshot): the next commit should snapshot. */
  readonly needsSnapshot?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The 409 of a command whose time budget ran out while its stream kept changing (alone or in a group). */
const gaveUp = (streamId: string, attempts: number, started: number) =>
  new HttpError(
    409,
    'CONCURRENCY_CONFLICT',
    `Stream ${streamId} kept changing; gave up after ${attempts} attempts in ${Date.now() - started} ms`,
  );

/** A command waiting on its stream's lane, with how to answer its caller. */
interface Job<TState, TEvent extends DomainEvent> {
  // biome-ignore lint/suspicious/noExplicitAny: each job has its own payload type
  readonly input: RunCommandInput<TState, any, TEvent>;
  readonly started: number;
  readonly resolve: (result: CommandResult<TState, TEvent>) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * At most this many commits in one group commit: DynamoDB takes 100 items per transaction,
 * and a group this size already turns a burst of 100 writers into five round trips.
 */
export const MAX_GROUP_COMMIT = 25;

/** load → fold → action → append; after a lost race: catch up, decide again, append again. */
export class CommandPipeline<TState, TEvent extends DomainEvent> {
  private readonly store: EventStore;
  private readonly aggregate: Aggregate<TState, TEvent>;
  private readonly timeBudgetMs: number;
  private readonly backoffBaseMs: number;
  private readonly backoffCapMs: number;
  private readonly maxAttempts: number;
  private readonly snapshots: SnapshotOptions | undefined;
  private readonly cache: StateCache<TState> | undefined;
  private readonly reducerVersion: string;
  /** Each stream's lane in this instance: whether one of its commands is in flight, and who waits (see `run`). */
  private readonly lanes = new StreamLanes<Job<TState, TEvent>>((streamId, lane) => void this.drain(streamId, lane));
  /**
   * Ids of streams found longer than the tail a load reads (the most recent 10,000), each with
   * whether its last load found its snapshot kept in the tail (true) or had to ask the snapshot store.
   */
  private readonly longStreams = new Map<string, boolean>();

  private rememberLong(streamId: string, snapshotInTail: boolean): void {
    this.longStreams.delete(streamId);
    this.longStreams.set(streamId, snapshotInTail);
    if (this.longStreams.size > 10_000) this.longStreams.delete(this.longStreams.keys().next().value as string);
  }

  constructor(options: CommandPipelineOptions<TState, TEvent>) {
    this.store = options.store;
    this.aggregate = options.aggregate;
    this.timeBudgetMs = options.timeBudgetMs ?? 5000;
    this.backoffBaseMs = options.backoff?.baseMs ?? 10;
    this.backoffCapMs = options.backoff?.capMs ?? 1000;
    this.maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
    this.snapshots = options.snapshots;
    this.cache = options.cache;
    this.reducerVersion = options.aggregate.reducerVersion ?? '1';
  }

  /**
   * Drops what this instance cached of a stream written elsewhere (a multi-stream command): its
   * next command then reads the stream instead of losing one append race on a stale state.
   */
  forget(streamId: string): void {
    this.cache?.delete(streamId);
  }

  private fold(state: TState, commits: readonly Commit<TEvent>[]): TState {
    const reducer = this.aggregate.reducer;
    for (let i = 0; i < commits.length; i += 1) {
      const events = commits[i]!.events;
      for (let j = 0; j < events.length; j += 1) state = reducer(state, events[j]!);
    }
    return state;
  }

  /**
   * The folded state of a stream and its version, read from the stores (never the cache).
   * With snapshots, the stream's last 2 × `every` commits are read first: a short stream is
   * then complete in one request, as without snapshots. Each snapshot is handed to the event
   * store with the commit it was taken at, and a store that keeps it there (DynamoDB, while the
   * state is small) gives it back with the tail: a long stream then also loads in one request,
   * the short stream's cost. Otherwise a long stream also reads the snapshot store; the
   * instance remembers which streams are long (their ids, and where their snapshot was found),
   * reads only the last `every` commits of those whose tail holds their snapshot, and the tail
   * and the snapshot store at once for the others.
   */
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: snapshot, cache and tail reads in one place: their order is the consistency argument
  async load(streamId: string): Promise<LoadedStream<TState>> {
    if (!this.snapshots) {
      if (this.store.foldStream) {
        const { state, version } = await this.store.foldStream(
          streamId,
          this.aggregate.reducer,
          this.aggregate.initialState,
        );
        return { state, version, snapshotVersion: 0, source: 'store' };
      }
      const commits = await this.store.readStream<TEvent>(streamId);
      return {
        state: this.fold(this.aggregate.initialState, commits),
        version: commits.at(-1)?.version ?? 0,
        snapshotVersion: 0,
        source: 'store',
      };
    }
    const every = this.snapshots.every ?? 50;
    // Two snapshot intervals of tail: one missed snapshot still needs no third read.
    const getSnapshot = () => this.snapshots!.store.get<TState>(streamId).catch(() => undefined);
    // A stream this instance has seen longer than its tail: its tail needs to reach back only to
    // the latest snapshot's interval, and if that snapshot was not in the tail, it is read at once.
    const known = this.longStreams.get(streamId);
    const early = known === false ? getSnapshot() : undefined;
    const tail = await this.store.readStream<TEvent>(streamId, {
      last: known === undefined ? 2 * every : every,
      withSnapshots: true,
    });
    const version = tail.at(-1)?.version ?? 0;
    const oldest = tail[0]?.version ?? 1;
    // The latest snapshot kept with a commit of the tail: the fold starts there, with no other read.
    for (let i = tail.length - 1; i >= 0; i -= 1) {
      const kept = tail[i]!.snapshot;
      if (kept?.reducerVersion !== this.reducerVersion) continue;
      if (oldest > 1) this.rememberLong(streamId, true);
      return {
        state: this.fold(kept.state as TState, tail.slice(i + 1)),
        version,
        snapshotVersion: tail[i]!.version,
        source: 'store',
      };
    }
    if (oldest <= 1) {
      return { state: this.fold(this.aggregate.initialState, tail), version, snapshotVersion: 0, source: 'store' };
    }
    this.rememberLong(streamId, false);
    const found = await (early ?? getSnapshot());
    const snapshot =
      found && found.reducerVersion === this.reducerVersion && found.version <= version ? found : undefined;
    if (snapshot && snapshot.version >= oldest - 1) {
      const after = tail.filter((c) => c.version > snapshot.version);
      return { state: this.fold(snapshot.state, after), version, snapshotVersion: snapshot.version, source: 'store' };
    }
    // No usable snapshot reaches the tail: read what lies between (from the start if none).
    const from = snapshot ? snapshot.version + 1 : 1;
    const middle = await this.store.readStream<TEvent>(streamId, { fromVersion: from, toVersion: oldest - 1 });
    const start = snapshot ? snapshot.state : this.aggregate.initialState;
    return {
      state: this.fold(this.fold(start, middle), tail),
      version,
      snapshotVersion: snapshot?.version ?? 0,
      source: 'store',
      needsSnapshot: true,
    };
  }

  /**
   * Brings a folded state up to the stream's end by reading only the commits after its
   * version: commits never change, so the state at version v plus the commits after v is the
   * state a full load would give, at the cost of a read as short as what was missed. The
   * result is as fresh as a load (`source: 'store'`).
   */
  private async catchUp(
    streamId: string,
    loaded: LoadedStream<TState>,
  ): Promise<LoadedStream<TState> & { newer: readonly Commit<TEvent>[] }> {
    const newer = await this.store.readStream<TEvent>(streamId, { fromVersion: loaded.version + 1 });
    // A range that does not start right after our version would fold onto the wrong state: reload.
    if (newer.length > 0 && newer[0]?.version !== loaded.version + 1)
      return { ...(await this.load(streamId)), newer: [] };
    return {
      newer,
      state: this.fold(loaded.state, newer),
      version: newer.at(-1)?.version ?? loaded.version,
      snapshotVersion: loaded.snapshotVersion,
      source: 'store',
      ...(loaded.needsSnapshot ? { needsSnapshot: true } : {}),
    };
  }

  /** Full jitter (AWS's "Exponential Backoff and Jitter"): racing writers spread out instead of colliding again. */
  private backoffMs(conflicts: number): number {
    const ceiling = Math.min(this.backoffCapMs, this.backoffBaseMs * 2 ** Math.min(conflicts - 1, 30));
    return Math.random() * ceiling;
  }

  /**
   * Runs one command: decides on the stream's state and appends one commit, or throws the
   * action's domain error, or 409 `CONCURRENCY_CONFLICT` once the time budget is spent.
   *
   * Commands on one stream run one after the other within this instance: racing itself would
   * only make all but one of them lose and retry, and the one before leaves the state in the
   * cache for the next. Those that waited meanwhile run as one group commit (`runGroup`) when
   * the store has `appendMany`. On Lambda a container serves one request at a time, so this
   * only matters where one process serves many (the local stack, a server); writers in
   * different processes still race, and catch up and back off as below.
   */
  run<TPayload>(input: RunCommandInput<TState, TPayload, TEvent>): Promise<CommandResult<TState, TEvent>> {
    const started = Date.now();
    const lane = this.lanes.get(input.streamId);
    if (lane.busy) {
      return new Promise<CommandResult<TState, TEvent>>((resolve, reject) => {
        lane.waiting.push({ input, started, resolve, reject });
      });
    }
    // None of its stream's commands in flight here: it runs at once, and those that arrive
    // meanwhile wait in its lane (drained after it).
    lane.busy = true;
    const result = this.runAlone(input, started);
    result.then(lane.next, lane.next);
    return result;
  }

  /**
   * Runs a stream's waiting commands until none is left: one alone, or — when several wait
   * and the store can append them atomically — as one group (`runGroup`). A lane is freed by
   * the same synchronous step that finds it empty, so a command arriving later runs at once.
   */
  private async drain(streamId: string, lane: Lane<Job<TState, TEvent>>): Promise<void> {
    const waiting = lane.waiting;
    while (waiting.length > 0) {
      const group = this.nextGroup(waiting);
      if (group.length > 1) {
        await this.runGroup(streamId, group);
        continue;
      }
      const [job] = group as [Job<TState, TEvent>];
      await this.runAlone(job.input, job.started).then(job.resolve, job.reject);
    }
    lane.busy = false;
  }

  /** The next commands of a lane to run together: unkeyed ones in a row (a keyed command runs alone). */
  private nextGroup(lane: Job<TState, TEvent>[]): Job<TState, TEvent>[] {
    if (!this.store.appendMany || lane[0]?.input.key) return lane.splice(0, 1);
    let n = 1;
    while (n < lane.length && n < MAX_GROUP_COMMIT && !lane[n]?.input.key) n += 1;
    return lane.splice(0, n);
  }

  /**
   * Group commit: commands that waited on one stream are decided one after the other on the
   * state each leaves, and their commits (still one item per command) appended in one atomic
   * write — so a hot stream costs a round trip per group instead of one per command. Each
   * command gets the answer it would have had alone, in arrival order: its domain error and
   * "nothing changed" are decided on a state read to the end (a cached state is caught up
   * first) and answered at once; the commits are all written or none, and after a lost race
   * the remaining commands catch up and are decided again, as `runAlone` does for one.
   */
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one state machine (group commit, conflict, retry, give up); split tracked in issue 25
  private async runGroup(streamId: string, group: Job<TState, TEvent>[]): Promise<void> {
    const deadline = Math.min(...group.map((job) => job.started)) + this.timeBudgetMs;
    const commandIds = new Map(group.map((job) => [job, job.input.commandId ?? newId()]));
    let pending = group;
    try {
      const cached = this.cache?.get(streamId);
      let loaded: LoadedStream<TState> = cached
        ? { ...cached, snapshotVersion: 0, source: 'cache' }
        : await this.load(streamId);
      for (let attempt = 1; ; attempt += 1) {
        const decided = this.decideInTurn(streamId, loaded, pending);
        if (decided === 'stale') {
          // A cached state may be stale: only a state read to the stream's end may refuse or skip a command.
          loaded = await this.catchUp(streamId, loaded);
          attempt -= 1;
          continue;
        }
        for (const { job, error, result } of decided.settled) {
          if (error === undefined) {
            count('CommandUnchanged');
            job.resolve(result!);
          } else {
            count('CommandRejected');
            job.reject(error);
          }
        }
        pending = decided.commits.map(({ job }) => job);
        if (pending.length === 0) return;
        const lastIndex = decided.commits.length - 1;
        const appends = decided.commits.map(({ job, result }, i) => ({
          streamId,
          streamType: this.aggregate.streamType,
          expectedVersion: result.version - 1,
          events: result.events,
          commandId: commandIds.get(job)!,
          at: job.input.ctx.now,
          metadata: job.input.metadata,
          // A load that found no usable snapshot has the group's last commit take one.
          ...(this.snapshotDue(result.version, i === lastIndex ? loaded : { ...loaded, needsSnapshot: false })
            ? { snapshot: { reducerVersion: this.reducerVersion, state: result.state } }
            : {}),
        }));
        try {
          await this.store.appendMany!(appends);
        } catch (error) {
          if (!isConcurrencyError(error)) throw error;
          this.cache?.delete(streamId);
          count('CommandConflict', pending.length);
          const left = deadline - Date.now();
          if (left <= 0 || attempt >= this.maxAttempts) {
            for (const job of pending) {
              count('CommandRejected');
              job.reject(gaveUp(streamId, attempt, job.started));
            }
            return;
          }
          count('CommandRetry', pending.length);
          await sleep(Math.min(this.backoffMs(attempt), left));
          const caughtUp = await this.catchUp(streamId, loaded);
          // The group's write is atomic: one of its commits found means all of them were written
          // (an answer lost on the way back); answer them as decided.
          const ours = new Set(appends.map((append) => append.commandId));
          if (!caughtUp.newer.some((commit) => ours.has(commit.commandId))) {
            loaded = caughtUp;
            continue;
          }
        }
        const last = decided.commits.at(-1)!.result;
        this.cache?.set(streamId, { state: last.state, version: last.version });
        decided.commits.forEach(({ result }, i) => {
          if (appends[i]!.snapshot) this.putSnapshot(streamId, result.state, result.version);
          count('CommandAccepted');
        });
        for (const { job, result } of decided.commits) job.resolve(result);
        return;
      }
    } catch (error) {
      // A failed read or write (not a lost race): every command still waiting gets it, as alone.
      for (const job of pending) job.reject(error);
    }
  }

  /**
   * Decides each command on the state the ones before it leave. `'stale'` when a command
   * refused or changed nothing on a cached state (which must be caught up first).
   */
  private decideInTurn(streamId: string, loaded: LoadedStream<TState>, jobs: readonly Job<TState, TEvent>[]) {
    type Decided = { job: Job<TState, TEvent>; error?: unknown; result?: CommandResult<TState, TEvent> };
    const settled: Decided[] = [];
    const commits: { job: Job<TState, TEvent>; result: CommandResult<TState, TEvent> }[] = [];
    let state = loaded.state;
    let version = loaded.version;
    for (const job of jobs) {
      let events: readonly TEvent[];
      try {
        events = job.input.action(state, job.input.payload, job.input.ctx);
      } catch (error) {
        if (loaded.source === 'cache') return 'stale' as const;
        settled.push({ job, error });
        continue;
      }
      if (events.length === 0) {
        if (loaded.source === 'cache') return 'stale' as const;
        settled.push({ job, result: { streamId, version, events, state } });
        continue;
      }
      state = events.reduce(this.aggregate.reducer, state);
      version += 1;
      commits.push({ job, result: { streamId, version, events, state } });
    }
    return { settled, commits };
  }

  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one state machine (run, conflict, retry, give up); split tracked in issue 25
  private async runAlone<TPayload>(
    input: RunCommandInput<TState, TPayload, TEvent>,
    started: number,
  ): Promise<CommandResult<TState, TEvent>> {
    const commandId = input.commandId ?? newId();
    const deadline = started + this.timeBudgetMs;
    const cached = this.cache?.get(input.streamId);
    let loaded: LoadedStream<TState> = cached
      ? { ...cached, snapshotVersion: 0, source: 'cache' }
      : await this.load(input.streamId);
    for (let attempt = 1; ; attempt += 1) {
      let events: readonly TEvent[];
      try {
        events = input.action(loaded.state, input.payload, input.ctx);
      } catch (error) {
        // A cached state may be stale: only a state read to the stream's end may refuse a command.
        if (loaded.source === 'cache') {
          loaded = await this.catchUp(input.streamId, loaded);
          attempt -= 1;
          continue;
        }
        // Domain errors propagate as they are: the action decided, retrying would not change its mind.
        count('CommandRejected');
        throw error;
      }
      if (events.length === 0) {
        // "Nothing changes" must also be decided on a state read to the end.
        if (loaded.source === 'cache') {
          loaded = await this.catchUp(input.streamId, loaded);
          attempt -= 1;
          continue;
        }
        count('CommandUnchanged');
        return { streamId: input.streamId, version: loaded.version, events, state: loaded.state };
      }
      try {
        const state = events.reduce(this.aggregate.reducer, loaded.state);
        // The state after a commit that takes a snapshot goes with the commit too (see `load`).
        const snapshot = this.snapshotDue(loaded.version + 1, loaded)
          ? { reducerVersion: this.reducerVersion, state }
          : undefined;
        const commit = await this.store.append({
          streamId: input.streamId,
          streamType: this.aggregate.streamType,
          expectedVersion: loaded.version,
          events,
          commandId,
          at: input.ctx.now,
          metadata: input.metadata,
          ...(input.key ? { key: input.key } : {}),
          ...(snapshot ? { snapshot } : {}),
        });
        this.cache?.set(input.streamId, { state, version: commit.version });
        if (snapshot) this.putSnapshot(input.streamId, state, commit.version);
        count('CommandAccepted');
        return { streamId: input.streamId, version: commit.version, events, state };
      } catch (error) {
        if (!isConcurrencyError(error)) throw error;
        this.cache?.delete(input.streamId);
        count('CommandConflict');
        const left = deadline - Date.now();
        if (left <= 0 || attempt >= this.maxAttempts) {
          count('CommandRejected');
          throw gaveUp(input.streamId, attempt, started);
        }
        count('CommandRetry');
        await sleep(Math.min(this.backoffMs(attempt), left));
        // Someone else appended after our version: fold in only their commits, then decide again.
        const before = loaded;
        const caughtUp = await this.catchUp(input.streamId, loaded);
        // Or it was us: the append succeeded but its answer was lost, and the SDK's retry found
        // the slot taken. The command took effect; answer it instead of deciding again.
        const own = caughtUp.newer.find((commit) => commit.commandId === commandId);
        if (own) {
          count('CommandAccepted');
          const state = this.fold(
            before.state,
            caughtUp.newer.filter((commit) => commit.version <= own.version),
          );
          return { streamId: input.streamId, version: own.version, events: own.events, state };
        }
        loaded = caughtUp;
      }
    }
  }

  /**
   * Whether the commit at `version` takes a snapshot: each multiple of `every` (each version is
   * written once), and at once after a load that found no usable snapshot (an old stream, a new
   * reducer version).
   */
  private snapshotDue(version: number, loaded: LoadedStream<TState>): boolean {
    if (!this.snapshots) return false;
    return version % (this.snapshots.every ?? 50) === 0 || loaded.needsSnapshot === true;
  }

  /**
   * Fire and forget: a snapshot never blocks or fails the command that took it. The snapshot
   * store keeps it even when the event store kept it with its commit: a load whose tail misses
   * it (a state too large to keep there, a commit written without it) starts from there.
   */
  private putSnapshot(streamId: string, state: TState, version: number): void {
    this.snapshots?.store
      .put({ streamId, version, reducerVersion: this.reducerVersion, state })
      .catch((error: unknown) => this.snapshots?.onError?.(error));
  }
}
