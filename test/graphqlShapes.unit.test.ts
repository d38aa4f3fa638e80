/**
 * Hostile GraphQL shapes (test/support/graphqlShapes.ts) against the kit's request budget on the
 * todo schema: each is refused or priced exactly, and the work of pricing it is bounded by the
 * document's size — counted in visited selections, memo hits and the schema lookups pricing makes,
 * never in milliseconds (the timings are bench part 11). Also the floor under an app's prices and
 * the `limit` arguments a schema refuses, in GraphQL and REST.
 *
 * Story: fragments that each spread the next twice at the root (`{ ...F0 }`) were expanded into
 * every root field, 2^(n-1) of them: 21 levels (869 characters) took 10.5 s to refuse and stalled
 * the local stack, 24 took 89 s. And `lists(limit: -2147483648)` was priced below zero, so adding
 * it to an over-budget query let 60 read-your-writes waits run.
 */
import {
  GraphQLFloat,
  GraphQLList,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  Kind,
  parse,
  visit,
  type DocumentNode,
  type OperationDefinitionNode,
} from 'graphql';
import * as z from 'zod/mini';
import { app } from '../handlers/app';
import { createRuntime, queryContextOf, type AppRuntime, type QueryContext } from '../src';
import { graphqlCostOf, graphqlSchemaOf } from '../src/app/graphql';
import {
  DEFAULT_LIST_SIZE,
  DEFAULT_MAX_COST,
  checkRequestBudget,
  graphqlRoute,
  operationCost,
  rootFieldCount,
  type PricingWork,
  type RootFieldCostOf,
} from '../src/graphql';
import { apiEvent, callRoute } from './support/apiEvent';
import {
  MAX_TOKENS,
  aliases,
  conflictingAliases,
  deepInline,
  directives,
  manyAliases,
  mostLevels,
  mutationFanOut,
  nestedFanOut,
  negativeLimitWithWaits,
  rootFanOut,
  tokensOf,
  wideFragment,
  withinCaps,
  worstShapes,
} from './support/graphqlShapes';

// A runtime whose reads are spies that find nothing: a refused request must call none of them.
const send = jest.fn(async () => ({}));
const readStream = jest.fn(async () => []);
const runCommand = jest.fn(async () => ({ listId: 'l', version: 1 }));
const queryContext = queryContextOf({
  documentClient: { send },
  tableOf: (view: { name: string }) => `t-${view.name}`,
  readStream,
} as unknown as QueryContext);
const runtime = { app, queryContext, runCommand } as unknown as AppRuntime;
const schema = graphqlSchemaOf(runtime);
const costOf = graphqlCostOf(runtime);
const todoRoute = graphqlRoute({ schema, introspection: false, costOf });

const operationOf = (document: DocumentNode) =>
  document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
/** Fields, inline fragments and spreads written in the document (what a linear walk visits). */
const selectionsOf = (document: DocumentNode) => {
  let count = 0;
  const one = () => {
    count += 1;
  };
  visit(document, { Field: one, InlineFragment: one, FragmentSpread: one });
  return count;
};

/**
 * Prices `query` and counts the work: the kit's own count, and independently the field lookups
 * on the schema's types (each field priced asks its type for its fields once).
 */
const priced = (query: string, prices: RootFieldCostOf = costOf, on: GraphQLSchema = schema) => {
  const document = parse(query);
  const work: PricingWork = { visits: 0, memoHits: 0 };
  const lookups = jest.spyOn(GraphQLObjectType.prototype, 'getFields');
  try {
    const cost = operationCost({
      schema: on,
      document,
      operation: operationOf(document),
      variables: {},
      costOf: prices,
      work,
    });
    return { cost, work, lookups: lookups.mock.calls.length, selections: selectionsOf(document) };
  } finally {
    lookups.mockRestore();
  }
};

const budgetCheck = (query: string) => {
  const document = parse(query);
  return checkRequestBudget({ schema, document, budget: { maxCost: DEFAULT_MAX_COST, maxMutations: 1, costOf } });
};

