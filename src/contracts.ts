/**
 * Type-only contracts between the kit and a domain. `domain/` may import this file
 * (with `import type`) and nothing else from `src/`.
 */

/** An event as the domain produces it: a type tag and a JSON-serialisable payload. */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}

/** What an action knows about the world beyond its state and payload. Time comes in here. */
export interface CommandContext {
  /** The authenticated caller (the JWT's `sub`). */
  readonly userId: string;
  /** ISO-8601 time of the command, fixed once per command. */
  readonly now: string;
}

/** Folds one event into the state. Pure. */
export type Reducer<TState, TEvent> = (state: TState, event: TEvent) => TState;

/** Turns a command into events, or throws a domain error. Pure. An empty array means "nothing changes". */
export type Action<TState, TPayload, TEvent> = (
  state: TState,
  payload: TPayload,
  ctx: CommandContext,
) => readonly TEvent[];

/**
 * An error the HTTP layer can answer with. Domain errors implement it structurally,
 * so the domain needs no runtime import of the kit.
 */
export interface HttpMappableError {
  readonly code: string;
  readonly httpStatus: number;
  readonly message: string;
  readonly details?: unknown;
}

/** Where an event sits in its stream, as projections see it. */
export interface CommitInfo {
  readonly streamId: string;
  readonly version: number;
  readonly at: string;
}

export type { Upcasters } from './eventStore/eventSchema';

/**
 * A decision across several streams (a multi-stream command): the states of the streams it
 * declares, by name, to the events for each. A stream given no events is only read: the kit
 * still checks, in the same atomic write, that it did not change. Pure; throws a domain error to refuse.
 */
export type StreamsAction<TStates, TPayload, TEvents> = (
  states: TStates,
  payload: TPayload,
  ctx: CommandContext,
) => TEvents;
