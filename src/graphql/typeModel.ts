/**
 * A GraphQL schema as plain data, for the shapes the kit derives from zod schemas: object types,
 * enums and scalars, lists and non-null, scalar arguments (no interfaces, unions, input objects
 * or custom directives). Built without graphql-js (`ZodTypeModel`); `graphqlSchemaOfModel` turns
 * it into graphql-js's objects. Meant as the input of an engine specialised for these shapes
 * (graphql-js's parser, the kit's own validation and executor), which would keep graphql-js's
 * type system, rules and executor out of the API function's bundle.
 *
 * A type is referred to by its SDL notation: `String`, `ID!`, `[Line!]!`.
 */
export interface ModelArgument {
  readonly description?: string;
  readonly type: string;
}

export interface ModelField<C = unknown> {
  readonly description?: string;
  readonly type: string;
  readonly args?: Readonly<Record<string, ModelArgument>>;
  /** Root fields: how the answer is read; other fields read their source's property of that name. */
  readonly resolve?: (source: unknown, args: Record<string, unknown>, context: C) => unknown;
}

export type ModelType<C = unknown> =
  | {
      readonly kind: 'OBJECT';
      readonly name: string;
      readonly description?: string;
      readonly fields: Readonly<Record<string, ModelField<C>>>;
    }
  | { readonly kind: 'ENUM'; readonly name: string; readonly description?: string; readonly values: readonly string[] }
  | { readonly kind: 'SCALAR'; readonly name: string; readonly description?: string };

export type ModelObjectType<C = unknown> = Extract<ModelType<C>, { kind: 'OBJECT' }>;

/** The schema: its root types' names and every named type, in the order graphql-js would list them. */
export interface SchemaModel<C = unknown> {
  readonly query: string;
  readonly mutation?: string;
  readonly types: ReadonlyMap<string, ModelType<C>>;
}

/** `[A!]!` → `[A!]`; undefined when nullable. */
export const nullableOf = (type: string): string | undefined => (type.endsWith('!') ? type.slice(0, -1) : undefined);
/** `[A!]` (nullable) → `A!`; undefined when not a list. */
export const itemOf = (type: string): string | undefined =>
  type.startsWith('[') && type.endsWith(']') ? type.slice(1, -1) : undefined;
/** The named type under every list and non-null. */
export const namedOf = (type: string): string => type.replace(/[[\]!]/g, '');
export const isLeafKind = (type: ModelType | undefined) => type !== undefined && type.kind !== 'OBJECT';

/** The scalars every schema knows, and JSON (any JSON value, the kit's own). */
const SCALAR_NAMES: ReadonlySet<string> = new Set(['String', 'Int', 'Float', 'Boolean', 'ID', 'JSON']);

const builtInScalar = (name: string): ModelType | undefined =>
  SCALAR_NAMES.has(name) ? { kind: 'SCALAR', name } : undefined;

/**
 * A schema of root types and the named types they use, listed in the order graphql-js lists a
 * schema's types (each type where a walk from the roots, a field's type before its arguments,
 * first meets it), so introspection answers alike.
 */
export const schemaModel = <C>(options: {
  readonly query: ModelObjectType<C>;
  readonly mutation?: ModelObjectType<C>;
  readonly types: ReadonlyMap<string, ModelType<C>>;
}): SchemaModel<C> => {
  const ordered = new Map<string, ModelType<C>>();
  const lookup = (name: string) => options.types.get(name) ?? (builtInScalar(name) as ModelType<C> | undefined);
  const visit = (type: ModelType<C> | undefined) => {
    if (!type || ordered.has(type.name)) return;
    ordered.set(type.name, type);
    if (type.kind !== 'OBJECT') return;
    for (const field of Object.values(type.fields)) {
      visit(lookup(namedOf(field.type)));
      for (const arg of Object.values(field.args ?? {})) visit(lookup(namedOf(arg.type)));
    }
  };
  visit(options.query);
  visit(options.mutation);
  for (const name of ordered.keys())
    if (name !== options.query.name && name !== options.mutation?.name && !lookup(name))
      throw new Error(`Unknown GraphQL type ${name}`);
  return {
    query: options.query.name,
    ...(options.mutation ? { mutation: options.mutation.name } : {}),
    types: ordered,
  };
};
