/**
 * `stateOf`: another aggregate's stream a command reads before it decides, named by a path
 * parameter or a function of the request (its `params` typed by the route's path where it is used).
 */
import type { Aggregate, CommandRequest } from './definition';

/** Any aggregate, whatever its state and event types. */
// biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
export type AnyAggregate = Aggregate<any, any>;

/**
 * A stream a command reads: `reads: { stock: stateOf(stock, 'warehouseId') }` (its id is that path
 * parameter) or `stateOf(labels, ({ userId }) => userId)`; the callback's `params` are typed by the
 * route's path, so a path parameter it does not have does not compile.
 */
export function stateOf<A extends AnyAggregate, const K extends string>(
  aggregate: A,
  param: K,
): { readonly aggregate: A; readonly id: (request: { readonly params: { readonly [F in K]: string } }) => string };
export function stateOf<A extends AnyAggregate, R = Omit<CommandRequest, 'reads' | 'newId'>>(
  aggregate: A,
  id: (request: R) => string,
): { readonly aggregate: A; readonly id: (request: R) => string };
export function stateOf(aggregate: Aggregate, id: string | ((request: never) => string)) {
  const byParam = (request: { readonly params: Readonly<Record<string, string>> }) => request.params[id as string]!;
  return { aggregate, id: typeof id === 'string' ? byParam : id };
}
