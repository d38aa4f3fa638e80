/**
 * The kit's own GraphQL engine (`modelRoute`: graphql-js's parser, the kit's validation and
 * executor over the type model) answers every request as `graphqlRoute` (graphql-js's
 * `validate` and `execute`) does for the graphql-js schema made from the same model: status,
 * data, errors, messages, locations, paths and codes, byte for byte. Both run side by side on
 * the app's schema (good and bad documents, the hostile shapes, introspection) and on a schema
 * whose resolvers answer wrongly on purpose (nulls where none may be, bad scalars and enums,
 * thrown errors, lists that are not).
 */
import { getIntrospectionQuery } from 'graphql';
import * as z from 'zod/mini';
import { HttpError } from '../src';
import { graphqlCostOf, graphqlModelOf, graphqlSchemaOf } from '../src/app/graphql';
import { graphqlRoute, type GraphQLContext } from '../src/graphql/graphqlRoute';
import { modelRoute } from '../src/graphql/modelRoute';
import { schemaModel } from '../src/graphql/typeModel';
import { graphqlSchemaOfModel } from '../src/graphql/zodGraphQLTypes';
import { ZodTypeModel } from '../src/graphql/zodTypeModel';
import { logger } from '../src/observability';
import { both, ID, runtime } from './support/graphqlSideBySide';
import { MORE_CORPUS, VALIDATION_CORPUS, randomDocuments } from './support/graphqlCorpus';
import { worstShapes } from './support/graphqlShapes';

beforeAll(() => {
  jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
});
afterAll(() => jest.restoreAllMocks());

describe.each([false, true])('the app schema, introspection %s', (introspection) => {
  const options = { introspection, costOf: graphqlCostOf(runtime) };
  const routes = {
    graphqlJs: graphqlRoute({ schema: graphqlSchemaOf(runtime), ...options }),
    model: modelRoute({ model: graphqlModelOf(runtime), ...options }),
  };
  const documents = [...VALIDATION_CORPUS, ...MORE_CORPUS, ...Object.values(worstShapes()), getIntrospectionQuery()];

  it.each(documents.map((query) => [query.slice(0, 100), query]))('answers %s alike', async (_shown, query) => {
    const { graphqlJs, model, calls, modelCalls } = await both(routes, { query });
    expect(model).toEqual(graphqlJs);
    expect(modelCalls).toEqual(calls);
  });

  it.each([
    [
      'variables of the wrong type',
      'query($l: ID!, $n: Int) { list(listId: $l, atVersion: $n) { title } }',
      { l: { no: 1 }, n: 1.5 },
    ],
    ['a missing variable', 'query($l: ID!) { list(listId: $l) { title } }', {}],
    ['a null for a non-null variable', 'query($l: ID!) { list(listId: $l) { title } }', { l: null }],
    ['an integer id', 'query($l: ID!) { list(listId: $l) { title } }', { l: 7 }],
    ['a list for a scalar', 'query($n: Int) { lists(limit: $n) { nextToken } }', { n: [1, 2] }],
    ['a default', 'query($n: Int = 3) { lists(limit: $n) { nextToken } }', {}],
    ['a skipped field', 'query($s: Boolean!) { lists @skip(if: $s) { nextToken } stats { lists } }', { s: true }],
    ['a mutation', `mutation($l: ID!) { archiveList(listId: $l) { listId version } }`, { l: ID }],
    [
      'a mutation answered without a todo id',
      `mutation { completeTodo(listId: "${ID}", todoId: "${ID}") { todoId } }`,
      {},
    ],
    ['a refused argument', 'mutation { createList(title: "   ") { listId } }', {}],
    ['an unknown operation', 'query A { stats { lists } }', {}, 'B'],
    ['two operations, none named', 'query A { stats { lists } } query B { tags { items { name } } }', {}],
    ['the second of two operations', 'query A { stats { lists } } query B { tags { items { name } } }', {}, 'B'],
    ['a subscription', 'subscription { stats { lists } }', {}],
    [
      'two mutations',
      `mutation { a: archiveList(listId: "${ID}") { version } b: archiveList(listId: "${ID}") { version } }`,
      {},
    ],
    // A rest parameter: jest takes a callback with more parameters than a row has for a `done` callback.
  ])('answers %s alike', async (...row: unknown[]) => {
    const [, query, variables, operationName] = row;
    const { graphqlJs, model, calls, modelCalls } = await both(routes, { query, variables, operationName });
    expect(model).toEqual(graphqlJs);
    expect(modelCalls).toEqual(calls);
  });
});

