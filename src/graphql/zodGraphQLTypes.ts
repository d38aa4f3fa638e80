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
  GraphQLSchema,
  GraphQLString,
  valueFromASTUntyped,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
} from 'graphql';
import type * as z from 'zod/mini';
import type { Schema } from '../http/schema';
import {
  itemOf,
  namedOf,
  nullableOf,
  type ModelArgument,
  type ModelField,
  type ModelType,
  type SchemaModel,
} from './typeModel';
import { ZodTypeModel, type ZodFieldOptions } from './zodTypeModel';

export type { ZodFieldOptions } from './zodTypeModel';

/** Any JSON value (event payloads). */
export const GraphQLJSON = /* @__PURE__ */ new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

const SCALAR_TYPES: Readonly<Record<string, GraphQLScalarType>> = {
  String: GraphQLString,
  Int: GraphQLInt,
  Float: GraphQLFloat,
  Boolean: GraphQLBoolean,
  ID: GraphQLID,
};

/** graphql-js types for `typeModel` data: one per name, built when first asked for. */
class GraphQLTypesOfModel<C> {
  private readonly built = new Map<string, GraphQLNamedType>();

  constructor(private readonly lookup: (name: string) => ModelType<C> | undefined) {}

  typeOf(ref: string): GraphQLOutputType & GraphQLInputType {
    const nullable = nullableOf(ref);
    if (nullable !== undefined)
      return new GraphQLNonNull(this.typeOf(nullable)) as GraphQLOutputType & GraphQLInputType;
    const item = itemOf(ref);
    if (item !== undefined) return new GraphQLList(this.typeOf(item));
    return this.named(namedOf(ref)) as GraphQLOutputType & GraphQLInputType;
  }

  field(field: ModelField<C>): GraphQLFieldConfig<unknown, C> {
    return {
      ...(field.description ? { description: field.description } : {}),
      type: this.typeOf(field.type),
      ...(field.args ? { args: this.args(field.args) } : {}),
      ...(field.resolve ? { resolve: field.resolve } : {}),
    };
  }

  args(args: Readonly<Record<string, ModelArgument>>): GraphQLFieldConfigArgumentMap {
    return Object.fromEntries(
      Object.entries(args).map(([name, arg]) => [
        name,
        { type: this.typeOf(arg.type), ...(arg.description ? { description: arg.description } : {}) },
      ]),
    );
  }

  objectOf(type: Extract<ModelType<C>, { kind: 'OBJECT' }>): GraphQLObjectType<unknown, C> {
    return this.named(type.name, type) as GraphQLObjectType<unknown, C>;
  }

  private named(name: string, given?: ModelType<C>): GraphQLNamedType {
    const scalar = name === 'JSON' ? GraphQLJSON : SCALAR_TYPES[name];
    if (scalar) return scalar;
    const known = this.built.get(name);
    if (known) return known;
    const type = given ?? this.lookup(name);
    if (!type) throw new Error(`Unknown GraphQL type ${name}`);
    const description = type.description ? { description: type.description } : {};
    const built =
      type.kind === 'ENUM'
        ? new GraphQLEnumType({
            name,
            ...description,
            values: Object.fromEntries(type.values.map((v) => [v, { value: v }])),
          })
        : new GraphQLObjectType<unknown, C>({
            name,
            ...description,
            // Thunk: lets a named type refer to itself or to types built later.
            fields: () =>
              Object.fromEntries(
                Object.entries((type as Extract<ModelType<C>, { kind: 'OBJECT' }>).fields).map(([key, field]) => [
                  key,
                  this.field(field),
                ]),
              ),
          });
    this.built.set(name, built);
    return built;
  }
}

/** The graphql-js schema of a `typeModel` schema: the same types, fields and resolvers (for printSchema, tests, tools). */
export const graphqlSchemaOfModel = <C>(model: SchemaModel<C>): GraphQLSchema => {
  const types = new GraphQLTypesOfModel<C>((name) => model.types.get(name));
  const root = (name: string | undefined) => {
    const type = name === undefined ? undefined : model.types.get(name);
    return type?.kind === 'OBJECT' ? types.objectOf(type) : undefined;
  };
  const mutation = root(model.mutation);
  return new GraphQLSchema({ query: root(model.query), ...(mutation ? { mutation } : {}) });
};

/**
 * Builds graphql-js fields from zod schemas (see `ZodTypeModel`, which it reads them through), for
 * schemas written by hand with graphql-js. One instance per GraphQL schema (`C` is its resolvers'
 * context): types are built once per name.
 */
export class ZodGraphQLTypes<C = unknown> {
  private readonly model = new ZodTypeModel<C>();
  private readonly types = new GraphQLTypesOfModel<C>((name) => this.model.types.get(name));

  /** A nullable root-style field: a failure nulls this field only and is reported in `errors`. */
  field<A extends Schema | undefined = undefined, I = A extends Schema ? z.output<A> : undefined>(
    name: string,
    options: ZodFieldOptions<A, C, I>,
  ): GraphQLFieldConfig<unknown, C> {
    return this.types.field(this.model.field(name, options));
  }

  /** The GraphQL output type of a zod schema (nullable at the top). */
  output(schema: Schema, fallbackName: string): GraphQLOutputType {
    return this.types.typeOf(this.model.output(schema, fallbackName));
  }

  /** GraphQL arguments from an object schema's properties. */
  args(schema: Schema): GraphQLFieldConfigArgumentMap {
    return this.types.args(this.model.args(schema));
  }
}
