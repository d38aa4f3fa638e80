import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { parse } from 'graphql';
import { app } from '../handlers/app';
import { todoListQueries as queries } from '../handlers/todoLists/queries';
import {
  DEFAULT_LIST_SIZE,
  GRAPHQL_COSTS,
  queryContextOf,
  type AppRuntime,
  type Commit,
  type QueryContext,
} from '../src';
import { graphqlCostOf, graphqlSchemaOf } from '../src/app/graphql';
import { DEFAULT_MAX_ANSWER_BYTES, DEFAULT_MAX_COST, graphqlRoute, operationCost } from '../src/graphql';
import { logger } from '../src/observability';
import { bearerFor } from './support/bearer';
import { everyField, queryFieldType } from './support/graphqlFields';

// Ids as the kit mints them (lower-case UUIDs): any other id is refused before a resolver runs.
const LIST_ID = '6f1c2a9e-3b7d-4c51-8e2a-0d9b4f7a1c11';
const todoIdOf = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
const TITLE = '€'.repeat(200);
/** A full list: 500 todos with 200-character titles of 3 bytes each (about 300 KB of JSON). */
const fullList = {
  listId: LIST_ID,
  ownerId: 'alice',
  title: 'Groceries',
  archived: false,
  version: 500,
  todos: Array.from({ length: 500 }, (_, i) => ({ todoId: todoIdOf(i), title: TITLE, completed: false })),
};
const created: Commit = {
  streamId: LIST_ID,
  version: 1,
  streamType: 'todoList',
  commandId: 'c-1',
  at: '2026-12-01T00:00:00.000Z',
  events: [{ type: 'ListCreated', data: { listId: LIST_ID, ownerId: 'alice', title: 'Groceries' } }],
  metadata: { userId: 'alice' },
};

// What the resolvers would reach: a runtime whose reads and commands are spies.
// The lists view as stored: its header item (GetItem) and one item per todo (Query).
const { todos: fullTodos, ...fullHeader } = fullList;
const send = jest.fn(async (command: { input: { TableName?: string; KeyConditionExpression?: string } }) => {
  if (command.input.TableName !== 't-lists') return {};
  if (command.input.KeyConditionExpression === undefined)
    return { Item: { ...fullHeader, sk: 'header', writeId: 'w1' } };
  return {
    Items: fullTodos.map((todo, i) => ({ ...todo, listId: LIST_ID, sk: `item#${todo.todoId}`, ordinal: i + 1 })),
  };
});
// The list's stream holds its first commit; the caller has no tags (their stream is empty).
const readStream = jest.fn(
  async (aggregate: { streamType: string }, _id: string, options?: { fromVersion?: number; toVersion?: number }) =>
    aggregate.streamType === 'todoList' && (options?.fromVersion ?? 1) <= 1 ? [created] : [],
);
const runCommand = jest.fn(async () => ({ listId: LIST_ID, todoId: todoIdOf(0), version: 2 }));
// The kit's own readers of the views (queryContextOf), over the spy client.
const queryContext = queryContextOf({
  documentClient: { send },
  tableOf: (view: { name: string }) => `t-${view.name}`,
  readStream,
} as unknown as QueryContext);
const runtime = { app, queryContext, runCommand } as unknown as AppRuntime;
const schema = graphqlSchemaOf(runtime);
const todoRoute = graphqlRoute({ schema, introspection: false, costOf: graphqlCostOf(runtime) });

const event = (body: unknown, sub = 'alice') =>
  ({
    version: '2.0',
    routeKey: 'POST /graphql',
    rawPath: '/graphql',
    headers: { 'content-type': 'application/json', authorization: bearerFor(sub) },
    isBase64Encoded: false,
    body: JSON.stringify(body),
    requestContext: {
      requestId: 'req-1',
      authorizer: { jwt: { claims: { sub }, scopes: [] }, principalId: '', integrationLatency: 0 },
    },
  }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

const post = async (body: { query: string; variables?: Record<string, unknown> }, sub = 'alice') => {
  const result = (await todoRoute(event(body, sub), {} as Context)) as APIGatewayProxyStructuredResultV2;
  return {
    status: result.statusCode,
    bytes: Buffer.byteLength(result.body ?? ''),
    body: JSON.parse(result.body ?? 'null'),
  };
};
const aliases = (count: number, field: string) => Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ');
const nothingRan = () => {
  expect(send).not.toHaveBeenCalled();
  expect(readStream).not.toHaveBeenCalled();
  expect(runCommand).not.toHaveBeenCalled();
};
/** The one error of a refused request: 200, no data, the code, and a message with the cost and the limit. */
const refusal = (response: Awaited<ReturnType<typeof post>>, code: string) => {
  expect(response.status).toBe(200);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors[0].extensions.code).toBe(code);
  return response.body.errors[0] as { message: string; extensions: { code: string; details: Record<string, number> } };
};
const cost = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  const operation = document.definitions[0];
  if (operation?.kind !== 'OperationDefinition') throw new Error('an operation first');
  return operationCost({ schema, document, operation, variables, costOf: graphqlCostOf(runtime) });
};