describe('random documents, most refused for several reasons', () => {
  const routes = {
    graphqlJs: graphqlRoute({ schema: graphqlSchemaOf(runtime), introspection: true, costOf: graphqlCostOf(runtime) }),
    model: modelRoute({ model: graphqlModelOf(runtime), introspection: true, costOf: graphqlCostOf(runtime) }),
  };

  it('answers 600 of them as graphql-js does: the same errors in the same order, and the same data', async () => {
    let refused = 0;
    for (const [i, query] of randomDocuments(26, 600).entries()) {
      const variables = [undefined, { v: 1 }, { v: 'x' }, { v: [1, 'a'] }, { v: null }][i % 5];
      const { graphqlJs, model } = await both(routes, { query, variables });
      expect({ query, answer: model }).toEqual({ query, answer: graphqlJs });
      if ((graphqlJs.body as { errors?: unknown[] }).errors) refused += 1;
    }
    expect(refused).toBeGreaterThan(300);
  });
});

describe('a schema whose resolvers answer wrongly', () => {
  const types = new ZodTypeModel<GraphQLContext>();
  const item = z.object({ name: z.string(), size: z.number().check(z.int()), kind: z.enum(['Small', 'Large']) });
  const answer = z.object({
    label: z.string(),
    maybe: z.optional(z.string()),
    count: z.number().check(z.int()),
    ratio: z.number(),
    flag: z.boolean(),
    items: z.array(item),
    loose: z.optional(z.array(z.optional(item))),
    data: z.unknown(),
  });
  const answers: Record<string, unknown> = {
    good: {
      label: 'a',
      count: 1,
      ratio: 0.5,
      flag: true,
      items: [{ name: 'n', size: 2, kind: 'Small' }],
      data: { x: [1] },
    },
    nullLabel: { label: null, count: 1, ratio: 1, flag: false, items: [], data: null },
    badInt: { label: 'a', count: 1.5, ratio: 1, flag: false, items: [], data: 1 },
    bigInt: { label: 'a', count: 2 ** 40, ratio: 'x', flag: 'yes', items: [], data: 1 },
    badEnum: { label: 'a', count: 1, ratio: 1, flag: true, items: [{ name: 'n', size: 1, kind: 'Huge' }], data: 1 },
    badItem: {
      label: 7,
      count: '3',
      ratio: '2.5',
      flag: 0,
      items: [{ name: null, size: 1, kind: 'Small' }],
      loose: [null, { name: 'b', size: null, kind: 'Large' }],
      data: 1,
    },
    notList: { label: 'a', count: 1, ratio: 1, flag: true, items: 'nope', data: 1 },
    throws: new Error('boom'),
    http: new HttpError(409, 'CONFLICT_HERE', 'Taken', { what: 1 }),
  };
  const field = types.field('thing', {
    args: z.strictObject({ which: z.string(), n: z.optional(z.number().check(z.int())) }),
    type: answer,
    resolve: async ({ which }) => {
      const value = answers[which];
      if (value instanceof Error) throw value;
      return value;
    },
  });
  const model = schemaModel<GraphQLContext>({
    query: { kind: 'OBJECT', name: 'Query', fields: { thing: field } },
    types: types.types,
  });
  const routes = {
    graphqlJs: graphqlRoute({ schema: graphqlSchemaOfModel(model), introspection: true }),
    model: modelRoute({ model, introspection: true }),
  };
  const all = 'label maybe count ratio flag items { name size kind } loose { name size kind } data __typename';

  it.each(Object.keys(answers))('answers %s alike', async (which) => {
    const query = `{ a: thing(which: "${which}") { ${all} } b: thing(which: "good") { label } }`;
    const { graphqlJs, model: byModel } = await both(routes, { query });
    expect(byModel).toEqual(graphqlJs);
  });

  it('answers introspection alike', async () => {
    const { graphqlJs, model: byModel } = await both(routes, {
      query: getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
        oneOf: true,
      }),
    });
    expect(byModel).toEqual(graphqlJs);
    expect((byModel.body as { data: { __schema: { types: unknown[] } } }).data.__schema.types.length).toBeGreaterThan(
      10,
    );
  });
});
