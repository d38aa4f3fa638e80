import { randomUUID } from 'node:crypto';
import type { Action, CommandContext, DomainEvent, Reducer } from './contracts';
import { HttpError } from './errors';
import { isConcurrencyError, type CommitMetadata, type EventStore } from './eventStore';

/** How a stream type folds: the domain's reducer and its starting state. */
export interface Aggregate<TState, TEvent extends DomainEvent> {
  readonly streamType: string;
  readonly initialState: TState;
  readonly reducer: Reducer<TState, TEvent>;
}

export interface CommandPipelineOptions<TState, TEvent extends DomainEvent> {
  readonly store: EventStore;
  readonly aggregate: Aggregate<TState, TEvent>;
  /** Attempts on a lost append race before answering 409. Default 8. */
  readonly maxAttempts?: number;
}

export interface RunCommandInput<TState, TPayload, TEvent extends DomainEvent> {
  readonly streamId: string;
  readonly action: Action<TState, TPayload, TEvent>;
  readonly payload: TPayload;
  readonly ctx: CommandContext;
  readonly metadata?: CommitMetadata;
  /** Identifies this command in the commit; a fresh UUID by default. */
  readonly commandId?: string;
}

export interface CommandResult<TState, TEvent extends DomainEvent> {
  readonly streamId: string;
  /** The stream's version after the command: unchanged when the command produced no event. */
  readonly version: number;
  readonly events: readonly TEvent[];
  readonly state: TState;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** load → fold → action → append, retried on a lost race. */
export class CommandPipeline<TState, TEvent extends DomainEvent> {
  private readonly store: EventStore;
  private readonly aggregate: Aggregate<TState, TEvent>;
  private readonly maxAttempts: number;

  constructor(options: CommandPipelineOptions<TState, TEvent>) {
    this.store = options.store;
    this.aggregate = options.aggregate;
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  /** The folded state of a stream and its version. */
  async load(streamId: string): Promise<{ state: TState; version: number }> {
    const commits = await this.store.readStream<TEvent>(streamId);
    let state = this.aggregate.initialState;
    for (const commit of commits) for (const event of commit.events) state = this.aggregate.reducer(state, event);
    return { state, version: commits.at(-1)?.version ?? 0 };
  }

  async run<TPayload>(input: RunCommandInput<TState, TPayload, TEvent>): Promise<CommandResult<TState, TEvent>> {
    const commandId = input.commandId ?? randomUUID();
    for (let attempt = 1; ; attempt += 1) {
      const { state, version } = await this.load(input.streamId);
      // Domain errors propagate as they are: the action decided, retrying would not change its mind.
      const events = input.action(state, input.payload, input.ctx);
      if (events.length === 0) return { streamId: input.streamId, version, events, state };
      try {
        const commit = await this.store.append({
          streamId: input.streamId,
          streamType: this.aggregate.streamType,
          expectedVersion: version,
          events,
          commandId,
          at: input.ctx.now,
          metadata: input.metadata,
        });
        const next = events.reduce(this.aggregate.reducer, state);
        return { streamId: input.streamId, version: commit.version, events, state: next };
      } catch (error) {
        if (!isConcurrencyError(error)) throw error;
        if (attempt >= this.maxAttempts) {
          throw new HttpError(
            409,
            'CONCURRENCY_CONFLICT',
            `Stream ${input.streamId} kept changing; gave up after ${attempt} attempts`,
          );
        }
        // Jittered backoff so racing writers stop colliding in lockstep.
        await sleep(Math.random() * 4 * attempt);
      }
    }
  }
}
