/**
 * Introspection for a `typeModel` schema, answering as graphql-js does: its meta types
 * (`__Schema`, `__Type`…) as model types of their own, with graphql-js's descriptions, and
 * their values as plain objects read by the engine's default resolver (a property, or a
 * method called with the field's arguments).
 */
import { SCALARS } from './modelScalars';
import {
  collectTypes,
  itemOf,
  namedOf,
  nullableOf,
  type ModelField,
  type ModelType,
  type SchemaModel,
} from './typeModel';

const field = (type: string, description?: string, args?: ModelField['args']): ModelField => ({
  type,
  ...(description ? { description } : {}),
  ...(args ? { args } : {}),
});
const INCLUDE_DEPRECATED = { includeDeprecated: { type: 'Boolean', defaultValue: false } } as const;
const DEPRECATION = { isDeprecated: field('Boolean!'), deprecationReason: field('String') };
const object = (name: string, description: string, fields: Record<string, ModelField>): ModelType => ({
  kind: 'OBJECT',
  name,
  description,
  fields,
});
const enumeration = (name: string, description: string, values: readonly string[]): ModelType => ({
  kind: 'ENUM',
  name,
  description,
  values,
});

const DIRECTIVE_LOCATIONS = [
  'QUERY',
  'MUTATION',
  'SUBSCRIPTION',
  'FIELD',
  'FRAGMENT_DEFINITION',
  'FRAGMENT_SPREAD',
  'INLINE_FRAGMENT',
  'VARIABLE_DEFINITION',
  'SCHEMA',
  'SCALAR',
  'OBJECT',
  'FIELD_DEFINITION',
  'ARGUMENT_DEFINITION',
  'INTERFACE',
  'UNION',
  'ENUM',
  'ENUM_VALUE',
  'INPUT_OBJECT',
  'INPUT_FIELD_DEFINITION',
  'DIRECTIVE_DEFINITION',
];
const LOCATION_DESCRIPTIONS: Readonly<Record<string, string>> = {
  QUERY: 'a query operation',
  MUTATION: 'a mutation operation',
  SUBSCRIPTION: 'a subscription operation',
  FIELD: 'a field',
  FRAGMENT_DEFINITION: 'a fragment definition',
  FRAGMENT_SPREAD: 'a fragment spread',
  INLINE_FRAGMENT: 'an inline fragment',
  VARIABLE_DEFINITION: 'a variable definition',
  SCHEMA: 'a schema definition',
  SCALAR: 'a scalar definition',
  OBJECT: 'an object type definition',
  FIELD_DEFINITION: 'a field definition',
  ARGUMENT_DEFINITION: 'an argument definition',
  INTERFACE: 'an interface definition',
  UNION: 'a union definition',
  ENUM: 'an enum definition',
  ENUM_VALUE: 'an enum value definition',
  INPUT_OBJECT: 'an input object type definition',
  INPUT_FIELD_DEFINITION: 'an input object field definition',
  DIRECTIVE_DEFINITION: 'a directive definition',
};
const TYPE_KINDS: Readonly<Record<string, string>> = {
  SCALAR: 'Indicates this type is a scalar.',
  OBJECT: 'Indicates this type is an object. `fields` and `interfaces` are valid fields.',
  INTERFACE: 'Indicates this type is an interface. `fields`, `interfaces`, and `possibleTypes` are valid fields.',
  UNION: 'Indicates this type is a union. `possibleTypes` is a valid field.',
  ENUM: 'Indicates this type is an enum. `enumValues` is a valid field.',
  INPUT_OBJECT: 'Indicates this type is an input object. `inputFields` is a valid field.',
  LIST: 'Indicates this type is a list. `ofType` is a valid field.',
  NON_NULL: 'Indicates this type is a non-null. `ofType` is a valid field.',
};

/** Descriptions of enum values the meta types have (every value of a model enum has none). */
export const META_ENUM_VALUE_DESCRIPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  __TypeKind: TYPE_KINDS,
  __DirectiveLocation: Object.fromEntries(
    Object.entries(LOCATION_DESCRIPTIONS).map(([location, what]) => [location, `Location adjacent to ${what}.`]),
  ),
};

