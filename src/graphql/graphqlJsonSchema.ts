/**
 * The part of a zod schema's JSON Schema that GraphQL types are built from — `type`, `properties`,
 * `required`, `items`, `enum`, `anyOf` (nullable), `$ref`/`$defs` (named by `.meta({ id })`) and
 * `description` — read straight from the schema's definition. It gives what
 * `z.toJSONSchema(schema, { io })` gives for those keys (test/graphqlJsonSchema.unit.test.ts holds
 * them side by side), without zod's JSON Schema generator: ~21 KB less in the GraphQL bundle,
 * which never needed the rest of it (patterns, bounds, formats).
 */
import { globalRegistry, type $ZodType } from 'zod/v4/core';

export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly JsonSchema[];
  readonly $ref?: string;
  readonly $defs?: Readonly<Record<string, JsonSchema>>;
  readonly description?: string;
}

type Io = 'input' | 'output';

interface Walk {
  readonly io: Io;
  readonly defs: Record<string, JsonSchema>;
  /** Schemas on the path from the root: seeing one again is a cycle. */
  readonly path: Set<$ZodType>;
}

// biome-ignore lint/suspicious/noExplicitAny: a zod definition's fields depend on its `type`, read below case by case
type AnyDef = Record<string, any>;

const defOf = (schema: $ZodType): AnyDef => schema._zod.def as unknown as AnyDef;

const unrepresentable = (what: string): never => {
  throw new Error(`${what} cannot be represented in JSON Schema`);
};

/** The schema's `.meta({ id })`: its own (a refinement of a named schema refers to that one, below). */
/**
 * An enum's values, as zod's own `util.getEnumValues` reads them (a TypeScript numeric enum's reverse
 * mappings left out). Written here: importing zod's `util` namespace bundles all of it (~8 KB).
 */
const enumValues = (entries: Readonly<Record<string, string | number>>): (string | number)[] => {
  const numeric = Object.values(entries).filter((value) => typeof value === 'number');
  return Object.entries(entries)
    .filter(([key]) => numeric.indexOf(Number(key)) === -1)
    .map(([, value]) => value);
};

const ownId = (schema: $ZodType): string | undefined => globalRegistry.get(schema)?.id;

const described = (schema: $ZodType): { description?: string } => {
  const description = globalRegistry.get(schema)?.description;
  return description === undefined ? {} : { description };
};

const refTo = (id: string): string => `#/$defs/${id}`;

/** The schema, or a `$ref` to its definition when it (or the schema it refines) is named. */
const jsonOf = (schema: $ZodType, walk: Walk): JsonSchema => {
  const id = ownId(schema);
  if (id !== undefined) {
    if (!(id in walk.defs) && !walk.path.has(schema)) {
      walk.defs[id] = {};
      walk.defs[id] = bodyOf(schema, walk);
    }
    return { $ref: refTo(id) };
  }
  if (walk.path.has(schema)) throw new Error('A recursive schema needs a name for GraphQL: give it .meta({ id })');
  // `.check(…)`, `.describe(…)` and the like copy a schema and keep the original as its parent.
  for (let parent = schema._zod.parent; parent; parent = parent._zod.parent) {
    const parentId = ownId(parent);
    if (parentId === undefined) continue;
    jsonOf(parent, walk);
    return { $ref: refTo(parentId), ...described(schema) };
  }
  return bodyOf(schema, walk);
};

const bodyOf = (schema: $ZodType, walk: Walk): JsonSchema => {
  walk.path.add(schema);
  try {
    return { ...shapeOf(schema, walk), ...described(schema) };
  } finally {
    walk.path.delete(schema);
  }
};

/** A field is required unless it may be absent on this side (`optional`, or `default` on input). */
const isRequired = (field: $ZodType, io: Io): boolean => {
  if (io === 'output') return field._zod.optout === undefined;
  const def = defOf(field);
  if (def.type === 'pipe' && def.in._zod.traits.has('$ZodTransform')) return isRequired(def.out, io);
  if (def.type === 'catch') return isRequired(def.innerType, io);
  return field._zod.optin === undefined;
};