beforeEach(() => jest.clearAllMocks());

/** A query's price as its declaration states it: its reads and waits, and the most items of its lists. */
const declared = (name: keyof typeof queries, args: Record<string, unknown> = {}) =>
  queries[name].graphqlCost?.(args) ?? { weight: GRAPHQL_COSTS.read(), listSizes: {} };
/** The most items a declared list counts (a page its `limit`); a list nobody declared counts DEFAULT_LIST_SIZE. */
const sizeOf = (name: keyof typeof queries, list: string, args: Record<string, unknown> = {}) =>
  declared(name, args).listSizes?.[list] ?? DEFAULT_LIST_SIZE;
describe('the GraphQL request budget on the todo schema', () => {
  it('counts every value of the answer times the declared list sizes, and each root field its reads', () => {
    const list = declared('getList', { listId: LIST_ID });
    const todos = sizeOf('getList', 'todos');
    expect([list.weight, todos]).toEqual([expect.any(Number), expect.any(Number)]);
    expect(list.weight * todos).toBeGreaterThan(0);
    // list: its declared reads (the list's item, the caller's tags) + the list (1) + todos (1 + a title a todo).
    expect(cost(`{ list(listId: "${LIST_ID}") { todos { title } } }`)).toBe(list.weight + 1 + 1 + todos);
    // A query that declares no price: one read.
    expect(cost('{ stats { lists } }')).toBe(declared('getStats').weight + 1 + 1);
    // lists: the page the limit asks for (a variable), else the default 50.
    expect(cost('query($n: Int) { lists(limit: $n) { items { listId } } }', { n: 3 })).toBe(
      declared('getLists', { limit: 3 }).weight + 1 + 1 + 3,
    );
    expect(sizeOf('getLists', 'items')).toBe(50);
    expect(cost('{ lists { items { listId title } } }')).toBe(declared('getLists').weight + 1 + 1 + 50 * 2);
    // A full list, every field the schema has, with every todo tagged as often as allowed, still fits three times.
    const full = everyField(queryFieldType(schema, 'list'), declared('getList').listSizes ?? {});
    expect(full.selection).toMatch(/todos \{.*title .*tags \{.*name/);
    expect(cost(`{ list(listId: "${LIST_ID}") ${full.selection} }`)).toBe(list.weight + 1 + full.values);
    expect(3 * (list.weight + 1 + full.values)).toBeLessThanOrEqual(DEFAULT_MAX_COST);
  });

  it('expands fragments and inline fragments where they are spread, and prices arguments given as variables', () => {
    const inline = cost(`{ list(listId: "${LIST_ID}") { todos { title completed } } }`);
    const spread = cost(
      `query { list(listId: "${LIST_ID}") { ...L } } fragment L on List { todos { ...T } } fragment T on Todo { ... on Todo { title completed } }`,
    );
    expect(spread).toBe(inline);
    expect(cost(`query($v: Int) { list(listId: "${LIST_ID}", atVersion: $v) { title } }`, { v: 1000 })).toBe(
      declared('getList', { listId: LIST_ID, atVersion: 1000 }).weight + 1 + 1,
    );
  });

  it('refuses 66 aliases of list { todos { title } } (20 MB on a 500-todo list) as GRAPHQL_TOO_COSTLY, before any read', async () => {
    const one = `list(listId: "${LIST_ID}") { todos { title } }`;
    const price = 66 * cost(`{ ${one} }`);
    expect(price).toBeGreaterThan(DEFAULT_MAX_COST);
    const response = await post({ query: `{ ${aliases(66, one)} }` });
    const error = refusal(response, 'GRAPHQL_TOO_COSTLY');
    expect(error.message).toContain(
      `would cost ${price.toLocaleString('en-US')}, over the limit of ${DEFAULT_MAX_COST.toLocaleString('en-US')}`,
    );
    expect(error.extensions.details).toEqual({ cost: price, maxCost: DEFAULT_MAX_COST });
    nothingRan();
  });

  it('refuses the same aliases hidden behind a fragment and a variable', async () => {
    const query = `query($l: ID!) { ${aliases(66, 'list(listId: $l) { ...T }')} } fragment T on List { todos { title } }`;
    refusal(await post({ query, variables: { l: LIST_ID } }), 'GRAPHQL_TOO_COSTLY');
    nothingRan();
  });

  it('refuses 61 aliases of list(atVersion) before reading any stream, also for a caller who does not own the list', async () => {
    for (const sub of ['alice', 'bob']) {
      const response = await post(
        {
          query: `query($v: Int) { ${aliases(61, `list(listId: "${LIST_ID}", atVersion: $v) { title }`)} }`,
          variables: { v: 190 },
        },
        sub,
      );
      expect(refusal(response, 'GRAPHQL_TOO_COSTLY').message).toMatch(/would cost [\d,]+, over the limit of 40,000/);
    }
    nothingRan();
  });

  it('refuses 61 aliases of list(minVersion: 99): three waits do not fit, two do', async () => {
    refusal(
      await post({ query: `{ ${aliases(61, `list(listId: "${LIST_ID}", minVersion: 99) { version }`)} }` }),
      'GRAPHQL_TOO_COSTLY',
    );
    refusal(
      await post({ query: `{ ${aliases(3, `list(listId: "${LIST_ID}", minVersion: 99) { version }`)} }` }),
      'GRAPHQL_TOO_COSTLY',
    );
    nothingRan();
    const two = await post({ query: `{ ${aliases(2, `list(listId: "${LIST_ID}", minVersion: 1) { version }`)} }` });
    expect(two.body).toEqual({ data: { a0: { version: 500 }, a1: { version: 500 } } });
  });

  it('refuses 61 addTodo mutations in one request as TOO_MANY_MUTATIONS, running none; one runs', async () => {
    const many = await post({
      query: `mutation { ${aliases(61, `addTodo(listId: "${LIST_ID}", title: "t") { version }`)} }`,
    });
    expect(refusal(many, 'TOO_MANY_MUTATIONS')).toMatchObject({
      message: expect.stringContaining('61 mutations; at most 1'),
      extensions: { details: { mutations: 61, maxMutations: 1 } },
    });
    const spread = await post({
      query: `mutation { ...M } fragment M on Mutation { a: archiveList(listId: "${LIST_ID}") { version } b: archiveList(listId: "y") { version } }`,
    });
    refusal(spread, 'TOO_MANY_MUTATIONS');
    nothingRan();
    const one = await post({ query: `mutation { addTodo(listId: "${LIST_ID}", title: "t") { version } }` });
    expect(one.body).toEqual({ data: { addTodo: { version: 2 } } });
    expect(runCommand).toHaveBeenCalledTimes(1);
  });

  it('answers ANSWER_TOO_LARGE, not the body nor a 5xx, when the answer would pass 5 MiB (20 full lists, within the budget)', async () => {
    const warned = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const response = await post({ query: `{ ${aliases(20, `list(listId: "${LIST_ID}") { todos { title } }`)} }` });
    warned.mockRestore();
    const error = refusal(response, 'ANSWER_TOO_LARGE');
    expect(error.message).toMatch(/^The answer would be [\d,]+ bytes, over the limit of 5,242,880/);
    expect(error.extensions.details.maxBytes).toBe(DEFAULT_MAX_ANSWER_BYTES);
    expect(error.extensions.details.bytes).toBeGreaterThan(6_000_000);
    expect(response.bytes).toBeLessThan(1_000);
    // The same request for fewer lists is answered in full.
    const ten = await post({ query: `{ ${aliases(10, `list(listId: "${LIST_ID}") { todos { title } }`)} }` });
    expect(ten.body.errors).toBeUndefined();
    expect(ten.body.data.a9.todos).toHaveLength(500);
  });
});

describe('list(atVersion) checks the owner first (handlers/todoLists/queries.ts)', () => {
  const run = (userId: string, atVersion: number) =>
    queries.getList.run({ userId, params: { listId: LIST_ID }, query: { atVersion } }, queryContext);

  it("reads only another user's list's first commit, then answers LIST_NOT_FOUND", async () => {
    await expect(run('bob', 190)).rejects.toMatchObject({ code: 'LIST_NOT_FOUND' });
    expect(readStream.mock.calls.map(([, , options]) => options)).toEqual([{ toVersion: 1 }]);
  });

  it("reads the owner's stream after its first commit", async () => {
    readStream
      .mockImplementationOnce(async () => [created])
      .mockImplementationOnce(async () => [
        { ...created, version: 2, events: [{ type: 'ListRenamed', data: { title: 'Food' } }] },
      ]);
    await expect(run('alice', 2)).resolves.toMatchObject({ title: 'Food', version: 2 });
    expect(readStream.mock.calls.map(([, , options]) => options)).toEqual([
      { toVersion: 1 },
      { fromVersion: 2, toVersion: 2 },
    ]);
  });
});