const post = async (query: string, variables?: Record<string, unknown>) => {
  const answer = await callRoute(
    todoRoute,
    apiEvent({
      routeKey: 'POST /graphql',
      rawPath: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    }),
  );
  expect(answer.status).toBe(200);
  return answer.body as {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: string[]; extensions: { code: string; details?: unknown } }[];
  };
};
const nothingRan = () => {
  expect(send).not.toHaveBeenCalled();
  expect(readStream).not.toHaveBeenCalled();
  expect(runCommand).not.toHaveBeenCalled();
};

beforeEach(() => jest.clearAllMocks());

/** `stats { lists }`: its default read (10), itself (1) and one value (1). */
const STATS = 12;

describe('fragments fanned out at the root', () => {
  it.each([20, 24, 40])('prices %i levels of doubling spreads exactly, each fragment walked once', (levels) => {
    const { cost, work, lookups, selections } = priced(rootFanOut(levels));
    expect(cost).toBe(STATS * 2 ** (levels - 1));
    // Every selection written once (one memo hit for each second spread), and `stats` priced once.
    expect(work.visits).toBe(selections);
    expect(work.memoHits).toBe(levels - 1);
    expect(lookups).toBeLessThanOrEqual(4);
  });

  it('prices the most levels 10,000 characters hold, and 8 spreads a level, with work linear in the document', () => {
    const most = mostLevels(rootFanOut);
    expect(most).toBeGreaterThan(200);
    const deepest = priced(rootFanOut(most));
    expect(deepest.cost).toBe(STATS * 2 ** (most - 1));
    expect(deepest.work.visits).toBe(deepest.selections);
    const wide = priced(rootFanOut(30, 8));
    expect(wide.cost).toBe(STATS * 8 ** 29);
    expect(wide.work.visits).toBe(wide.selections);
    expect(wide.work.memoHits).toBe(29 * 7);
  });

  it.each([20, 24, 40])(
    'refuses %i levels through the route as GRAPHQL_TOO_COSTLY, reading nothing',
    async (levels) => {
      const answer = await post(rootFanOut(levels));
      expect(answer.data).toBeUndefined();
      expect(answer.errors).toEqual([
        expect.objectContaining({
          extensions: {
            code: 'GRAPHQL_TOO_COSTLY',
            details: { cost: STATS * 2 ** (levels - 1), maxCost: DEFAULT_MAX_COST },
          },
        }),
      ]);
      nothingRan();
    },
  );

  it('counts 2^(n-1) mutations in a mutation fan-out without expanding it, and refuses them', async () => {
    for (const levels of [20, 24, 40]) {
      const document = parse(mutationFanOut(levels));
      const work: PricingWork = { visits: 0, memoHits: 0 };
      expect(rootFieldCount(document, operationOf(document), work)).toBe(2 ** (levels - 1));
      expect(work.visits).toBe(selectionsOf(document) - 1);
      const answer = await post(mutationFanOut(levels));
      expect(answer.errors?.[0]?.extensions).toEqual({
        code: 'TOO_MANY_MUTATIONS',
        details: { mutations: 2 ** (levels - 1), maxMutations: 1 },
      });
    }
    nothingRan();
  });

  it('still counts a root field once per spread: a fragment spread twice beside its fields doubles them', () => {
    expect(priced('{ ...F ...F } fragment F on Query { stats { lists } a: stats { lists } }').cost).toBe(4 * STATS);
    expect(priced('{ ...F stats { lists } ... { ...F } } fragment F on Query { stats { lists } }').cost).toBe(
      3 * STATS,
    );
  });
});

