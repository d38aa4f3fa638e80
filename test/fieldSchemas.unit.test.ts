import * as z from 'zod';
import { parse, queryInt, safeParse, textField } from '../src';
import { graphqlJsonSchemaOf } from '../src/graphql/graphqlJsonSchema';

// The kit's field schemas are zod/mini schemas, parsed as the kit parses them (with zod's English messages).
const accepts = (schema: z.core.$ZodType, value: unknown) => safeParse(schema, value).success;
const messagesFor = (schema: z.core.$ZodType, value: unknown) =>
  safeParse(schema, value).error?.issues.map((i) => i.message) ?? [];

describe('queryInt', () => {
  const limit = queryInt({ min: 1, max: 100 });

  it('reads plain decimal integers within its bounds', () => {
    expect(parse(limit, '1')).toBe(1);
    expect(parse(limit, '100')).toBe(100);
    expect(parse(queryInt(), '-3')).toBe(-3);
    expect(parse(queryInt({ min: 0 }), '0')).toBe(0);
  });

  it.each([
    '0x10',
    '1e2',
    ' 5',
    '5 ',
    '0b11',
    '0o7',
    '+5',
    '05',
    '5.0',
    '5.',
    '',
    '1_000',
    'Infinity',
    'NaN',
    '٣',
    '5,6',
  ])('refuses %j', (value) => {
    expect(messagesFor(limit, value)).toEqual(['must be a plain decimal integer']);
  });

  it('keeps the bounds and their messages', () => {
    expect(messagesFor(limit, '0')).toEqual([expect.stringContaining('>=1')]);
    expect(messagesFor(limit, '101')).toEqual([expect.stringContaining('<=100')]);
    // Past the safe integers a number is no longer exact: refused, not rounded.
    expect(accepts(queryInt(), '9007199254740993')).toBe(false);
  });

  it.each([[['5']], [[5]], [{ toString: () => '5' }], [true], [null]])(
    'refuses %j, whatever it reads as in text',
    (value) => {
      expect(accepts(queryInt(), value)).toBe(false);
    },
  );

  it('takes integers that arrive as numbers (GraphQL arguments), not fractions', () => {
    expect(parse(limit, 7)).toBe(7);
    expect(accepts(limit, 7.5)).toBe(false);
    expect(accepts(limit, true)).toBe(false);
  });

  it("is an integer with its bounds in JSON Schema (OpenAPI, GraphQL's Int)", () => {
    expect(z.toJSONSchema(limit, { io: 'input' })).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
  });
});

describe('textField', () => {
  const title = textField({ max: 10 });

  it('trims and keeps ordinary text, emoji sequences and combining accents', () => {
    expect(parse(title, '  Groceries ')).toBe('Groceries');
    expect(parse(title, '👨‍👩‍👧 trip')).toBe('👨‍👩‍👧 trip');
    expect(parse(title, 'Cafe\u0301')).toBe('Cafe\u0301');
    // A right-to-left mark inside visible text is fine; only a title of nothing visible is not.
    expect(parse(title, '\u202Bשלום\u202C')).toBe('\u202Bשלום\u202C');
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['a tab', 'a\tb'],
    ['a line break', 'a\nb'],
    ['DEL', 'a\u007Fb'],
    ['a C1 control (NEL)', 'a\u0085b'],
  ])('refuses %s inside the text', (_name, value) => {
    expect(messagesFor(title, value)).toEqual([expect.stringContaining('control characters')]);
  });

  it('refuses a lone surrogate, but not a pair', () => {
    expect(messagesFor(title, 'a\uD800b')).toEqual([expect.stringContaining('lone surrogate')]);
    expect(messagesFor(title, 'a\uDC00')).toEqual([expect.stringContaining('lone surrogate')]);
    expect(accepts(title, 'a\uD83D\uDE00')).toBe(true);
  });

  it('refuses noncharacters', () => {
    expect(messagesFor(title, 'a\uFFFF')).toEqual([expect.stringContaining('noncharacters')]);
    expect(messagesFor(title, 'a\uFDD0')).toEqual([expect.stringContaining('noncharacters')]);
  });

  it.each([
    ['zero-width spaces', '\u200B\u200B'],
    ['a zero-width joiner', '\u200D'],
    ['bidi controls', '\u202E\u2066\u2069'],
    ['a soft hyphen', '\u00AD'],
    ['a byte-order mark between zero-width spaces', '\u200B\uFEFF\u200B'],
    ['a combining mark alone', '\u0301'],
    ['a Hangul filler', '\u3164'],
    ['a variation selector', '\uFE0F'],
  ])('refuses a text of only %s', (_name, value) => {
    expect(messagesFor(title, value)).toEqual(['must hold at least one visible character']);
  });

  describe('of several lines (lines: true)', () => {
    const note = textField({ max: 20, lines: true });

    it('keeps line feeds, stores a CR LF pair as one line feed, and trims around the text', () => {
      expect(parse(note, ' first\nsecond \n')).toBe('first\nsecond');
      expect(parse(note, 'a\r\nb\r\n\r\nc')).toBe('a\nb\n\nc');
      // The bound counts the stored text: 10 + 1 + 9 = 20 with LF, 21 as sent with CR LF.
      expect(parse(note, `${'x'.repeat(10)}\r\n${'y'.repeat(9)}`)).toHaveLength(20);
    });

    it.each([
      ['a tab', 'a\tb'],
      ['a lone CR', 'a\rb'],
      ['NUL', 'a\u0000b'],
      ['a C1 control (NEL)', 'a\u0085b'],
    ])('still refuses %s', (_name, value) => {
      expect(messagesFor(note, value)).toEqual([expect.stringContaining('control characters')]);
    });

    it('is a string with its bounds in JSON Schema (OpenAPI) and in the GraphQL type reader', () => {
      expect(z.toJSONSchema(note, { io: 'input' })).toMatchObject({ type: 'string', minLength: 1, maxLength: 20 });
      expect(graphqlJsonSchemaOf(note, 'input')).toEqual(graphqlJsonSchemaOf(textField({ max: 20 }), 'input'));
    });

    it('refuses a text of only line breaks, and a one-line field still refuses them', () => {
      expect(accepts(note, '\n\r\n')).toBe(false);
      expect(accepts(title, 'a\r\nb')).toBe(false);
    });
  });

  it('counts its bounds after trimming, and refuses what trims to nothing', () => {
    expect(accepts(title, ` ${'x'.repeat(10)} `)).toBe(true);
    expect(accepts(title, 'x'.repeat(11))).toBe(false);
    expect(messagesFor(title, ' \u00A0\u3000 ')).toEqual([expect.stringContaining('>=1')]);
  });
});