/** `z.int()` and the like are number schemas with an integer format, as are `.check(z.int())`s. */
const isInteger = (schema: $ZodType): boolean => {
  const def = defOf(schema);
  const formats = [def.format, (schema._zod.bag as { format?: unknown }).format];
  for (const check of (def.checks ?? []) as $ZodType[]) formats.push(defOf(check).format);
  return formats.some((format) => typeof format === 'string' && format.includes('int'));
};

const valuesType = (values: readonly unknown[]): { type?: string } => {
  for (const type of ['number', 'string', 'boolean'])
    if (values.every((value) => typeof value === type)) return { type };
  return values.every((value) => value === null) ? { type: 'null' } : {};
};

// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one switch over zod's definition types, each a line or two
const shapeOf = (schema: $ZodType, walk: Walk): JsonSchema => {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
    case 'template_literal':
    case 'file':
      return { type: 'string' };
    case 'number':
      return { type: isInteger(schema) ? 'integer' : 'number' };
    case 'boolean':
    case 'success':
      return { type: 'boolean' };
    case 'null':
      return { type: 'null' };
    case 'any':
    case 'unknown':
    case 'never':
    case 'intersection':
      return {};
    case 'enum': {
      const values = enumValues(def.entries as Readonly<Record<string, string | number>>);
      return values.length === 0 ? {} : { ...valuesType(values), enum: values };
    }
    case 'literal': {
      const values = def.values as unknown[];
      if (values.some((value) => value === undefined || typeof value === 'bigint'))
        unrepresentable('A literal undefined or BigInt');
      if (values.length === 1) return { type: values[0] === null ? 'null' : typeof values[0] };
      return values.length === 0 ? {} : { ...valuesType(values), enum: values };
    }
    case 'object': {
      const shape = def.shape as Record<string, $ZodType>;
      const keys = Object.keys(shape);
      const required = keys.filter((key) => isRequired(shape[key] as $ZodType, walk.io));
      return {
        type: 'object',
        properties: Object.fromEntries(keys.map((key) => [key, jsonOf(shape[key] as $ZodType, walk)])),
        ...(required.length > 0 ? { required } : {}),
      };
    }
    case 'record':
      return { type: 'object' };
    case 'array':
      return { type: 'array', items: jsonOf(def.element, walk) };
    case 'tuple':
      return { type: 'array', ...(def.rest ? { items: jsonOf(def.rest, walk) } : {}) };
    case 'union':
      // Exclusive unions are `oneOf`, which GraphQL types never look into (any JSON, as `{}`).
      return def.inclusive === false ? {} : { anyOf: (def.options as $ZodType[]).map((o) => jsonOf(o, walk)) };
    case 'nullable':
      return { anyOf: [jsonOf(def.innerType, walk), { type: 'null' }] };
    case 'optional':
    case 'nonoptional':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'promise':
      return jsonOf(def.innerType, walk);
    case 'lazy':
      return jsonOf((schema._zod as unknown as { innerType: $ZodType }).innerType, walk);
    case 'pipe': {
      const fromTransform = walk.io === 'input' && def.in._zod.traits.has('$ZodTransform');
      return jsonOf(walk.io === 'output' || fromTransform ? def.out : def.in, walk);
    }
    default:
      return unrepresentable(`A zod ${String(def.type)}`);
  }
};

/** `schema` as JSON Schema for GraphQL types: its `io` side (`output` for answers, `input` for arguments). */
export const graphqlJsonSchemaOf = (schema: $ZodType, io: Io): JsonSchema => {
  const walk: Walk = { io, defs: {}, path: new Set() };
  const json = jsonOf(schema, walk);
  return Object.keys(walk.defs).length === 0 ? json : { ...json, $defs: walk.defs };
};
