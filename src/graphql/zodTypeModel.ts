import type * as z from 'zod/mini';
import { HttpError } from '../errors';
import { issuesOf } from '../http/httpRoute';
import { safeParse, type Schema } from '../http/schema';
import { graphqlJsonSchemaOf, type JsonSchema } from './graphqlJsonSchema';
import type { ModelArgument, ModelField, ModelType } from './typeModel';

/** The zod schema named `ID` (`.meta({ id: 'ID' })`) is GraphQL's ID scalar. */
const ID_SCHEMA_NAME = 'ID';
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
export const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

export interface ZodFieldOptions<A extends Schema | undefined, C, I = A extends Schema ? z.output<A> : undefined> {
  readonly description?: string;
  /** The arguments: an object schema, checked (and transformed) by zod before `resolve` runs. */
  readonly args?: A;
  /**
   * Checks the given arguments instead of `args` (which then only shapes the GraphQL types): for a
   * caller whose own schemas check them anyway, so they are parsed once. Gets them as `args` would
   * (absent ones, and `null` where the schema takes none, left out); throws the 400 itself.
   */
  readonly check?: (given: Record<string, unknown>) => I;
  /** The result; named by its `.meta({ id })`, else after the field. */
  readonly type: Schema;
  readonly resolve: (args: I, context: C) => unknown;
}

type Defs = Readonly<Record<string, JsonSchema>>;

/**
 * GraphQL types (as `typeModel` data) from zod schemas, through their JSON Schema
 * (`graphqlJsonSchemaOf`), so a GraphQL type and an OpenAPI schema come from one definition.
 * Results use the output side of a schema, arguments its input side. One instance per schema
 * (`C` is its resolvers' context): types are built once per name, the first definition wins.
 */
export class ZodTypeModel<C = unknown> {
  /** Every named object and enum type built so far. */
  readonly types = new Map<string, ModelType<C>>();

  /** A nullable root-style field: a failure nulls this field only and is reported in `errors`. */
  field<A extends Schema | undefined = undefined, I = A extends Schema ? z.output<A> : undefined>(
    name: string,
    options: ZodFieldOptions<A, C, I>,
  ): ModelField<C> {
    const args = options.args;
    const nullable = args ? nullableArgs(args) : new Set<string>();
    return {
      ...(options.description ? { description: options.description } : {}),
      type: this.output(options.type, pascal(name)),
      ...(args ? { args: this.args(args) } : {}),
      resolve: async (_source, rawArgs, context) => {
        const given = args ? givenArgs(rawArgs, nullable) : {};
        const parsed = options.check ? options.check(given) : args ? parseArgs(name, args, given) : undefined;
        return options.resolve(parsed as I, context);
      },
    };
  }

  /** The GraphQL output type of a zod schema (nullable at the top), in SDL notation. */
  output(schema: Schema, fallbackName: string): string {
    const json = graphqlJsonSchemaOf(schema, 'output');
    return this.outputOf(json, json.$defs ?? {}, fallbackName, false);
  }

  /** GraphQL arguments from an object schema's properties. */
  args(schema: Schema): Record<string, ModelArgument> {
    const json = graphqlJsonSchemaOf(schema, 'input');
    const required = new Set(json.required ?? []);
    return Object.fromEntries(
      Object.entries(json.properties ?? {}).map(([name, property]) => {
        const type = inputOf(property, json.$defs ?? {}, name);
        // A required field that takes null (`.nullable()`: "clear it") stays nullable in GraphQL.
        return [
          name,
          { type: required.has(name) && !acceptsNull(property) ? `${type}!` : type, ...describedBy(property) },
        ];
      }),
    );
  }

  private outputOf(json: JsonSchema, defs: Defs, name: string, required: boolean): string {
    const type = this.nullableOutputOf(json, defs, name);
    return required ? `${type}!` : type;
  }

  private nullableOutputOf(json: JsonSchema, defs: Defs, name: string): string {
    if (json.$ref) {
      const [refName, def] = resolveRef(json.$ref, defs);
      if (refName === ID_SCHEMA_NAME && def.type === 'string') return 'ID';
      return this.nullableOutputOf({ ...def, description: json.description ?? def.description }, defs, refName);
    }
    const nonNull = withoutNull(json);
    if (nonNull !== json) return this.nullableOutputOf(nonNull, defs, name);
    if (json.type === 'object' && json.properties) return this.objectOf(json, defs, name);
    if (json.type === 'array' && json.items) return `[${this.outputOf(json.items, defs, `${name}Item`, true)}]`;
    if (json.type === 'string' && json.enum?.every((v) => typeof v === 'string' && GRAPHQL_NAME.test(v))) {
      if (!this.types.has(name))
        this.types.set(name, { kind: 'ENUM', name, ...describedAs(json), values: json.enum as string[] });
      return name;
    }
    return scalarOf(json) ?? 'JSON';
  }

