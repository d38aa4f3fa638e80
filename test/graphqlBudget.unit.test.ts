/**
 * The kit's GraphQL limits on any schema an app may hand to `graphqlRoute`, not only the ones
 * `ZodGraphQLTypes` builds: unions and interfaces, mutations, several operations in one document,
 * fragments spread many times or in a cycle, an app's own prices. The todo app's budget is in
 * graphqlLimits.unit.test.ts, the route's answers in graphql.unit.test.ts.
 */
import {
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  GraphQLUnionType,
  parse,
  type OperationDefinitionNode,
} from 'graphql';
import {
  GRAPHQL_COSTS,
  graphqlRoute,
  operationCost,
  type GraphQLRouteOptions,
  type RootFieldCostOf,
} from '../src/graphql';
import { logger } from '../src/observability';
import { apiEvent, callRoute } from './support/apiEvent';

const Node = new GraphQLInterfaceType({ name: 'Node', fields: { id: { type: GraphQLID } } });
const Part = new GraphQLObjectType({ name: 'Part', fields: { label: { type: GraphQLString } } });
const Big = new GraphQLObjectType({
  name: 'Big',
  interfaces: [Node],
  fields: { id: { type: GraphQLID }, parts: { type: new GraphQLList(Part) } },
});
const Small = new GraphQLObjectType({
  name: 'Small',
  interfaces: [Node],
  fields: { id: { type: GraphQLID }, name: { type: GraphQLString } },
});
const Thing = new GraphQLUnionType({ name: 'Thing', types: [Big, Small], resolveType: () => 'Big' });
const Deep: GraphQLObjectType = new GraphQLObjectType({
  name: 'Deep',
  fields: () => ({ value: { type: GraphQLInt }, next: { type: Deep } }),
});

/** What the resolvers were asked to do: nothing, for a request a limit refuses. */
const ran: string[] = [];
const big = { id: 'b', parts: [{ label: 'p' }] };
const deep = (): unknown => ({ value: 1, next: deep });
const Query = new GraphQLObjectType({
  name: 'Query',
  fields: {
    big: {
      type: Big,
      resolve: () => {
        ran.push('big');
        return big;
      },
    },
    thing: {
      type: Big,
      args: { id: { type: new GraphQLNonNull(GraphQLID) } },
      resolve: () => {
        ran.push('thing');
        return big;
      },
    },
    things: {
      type: new GraphQLList(Thing),
      resolve: () => {
        ran.push('things');
        return [big];
      },
    },
    nodes: {
      type: new GraphQLList(Node),
      resolve: () => {
        ran.push('nodes');
        return [big];
      },
    },
    deep: {
      type: Deep,
      resolve: () => {
        ran.push('deep');
        return deep();
      },
    },
    parts: {
      type: new GraphQLList(Part),
      args: { n: { type: GraphQLFloat } },
      resolve: () => {
        ran.push('parts');
        return big.parts;
      },
    },
  },
});
const Mutation = new GraphQLObjectType({
  name: 'Mutation',
  fields: {
    addThing: {
      type: Big,
      args: { name: { type: new GraphQLNonNull(GraphQLString) } },
      resolve: () => {
        ran.push('addThing');
        return big;
      },
    },
  },
});
const schema = new GraphQLSchema({ query: Query, mutation: Mutation, types: [Small] });

/** The app's prices: a mutation weighs 500; `parts` lists `n` items; `thing` reads the id it is given. */
const priced: Parameters<RootFieldCostOf>[0][] = [];
const costOf: RootFieldCostOf = (field) => {
  priced.push(field);
  if (field.operation === 'mutation') return { weight: 500 };
  if (field.name === 'thing') return { weight: String(field.args.id).length };
  return typeof field.args.n === 'number' ? { weight: 10, listSizes: { '': field.args.n } } : undefined;
};

