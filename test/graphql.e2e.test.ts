import { randomUUID } from 'node:crypto';
import type { GraphQLObjectType } from 'graphql';
import { app } from '../handlers/app';
import { listEvent } from '../handlers/todoLists/querySchemas';
import { DEFAULT_MAX_COST, DynamoDbEventStore, dynamoDbFromEnv, graphqlNameOf } from '../src';
import { apiClient, recordedCalls } from './support/apiClient';
import { expectedListView } from './support/expectedViews';
import { appGraphqlSchema, everyField, namedType, queryFieldType } from './support/graphqlFields';
import { startLocalStack, type LocalStack } from './support/localStack';
import { checkAnswers } from './support/openApiContract';
import {
  SCENARIO_VERSIONS,
  graphqlCall,
  graphqlDriver,
  groceriesScenario,
  restDriver,
  withoutIds,
} from './support/todoScenario';

const { localToken } = require('../src/local/token.cjs') as { localToken: (sub: string) => string };

const alice = localToken('alice');
const bob = localToken('bob');
const EVENTS_TABLE = `${app.service}-local-events`;
// Every field of a list and of a page's summary, from the schema the declaration builds: the
// answers below must equal the REST ones field for field, a field a new aggregate joins included.
const schema = appGraphqlSchema();
const selectionOf = (field: string, path: readonly string[] = []) => {
  let type = queryFieldType(schema, field);
  for (const name of path) type = namedType((type as GraphQLObjectType).getFields()[name]!.type);
  return everyField(type).selection.slice(2, -2);
};
const LIST = selectionOf('list');
const SUMMARY = selectionOf('lists', ['items']);
// Every field of the event schema: the REST answer and the GraphQL type both come from it.
const EVENTS = `items { ${Object.keys(listEvent.shape).join(' ')} } nextToken`;
const LAST_VERSION = SCENARIO_VERSIONS.at(-1)!;

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;
let store: DynamoDbEventStore;