describe('fragments fanned out below a root field, wide fragments and aliases', () => {
  it.each([20, 24, 40])('prices %i levels below list() exactly, walking each fragment once', (levels) => {
    const { cost, work, selections } = priced(nestedFanOut(levels));
    // list: 520 (its 200 KB item, your tags), itself, and 2^(n-1) times todos (itself + 500 titles).
    expect(cost).toBe(520 + 1 + 2 ** (levels - 1) * (1 + 500));
    expect(work.visits).toBeLessThanOrEqual(selections);
    expect(work.memoHits).toBe(levels - 1);
  });

  it('walks a wide fragment once for all the aliases that spread it, and prices each alias once', () => {
    const roots = mostLevels((n) => wideFragment(20, n));
    const prices = jest.fn(costOf);
    const { cost, work, lookups, selections } = priced(wideFragment(20, roots), prices);
    // Each: 520, itself, 20 × todos (1 + 500 × (title + tags (1 + 10 × name))).
    expect(cost).toBe(roots * (520 + 1 + 20 * (1 + 500 * (1 + 1 + 10))));
    expect(prices).toHaveBeenCalledTimes(roots);
    expect(work.visits).toBe(selections);
    expect(work.memoHits).toBe(roots - 1);
    // The fragment's 20 × 4 fields looked up once, plus the root type once an alias.
    expect(lookups).toBeLessThanOrEqual(20 * 4 + 2 * roots);
  });

  it('prices every alias of a 10,000-character query once, and one that repeats a field node through fragments once', () => {
    const query = manyAliases('stats { lists }');
    const prices = jest.fn(costOf);
    const { cost, work, selections } = priced(query, prices);
    const count = (query.match(/: stats/g) ?? []).length;
    expect(cost).toBe(count * STATS);
    expect(prices).toHaveBeenCalledTimes(count);
    expect(work.visits).toBe(selections);
    const reused = jest.fn(costOf);
    expect(
      priced(`{ ...F ...F ...F } fragment F on Query { ${aliases(50, 'stats { lists }').slice(2, -2)} }`, reused).cost,
    ).toBe(150 * STATS);
    expect(reused).toHaveBeenCalledTimes(50);
  });

  it('refuses one response name for many conflicting fields in validation, before pricing', async () => {
    const count = mostLevels(conflictingAliases, withinCaps);
    expect(count).toBeGreaterThan(80);
    const answer = await post(conflictingAliases(count));
    expect(answer.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // graphql-js reports 10 at most (maxErrors), then one saying it stopped.
    expect(answer.errors?.length).toBeLessThanOrEqual(11);
    nothingRan();
  });
});

describe('deep nesting, directives and the token cap', () => {
  it('prices inline fragments nested as deep as 10,000 characters allow, without overflowing the stack', () => {
    const levels = mostLevels(deepInline);
    expect(levels).toBeGreaterThan(1200);
    const { cost, work, selections } = priced(deepInline(levels));
    expect(cost).toBe(STATS);
    expect(work.visits).toBe(selections);
  });

  it('answers inline fragments nested as deep as the token cap allows (they are no depth), and refuses deeper ones at parse', async () => {
    const levels = mostLevels(deepInline, withinCaps);
    expect((await post(deepInline(levels))).data).toEqual({ stats: { lists: 0 } });
    const deeper = await post(deepInline(levels + 1));
    expect(deeper.errors).toEqual([expect.objectContaining({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } })]);
    // (graphql-js 16 spells it "more that").
    expect(deeper.errors?.[0]?.message).toMatch(new RegExp(`Document contains more tha[nt] ${MAX_TOKENS} tokens`));
  });

  it('prices fields under @skip and @include as if included (an upper bound), and refuses repeated directives in validation', async () => {
    const query = directives(withinCaps);
    const count = (query.match(/: stats/g) ?? []).length;
    expect(priced(query).cost).toBe(count * STATS);
    const repeated = await post('{ stats @skip(if: false) @skip(if: false) { lists } }');
    expect(repeated.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    nothingRan();
  });

  it('refuses every worst shape over 1,000 tokens at parse, whatever it holds', async () => {
    for (const [name, query] of Object.entries(worstShapes())) {
      expect({ name, length: query.length <= 10_000 }).toEqual({ name, length: true });
      if (tokensOf(query) <= MAX_TOKENS) continue;
      const answer = await post(query);
      expect({ name, code: answer.errors?.[0]?.extensions.code }).toEqual({ name, code: 'GRAPHQL_PARSE_FAILED' });
    }
    nothingRan();
  });
});

describe('limits a schema refuses are never priced', () => {
  it.each([-2147483648, -1, 0, 101, 2147483647])(
    'prices lists(limit: %i) at its floor: refused before it reads, it costs no reads',
    (limit) => {
      // Its answer still counts: itself, items (1 + 100 undeclared × listId).
      expect(priced(`{ lists(limit: ${limit}) { items { listId } } }`).cost).toBe(1 + 1 + DEFAULT_LIST_SIZE);
      expect(priced(`{ events(listId: "l", limit: ${limit}) { items { version } } }`).cost).toBe(
        1 + 1 + DEFAULT_LIST_SIZE,
      );
    },
  );

  it('never lowers the price of the rest of the request', () => {
    const waits = priced(negativeLimitWithWaits(60).replace(/n: lists\([^)]*\) \{ items \{ listId \} \}/, '')).cost;
    // Each wait at the price the app declares for list(minVersion) (the list's and the joined tags' waits).
    const listWait = app.queries.getList?.graphqlCost?.({ minVersion: 999999 }).weight ?? Number.NaN;
    expect(listWait).toBeGreaterThan(15_000);
    expect(waits).toBe(60 * (listWait + 1 + 1));
    expect(priced(negativeLimitWithWaits(60)).cost).toBe(waits + 102);
    expect(priced(negativeLimitWithWaits(60, 2147483647)).cost).toBe(waits + 102);
  });

  it('refuses a negative limit beside 60 minVersion waits as GRAPHQL_TOO_COSTLY, before any wait', async () => {
    expect(budgetCheck(negativeLimitWithWaits(60))?.extensions.code).toBe('GRAPHQL_TOO_COSTLY');
    const answer = await post(negativeLimitWithWaits(60));
    expect(answer.data).toBeUndefined();
    expect(answer.errors?.[0]?.extensions.code).toBe('GRAPHQL_TOO_COSTLY');
    nothingRan();
  });

  it.each([-2147483648, -1, 0, 101, 2147483647])(
    'answers lists(limit: %i) alone with VALIDATION_ERROR on the field, reading nothing',
    async (limit) => {
      for (const query of [
        `{ lists(limit: ${limit}) { items { listId } } }`,
        `{ events(listId: "l", limit: ${limit}) { items { version } } }`,
      ]) {
        const answer = await post(query);
        expect(answer.errors).toEqual([
          expect.objectContaining({ extensions: expect.objectContaining({ code: 'VALIDATION_ERROR' }) }),
        ]);
      }
      nothingRan();
    },
  );

  it('answers a limit that is no Int (NaN, a float, out of 32 bits) with BAD_USER_INPUT or GRAPHQL_VALIDATION_FAILED', async () => {
    const query = 'query($l: Int) { lists(limit: $l) { items { listId } } }';
    for (const l of ['NaN', 'Infinity', 1.5, 2 ** 31, -(2 ** 31) - 1]) {
      expect((await post(query, { l })).errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    }
    expect((await post('{ lists(limit: 1e3) { items { listId } } }')).errors?.[0]?.extensions.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    expect((await post('{ lists(limit: 99999999999) { items { listId } } }')).errors?.[0]?.extensions.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    nothingRan();
  });

  it('hands the app its arguments as its route schemas give them, and a refused one weighs 0', () => {
    expect(costOf({ operation: 'query', name: 'lists', args: { limit: 10 } })).toEqual({
      weight: 10,
      listSizes: { items: 10 },
    });
    expect(costOf({ operation: 'query', name: 'lists', args: { limit: -2147483648 } })).toEqual({ weight: 0 });
    expect(costOf({ operation: 'query', name: 'lists', args: { minVersion: 3 } })).toEqual({ weight: 0 });
    expect(costOf({ operation: 'query', name: 'list', args: { listId: 'not an id!' } })).toEqual({ weight: 0 });
    expect(
      costOf({
        operation: 'query',
        name: 'events',
        args: { listId: '0b5c9f5e-1d2a-4c3b-8e4f-5a6b7c8d9e0f', limit: 100 },
      }),
    ).toEqual({ weight: 15 + 515, listSizes: { items: 600 } });
  });
});

describe('the floor under an app’s prices', () => {
  // `constructor`, a key every plain object answers through its prototype.
  const Item = new GraphQLObjectType({
    name: 'Item',
    fields: { name: { type: GraphQLString }, constructor: { type: new GraphQLList(GraphQLString) } },
  });
  const floorSchema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        items: { type: new GraphQLList(Item), args: { n: { type: GraphQLFloat } } },
        names: { type: new GraphQLList(GraphQLString), args: { n: { type: GraphQLFloat } } },
      },
    }),
  });
  const appPrice =
    (weight: number, size?: number): RootFieldCostOf =>
    ({ name }) => ({ weight, ...(size === undefined ? {} : { listSizes: { '': size, [`${name}`]: size } }) });

  it.each([
    ['a negative weight', -1e9, undefined, 1 + DEFAULT_LIST_SIZE],
    ['a NaN weight', Number.NaN, undefined, 1 + DEFAULT_LIST_SIZE],
    ['a negative list size', 5, -1e9, 5 + 1],
    ['a NaN list size (undeclared)', 5, Number.NaN, 5 + 1 + DEFAULT_LIST_SIZE],
    ['-Infinity for both', -Infinity, -Infinity, 0 + 1],
  ])('clamps %s: never below the field itself', (_name, weight, size, expected) => {
    expect(priced('{ items { name } }', appPrice(weight, size), floorSchema).cost).toBe(expected);
  });

  it('counts a list of scalars at least 1 however small its declared size', () => {
    expect(priced('{ names }', appPrice(0, 0), floorSchema).cost).toBe(1);
    expect(priced('{ names }', appPrice(0, -5), floorSchema).cost).toBe(1);
  });

  it('reads only its own declared sizes: a list named constructor is not sized by Object.prototype (NaN, within any budget)', () => {
    expect(priced('{ items { constructor } }', () => ({ weight: 0, listSizes: { '': 1 } }), floorSchema).cost).toBe(
      1 + DEFAULT_LIST_SIZE,
    );
  });

  it('refuses a request an app prices at NaN or below zero when the rest is over the budget', () => {
    const document = parse(`{ a: items { name } ${aliases(500, 'items { name }', 'b').slice(2, -2)} }`);
    const prices: RootFieldCostOf = () => ({ weight: Number.NaN, listSizes: { '': Number.NaN } });
    const refused = checkRequestBudget({
      schema: floorSchema,
      document,
      budget: { maxCost: 40_000, maxMutations: 1, costOf: prices },
    });
    expect(refused?.extensions).toEqual({
      code: 'GRAPHQL_TOO_COSTLY',
      details: { cost: 501 * (1 + DEFAULT_LIST_SIZE), maxCost: 40_000 },
    });
  });
});

