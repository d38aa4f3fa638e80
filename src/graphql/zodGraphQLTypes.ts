import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLString,
  valueFromASTUntyped,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLType,
} from 'graphql';
import type * as z from 'zod/mini';
import { safeParse, type Schema } from '../http/schema';
import { HttpError } from '../errors';
import { issuesOf } from '../http/httpRoute';
import { graphqlJsonSchemaOf, type JsonSchema } from './graphqlJsonSchema';

/** Any JSON value (event payloads). */
export const GraphQLJSON = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

/** The zod schema named `ID` (`.meta({ id: 'ID' })`) is GraphQL's ID scalar. */
const ID_SCHEMA_NAME = 'ID';
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

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

/**
 * Builds GraphQL fields from zod schemas, through their JSON Schema (`graphqlJsonSchemaOf`), so a
 * GraphQL type and an OpenAPI schema come from one definition. Results use the output side of a schema,
 * arguments its input side. One instance per GraphQL schema (`C` is its resolvers' context):
 * types are built once per name.
 */
export class ZodGraphQLTypes<C = unknown> {
  private readonly types = new Map<string, GraphQLOutputType>();

  /** A nullable root-style field: a failure nulls this field only and is reported in `errors`. */
  field<A extends Schema | undefined = undefined, I = A extends Schema ? z.output<A> : undefined>(
    name: string,
    options: ZodFieldOptions<A, C, I>,
  ): GraphQLFieldConfig<unknown, C> {
    const args = options.args;
    const nullable = args ? nullableArgs(args) : new Set<string>();
    return {
      ...(options.description ? { description: options.description } : {}),
      type: this.output(options.type, pascal(name)),
      ...(args ? { args: this.args(args) } : {}),
      resolve: async (_source, rawArgs: Record<string, unknown>, context: C) => {
        const given = args ? givenArgs(rawArgs, nullable) : {};
        const parsed = options.check ? options.check(given) : args ? parseArgs(name, args, given) : undefined;
        return options.resolve(parsed as I, context);
      },
    };
  }

  /** The GraphQL output type of a zod schema (nullable at the top). */
  output(schema: Schema, fallbackName: string): GraphQLOutputType {
    const json = graphqlJsonSchemaOf(schema, 'output');
    return this.outputOf(json, json.$defs ?? {}, fallbackName, false);
  }

  /** GraphQL arguments from an object schema's properties. */
  args(schema: Schema): GraphQLFieldConfigArgumentMap {
    const json = graphqlJsonSchemaOf(schema, 'input');
    const required = new Set(json.required ?? []);
    return Object.fromEntries(
      Object.entries(json.properties ?? {}).map(([name, property]) => {
        const type = inputOf(property, json.$defs ?? {}, name);
        return [
          name,
          {
            // A required field that takes null (`.nullable()`: "clear it") stays nullable in GraphQL.
            type: required.has(name) && !acceptsNull(property) ? new GraphQLNonNull(type) : type,
            ...describedBy(property),
          },
        ];
      }),
    );
  }

  private outputOf(
    json: JsonSchema,
    defs: Readonly<Record<string, JsonSchema>>,
    name: string,
    required: boolean,
  ): GraphQLOutputType {
    const type = this.nullableOutputOf(json, defs, name);
    return required ? new GraphQLNonNull(type) : type;
  }

  private nullableOutputOf(
    json: JsonSchema,
    defs: Readonly<Record<string, JsonSchema>>,
    name: string,
  ): GraphQLOutputType {
    if (json.$ref) {
      const [refName, def] = resolveRef(json.$ref, defs);
      if (refName === ID_SCHEMA_NAME && def.type === 'string') return GraphQLID;
      return this.nullableOutputOf({ ...def, description: json.description ?? def.description }, defs, refName);
    }
    const nonNull = withoutNull(json);
    if (nonNull !== json) return this.nullableOutputOf(nonNull, defs, name);
    if (json.type === 'object' && json.properties) return this.named(name, () => this.objectOf(json, defs, name));
    if (json.type === 'array' && json.items)
      return new GraphQLList(this.outputOf(json.items, defs, `${name}Item`, true));
    if (json.type === 'string' && json.enum?.every((v) => typeof v === 'string' && GRAPHQL_NAME.test(v))) {
      return this.named(name, () => enumOf(name, json));
    }
    return scalarOf(json) ?? GraphQLJSON;
  }

  private objectOf(json: JsonSchema, defs: Readonly<Record<string, JsonSchema>>, name: string): GraphQLObjectType {
    const required = new Set(json.required ?? []);
    return new GraphQLObjectType({
      name,
      ...(json.description ? { description: json.description } : {}),
      // Thunk: lets a named type refer to itself or to types built later.
      fields: () =>
        Object.fromEntries(
          Object.entries(json.properties ?? {}).map(([field, property]) => [
            field,
            {
              // A field that may be null (`.nullable()`) is nullable in GraphQL, required or not.
              type: this.outputOf(
                property,
                defs,
                `${name}${pascal(field)}`,
                required.has(field) && !acceptsNull(property),
              ),
              ...describedBy(property),
            },
          ]),
        ),
    });
  }

  private named(name: string, build: () => GraphQLOutputType): GraphQLOutputType {
    const known = this.types.get(name);
    if (known) return known;
    const built = build();
    this.types.set(name, built);
    return built;
  }
}

const resolveRef = (ref: string, defs: Readonly<Record<string, JsonSchema>>): [string, JsonSchema] => {
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

const scalarOf = (json: JsonSchema): GraphQLScalarType | undefined => {
  switch (json.type) {
    case 'string':
      return GraphQLString;
    case 'integer':
      return GraphQLInt;
    case 'number':
      return GraphQLFloat;
    case 'boolean':
      return GraphQLBoolean;
    default:
      return undefined;
  }
};

const enumOf = (name: string, json: JsonSchema) =>
  new GraphQLEnumType({
    name,
    ...(json.description ? { description: json.description } : {}),
    values: Object.fromEntries((json.enum as string[]).map((value) => [value, { value }])),
  });

/** Arguments are scalars (ids, titles, numbers): that is all a command or query here takes. */
const inputOf = (json: JsonSchema, defs: Readonly<Record<string, JsonSchema>>, name: string): GraphQLInputType => {
  if (json.$ref) {
    const [refName, def] = resolveRef(json.$ref, defs);
    if (refName === ID_SCHEMA_NAME && def.type === 'string') return GraphQLID;
    return inputOf(def, defs, name);
  }
  const type: GraphQLType | undefined = scalarOf(withoutNull(json));
  if (!type) throw new Error(`Argument ${name}: only scalar arguments are supported, got ${JSON.stringify(json)}`);
  return type;
};

/** A field's or argument's description: its own, or that of its schema inside `.nullable()`. */
const describedBy = (json: JsonSchema): { description?: string } => {
  const description = withoutNull(json).description;
  return description ? { description } : {};
};

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