const cost = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  return operationCost({
    schema,
    document,
    operation: document.definitions[0] as OperationDefinitionNode,
    variables,
    costOf,
  });
};

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: {
    message: string;
    locations?: unknown[];
    path?: unknown[];
    extensions: { code: string; details?: Record<string, unknown> };
  }[];
}
const post = async (body: Record<string, unknown>, options: Partial<GraphQLRouteOptions> = {}) => {
  const response = await callRoute(
    graphqlRoute({ schema, introspection: false, costOf, ...options }),
    apiEvent({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  );
  expect(response.status).toBe(200);
  return response.body as Answer;
};
/** The one error of a request a limit refused, before any resolver ran. */
const refused = (answer: Answer, code: string) => {
  expect(answer.data).toBeUndefined();
  expect(answer.errors).toHaveLength(1);
  expect(answer.errors?.[0]?.extensions.code).toBe(code);
  expect(ran).toEqual([]);
  return answer.errors![0]!;
};

beforeEach(() => {
  ran.length = 0;
  priced.length = 0;
});

describe('the request budget on unions and interfaces', () => {
  // A list of a union or an interface counted as a list of scalars: 100 of them, whatever was selected in them.
  it('counts what is selected inside a union or an interface, times the list it is in', async () => {
    // things: its read (10), itself (1), 100 × (a Big: parts (1 + 100 × label)).
    expect(cost('{ things { ... on Big { parts { label } } } }')).toBe(10 + 1 + 100 * (1 + 100));
    expect(cost('{ things { __typename ... on Node { id } ... on Small { name } } }')).toBe(10 + 1 + 100 * 2);
    expect(cost('{ nodes { id ... on Big { parts { label } } } }')).toBe(10 + 1 + 100 * (1 + 1 + 100));
    refused(
      await post({ query: '{ things { ... on Big { parts { label } } } }' }, { maxCost: 10_110 }),
      'GRAPHQL_TOO_COSTLY',
    );
    expect((await post({ query: '{ things { ... on Big { parts { label } } } }' }, { maxCost: 10_111 })).data).toEqual({
      things: [{ parts: [{ label: 'p' }] }],
    });
  });

  it('prices an inline fragment without a type condition as the fields in it', () => {
    expect(cost('{ big { ... { parts { label } } } }')).toBe(cost('{ big { parts { label } } }'));
    expect(cost('{ things { ... { ... on Big { id } } } }')).toBe(10 + 1 + 100);
  });
});

describe('the request budget with the prices of an app', () => {
  it('prices a mutation as a mutation: its own weight, and its answer', async () => {
    expect(cost('mutation { addThing(name: "a") { id parts { label } } }')).toBe(500 + 1 + 1 + (1 + 100));
    expect(priced).toEqual([{ operation: 'mutation', name: 'addThing', args: { name: 'a' } }]);
    refused(await post({ query: 'mutation { addThing(name: "a") { id } }' }, { maxCost: 501 }), 'GRAPHQL_TOO_COSTLY');
    expect((await post({ query: 'mutation { addThing(name: "a") { id } }' }, { maxCost: 502 })).data).toEqual({
      addThing: { id: 'b' },
    });
  });

  it('prices the operation that operationName picks out of several', async () => {
    const query = 'query Cheap { big { id } } query Costly { big { parts { label } } }';
    const costly = refused(await post({ query, operationName: 'Costly' }, { maxCost: 100 }), 'GRAPHQL_TOO_COSTLY');
    expect(costly.extensions.details).toEqual({ cost: 10 + 1 + 1 + 100, maxCost: 100 });
    expect(await post({ query, operationName: 'Cheap' }, { maxCost: 100 })).toEqual({ data: { big: { id: 'b' } } });
  });

  it('refuses a cost that overflows every number with cost null', async () => {
    const error = refused(
      await post({ query: '{ a: parts(n: 1e308) { label } b: parts(n: 1e308) { label } }' }),
      'GRAPHQL_TOO_COSTLY',
    );
    expect(error.message).toContain('would cost more than any number, over the limit of 40,000');
    expect(error.extensions.details).toEqual({ cost: null, maxCost: 40_000 });
  });

  it('answers wrongly typed variables with BAD_USER_INPUT, even in a request over the budget', async () => {
    const query = 'query($n: Float) { parts(n: $n) { label } }';
    refused(await post({ query, variables: { n: 500 } }, { maxCost: 100 }), 'GRAPHQL_TOO_COSTLY');
    refused(await post({ query, variables: { n: 'many' } }, { maxCost: 100 }), 'BAD_USER_INPUT');
  });

  // A null given through a variable whose default fits a non-null argument passes validation,
  // and graphql-js refuses it only when the field runs: it was answered INTERNAL_ERROR and logged.
  it('answers a null for a non-null argument as BAD_USER_INPUT on that field; the prices see no arguments', async () => {
    const logged = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    const answer = await post({ query: 'query($id: ID = "a") { thing(id: $id) { id } }', variables: { id: null } });
    logged.mockRestore();
    expect(answer).toEqual({
      data: { thing: null },
      errors: [
        {
          message: 'Argument "id" of non-null type "ID!" must not be null.',
          locations: [{ line: 1, column: 34 }],
          path: ['thing'],
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
    expect(logged).not.toHaveBeenCalled();
    expect(priced).toEqual([{ operation: 'query', name: 'thing', args: {} }]);
    expect(ran).toEqual([]);
  });
});

describe('the mutation limit', () => {
  it('counts the mutations inside an inline fragment, and points at the operation', async () => {
    const error = refused(
      await post({
        query: 'mutation { ... on Mutation { a: addThing(name: "a") { id } b: addThing(name: "b") { id } } }',
      }),
      'TOO_MANY_MUTATIONS',
    );
    expect(error).toMatchObject({
      locations: [{ line: 1, column: 1 }],
      extensions: { details: { mutations: 2, maxMutations: 1 } },
    });
  });

  it('does not count __typename beside a mutation, and runs as many mutations as maxMutations allows', async () => {
    expect(await post({ query: 'mutation { __typename addThing(name: "a") { id } }' })).toEqual({
      data: { __typename: 'Mutation', addThing: { id: 'b' } },
    });
    const two = 'mutation { a: addThing(name: "a") { id } b: addThing(name: "b") { id } }';
    expect(await post({ query: two }, { maxMutations: 2 })).toEqual({ data: { a: { id: 'b' }, b: { id: 'b' } } });
    expect(ran).toEqual(['addThing', 'addThing', 'addThing']);
  });

  it('answers a mutation on a schema without mutations with a GraphQL error, not a 500', async () => {
    const answer = await post({ query: 'mutation { big { id } }' }, { schema: new GraphQLSchema({ query: Query }) });
    expect(answer).toEqual({
      data: null,
      errors: [expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } })],
    });
    expect(answer.errors?.[0]?.message).toMatch(/not configured to execute mutation/);
  });
});

describe('fragments', () => {
  // 30 fragments, each spreading the next twice: 2^30 leaves, 2 fields deep, ~300 tokens.
  const doubling = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Big { ...F${i + 1} ...F${i + 1} }`).join(
    ' ',
  );
  it('measures a fragment spread many times once: a query with 2^30 leaves is refused at once', async () => {
    const started = Date.now();
    const error = refused(
      await post({ query: `{ big { ...F0 } } ${doubling} fragment F30 on Big { id }` }),
      'GRAPHQL_TOO_COSTLY',
    );
    expect(error.extensions.details).toEqual({ cost: 10 + 1 + 2 ** 30, maxCost: 40_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.each([
    ['a cycle of fragments', '{ big { ...A } } fragment A on Big { id ...B } fragment B on Big { ...A }'],
    ['an unknown fragment', '{ big { ...Missing } }'],
  ])('answers %s with GRAPHQL_VALIDATION_FAILED', async (_name, query) => {
    refused(await post({ query }), 'GRAPHQL_VALIDATION_FAILED');
  });
});

describe('the depth limit', () => {
  /** `deep { next { … value } }`, `depth` fields deep. */
  const nested = (depth: number) => `deep { ${'next { '.repeat(depth - 2)}value${' }'.repeat(depth - 1)}`;

  it('refuses a deep field that comes after one just within the limit', async () => {
    expect(nested(3)).toBe('deep { next { value } }');
    refused(await post({ query: `{ a: ${nested(2)} b: ${nested(3)} }` }, { maxDepth: 2 }), 'QUERY_TOO_DEEP');
    refused(
      await post({ query: `{ a: deep { value next { value } } b: ${nested(4)} }` }, { maxDepth: 3 }),
      'QUERY_TOO_DEEP',
    );
    expect((await post({ query: `{ a: ${nested(2)} b: ${nested(2)} }` }, { maxDepth: 2 })).data).toEqual({
      a: { value: 1 },
      b: { value: 1 },
    });
  });

  it('is 8 fields when the route names none', async () => {
    expect((await post({ query: `{ ${nested(8)} }` })).errors).toBeUndefined();
    ran.length = 0;
    const error = refused(await post({ query: `{ ${nested(9)} }` }), 'QUERY_TOO_DEEP');
    expect(error.message).toBe('The operation is nested more than 8 fields deep');
  });
});

describe('GRAPHQL_COSTS, the unit prices', () => {
  it('prices a read 10 a started 4 KB, at least one; a wait 30 reads; a stream read 10 and 5 a commit', () => {
    expect([
      GRAPHQL_COSTS.read(),
      GRAPHQL_COSTS.read(0),
      GRAPHQL_COSTS.read(4),
      GRAPHQL_COSTS.read(4.1),
      GRAPHQL_COSTS.read(400),
    ]).toEqual([10, 10, 10, 20, 1_000]);
    expect(GRAPHQL_COSTS.wait(20)).toBe(600);
    expect([GRAPHQL_COSTS.streamRead(-1), GRAPHQL_COSTS.streamRead(0), GRAPHQL_COSTS.streamRead(3)]).toEqual([
      10, 10, 25,
    ]);
  });
});
