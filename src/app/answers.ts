/**
 * Answer schemas in one call: an object named in OpenAPI and GraphQL (`z.meta({ id })`), and the
 * `{ items }` list most queries answer. The same schemas as written out with `z.object(…).check(z.meta(…))`.
 */
import * as z from 'zod/mini';
import type { Schema } from '../http/schema';

const metaOf = (id: string, description: string | undefined) =>
  z.meta(description === undefined ? { id } : { id, description });

/** `named('Order', { orderId: kitId, total: z.int() }, 'An order')`: an object schema named `Order`. */
export const named = <S extends Readonly<Record<string, Schema>>>(id: string, shape: S, description?: string) =>
  z.object(shape).check(metaOf(id, description));

/** `itemsOf('Orders', order, 'Your orders')`: `{ items: order[] }` named `Orders` (more fields: `extra`). */
export const itemsOf = <I extends Schema, S extends Readonly<Record<string, Schema>> = Record<never, never>>(
  id: string,
  item: I,
  description?: string,
  extra?: S,
) => z.object({ items: z.array(item), ...(extra as S) }).check(metaOf(id, description));
