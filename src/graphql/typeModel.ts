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
  /** Used when the argument is not given (introspection's own arguments have one). */
  readonly defaultValue?: boolean | string;
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
 * Adds `start` and every named type reachable from it to `into`, each where a walk (a field's
 * type before its arguments) first meets it: the order graphql-js lists a schema's types in.
 */
export const collectTypes = <C>(
  start: ModelType<C> | undefined,
  lookup: (name: string) => ModelType<C> | undefined,
  into: Map<string, ModelType<C>>,
): void => {
  if (!start || into.has(start.name)) return;
  into.set(start.name, start);
  if (start.kind !== 'OBJECT') return;
  for (const field of Object.values(start.fields)) {
    collectTypes(lookup(namedOf(field.type)), lookup, into);
    for (const arg of Object.values(field.args ?? {})) collectTypes(lookup(namedOf(arg.type)), lookup, into);
  }
};

/** A schema of root types and the named types they use, in the order graphql-js lists them. */
export const schemaModel = <C>(options: {
  readonly query: ModelObjectType<C>;
  readonly mutation?: ModelObjectType<C>;
  readonly types: ReadonlyMap<string, ModelType<C>>;
}): SchemaModel<C> => {
  const ordered = new Map<string, ModelType<C>>();
  const lookup = (name: string) => options.types.get(name) ?? (builtInScalar(name) as ModelType<C> | undefined);
  collectTypes(options.query, lookup, ordered);
  collectTypes(options.mutation, lookup, ordered);
  return {
    query: options.query.name,
    ...(options.mutation ? { mutation: options.mutation.name } : {}),
    types: ordered,
  };
};