/** graphql-js's introspection types, in its order. */
export const META_TYPES: readonly ModelType[] = [
  object(
    '__Schema',
    'A GraphQL Schema defines the capabilities of a GraphQL server. ' +
      'It exposes all available types and directives on the server, as well as the entry points for query, mutation, and subscription operations.',
    {
      description: field('String'),
      types: field('[__Type!]!', 'A list of all types supported by this server.'),
      queryType: field('__Type!', 'The type that query operations will be rooted at.'),
      mutationType: field(
        '__Type',
        'If this server supports mutation, the type that mutation operations will be rooted at.',
      ),
      subscriptionType: field(
        '__Type',
        'If this server support subscription, the type that subscription operations will be rooted at.',
      ),
      directives: field('[__Directive!]!', 'A list of all directives supported by this server.', {
        includeDeprecated: { type: 'Boolean!', defaultValue: false },
      }),
    },
  ),
  object(
    '__Directive',
    'A Directive provides a way to describe alternate runtime execution and type validation behavior in a GraphQL document.\n\n' +
      "In some cases, you need to provide options to alter GraphQL's execution behavior in ways field arguments will not suffice, such as conditionally including or skipping a field. " +
      'Directives provide this by describing additional information to the executor.',
    {
      name: field('String!'),
      description: field('String'),
      isRepeatable: field('Boolean!'),
      locations: field('[__DirectiveLocation!]!'),
      args: field('[__InputValue!]!', undefined, INCLUDE_DEPRECATED),
      ...DEPRECATION,
    },
  ),
  enumeration(
    '__DirectiveLocation',
    'A Directive can be adjacent to many parts of the GraphQL language, a __DirectiveLocation describes one such possible adjacencies.',
    DIRECTIVE_LOCATIONS,
  ),
  object(
    '__Type',
    'The fundamental unit of any GraphQL Schema is the type. ' +
      'There are many kinds of types in GraphQL as represented by the `__TypeKind` enum.\n\n' +
      'Depending on the kind of a type, certain fields describe information about that type. ' +
      'Scalar types provide no information beyond a name, description and optional `specifiedByURL`, while Enum types provide their values. ' +
      'Object and Interface types provide the fields they describe. ' +
      'Abstract types, Union and Interface, provide the Object types possible at runtime. ' +
      'List and NonNull types compose other types.',
    {
      kind: field('__TypeKind!'),
      name: field('String'),
      description: field('String'),
      specifiedByURL: field('String'),
      fields: field('[__Field!]', undefined, INCLUDE_DEPRECATED),
      interfaces: field('[__Type!]'),
      possibleTypes: field('[__Type!]'),
      enumValues: field('[__EnumValue!]', undefined, INCLUDE_DEPRECATED),
      inputFields: field('[__InputValue!]', undefined, INCLUDE_DEPRECATED),
      ofType: field('__Type'),
      isOneOf: field('Boolean'),
    },
  ),
  object(
    '__Field',
    'Object and Interface types are described by a list of Fields, each of which has a name, potentially a list of arguments, and a return type.',
    {
      name: field('String!'),
      description: field('String'),
      args: field('[__InputValue!]!', undefined, INCLUDE_DEPRECATED),
      type: field('__Type!'),
      ...DEPRECATION,
    },
  ),
  object(
    '__InputValue',
    'Arguments provided to Fields or Directives and the input fields of an InputObject are represented as Input Values which describe their type and optionally a default value.',
    {
      name: field('String!'),
      description: field('String'),
      type: field('__Type!'),
      defaultValue: field('String', 'A GraphQL-formatted string representing the default value for this input value.'),
      ...DEPRECATION,
    },
  ),
  object(
    '__EnumValue',
    'One possible value for a given Enum. Enum values are unique values, not a placeholder for a string or numeric value. However an Enum value is returned in a JSON response as a string.',
    { name: field('String!'), description: field('String'), ...DEPRECATION },
  ),
  enumeration('__TypeKind', 'An enum describing what kind of type a given `__Type` is.', Object.keys(TYPE_KINDS)),
];

/** The fields every query root has for introspection, and `__typename` every object type has. */
export const META_FIELDS: Readonly<Record<'__schema' | '__type' | '__typename', ModelField>> = {
  __schema: field('__Schema!', 'Access the current type schema of this server.'),
  __type: field('__Type', 'Request the type information of a single type.', { name: { type: 'String!' } }),
  __typename: field('String!', 'The name of the current Object type at runtime.'),
};

const EXECUTION_LOCATIONS = ['FIELD', 'FRAGMENT_SPREAD', 'INLINE_FRAGMENT'];

