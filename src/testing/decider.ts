/**
 * given / when / then for pure deciders, in the style of Emmett's DeciderSpecification:
 *
 *   orderSpec.given([orderPlaced]).when(addItem, { orderId, itemId, sku }).then([itemAdded]);
 *   orderSpec.given([]).when(cancelOrder, { orderId }).thenThrows('ORDER_NOT_FOUND', 404);
 *
 * The given events are folded with the reducer from the initial state; the action is then
 * called once with (state, payload, ctx). Every outcome also checks that the action left the
 * state it was given untouched (actions are pure). It asserts with the test runner's global
 * `expect` (jest, or vitest with globals): import it from tests only.
 *
 *   import { decider } from '<kit>/testing';
 *   const orderSpec = decider(orderReducer, initialOrderState);
 */
import type { Action, CommandContext, Reducer, StreamsAction } from '../contracts';

export const DEFAULT_CTX: CommandContext = { userId: 'alice', now: '2026-01-01T00:00:00.000Z' };

export interface Then<TEvent> {
  /** The action returned exactly these events, in this order. */
  then(expected: readonly TEvent[]): void;
  /** The action threw an error carrying this `code` and `httpStatus`. */
  thenThrows(code: string, httpStatus: number): void;
  /** The action returned no events: nothing changes. */
  thenNothing(): void;
}

export interface When<TState, TEvent> {
  /** `ctx` fields default to DEFAULT_CTX (`alice` at 2026-01-01T00:00:00.000Z). */
  when<TPayload>(
    action: Action<TState, TPayload, TEvent>,
    payload: TPayload,
    ctx?: Partial<CommandContext>,
  ): Then<TEvent>;
}

export interface DeciderSpec<TState, TEvent> {
  given(events: readonly TEvent[]): When<TState, TEvent>;
}

type Outcome<TEvent> = { threw: false; events: readonly TEvent[] } | { threw: true; error: unknown };

const describeOutcome = (outcome: Outcome<unknown>): string =>
  outcome.threw ? `threw ${String(outcome.error)}` : `returned ${JSON.stringify(outcome.events)}`;

export const decider = <TState, TEvent>(
  reducer: Reducer<TState, TEvent>,
  initial: TState,
): DeciderSpec<TState, TEvent> => ({
  given: (events) => ({
    when: (action, payload, ctx) => {
      const state = events.reduce(reducer, initial);
      const before = structuredClone(state);
      const context: CommandContext = { ...DEFAULT_CTX, ...ctx };

      let outcome: Outcome<TEvent>;
      try {
        outcome = { threw: false, events: action(state, payload, context) };
      } catch (error) {
        outcome = { threw: true, error };
      }
      const assertPure = () => expect(state).toStrictEqual(before);

      const expectEvents = (expected: readonly TEvent[]) => {
        if (outcome.threw)
          throw new Error(`Expected events ${JSON.stringify(expected)} but the action ${describeOutcome(outcome)}`);
        expect(outcome.events).toStrictEqual(expected);
        assertPure();
      };

      return {
        // biome-ignore lint/suspicious/noThenProperty: given / when / then is the spec's language; a When is never awaited
        then: expectEvents,
        thenNothing: () => expectEvents([]),
        thenThrows: (code, httpStatus) => {
          if (!outcome.threw) throw new Error(`Expected a ${code} error but the action ${describeOutcome(outcome)}`);
          expect(outcome.error).toBeInstanceOf(Error);
          expect({
            code: (outcome.error as { code?: unknown }).code,
            httpStatus: (outcome.error as { httpStatus?: unknown }).httpStatus,
          }).toStrictEqual({ code, httpStatus });
          assertPure();
        },
      };
    },
  }),
});

/**
 * given / when / then for a decision across several streams (`StreamsAction`): each stream's
 * given events are folded on their own, the action gets the states by name, and returns events by
 * name. `then` compares every stream's events (a stream left out expects none); purity is checked.
 *
 *   givenStreams(cartReducer, initialCartState, { from: [...], to: [...] })
 *     .when(moveItem, { cartId, itemId, toCartId }).then({ from: [movedOut], to: [movedIn] });
 */
export const givenStreams = <TState, TEvent, N extends string>(
  reducer: Reducer<TState, TEvent>,
  initial: TState,
  streams: Readonly<Record<N, readonly TEvent[]>>,
) => ({
  when: <TPayload>(
    action: StreamsAction<Readonly<Record<N, TState>>, TPayload, Readonly<Partial<Record<N, readonly TEvent[]>>>>,
    payload: TPayload,
    ctx?: Partial<CommandContext>,
  ) => {
    const names = Object.keys(streams) as N[];
    const fold = (n: N) => (streams[n] as readonly TEvent[]).reduce(reducer, initial);
    const states = Object.fromEntries(names.map((n) => [n, fold(n)])) as Record<N, TState>;
    const before = structuredClone(states);
    type Events = Readonly<Partial<Record<N, readonly TEvent[]>>>;
    let outcome: { threw: false; events: Events } | { threw: true; error: unknown };
    try {
      outcome = { threw: false, events: action(states, payload, { ...DEFAULT_CTX, ...ctx }) };
    } catch (error) {
      outcome = { threw: true, error };
    }
    const assertPure = () => expect(states).toStrictEqual(before);
    return {
      // biome-ignore lint/suspicious/noThenProperty: given / when / then is the spec's language; never awaited
      then: (expected: Readonly<Partial<Record<N, readonly TEvent[]>>>) => {
        if (outcome.threw) throw new Error(`Expected events but the action threw ${String(outcome.error)}`);
        const got = outcome.events;
        for (const n of names) expect({ [n]: got[n] ?? [] }).toStrictEqual({ [n]: expected[n] ?? [] });
        assertPure();
      },
      thenThrows: (code: string, httpStatus: number) => {
        if (!outcome.threw) {
          throw new Error(`Expected a ${code} error but the action returned ${JSON.stringify(outcome.events)}`);
        }
        const error = outcome.error as { code?: unknown; httpStatus?: unknown };
        expect({ code: error.code, httpStatus: error.httpStatus }).toStrictEqual({ code, httpStatus });
        assertPure();
      },
    };
  },
});
