import { newId } from './ids';
import type { Aggregate, BackoffOptions } from './commandPipeline';
import type { CommandContext, DomainEvent } from './contracts';
import { HttpError } from './errors';
import {
  isConcurrencyError,
  type CommandKey,
  type CommitMetadata,
  type CommitSnapshot,
  type EventStore,
} from './eventStore';
import { count } from './observability';

/** One stream a command decides on, by the name its action sees it under. */
export interface CommandStream {
  readonly name: string;
  readonly streamId: string;
  readonly aggregate: Pick<Aggregate<unknown, DomainEvent>, 'streamType'>;
}

/** A stream's folded state and the version it was folded to. */
export interface LoadedState {
  readonly state: unknown;
  readonly version: number;
  /** The load found no usable snapshot: the next commit should take one (see `CommandPipeline.load`). */
  readonly needsSnapshot?: boolean;
}

export interface MultiStreamOptions {
  /** Needs `appendStreams`. */
  readonly store: EventStore;
  /** A stream's state read to its end (never from a cache): decisions and checks rest on it. */
  readonly load: (stream: CommandStream) => Promise<LoadedState>;
  /** As `CommandPipelineOptions.timeBudgetMs`: then 409 `CONCURRENCY_CONFLICT`. Default 5000 ms. */
  readonly timeBudgetMs?: number;
  readonly backoff?: BackoffOptions;
  readonly maxAttempts?: number;
  /** The snapshot a commit on `stream` takes, if one is due (kept in the commit's item, as the pipeline's are). */
  readonly snapshotOf?: (
    stream: CommandStream,
    loaded: LoadedState,
    events: readonly DomainEvent[],
  ) => CommitSnapshot | undefined;
  /** Told of each stream a write went to or may have gone to (a state cache forgets it). */
  readonly onWritten?: (streamId: string) => void;
}

export interface MultiStreamInput {
  /** The streams, in order: the first one's version is the command's `version`, and its key record's. */
  readonly streams: readonly CommandStream[];
  /** The pure decision: the states by name → the events for each (none: the stream is only read). */
  readonly decide: (states: Readonly<Record<string, unknown>>) => Decided;
  readonly ctx: CommandContext;
  readonly metadata?: CommitMetadata;
  readonly commandId?: string;
  /** The command key, from the versions the write gives each stream (its answer names them). */
  readonly key?: (versions: Readonly<Record<string, number>>) => CommandKey;
  /** States already loaded for the first decision, by stream name. */
  readonly preloaded?: Readonly<Record<string, LoadedState>>;
}

export interface MultiStreamResult {
  /** Each stream's version after the command, by name (unchanged for a stream only read). */
  readonly versions: Readonly<Record<string, number>>;
  /** The events written, by stream name; empty when the command changed nothing. */
  readonly events: Readonly<Record<string, readonly DomainEvent[]>>;
}

/** Events by stream name; a stream left out, or given none, is only read. */
type Decided = Readonly<Record<string, readonly DomainEvent[] | undefined>>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a command across several streams: loads them all, decides once on their states, and writes
 * every stream's commit, a check on every stream only read, and the key in one atomic
 * `appendStreams` — so no decision rests on a state that changed before the write. A lost race on
 * any stream (a commit's slot taken, a read stream moved on) reloads every stream and decides
 * again, with full-jitter backoff, until the time budget is spent (409 `CONCURRENCY_CONFLICT`).
 */
export const runAcrossStreams = async (
  options: MultiStreamOptions,
  input: MultiStreamInput,
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one state machine (read, decide, write, conflict, retry); split tracked in issue 25
): Promise<MultiStreamResult> => {
  const { store, load } = options;
  if (!store.appendStreams) throw new Error('This event store cannot write several streams atomically (appendStreams)');
  const started = Date.now();
  const deadline = started + (options.timeBudgetMs ?? 5000);
  const commandId = input.commandId ?? newId();
  const loadAll = (preloaded: Readonly<Record<string, LoadedState>> = {}) =>
    Promise.all(input.streams.map(async (stream) => preloaded[stream.name] ?? (await load(stream))));
  let loaded = await loadAll(input.preloaded);
  for (let attempt = 1; ; attempt += 1) {
    const states = Object.fromEntries(input.streams.map((stream, i) => [stream.name, loaded[i]!.state]));
    let decided: Decided;
    try {
      decided = input.decide(states);
    } catch (error) {
      // A domain error: decided on states read to their ends, retrying would not change it.
      count('CommandRejected');
      throw error;
    }
    const named = new Set(input.streams.map((stream) => stream.name));
    const stray = Object.keys(decided).find((name) => !named.has(name));
    if (stray !== undefined) throw new Error(`The action returned events for ${stray}: no such stream of the command`);
    const writes = (name: string) => (decided[name]?.length ?? 0) > 0;
    const written = input.streams.flatMap((stream, i) => (writes(stream.name) ? [{ stream, i }] : []));
    const versions = Object.fromEntries(
      input.streams.map((stream, i) => [stream.name, loaded[i]!.version + (writes(stream.name) ? 1 : 0)]),
    );
    const events = Object.fromEntries(written.map(({ stream }) => [stream.name, decided[stream.name]!]));
    const result = { versions, events };
    if (written.length === 0) {
      count('CommandUnchanged');
      return { versions, events: {} };
    }
    const commits = written.map(({ stream, i }) => {
      const snapshot = options.snapshotOf?.(stream, loaded[i]!, decided[stream.name]!);
      return {
        streamId: stream.streamId,
        streamType: stream.aggregate.streamType,
        expectedVersion: loaded[i]!.version,
        events: decided[stream.name]!,
        commandId,
        at: input.ctx.now,
        ...(input.metadata ? { metadata: input.metadata } : {}),
        ...(snapshot ? { snapshot } : {}),
      };
    });
    const checks = input.streams.flatMap((stream, i) =>
      writes(stream.name) ? [] : [{ streamId: stream.streamId, version: loaded[i]!.version }],
    );
    const first = input.streams[0]!;
    try {
      await store.appendStreams({
        commits,
        checks,
        ...(input.key
          ? { key: input.key(versions), keyAt: { streamId: first.streamId, version: versions[first.name]! } }
          : {}),
      });
      for (const commit of commits) options.onWritten?.(commit.streamId);
      count('CommandAccepted');
      return result;
    } catch (error) {
      if (!isConcurrencyError(error)) throw error;
      for (const commit of commits) options.onWritten?.(commit.streamId);
      count('CommandConflict');
      const left = deadline - Date.now();
      if (left <= 0 || attempt >= (options.maxAttempts ?? Number.POSITIVE_INFINITY)) {
        count('CommandRejected');
        const ids = input.streams.map((s) => s.streamId).join(', ');
        const message = `Streams ${ids} kept changing; gave up after ${attempt} attempts`;
        throw new HttpError(409, 'CONCURRENCY_CONFLICT', message);
      }
      count('CommandRetry');
      const base = options.backoff?.baseMs ?? 10;
      const ceiling = Math.min(options.backoff?.capMs ?? 1000, base * 2 ** Math.min(attempt - 1, 30));
      await sleep(Math.min(Math.random() * ceiling, left));
      // Or it was us: the write took effect but its answer was lost. It is atomic: one of its
      // commits found means all of them were written; answer as decided.
      const [probe] = commits;
      const at = probe!.expectedVersion + 1;
      const slot = await store.readStream(probe!.streamId, { fromVersion: at, toVersion: at });
      if (slot[0]?.commandId === commandId) {
        count('CommandAccepted');
        return result;
      }
      loaded = await loadAll();
    }
  }
};