describe('REST refuses the same limits before reading', () => {
  // Its DynamoDB is nowhere: a request that reached it would fail, not answer 400.
  const real = createRuntime(
    app,
    { tablePrefix: 't-', graphqlIntrospection: false },
    { DYNAMODB_ENDPOINT: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1' },
  );
  const get = async (routeKey: string, rawPath: string, query: Record<string, string>) =>
    callRoute(
      real.http,
      apiEvent({
        routeKey,
        rawPath,
        rawQueryString: new URLSearchParams(query).toString(),
        queryStringParameters: query,
        requestContext: { ...apiEvent().requestContext, http: { method: 'GET', path: rawPath } } as never,
      }),
    );

  it.each(['-2147483648', '-1', '0', '101', '2147483647', '99999999999999999999', 'NaN', 'Infinity', '1e2', '-0'])(
    'GET /lists?limit=%s and /events?limit=%s: 400 VALIDATION_ERROR',
    async (limit) => {
      for (const [routeKey, rawPath] of [
        ['GET /lists', '/lists'],
        ['GET /lists/{listId}/events', '/lists/l1/events'],
      ] as const) {
        const answer = await get(routeKey, rawPath, { limit });
        expect({
          routeKey,
          limit,
          status: answer.status,
          code: (answer.body as { error: { code: string } }).error.code,
        }).toEqual({ routeKey, limit, status: 400, code: 'VALIDATION_ERROR' });
      }
    },
  );

  it('refuses a negative or non-integer minVersion and atVersion too', async () => {
    for (const query of [
      { minVersion: '-1' },
      { atVersion: '0' },
      { atVersion: '-2147483648' },
      { atVersion: '1.5' },
      { minVersion: '9007199254740993' },
    ] as Record<string, string>[]) {
      expect((await get('GET /lists/{listId}', '/lists/l1', query)).status).toBe(400);
    }
  });
});

// The kit's schemas are what the REST side checks; a page size needs both bounds to be a page.
it('the todo app bounds every limit it declares (1 to 100)', () => {
  const limit = (app.queries.getLists!.route.request.query as unknown as { shape: { limit: z.ZodMiniType } }).shape
    .limit;
  expect([0, 1, 100, 101].map((n) => z.safeParse(limit, n).success)).toEqual([false, true, true, false]);
});