  private objectOf(json: JsonSchema, defs: Defs, name: string): string {
    if (this.types.has(name)) return name;
    const fields: Record<string, ModelField<C>> = {};
    // Registered before its fields are built: lets a named type refer to itself.
    this.types.set(name, { kind: 'OBJECT', name, ...describedAs(json), fields });
    const required = new Set(json.required ?? []);
    for (const [field, property] of Object.entries(json.properties ?? {})) {
      fields[field] = {
        // A field that may be null (`.nullable()`) is nullable in GraphQL, required or not.
        type: this.outputOf(property, defs, `${name}${pascal(field)}`, required.has(field) && !acceptsNull(property)),
        ...describedBy(property),
      };
    }
    return name;
  }
}

const describedAs = (json: JsonSchema): { description?: string } =>
  json.description ? { description: json.description } : {};

const resolveRef = (ref: string, defs: Defs): [string, JsonSchema] => {
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  const def = defs[name];
  if (!def) throw new Error(`Unresolved schema reference ${ref}`);
  return [name, def];
};

/**
 * `.nullable()` is `anyOf: [T, { type: 'null' }]`, or `type: [T, 'null']` for a scalar with no
 * checks (`z.string().nullable()`): T, nullable in GraphQL anyway.
 */
const withoutNull = (json: JsonSchema): JsonSchema => {
  if (typeof json.type === 'object') {
    const types = json.type.filter((type) => type !== 'null');
    return types.length === 1 ? { ...json, type: types[0] } : json;
  }
  const others = json.anyOf?.filter((branch) => branch.type !== 'null');
  return others?.length === 1 && others[0]
    ? { ...others[0], description: json.description ?? others[0].description }
    : json;
};

const SCALAR_OF: Readonly<Record<string, string>> = {
  string: 'String',
  integer: 'Int',
  number: 'Float',
  boolean: 'Boolean',
};
const scalarOf = (json: JsonSchema): string | undefined =>
  typeof json.type === 'string' ? SCALAR_OF[json.type] : undefined;

/** Arguments are scalars (ids, titles, numbers): that is all a command or query here takes. */
const inputOf = (json: JsonSchema, defs: Defs, name: string): string => {
  if (json.$ref) {
    const [refName, def] = resolveRef(json.$ref, defs);
    if (refName === ID_SCHEMA_NAME && def.type === 'string') return 'ID';
    return inputOf(def, defs, name);
  }
  const type = scalarOf(withoutNull(json));
  if (!type) throw new Error(`Argument ${name}: only scalar arguments are supported, got ${JSON.stringify(json)}`);
  return type;
};

/** A field's or argument's description: its own, or that of its schema inside `.nullable()`. */
const describedBy = (json: JsonSchema): { description?: string } => describedAs(withoutNull(json));

/** `.nullable()` is `anyOf: [T, { type: 'null' }]` or `type: [T, 'null']`. */
const acceptsNull = (json: JsonSchema): boolean =>
  json.type === 'null' ||
  (typeof json.type === 'object' && json.type.includes('null')) ||
  (json.anyOf ?? []).some((branch) => branch.type === 'null');

/** The arguments whose schema takes `null` as a value of its own. */
const nullableArgs = (schema: Schema): Set<string> => {
  const json = graphqlJsonSchemaOf(schema, 'input');
  return new Set(
    Object.entries(json.properties ?? {})
      .filter(([, property]) => acceptsNull(property))
      .map(([name]) => name),
  );
};

/**
 * GraphQL sends an omitted argument as absent and an explicit `null` as null: both mean "not
 * given", except for an argument whose schema takes null (a value that can be cleared).
 */
const givenArgs = (raw: Record<string, unknown>, nullable: ReadonlySet<string>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(raw).filter(([name, value]) => value !== undefined && (value !== null || nullable.has(name))),
  );

const parseArgs = (field: string, schema: Schema, given: Record<string, unknown>): unknown => {
  const result = safeParse(schema, given);
  if (!result.success) {
    throw new HttpError(400, 'VALIDATION_ERROR', `The arguments of ${field} are not valid`, issuesOf(result.error));
  }
  return result.data;
};
