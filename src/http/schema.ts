/**
 * The kit's zod: `zod/mini`. A route, GraphQL argument or page token takes any zod 4 schema
 * (`zod` or `zod/mini`: both are `z.core.$ZodType`); the kit's own schemas and the reference app
 * use `zod/mini`, whose functions tree-shake: a REST bundle holds 35 KB of zod instead of 98, and
 * requiring it took ~20 ms less CPU (README, "Schemas").
 */
import * as z from 'zod/mini';
import { config, globalConfig } from 'zod/v4/core';
import { en } from 'zod/locales';

/** Any zod 4 schema. */
export type Schema<O = unknown> = z.core.$ZodType<O>;
/** The properties of an object schema. */
export type Shape = z.core.$ZodShape;

// zod/mini loads no messages; classic zod sets English on its first schema. Set it the same way,
// on first use, so a bundle that only names schemas (a projection's) keeps zod out.
const withMessages = () => {
  if (!globalConfig.localeError) config(en());
};

/** `schema`'s result for `input`, with zod's English messages. */
export const safeParse = <S extends Schema>(schema: S, input: unknown) => {
  withMessages();
  return z.safeParse(schema, input);
};

/** `schema`'s output for `input`; throws zod's error if it does not match. */
export const parse = <S extends Schema>(schema: S, input: unknown): z.output<S> => {
  withMessages();
  return z.parse(schema, input);
};

/** The properties of an object schema (`undefined` for any other schema). */
export const shapeOf = (schema: Schema): Shape | undefined => {
  const def = schema._zod.def as z.core.$ZodTypeDef & { shape?: Shape };
  return def.type === 'object' ? def.shape : undefined;
};
