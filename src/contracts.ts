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

/** The code of an error the API maps (a `code` and an `httpStatus`), else never. */
type MappedCodeOf<E> = E extends { readonly code: infer C extends string; readonly httpStatus: number } ? C : never;
/** The codes an export makes: a function's result's, or a class's instances'. */
type CodesMadeBy<V> = V extends (...args: never) => infer R
  ? MappedCodeOf<R>
  : V extends abstract new (
        ...args: never
      ) => infer I
    ? MappedCodeOf<I>
    : never;

/**
 * Every error code a domain raises, read from what its modules export (its error classes and the
 * functions that make its errors), one namespace deep: `routesFor<DomainErrorCode<typeof domain>>()`
 * with `import type * as domain from '../domain'` (`export * as order from './orders'`), so a new
 * aggregate's codes need no line of their own.
 */
export type DomainErrorCode<D> = {
  [K in keyof D]: D[K] extends (...args: never) => unknown
    ? CodesMadeBy<D[K]>
    : D[K] extends abstract new (
          ...args: never
        ) => unknown
      ? CodesMadeBy<D[K]>
      : D[K] extends object
        ? { [F in keyof D[K]]: CodesMadeBy<D[K][F]> }[keyof D[K]]
        : never;
}[keyof D];
