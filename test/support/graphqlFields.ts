/**
 * The GraphQL fields of the app's declaration, for tests that must select or price "every field":
 * derived from the schema the kit builds, so a field a new aggregate adds is selected too.
 */
import {
  getNullableType,
  isListType,
  isObjectType,
  isWrappingType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { app } from '../../handlers/app';
import type { AppRuntime } from '../../src';
import { graphqlSchemaOf } from '../../src/app/graphql';
import { DEFAULT_LIST_SIZE } from '../../src/graphql';

/** The app's GraphQL schema, for its types only (its resolvers are never run). */
export const appGraphqlSchema = (): GraphQLSchema => graphqlSchemaOf({ app } as unknown as AppRuntime);

export const namedType = (type: GraphQLOutputType): GraphQLNamedType =>
  isWrappingType(type) ? namedType(type.ofType) : type;

/** The type a root query field answers. */
export const queryFieldType = (schema: GraphQLSchema, field: string): GraphQLNamedType => {
  const found = schema.getQueryType()?.getFields()[field];
  if (!found) throw new Error(`no query field ${field}`);
  return namedType(found.type);
};

/**
 * Every field of `type`, nested, as a selection (`{ a b { c } }`), and what its values cost in the
 * request budget: each value 1 times the items of each list it is in (`sizes` by path, as the query
 * declares them; DEFAULT_LIST_SIZE for a list it does not name).
 */
export const everyField = (
  type: GraphQLNamedType,
  sizes: Readonly<Record<string, number>> = {},
  path = '',
): { selection: string; values: number } => {
  if (!isObjectType(type)) return { selection: '', values: 0 };
  const fields = Object.values(type.getFields()).map((field) => {
    const at = path ? `${path}.${field.name}` : field.name;
    const inner = everyField(namedType(field.type), sizes, at);
    const items = isListType(getNullableType(field.type)) ? (sizes[at] ?? DEFAULT_LIST_SIZE) : 1;
    return {
      selection: inner.selection ? `${field.name} ${inner.selection}` : field.name,
      values: 1 + items * inner.values,
    };
  });
  return {
    selection: `{ ${fields.map((f) => f.selection).join(' ')} }`,
    values: fields.reduce((sum, f) => sum + f.values, 0),
  };
};