beforeAll(async () => {
  stack = await startLocalStack();
  api = apiClient(stack.baseUrl);
  const { client } = dynamoDbFromEnv({ DYNAMODB_ENDPOINT: stack.dynamoDbEndpoint, AWS_REGION: 'us-east-1' });
  store = new DynamoDbEventStore({ client, tableName: EVENTS_TABLE });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const gql = (query: string, variables: Record<string, unknown> = {}, token = alice) =>
  graphqlCall(api, token, query, variables);
/** The one error of a GraphQL answer whose data is `{ [field]: null }`. */
const errorOf = async (field: string, query: string, variables: Record<string, unknown> = {}, token = alice) => {
  const response = await gql(query, variables, token);
  expect(response.status).toBe(200);
  expect(response.body.data).toEqual({ [field]: null });
  expect(response.body.errors).toHaveLength(1);
  return response.body.errors[0] as {
    message: string;
    path: string[];
    extensions: { code: string; details?: unknown; retryAfterSeconds?: number };
  };
};
const commitCount = async (listId: string) => (await store.readStream(listId)).length;

describe('GraphQL (POST /graphql) on the local stack, against REST', () => {
  let viaRest: Awaited<ReturnType<typeof groceriesScenario>>;
  let viaGraphql: Awaited<ReturnType<typeof groceriesScenario>>;

  it('runs the REST end-to-end scenario through mutations, answer for answer', async () => {
    viaRest = await groceriesScenario(restDriver(api, alice));
    viaGraphql = await groceriesScenario(graphqlDriver(api, alice));
    expect(viaRest.answers.map((a) => a.version)).toEqual(SCENARIO_VERSIONS);
    expect(withoutIds(viaGraphql.answers)).toEqual(withoutIds(viaRest.answers));
    expect(await commitCount(viaGraphql.listId)).toBe(LAST_VERSION);
  });

  it('builds the same lists as REST, modulo ids', async () => {
    // Each read waits for the last version the scenario was answered for that list (the views may lag).
    const lastVersion = (answers: readonly { listId: string; version: number }[], listId: string) =>
      Math.max(...answers.filter((a) => a.listId === listId).map((a) => a.version));
    for (const [rest, graph] of [
      [viaRest.listId, viaGraphql.listId],
      [viaRest.choresId, viaGraphql.choresId],
    ] as const) {
      const restView = await api.get(`/lists/${rest}?minVersion=${lastVersion(viaRest.answers, rest)}`, alice);
      const graphView = await gql(`query($id: ID!, $v: Int) { list(listId: $id, minVersion: $v) { ${LIST} } }`, {
        id: graph,
        v: lastVersion(viaGraphql.answers, graph),
      });
      expect(restView.status).toBe(200);
      expect(withoutIds(graphView.body)).toEqual(withoutIds({ data: { list: restView.body } }));
    }
    const archived = await gql(`query($id: ID!, $v: Int) { list(listId: $id, minVersion: $v) { ${LIST} } }`, {
      id: viaGraphql.listId,
      v: LAST_VERSION,
    });
    expect(archived.body.data.list).toMatchObject({
      title: 'Weekly groceries',
      archived: true,
      todos: [{ title: 'apples', completed: false }],
      version: LAST_VERSION,
    });
  });

  it('answers list, lists and stats exactly as the REST GETs', async () => {
    for (const id of [viaGraphql.listId, viaGraphql.choresId, viaRest.listId]) {
      const rest = await api.get(`/lists/${id}`, alice);
      expect((await gql(`query($id: ID!) { list(listId: $id) { ${LIST} } }`, { id })).body).toEqual({
        data: { list: rest.body },
      });
    }
    const rest = await api.get(`/lists?limit=3&listId=${viaGraphql.choresId}&minVersion=2`, alice);
    const page = await gql(
      `query($id: ID) { lists(limit: 3, listId: $id, minVersion: 2) { items { ${SUMMARY} } nextToken } }`,
      { id: viaGraphql.choresId },
    );
    expect(rest.body.items).toHaveLength(3);
    expect(page.body).toEqual({ data: { lists: { items: rest.body.items, nextToken: rest.body.nextToken } } });
    const next = await gql(`query($t: String) { lists(nextToken: $t) { items { listId } nextToken } }`, {
      t: page.body.data.lists.nextToken,
    });
    expect(next.body.data.lists).toEqual({ items: [{ listId: viaRest.listId }], nextToken: null });

    // The stats projection runs on its own: wait until REST shows the scenario twice over, then compare.
    const expected = { lists: 2, openTodos: 2, completedTodos: 0 };
    const deadline = Date.now() + 10_000;
    while (
      JSON.stringify((await api.get('/stats', alice)).body) !== JSON.stringify(expected) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await gql('{ stats { lists openTodos completedTodos } }')).body).toEqual({
      data: { stats: (await api.get('/stats', alice)).body },
    });
    expect((await gql('{ stats { lists openTodos completedTodos } }')).body.data.stats).toEqual(expected);
  });

  it('pages the events from the event store: the pages add up to the REST events', async () => {
    const all = await api.get(`/lists/${viaGraphql.listId}/events`, alice);
    const items: unknown[] = [];
    let nextToken: string | null = null;
    let pages = 0;
    do {
      const page = await gql(
        `query($id: ID!, $t: String) { events(listId: $id, limit: 5, nextToken: $t) { ${EVENTS} } }`,
        { id: viaGraphql.listId, t: nextToken },
      );
      expect(page.body.errors).toBeUndefined();
      items.push(...page.body.data.events.items);
      ({ nextToken } = page.body.data.events);
      pages += 1;
    } while (nextToken !== null && pages < 10);
    expect(pages).toBe(Math.ceil(LAST_VERSION / 5));
    // GraphQL answers an absent optional field (a commit no reaction caused) as null; REST leaves it out.
    const absentAsMissing = (events: unknown[]) =>
      (events as Record<string, unknown>[]).map(({ causationId, ...event }) =>
        causationId === null || causationId === undefined ? event : { ...event, causationId },
      );
    expect(absentAsMissing(items)).toEqual(absentAsMissing(all.body.items));
    // clear-completed is one commit with two events: a page of 5 commits can hold more than 5 events.
    expect(all.body.items.length).toBe(LAST_VERSION + 1);
    const restEvents = await api.get(`/lists/${viaRest.listId}/events`, alice);
    // Same events, but not the same moments nor requests.
    const ofCommand = (events: Record<string, unknown>[]) =>
      events.map(({ at: _at, correlationId: _request, ...event }) => event);
    expect(withoutIds(ofCommand(absentAsMissing(items)))).toEqual(withoutIds(ofCommand(restEvents.body.items)));
  });

  it('folds a list at any past version from the event store (atVersion)', async () => {
    const id = viaGraphql.listId;
    for (let version = 1; version <= LAST_VERSION; version += 1) {
      const expected = (await expectedListView(store, id, version))!;
      const {
        listId,
        title,
        archived,
        todos: folded,
      } = expected as unknown as { listId: string; title: string; archived: boolean; todos: { tagIds?: string[] }[] };
      // This scenario tags nothing: every todo answers `tags: []` (the names come from the caller's live tags).
      const todos = folded.map(({ tagIds, ...todo }) => ({ ...todo, tags: tagIds ?? [] }));
      const at = await gql(`query($id: ID!, $v: Int) { list(listId: $id, atVersion: $v) { ${LIST} } }`, {
        id,
        v: version,
      });
      expect(at.body).toEqual({ data: { list: { listId, title, archived, todos, version } } });
    }
    const first = await gql(`query($id: ID!) { list(listId: $id, atVersion: 1) { title todos { title } } }`, { id });
    expect(first.body.data.list).toEqual({ title: 'Groceries', todos: [] });
    const now = await api.get(`/lists/${id}`, alice);
    expect(
      (await gql(`query($id: ID!, $v: Int) { list(listId: $id, atVersion: $v) { ${LIST} } }`, { id, v: LAST_VERSION }))
        .body.data.list,
    ).toEqual(now.body);

    expect(
      (await errorOf('list', `query($id: ID!) { list(listId: $id, atVersion: 99) { title } }`, { id })).extensions.code,
    ).toBe('VERSION_NOT_FOUND');
    expect(
      (await errorOf('list', `query($id: ID!) { list(listId: $id, atVersion: 1) { title } }`, { id }, bob)).extensions
        .code,
    ).toBe('LIST_NOT_FOUND');
    const both = await errorOf('list', `query($id: ID!) { list(listId: $id, atVersion: 1, minVersion: 1) { title } }`, {
      id,
    });
    expect(both.extensions).toEqual({
      code: 'VALIDATION_ERROR',
      details: [{ path: 'atVersion', message: expect.stringContaining('exclude') }],
    });
  });

  it('answers domain errors with the REST error code in extensions.code, and writes nothing', async () => {
    const { listId: archivedList, choresId } = viaGraphql;
    const [archivedBefore, choresBefore] = [await commitCount(archivedList), await commitCount(choresId)];
    const todoId = (await api.get(`/lists/${choresId}`, alice)).body.todos[0].todoId as string;

    // Someone else's list is not found, whatever the mutation or query.
    const bobs = [
      ['renameList', 'mutation($l: ID!) { renameList(listId: $l, title: "mine") { version } }'],
      ['archiveList', 'mutation($l: ID!) { archiveList(listId: $l) { version } }'],
      ['addTodo', 'mutation($l: ID!) { addTodo(listId: $l, title: "intruder") { version } }'],
      ['renameTodo', 'mutation($l: ID!, $t: ID!) { renameTodo(listId: $l, todoId: $t, title: "x") { version } }'],
      ['completeTodo', 'mutation($l: ID!, $t: ID!) { completeTodo(listId: $l, todoId: $t) { version } }'],
      ['reopenTodo', 'mutation($l: ID!, $t: ID!) { reopenTodo(listId: $l, todoId: $t) { version } }'],
      ['removeTodo', 'mutation($l: ID!, $t: ID!) { removeTodo(listId: $l, todoId: $t) { version } }'],
      ['clearCompleted', 'mutation($l: ID!) { clearCompleted(listId: $l) { version } }'],
      ['list', 'query($l: ID!) { list(listId: $l) { title } }'],
      ['events', 'query($l: ID!) { events(listId: $l) { items { type } } }'],
    ] as const;
    for (const [field, query] of bobs) {
      const error = await errorOf(
        field,
        query,
        query.includes('$t') ? { l: choresId, t: todoId } : { l: choresId },
        bob,
      );
      expect({ field, code: error.extensions.code }).toEqual({ field, code: 'LIST_NOT_FOUND' });
    }
    expect((await gql('{ lists { items { listId } } stats { lists } }', {}, bob)).body).toEqual({
      data: { lists: { items: [] }, stats: { lists: 0 } },
    });

    const archived = await errorOf('addTodo', 'mutation($l: ID!) { addTodo(listId: $l, title: "late") { version } }', {
      l: archivedList,
    });
    expect(archived.extensions.code).toBe('LIST_ARCHIVED');
    expect(
      (
        await errorOf('renameList', 'mutation($l: ID!) { renameList(listId: $l, title: "late") { version } }', {
          l: archivedList,
        })
      ).extensions.code,
    ).toBe('LIST_ARCHIVED');
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(
      (
        await errorOf(
          'completeTodo',
          'mutation($l: ID!, $t: ID!) { completeTodo(listId: $l, todoId: $t) { version } }',
          { l: choresId, t: missing },
        )
      ).extensions.code,
    ).toBe('TODO_NOT_FOUND');

    // The same schemas validate both: the same bad title gets the same details.
    for (const title of ['', '   ', 'x'.repeat(201)]) {
      const rest = await api.post('/lists', alice, { title });
      const graph = await errorOf('createList', 'mutation($t: String!) { createList(title: $t) { listId } }', {
        t: title,
      });
      expect(rest.status).toBe(400);
      expect(graph.extensions).toEqual({ code: rest.body.error.code, details: rest.body.error.details });
    }
    const restBadId = await api.post('/lists/not%20an%20id/todos', alice, { title: 'x' });
    const graphBadId = await errorOf('addTodo', 'mutation { addTodo(listId: "not an id", title: "x") { version } }');
    expect(graphBadId.extensions).toEqual({ code: 'VALIDATION_ERROR', details: restBadId.body.error.details });
    expect((await errorOf('lists', '{ lists(minVersion: 2) { items { listId } } }')).extensions.code).toBe(
      'VALIDATION_ERROR',
    );

    const behind = await errorOf('list', 'query($l: ID!) { list(listId: $l, minVersion: 999) { title } }', {
      l: choresId,
    });
    expect(behind.extensions).toEqual({
      code: 'VIEW_BEHIND',
      details: { minVersion: 999, viewVersion: 2 },
      retryAfterSeconds: 1,
    });

    const otherListsToken = (
      await gql('query($l: ID!) { events(listId: $l, limit: 1) { nextToken } }', { l: choresId })
    ).body.data.events.nextToken;
    const stolen = await errorOf(
      'events',
      'query($l: ID!, $t: String) { events(listId: $l, nextToken: $t) { nextToken } }',
      { l: archivedList, t: otherListsToken },
    );
    expect(stolen.extensions.code).toBe('INVALID_NEXT_TOKEN');
    expect(
      (
        await errorOf('events', 'query($l: ID!) { events(listId: $l, nextToken: "%%%") { nextToken } }', {
          l: archivedList,
        })
      ).extensions.code,
    ).toBe('INVALID_NEXT_TOKEN');

    expect([await commitCount(archivedList), await commitCount(choresId)]).toEqual([archivedBefore, choresBefore]);
  });

  it('keeps its limits: depth, query length, the 64 KB body, the token', async () => {
    const deep = await gql('{ list(listId: "a") { todos { title { a { b { c { d { e { f { g } } } } } } } } } }');
    expect(deep.status).toBe(200);
    expect(deep.body.data).toBeUndefined();
    expect(deep.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toContain(
      'QUERY_TOO_DEEP',
    );
    const long = await gql(`{ stats { lists } }${' '.repeat(10_001)}`);
    expect(long.status).toBe(400);
    expect(long.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ path: 'query' }] });
    const big = await api.post('/graphql', alice, {
      query: '{ stats { lists } }',
      variables: { pad: 'x'.repeat(70_000) },
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await api.call('POST', '/graphql', { token: alice, raw: '{"query":' })).body.error.code).toBe(
      'MALFORMED_JSON',
    );
    for (const refused of [
      await graphqlCall(api, undefined, '{ stats { lists } }'),
      await gql('{ stats { lists } }', {}, 'garbage'),
    ]) {
      expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    }
  });

  // Issue 11 part 3: 66 aliases of one list answered 20 MB, 61 time travels read the stream 61
  // times (for a stranger too), 61 addTodo ran in one request.
  it('bounds a request before it runs: list aliases, atVersion and minVersion aliases, many mutations', async () => {
    const { choresId } = viaGraphql;
    const before = await commitCount(choresId);
    const refused = async (query: string, variables: Record<string, unknown>, token = alice) => {
      const response = await gql(query, variables, token);
      expect(response.status).toBe(200);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors).toHaveLength(1);
      return response.body.errors[0] as {
        message: string;
        extensions: { code: string; details: Record<string, number> };
      };
    };
    const aliases = (count: number, field: string) =>
      Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ');

    const wide = await refused(`query($l: ID!) { ${aliases(66, 'list(listId: $l) { todos { title } }')} }`, {
      l: choresId,
    });
    // Each alias: the list's declared reads, the list, its todos and a title for each todo it may hold.
    const list = app.queries.getList!.graphqlCost!({ listId: choresId });
    const price = 66 * (list.weight + 1 + 1 + list.listSizes!.todos!);
    expect(price).toBeGreaterThan(DEFAULT_MAX_COST);
    expect(wide.extensions).toEqual({
      code: 'GRAPHQL_TOO_COSTLY',
      details: { cost: price, maxCost: DEFAULT_MAX_COST },
    });
    expect(wide.message).toContain(
      `would cost ${price.toLocaleString('en-US')}, over the limit of ${DEFAULT_MAX_COST.toLocaleString('en-US')}`,
    );
    for (const token of [alice, bob]) {
      const travels = await refused(
        `query($l: ID!) { ${aliases(61, 'list(listId: $l, atVersion: 190) { title }')} }`,
        { l: choresId },
        token,
      );
      expect(travels.extensions.code).toBe('GRAPHQL_TOO_COSTLY');
    }
    const waits = await refused(`query($l: ID!) { ${aliases(61, 'list(listId: $l, minVersion: 99) { version }')} }`, {
      l: choresId,
    });
    expect(waits.extensions.code).toBe('GRAPHQL_TOO_COSTLY');

    const adds = await refused(
      `mutation($l: ID!) { ${aliases(61, 'addTodo(listId: $l, title: "flood") { version }')} }`,
      { l: choresId },
    );
    expect(adds).toMatchObject({
      message: expect.stringContaining('61 mutations; at most 1'),
      extensions: { code: 'TOO_MANY_MUTATIONS' },
    });
    expect(
      (
        await refused(
          'mutation($l: ID!) { a: archiveList(listId: $l) { version } b: clearCompleted(listId: $l) { version } }',
          { l: choresId },
        )
      ).extensions.code,
    ).toBe('TOO_MANY_MUTATIONS');
    expect(await commitCount(choresId)).toBe(before);

    // Within the budget, the same fields still answer: a few aliases, a full list, one mutation.
    const few = await gql(`query($l: ID!) { ${aliases(3, `list(listId: $l) { ${LIST} }`)} stats { lists } }`, {
      l: choresId,
    });
    expect(few.body.errors).toBeUndefined();
    expect(few.body.data.a2).toEqual((await api.get(`/lists/${choresId}`, alice)).body);
  });

  it('has the tags commands and query, with the REST codes', async () => {
    const created = await gql('mutation { createTag(name: "gql") { tagId version } }');
    const tagId = created.body.data.createTag.tagId as string;
    expect(created.body.data.createTag.version).toBeGreaterThanOrEqual(1);
    expect((await errorOf('createTag', 'mutation { createTag(name: "GQL") { tagId } }')).extensions.code).toBe(
      'TAG_NAME_TAKEN',
    );
    const list = (await gql('mutation { createList(title: "tagged") { listId } }')).body.data.createList
      .listId as string;
    const todo = (await gql('mutation($l: ID!) { addTodo(listId: $l, title: "t") { todoId } }', { l: list })).body.data
      .addTodo.todoId as string;
    const tagged = await gql(
      'mutation($l: ID!, $t: ID!, $g: ID!) { tagTodo(listId: $l, todoId: $t, tagId: $g) { version } }',
      { l: list, t: todo, g: tagId },
    );
    expect(tagged.body.data.tagTodo.version).toBe(3);
    const view = await gql(`query($id: ID!) { list(listId: $id, minVersion: 3) { ${LIST} } }`, { id: list });
    expect(view.body.data.list.todos[0].tags).toEqual([{ tagId, name: 'gql' }]);
    // A well-formed id that names no tag of the caller (an id the kit did not mint is a VALIDATION_ERROR before this).
    expect(
      (
        await errorOf(
          'tagTodo',
          'mutation($l: ID!, $t: ID!, $g: ID!) { tagTodo(listId: $l, todoId: $t, tagId: $g) { version } }',
          { l: list, t: todo, g: randomUUID() },
        )
      ).extensions.code,
    ).toBe('TAG_NOT_FOUND');
    const deadline = Date.now() + 10_000;
    let tags = await gql('{ tags { items { tagId name todoCount } } }');
    while (!tags.body.data.tags.items.some((t: { todoCount: number }) => t.todoCount === 1) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      tags = await gql('{ tags { items { tagId name todoCount } } }');
    }
    expect(tags.body.data.tags.items).toContainEqual({ tagId, name: 'gql', todoCount: 1 });
  });

  it('answers introspection locally (stage local), naming one mutation per command', async () => {
    const response = await gql('{ __schema { mutationType { fields { name } } queryType { fields { name } } } }');
    expect(response.body.errors).toBeUndefined();
    const names = (type: { fields: { name: string }[] }) => type.fields.map((f) => f.name).sort();
    // One mutation per command and one field per query of the declaration, by their names.
    const mutations = Object.keys(app.commands).sort();
    const queries = Object.entries(app.queries)
      .map(([name, query]) => graphqlNameOf(name, query))
      .sort();
    expect(mutations).toEqual(expect.arrayContaining(['addTodo', 'createList', 'createTag', 'moveTodo', 'tagTodo']));
    expect(queries).toEqual(expect.arrayContaining(['events', 'list', 'lists', 'stats', 'tags']));
    expect(names(response.body.data.__schema.mutationType)).toEqual(mutations);
    expect(names(response.body.data.__schema.queryType)).toEqual(queries);
  });

  it('serves the OpenAPI document without a token, and every answer above matches it', async () => {
    const calls = [...recordedCalls()];
    const document = await api.get('/openapi.json');
    expect(document.status).toBe(200);
    expect(document.headers.get('content-type')).toContain('application/json');
    expect(document.body).toMatchObject({
      openapi: '3.1.0',
      paths: { '/graphql': { post: { security: [{ bearerAuth: [] }] } }, '/openapi.json': { get: { security: [] } } },
    });
    const { violations, seen } = checkAnswers(document.body, calls);
    expect(violations).toEqual([]);
    expect([...seen]).toEqual(
      expect.arrayContaining(['POST /graphql 200', 'POST /graphql 400', 'POST /graphql 401', 'POST /graphql 413']),
    );
  });
});
