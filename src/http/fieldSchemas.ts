import * as z from 'zod/mini';

/** `0`, or digits without a leading zero, optionally negative: what `String(n)` gives for an integer. */
const DECIMAL_INTEGER = /^(0|-?[1-9][0-9]*)$/;

export interface QueryIntOptions {
  readonly min?: number;
  readonly max?: number;
}

/**
 * An integer in a query string or a path: only plain decimal digits (`5`, `120`, `-3`) are
 * numbers; `0x10`, `1e2`, ` 5`, `+5`, `05`, `5.0`, `0b11` and `` are refused, where
 * `z.coerce.number()` read them as 16, 100, 5, 5, 5, 5, 3 and 0. A JavaScript integer passes
 * too (GraphQL arguments and JSON arrive as numbers), so one schema serves REST and GraphQL,
 * and its JSON Schema (OpenAPI, GraphQL's `Int`) is `integer` with the bounds.
 */
export const queryInt = ({ min, max }: QueryIntOptions = {}) => {
  // Only the type error is ours; a number out of bounds keeps zod's "too big / too small".
  const int = z
    .int({ error: (issue) => (issue.code === 'invalid_type' ? 'must be a plain decimal integer' : undefined) })
    .check(...(min === undefined ? [] : [z.minimum(min)]), ...(max === undefined ? [] : [z.maximum(max)]));
  return z.pipe(
    z.transform((value: unknown) => (typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value)),
    int,
  );
};

// C0 (NUL to U+001F, tab and line breaks included), DEL and C1 (U+0080 to U+009F).
const CONTROL = /\p{Cc}/u;
const CRLF = /\r\n/g;
const LINE_FEEDS = /\n/g;
// With the u flag a paired surrogate is one code point: only a lone half matches.
const LONE_SURROGATE = /\p{Cs}/u;
// U+FFFE, U+FFFF, U+FDD0 to U+FDEF and the last two code points of every plane: never text.
const NONCHARACTER = /\p{Noncharacter_Code_Point}/u;
// What shows nothing on its own: spaces and separators, format characters (U+200B, U+FEFF, U+00AD,
// bidi controls), default-ignorables (Hangul fillers, variation selectors) and combining marks.
const VISIBLE = /[^\p{Z}\p{Cf}\p{Default_Ignorable_Code_Point}\p{M}\s]/u;

export interface TextFieldOptions {
  /** Longest text after trimming, in UTF-16 code units (JavaScript's `length`). */
  readonly max: number;
  /** Shortest text after trimming. Default 1. */
  readonly min?: number;
  /**
   * Text of several lines (a comment, a note): line feeds are kept, a CR LF pair is stored as
   * one line feed; every other control character (tab, a lone CR, NUL…) is still refused.
   */
  readonly lines?: boolean;
}

/**
 * A short line of human text (a title, a name; several lines with `lines: true`): trimmed, then `min`–`max` long, and refused
 * (400) if it holds a control character (C0 with NUL, tab and line breaks; DEL; C1), a lone
 * surrogate or a noncharacter, or if nothing in it is visible (only zero-width, format, bidi
 * or combining characters). Format characters inside visible text stay: emoji sequences and
 * several scripts need the zero-width joiners.
 */
export const textField = ({ max, min = 1, lines = false }: TextFieldOptions) =>
  z.string().check(
    z.trim(),
    ...(lines ? [z.overwrite((text: string) => text.replace(CRLF, '\n'))] : []),
    z.minLength(min),
    z.maxLength(max),
    lines
      ? z.refine(
          (text) => !CONTROL.test(text.replace(LINE_FEEDS, '')),
          'must not contain control characters (NUL, tab, a lone CR, C1)',
        )
      : z.refine((text) => !CONTROL.test(text), 'must not contain control characters (NUL, tab, line breaks, C1)'),
    z.refine((text) => !LONE_SURROGATE.test(text), 'must be well-formed Unicode (no lone surrogate)'),
    z.refine((text) => !NONCHARACTER.test(text), 'must not contain Unicode noncharacters'),
    z.refine((text) => text.length === 0 || VISIBLE.test(text), 'must hold at least one visible character'),
  );

/**
 * Every id the kit mints, as it mints it: a random UUID v4 (`newId`) or a UUID v8 derived from an
 * Idempotency-Key (`uuidFrom`), in canonical lower-case form. Upper case is refused rather than
 * folded: the kit never hands one out, and ids are compared and stored as given (stream ids,
 * DynamoDB keys), so a second spelling of one id would name another stream, not the same one.
 */
export const KIT_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[48][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * An id in a path, a query or a body: what the kit mints (`KIT_ID_PATTERN`), else 400
 * VALIDATION_ERROR naming the field, before any domain code or store read runs. So no id a
 * client makes up (`__proto__`, `constructor`, a key of another aggregate) reaches the domain.
 * Named `ID` (GraphQL's ID scalar; an OpenAPI component with `format: uuid` and the pattern).
 * The default schema of a route's path parameters (`routesFor`).
 */
export const kitId = /* @__PURE__ */ (() =>
  z
    .string()
    .check(
      z.regex(KIT_ID_PATTERN, 'must be an id this API made (a UUID in lower case)'),
      z.meta({ id: 'ID', format: 'uuid', description: 'An id the API made: a UUID in lower case' }),
    ))();

/**
 * A command's answer: the ids it names and the stream's `version` after it, named in OpenAPI and
 * GraphQL: `commandAnswer('OrderCommandAnswer', ['orderId'], "The order's version after the command")`.
 * Ids are `kitId`s unless `id` says otherwise.
 */
export const commandAnswer = <const F extends string>(
  name: string,
  fields: readonly F[],
  description?: string,
  id: z.ZodMiniType<string> = kitId,
) =>
  z
    .object({
      ...(Object.fromEntries(fields.map((field) => [field, id])) as { [K in F]: z.ZodMiniType<string> }),
      version: z.int().check(z.minimum(0)),
    })
    .check(z.meta(description === undefined ? { id: name } : { id: name, description }));