/** graphql-js's specified directives: the only ones a document may use. */
export const DIRECTIVES = [
  {
    name: 'include',
    description: 'Directs the executor to include this field or fragment only when the `if` argument is true.',
    locations: EXECUTION_LOCATIONS,
    args: { if: { type: 'Boolean!', description: 'Included when true.' } },
  },
  {
    name: 'skip',
    description: 'Directs the executor to skip this field or fragment when the `if` argument is true.',
    locations: EXECUTION_LOCATIONS,
    args: { if: { type: 'Boolean!', description: 'Skipped when true.' } },
  },
  {
    name: 'deprecated',
    description: 'Marks an element of a GraphQL schema as no longer supported.',
    locations: [
      'FIELD_DEFINITION',
      'ARGUMENT_DEFINITION',
      'INPUT_FIELD_DEFINITION',
      'ENUM_VALUE',
      'DIRECTIVE_DEFINITION',
    ],
    args: {
      reason: {
        type: 'String',
        description:
          'Explains why this element was deprecated, usually also including a suggestion for how to access supported similar data. ' +
          'Formatted using the Markdown syntax, as specified by [CommonMark](https://commonmark.org/).',
        defaultValue: 'No longer supported',
      },
    },
  },
  {
    name: 'specifiedBy',
    description: 'Exposes a URL that specifies the behavior of this scalar.',
    locations: ['SCALAR'],
    args: { url: { type: 'String!', description: 'The URL that specifies the behavior of this scalar.' } },
  },
  {
    name: 'oneOf',
    description: 'Indicates exactly one field must be supplied and this field must not be `null`.',
    locations: ['INPUT_OBJECT'],
    args: {},
  },
] as const satisfies readonly {
  name: string;
  description: string;
  locations: readonly string[];
  args: ModelField['args'];
}[];

/**
 * Every type a schema answers for, the meta types included, in graphql-js's order: the model's,
 * the directives' argument types, then what `__Schema` reaches.
 */
export const allTypesOf = <C>(model: SchemaModel<C>): ReadonlyMap<string, ModelType<C>> => {
  const all = new Map(model.types);
  const meta = new Map(META_TYPES.map((type) => [type.name, type as ModelType<C>]));
  const lookup = (name: string): ModelType<C> | undefined =>
    all.get(name) ?? meta.get(name) ?? (SCALARS[name] ? { kind: 'SCALAR', name } : undefined);
  for (const directive of DIRECTIVES)
    for (const arg of Object.values<{ type: string }>(directive.args))
      collectTypes(lookup(namedOf(arg.type)), lookup, all);
  collectTypes(meta.get('__Schema'), lookup, all);
  return all;
};

type Args = Readonly<Record<string, unknown>>;

/** The value `__schema` answers with, and `__type(name)`'s. */
export const introspectionOf = <C>(model: SchemaModel<C>, all: ReadonlyMap<string, ModelType<C>>) => {
  const refs = new Map<string, object>();
  const inputValue = (name: string, arg: { type: string; description?: string; defaultValue?: unknown }) => ({
    name,
    description: arg.description,
    type: typeOf(arg.type),
    defaultValue: arg.defaultValue === undefined ? null : JSON.stringify(arg.defaultValue),
    isDeprecated: false,
    deprecationReason: null,
  });
  const argsOf = (args: ModelField['args']) => Object.entries(args ?? {}).map(([name, arg]) => inputValue(name, arg));
  const named = (type: ModelType<C>) => ({
    kind: type.kind,
    name: type.name,
    description: type.description ?? (type.kind === 'SCALAR' ? SCALARS[type.name]?.description : undefined),
    specifiedByURL: null,
    fields: (_: Args) =>
      type.kind === 'OBJECT'
        ? Object.entries(type.fields).map(([name, f]) => ({
            name,
            description: f.description,
            args: (_a: Args) => argsOf(f.args),
            type: typeOf(f.type),
            isDeprecated: false,
            deprecationReason: null,
          }))
        : null,
    interfaces: type.kind === 'OBJECT' ? [] : null,
    possibleTypes: null,
    enumValues: (_: Args) =>
      type.kind === 'ENUM'
        ? type.values.map((name) => ({
            name,
            description: META_ENUM_VALUE_DESCRIPTIONS[type.name]?.[name],
            isDeprecated: false,
            deprecationReason: null,
          }))
        : null,
    inputFields: (_: Args) => null,
    ofType: null,
    isOneOf: null,
  });
  const typeOf = (ref: string): object | null => {
    const known = refs.get(ref);
    if (known) return known;
    const inner = nullableOf(ref) ?? itemOf(ref);
    const type = all.get(ref);
    const value =
      inner !== undefined
        ? { kind: ref.endsWith('!') ? 'NON_NULL' : 'LIST', name: null, ofType: typeOf(inner) }
        : type
          ? named(type)
          : null;
    if (value) refs.set(ref, value);
    return value;
  };
  const schema = {
    description: undefined,
    types: [...all.keys()].map(typeOf),
    queryType: typeOf(model.query),
    mutationType: model.mutation === undefined ? null : typeOf(model.mutation),
    subscriptionType: null,
    directives: (_: Args) =>
      DIRECTIVES.map((d) => ({
        name: d.name,
        description: d.description,
        isRepeatable: false,
        locations: d.locations,
        args: (_a: Args) => argsOf(d.args),
        isDeprecated: false,
        deprecationReason: null,
      })),
  };
  return { schema, type: (name: string) => (all.has(name) ? typeOf(name) : null) };
};
