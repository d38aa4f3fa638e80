/**
 * Answer schemas in one call: an object named in OpenAPI and GraphQL (`z.meta({ id })`), and the
 * `{ items }` list most queries answer. The same schemas as written out with `z.object(…).check(z.meta(…))`.
 */
import * as z from 'zod/mini';
import { globalRegistry } from 'zod/v4/core';
import type { Schema } from '../http/schema';

const metaOf = (id: string, description: string | undefined) =>
  z.meta(description === undefined ? { id } : { id, description });

/** `named('Order', { orderId: kitId, total: z.int() }, 'An order')`: an object schema named `Order`. */
export const named = <S extends Readonly<Record<string, Schema>>>(id: string, shape: S, description?: string) =>
  z.object(shape).check(metaOf(id, description));

type Shape = Readonly<Record<string, Schema>>;

/**
 * `itemsOf('Orders', order, 'Your orders')`: `{ items: order[] }` named `Orders`, more fields in `extra`
 * (`itemsOf('Orders', order, { total: z.int() })`). Without a description, a query answering it
 * describes it with its summary.
 */
export function itemsOf<I extends Schema, S extends Shape = Record<never, never>>(
  id: string,
  item: I,
  description?: string,
  extra?: S,
): z.ZodMiniObject<{ items: z.ZodMiniArray<I> } & S>;
export function itemsOf<I extends Schema, S extends Shape>(
  id: string,
  item: I,
  extra: S,
): z.ZodMiniObject<{ items: z.ZodMiniArray<I> } & S>;
export function itemsOf(id: string, item: Schema, described?: string | Shape, extra?: Shape) {
  const [description, fields] = typeof described === 'object' ? [undefined, described] : [described, extra];
  return z.object({ items: z.array(item), ...fields }).check(metaOf(id, description));
}

/**
 * Describes a named answer that has no description with `description` (a query's summary); an
 * answer described, or not named, is left as it is.
 */
export const describedAnswer = <A extends Schema>(answer: A, description: string): A => {
  const meta = globalRegistry.get(answer);
  if (meta?.id === undefined || meta.description !== undefined) return answer;
  globalRegistry.remove(answer);
  globalRegistry.add(answer, { ...meta, description });
  return answer;
};
