/**
 * The built-in scalars as graphql-js has them (reading a literal, a variable's value, answering,
 * with its messages), and the small parts of graphql-js its messages need (`inspect`, printing a
 * value): for the kit's engine over a `typeModel` schema (`modelRoute`).
 */
import { GraphQLError, Kind, type ValueNode } from 'graphql';

// graphql-js's `inspect`, for messages that show a value: 2 levels deep, 10 items of a list.
const inspectValue = (value: unknown, seen: readonly unknown[]): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return value.name ? `[function ${value.name}]` : '[function]';
  if (typeof value !== 'object' || value === null) return String(value);
  if (seen.includes(value)) return '[Circular]';
  const within = [...seen, value];
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    const json: unknown = toJSON.call(value);
    if (json !== value) return typeof json === 'string' ? json : inspectValue(json, within);
  } else if (Array.isArray(value)) return inspectArray(value, within);
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  if (within.length > 2) return `[${objectTag(value)}]`;
  return `{ ${entries.map(([key, item]) => `${key}: ${inspectValue(item, within)}`).join(', ')} }`;
};
const inspectArray = (value: readonly unknown[], within: readonly unknown[]): string => {
  if (value.length === 0) return '[]';
  if (within.length > 2) return '[Array]';
  const items = value.slice(0, 10).map((item) => inspectValue(item, within));
  const more = value.length - 10;
  if (more > 0) items.push(more === 1 ? '... 1 more item' : `... ${more} more items`);
  return `[${items.join(', ')}]`;
};
const objectTag = (value: object): string => {
  const tag = Object.prototype.toString
    .call(value)
    .replace(/^\[object /, '')
    .replace(/]$/, '');
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return tag === 'Object' && typeof name === 'string' && name !== '' ? name : tag;
};
export const inspect = (value: unknown): string => inspectValue(value, []);

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
};
const escaped = (c: string): string => {
  const code = c.charCodeAt(0);
  if (SHORT_ESCAPES[c]) return SHORT_ESCAPES[c];
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}` : c;
};
// graphql-js's printString: the escapes a printed string value carries.
const printString = (value: string) => `"${Array.from(value, escaped).join('')}"`;

// graphql-js's printBlockString.
const isBlank = (code: number) => code === 0x20 || code === 0x09;
const printBlockString = (value: string): string => {
  const escapedValue = value.replaceAll('"""', '\\"""');
  const lines = escapedValue.split(/\r\n|[\n\r]/g);
  const singleLine = lines.length === 1;
  const leadingNewLine =
    lines.length > 1 && lines.slice(1).every((line) => line.length === 0 || isBlank(line.charCodeAt(0)));
  const trailingTripleQuotes = escapedValue.endsWith('\\"""');
  const trailingNewLine = (value.endsWith('"') && !trailingTripleQuotes) || value.endsWith('\\');
  const multipleLines = !singleLine || value.length > 70 || trailingNewLine || leadingNewLine || trailingTripleQuotes;
  const skipLeadingNewLine = singleLine && isBlank(value.charCodeAt(0));
  const start = (multipleLines && !skipLeadingNewLine) || leadingNewLine ? '\n' : '';
  return `"""${start}${escapedValue}${multipleLines || trailingNewLine ? '\n' : ''}"""`;
};

/** A value as graphql-js prints it in messages (block strings printed as plain strings). */
export const printValue = (node: ValueNode): string => {
  switch (node.kind) {
    case Kind.VARIABLE:
      return `$${node.name.value}`;
    case Kind.STRING:
      return node.block ? printBlockString(node.value) : printString(node.value);
    case Kind.LIST:
      return `[${node.values.map(printValue).join(', ')}]`;
    case Kind.OBJECT:
      return `{${node.fields.map((f) => `${f.name.value}: ${printValue(f.value)}`).join(', ')}}`;
    case Kind.NULL:
      return 'null';
    case Kind.BOOLEAN:
      return node.value ? 'true' : 'false';
    default:
      return node.value;
  }
};

/** The built-in scalars' behaviour, as graphql-js's: reading a literal, a variable's value, and answering. */
export interface ScalarRules {
  readonly description: string;
  readonly literal: (node: ValueNode, variables?: Readonly<Record<string, unknown>>) => unknown;
  readonly value: (value: unknown) => unknown;
  readonly serialize: (value: unknown) => unknown;
}

const fail = (message: string, node?: ValueNode): never => {
  throw new GraphQLError(message, node ? { nodes: node } : {});
};
const plain = (value: unknown): unknown => {
  if (typeof value !== 'object' || value === null) return value;
  const own = value as { valueOf?: () => unknown; toJSON?: () => unknown };
  if (typeof own.valueOf === 'function') {
    const inner = own.valueOf();
    if (typeof inner !== 'object' || inner === null) return inner;
  }
  return typeof own.toJSON === 'function' ? own.toJSON() : value;
};
const numberOf = (value: unknown): unknown => {
  const coerced = plain(value);
  if (typeof coerced === 'boolean') return coerced ? 1 : 0;
  return typeof coerced === 'string' && coerced !== '' ? Number(coerced) : coerced;
};
const MAX_INT = 2147483647;
const MIN_INT = -2147483648;
const int32 = (num: number, shown: string, node?: ValueNode) =>
  num > MAX_INT || num < MIN_INT ? fail(`Int cannot represent non 32-bit signed integer value: ${shown}`, node) : num;

/** JSON values written in a query (`valueFromASTUntyped`). */
export const untypedValue = (node: ValueNode, variables?: Readonly<Record<string, unknown>>): unknown => {
  switch (node.kind) {
    case Kind.NULL:
      return null;
    case Kind.INT:
      return Number.parseInt(node.value, 10);
    case Kind.FLOAT:
      return Number.parseFloat(node.value);
    case Kind.LIST:
      return node.values.map((item) => untypedValue(item, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, untypedValue(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[node.name.value];
    default:
      return node.value;
  }
};

export const SCALARS: Readonly<Record<string, ScalarRules>> = {
  String: {
    description:
      'The `String` scalar type represents textual data, represented as UTF-8 character sequences. The String type is most often used by GraphQL to represent free-form human-readable text.',
    literal: (node) =>
      node.kind === Kind.STRING
        ? node.value
        : fail(`String cannot represent a non string value: ${printValue(node)}`, node),
    value: (value) =>
      typeof value === 'string' ? value : fail(`String cannot represent a non string value: ${inspect(value)}`),
    serialize: (value) => {
      const coerced = plain(value);
      if (typeof coerced === 'string') return coerced;
      if (typeof coerced === 'boolean') return coerced ? 'true' : 'false';
      if (typeof coerced === 'number' && Number.isFinite(coerced)) return coerced.toString();
      return fail(`String cannot represent value: ${inspect(value)}`);
    },
  },
  Int: {
    description:
      'The `Int` scalar type represents non-fractional signed whole numeric values. Int can represent values between -(2^31) and 2^31 - 1.',
    literal: (node) =>
      node.kind === Kind.INT
        ? int32(Number.parseInt(node.value, 10), node.value, node)
        : fail(`Int cannot represent non-integer value: ${printValue(node)}`, node),
    value: (value) =>
      typeof value === 'number' && Number.isInteger(value)
        ? int32(value, String(value))
        : fail(`Int cannot represent non-integer value: ${inspect(value)}`),
    serialize: (value) => {
      const num = numberOf(value);
      if (typeof num !== 'number' || !Number.isInteger(num))
        return fail(`Int cannot represent non-integer value: ${inspect(plain(value))}`);
      return int32(num, inspect(plain(value)));
    },
  },
  Float: {
    description:
      'The `Float` scalar type represents signed double-precision fractional values as specified by [IEEE 754](https://en.wikipedia.org/wiki/IEEE_floating_point).',
    literal: (node) =>
      node.kind === Kind.FLOAT || node.kind === Kind.INT
        ? Number.parseFloat(node.value)
        : fail(`Float cannot represent non numeric value: ${printValue(node)}`, node),
    value: (value) =>
      typeof value === 'number' && Number.isFinite(value)
        ? value
        : fail(`Float cannot represent non numeric value: ${inspect(value)}`),
    serialize: (value) => {
      const num = numberOf(value);
      return typeof num === 'number' && Number.isFinite(num)
        ? num
        : fail(`Float cannot represent non numeric value: ${inspect(plain(value))}`);
    },
  },
  Boolean: {
    description: 'The `Boolean` scalar type represents `true` or `false`.',
    literal: (node) =>
      node.kind === Kind.BOOLEAN
        ? node.value
        : fail(`Boolean cannot represent a non boolean value: ${printValue(node)}`, node),
    value: (value) =>
      typeof value === 'boolean' ? value : fail(`Boolean cannot represent a non boolean value: ${inspect(value)}`),
    serialize: (value) => {
      const coerced = plain(value);
      if (typeof coerced === 'boolean') return coerced;
      if (Number.isFinite(coerced)) return coerced !== 0;
      return fail(`Boolean cannot represent a non boolean value: ${inspect(coerced)}`);
    },
  },
  ID: {
    description:
      'The `ID` scalar type represents a unique identifier, often used to refetch an object or as key for a cache. ' +
      'The ID type appears in a JSON response as a String; ' +
      'however, it is not intended to be human-readable. ' +
      'When expected as an input type, any string (such as `"4"`) or integer (such as `4`) input value will be accepted as an ID.',
    literal: (node) =>
      node.kind === Kind.STRING || node.kind === Kind.INT
        ? node.value
        : fail(`ID cannot represent a non-string and non-integer value: ${printValue(node)}`, node),
    value: (value) => {
      if (typeof value === 'string') return value;
      if (typeof value === 'number' && Number.isInteger(value)) return value.toString();
      return fail(`ID cannot represent value: ${inspect(value)}`);
    },
    serialize: (value) => {
      const coerced = plain(value);
      if (typeof coerced === 'string') return coerced;
      if (Number.isInteger(coerced)) return String(coerced);
      return fail(`ID cannot represent value: ${inspect(value)}`);
    },
  },
  JSON: {
    description: 'Any JSON value',
    literal: untypedValue,
    value: (value) => value,
    serialize: (value) => value,
  },
};

/** The scalars graphql-js always knows (suggestions and `Unknown type` consider them). */
export const SPECIFIED_SCALARS = ['String', 'Int', 'Float', 'Boolean', 'ID'] as const;
