import { app } from '../handlers/app';
import * as tags from '../handlers/tags';
import * as todoLists from '../handlers/todoLists';
import { listsView } from '../handlers/todoLists/views';
import { DynamoDbEventStore, dynamoDbFromEnv } from '../src';
import { viewTableName } from '../src/app/definition';
import { apiClient, recordedCalls } from './support/apiClient';
import { expectedListView, expectedStats, storedListViews } from './support/expectedViews';
import { startLocalStack, type LocalStack } from './support/localStack';
import { checkAnswers } from './support/openApiContract';

const { localToken } = require('../src/local/token.cjs') as {
  localToken: (sub: string, overrides?: Record<string, unknown>, options?: Record<string, unknown>) => string;
};

const alice = localToken('alice');
const bob = localToken('bob');
/** The local stage's tables, named as the declaration names them. */
const TABLES = { events: `${app.service}-local-events`, lists: `${app.service}-local-${viewTableName(listsView)}` };
/** The REST routes this file drives: every command and query of the todo lists and the tags. */
const DRIVEN_ROUTES = [todoLists, tags]
  .flatMap((a) => [...Object.values(a.commands), ...Object.values(a.queries)])
  .map(({ route }) => `${route.method} ${route.path}`);

let stack: LocalStack & { ports: { http: number; dynamo: number; lambda: number } };
let api: ReturnType<typeof apiClient>;
const lagsMs: number[] = [];

beforeAll(async () => {
  stack = await startLocalStack();
  api = apiClient(stack.baseUrl);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  if (lagsMs.length > 0) {
    const sorted = [...lagsMs].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    console.log(
      `projection lag over ${sorted.length} commands: p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${sorted.at(-1)} ms`,
    );
  }
}, 60_000);

const store = () => {
  const { client } = dynamoDbFromEnv({ DYNAMODB_ENDPOINT: stack.dynamoDbEndpoint, AWS_REGION: 'us-east-1' });
  return new DynamoDbEventStore({ client, tableName: TABLES.events });
};

const commitCount = async (listId: string) => (await store().readStream(listId)).length;

/** Polls the view (without minVersion) until it shows `version`; records the lag from the command's answer. */
const waitForView = async (listId: string, version: number, token = alice, answeredAt = Date.now()) => {
  for (;;) {
    const view = await api.get(`/lists/${listId}`, token);
    if (view.status === 200 && view.body.version >= version) {
      lagsMs.push(Date.now() - answeredAt);
      return view.body;
    }
    if (Date.now() - answeredAt > 10_000)
      throw new Error(`view of ${listId} stuck below version ${version}: ${view.text}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the todo API on the local stack (npm start)', () => {
  let listId: string;
  let version: number;

  it("refuses requests without a valid token, in the API's error shape (the emulated authorizer included)", async () => {
    const refused = { error: { code: 'UNAUTHORIZED', message: expect.any(String) } };
    for (const token of [
      undefined,
      'garbage',
      localToken('alice', { exp: Math.floor(Date.now() / 1000) - 60 }),
      localToken('alice', { iss: 'urn:someone-else' }),
      localToken('alice', { aud: 'another-app' }),
    ]) {
      const answer = await api.get('/lists', token);
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 401, body: refused });
    }
  });

  it('creates a list (201) and the views catch up', async () => {
    const created = await api.post('/lists', alice, { title: '  Groceries  ' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ listId: expect.any(String), version: 1 });
    ({ listId, version } = created.body);
    const view = await waitForView(listId, 1);
    expect(view).toEqual({ listId, title: 'Groceries', archived: false, todos: [], version: 1 });
  });

  it.each([
    ['malformed JSON', { raw: '{"title":' }, 400, 'MALFORMED_JSON'],
    ['a body that is not an object', { body: ['title'] }, 400, 'VALIDATION_ERROR'],
    ['a JSON number body', { raw: '42' }, 400, 'VALIDATION_ERROR'],
    ['a JSON null body', { raw: 'null' }, 400, 'VALIDATION_ERROR'],
    ['a wrong type', { body: { title: 42 } }, 400, 'VALIDATION_ERROR'],
    ['an unknown field', { body: { title: 'ok', color: 'red' } }, 400, 'VALIDATION_ERROR'],
    ['a missing title', { body: {} }, 400, 'VALIDATION_ERROR'],
    ['an empty title', { body: { title: '' } }, 400, 'VALIDATION_ERROR'],
    ['a whitespace title', { body: { title: '   ' } }, 400, 'VALIDATION_ERROR'],
    ['a 201-character title', { body: { title: 'x'.repeat(201) } }, 400, 'VALIDATION_ERROR'],
    ['a title of only zero-width characters', { body: { title: '\u200B\uFEFF\u200B' } }, 400, 'VALIDATION_ERROR'],
    ['a title of only bidi controls', { body: { title: '\u202E\u2066' } }, 400, 'VALIDATION_ERROR'],
    ['a NUL in the title', { body: { title: 'milk\u0000' } }, 400, 'VALIDATION_ERROR'],
    ['a line break in the title', { body: { title: 'milk\neggs' } }, 400, 'VALIDATION_ERROR'],
    ['a C1 control in the title', { body: { title: 'milk\u0085' } }, 400, 'VALIDATION_ERROR'],
    ['a lone surrogate in the title', { raw: '{"title":"milk \\ud800"}' }, 400, 'VALIDATION_ERROR'],
    ['a body over 64 KB', { body: { title: 'x'.repeat(70_000) } }, 413, 'PAYLOAD_TOO_LARGE'],
  ])('answers %s with a clear 4xx and writes nothing', async (_name, request, status, code) => {
    const before = await commitCount(listId);
    for (const [method, path] of [
      ['POST', '/lists'],
      ['PATCH', `/lists/${listId}`],
      ['POST', `/lists/${listId}/todos`],
    ] as const) {
      const response = await api.call(method, path, { token: alice, ...request });
      expect(response.status).toBe(status);
      expect(response.body).toEqual({
        error: {
          code,
          message: expect.any(String),
          ...(status === 400 && code !== 'MALFORMED_JSON' ? { details: expect.any(Array) } : {}),
        },
      });
    }
    expect(await commitCount(listId)).toBe(before);
  });

  it('accepts a title of exactly 200 characters', async () => {
    const response = await api.post('/lists', alice, { title: 'y'.repeat(200) });
    expect(response.status).toBe(201);
  });

  it('runs every todo command, with no-op commands keeping the version', async () => {
    const milk = await api.post(`/lists/${listId}/todos`, alice, { title: 'milk' });
    expect(milk.status).toBe(201);
    expect(milk.body).toEqual({ listId, todoId: expect.any(String), version: 2 });
    const eggs = await api.post(`/lists/${listId}/todos`, alice, { title: 'eggs' });
    const bread = await api.post(`/lists/${listId}/todos`, alice, { title: 'bread' });
    const [milkId, eggsId, breadId] = [milk.body.todoId, eggs.body.todoId, bread.body.todoId];

    expect((await api.post(`/lists/${listId}/todos/${eggsId}/complete`, alice)).body).toEqual({
      listId,
      todoId: eggsId,
      version: 5,
    });
    // Completing a completed todo changes nothing: 200, same version, no commit.
    const again = await api.post(`/lists/${listId}/todos/${eggsId}/complete`, alice);
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(5);
    expect(await commitCount(listId)).toBe(5);

    expect((await api.post(`/lists/${listId}/todos/${eggsId}/reopen`, alice)).body.version).toBe(6);
    expect((await api.patch(`/lists/${listId}/todos/${milkId}`, alice, { title: 'oat milk' })).body).toEqual({
      listId,
      todoId: milkId,
      version: 7,
    });
    expect((await api.patch(`/lists/${listId}`, alice, { title: 'Weekly groceries' })).body).toEqual({
      listId,
      version: 8,
    });
    expect((await api.delete(`/lists/${listId}/todos/${breadId}`, alice)).body).toEqual({
      listId,
      todoId: breadId,
      version: 9,
    });
    await api.post(`/lists/${listId}/todos/${eggsId}/complete`, alice);
    await api.post(`/lists/${listId}/todos/${milkId}/complete`, alice);
    const cleared = await api.post(`/lists/${listId}/clear-completed`, alice);
    expect(cleared.body).toEqual({ listId, version: 12 });
    const answeredAt = Date.now();
    const kept = await api.post(`/lists/${listId}/todos`, alice, { title: 'apples' });
    version = kept.body.version;

    const view = await waitForView(listId, version, alice, answeredAt);
    expect(view).toEqual({
      listId,
      title: 'Weekly groceries',
      archived: false,
      todos: [{ todoId: kept.body.todoId, title: 'apples', completed: false, tags: [] }],
      version: 13,
    });

    // clear-completed: one commit, one event per completed todo, in list order.
    const events = await api.get(`/lists/${listId}/events`, alice);
    expect(events.status).toBe(200);
    expect(events.body.items.filter((e: { version: number }) => e.version === 12)).toEqual([
      {
        version: 12,
        type: 'TodoRemoved',
        data: { todoId: milkId },
        at: expect.any(String),
        userId: 'alice',
        correlationId: expect.any(String),
      },
      {
        version: 12,
        type: 'TodoRemoved',
        data: { todoId: eggsId },
        at: expect.any(String),
        userId: 'alice',
        correlationId: expect.any(String),
      },
    ]);
    expect(events.body.items[0]).toMatchObject({
      version: 1,
      type: 'ListCreated',
      data: { listId, ownerId: 'alice', title: 'Groceries' },
    });
  });

  it('answers unknown lists and todos with 404', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await api.get(`/lists/${missing}`, alice)).body.error.code).toBe('LIST_NOT_FOUND');
    expect((await api.post(`/lists/${missing}/todos`, alice, { title: 'x' })).status).toBe(404);
    expect((await api.post(`/lists/${listId}/todos/${missing}/complete`, alice)).body.error.code).toBe(
      'TODO_NOT_FOUND',
    );
    expect((await api.get(`/lists/${missing}/events`, alice)).status).toBe(404);
  });

  it('answers a path no route declares 404, and a known path asked with another method 405 with Allow, in its own error shape', async () => {
    // Raw requests: these routes are not in the OpenAPI document the recorded calls are checked against.
    const raw = async (method: string, path: string, token?: string) => {
      const response = await fetch(`${stack.baseUrl}${path}`, {
        method,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      return {
        status: response.status,
        allow: response.headers.get('allow'),
        body: (await response.json()) as { error?: { code?: string; message?: string } },
      };
    };
    for (const path of ['/nowhere', '/lists/x/todos/y/z', '/']) {
      expect(await raw('GET', path, alice)).toMatchObject({
        status: 404,
        body: { error: { code: 'NOT_FOUND', message: expect.any(String) } },
      });
      // The $default route is behind the authorizer too: no anonymous caller invokes a function.
      expect(await raw('GET', path)).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    }
    expect(await raw('PUT', '/lists', alice)).toMatchObject({
      status: 405,
      allow: 'POST, GET',
      body: { error: { code: 'METHOD_NOT_ALLOWED' } },
    });
    expect(await raw('GET', `/lists/${listId}/todos`, alice)).toMatchObject({ status: 405, allow: 'POST' });
    expect(await raw('DELETE', '/openapi.json', alice)).toMatchObject({ status: 405, allow: 'GET' });
    expect(await raw('DELETE', '/openapi.json')).toMatchObject({ status: 401 });
    // Nothing was written by them.
    expect(await commitCount(listId)).toBe(version);
  });

  it("keeps users apart: bob gets 404 for everything of alice's, and changes nothing", async () => {
    const before = await commitCount(listId);
    const view = await api.get(`/lists/${listId}`, alice);
    const todoId = view.body.todos[0].todoId as string;
    const attempts = [
      api.get(`/lists/${listId}`, bob),
      api.get(`/lists/${listId}/events`, bob),
      api.patch(`/lists/${listId}`, bob, { title: 'mine now' }),
      api.delete(`/lists/${listId}`, bob),
      api.post(`/lists/${listId}/todos`, bob, { title: 'intruder' }),
      api.patch(`/lists/${listId}/todos/${todoId}`, bob, { title: 'intruder' }),
      api.post(`/lists/${listId}/todos/${todoId}/complete`, bob),
      api.post(`/lists/${listId}/todos/${todoId}/reopen`, bob),
      api.delete(`/lists/${listId}/todos/${todoId}`, bob),
      api.post(`/lists/${listId}/clear-completed`, bob),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('LIST_NOT_FOUND');
    }
    expect(await commitCount(listId)).toBe(before);
    expect((await api.get('/lists', bob)).body).toEqual({ items: [] });
    expect((await api.get('/stats', bob)).body).toEqual({ lists: 0, openTodos: 0, completedTodos: 0 });
  });

  it("lists the caller's lists, pages them, and reads its own writes with minVersion", async () => {
    const created = await api.post('/lists', alice, { title: 'Chores' });
    const chores = created.body.listId as string;
    const added = await api.post(`/lists/${chores}/todos`, alice, { title: 'dishes' });
    const fresh = await api.get(`/lists?listId=${chores}&minVersion=${added.body.version}`, alice);
    expect(fresh.status).toBe(200);
    expect(fresh.body.items[0]).toEqual({
      listId: chores,
      title: 'Chores',
      openCount: 1,
      completedCount: 0,
      archived: false,
      version: 2,
    });
    const one = await api.get(`/lists/${chores}?minVersion=${added.body.version}`, alice);
    expect(one.body.version).toBe(2);
    expect(one.body.todos).toEqual([{ todoId: added.body.todoId, title: 'dishes', completed: false, tags: [] }]);

    const page1 = await api.get('/lists?limit=2', alice);
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.nextToken).toEqual(expect.any(String));
    const page2 = await api.get(`/lists?limit=2&nextToken=${page1.body.nextToken}`, alice);
    const ids = [...page1.body.items, ...page2.body.items].map((i: { listId: string }) => i.listId);
    expect(new Set(ids).size).toBe(3);
    expect(ids).toContain(listId);
    expect((await api.get(`/lists?nextToken=${page1.body.nextToken}`, bob)).status).toBe(400);
    expect((await api.get('/lists?nextToken=%%%', alice)).status).toBe(400);
    expect((await api.get('/lists?minVersion=2', alice)).status).toBe(400);
    expect((await api.get('/lists?limit=0', alice)).status).toBe(400);
  });

  it.each([
    'limit=0x10',
    'limit=1e2',
    'limit=%205',
    'limit=0b11',
    'limit=05',
    'limit=2.0',
    `listId=LIST&minVersion=0x1`,
  ])('reads numbers in a query only as plain decimal integers: %s is 400', async (query) => {
    const response = await api.get(`/lists?${query.replace('LIST', listId)}`, alice);
    expect(response).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_ERROR',
          details: expect.arrayContaining([expect.objectContaining({ message: 'must be a plain decimal integer' })]),
        },
      },
    });
  });

  it('reads minVersion and atVersion of one list as plain decimal integers only', async () => {
    for (const query of ['minVersion=0x1', 'minVersion=1e0', 'atVersion=0b1', 'atVersion=%201']) {
      expect((await api.get(`/lists/${listId}?${query}`, alice)).status).toBe(400);
    }
    expect((await api.get(`/lists/${listId}?atVersion=1`, alice)).status).toBe(200);
  });

  it('answers 503 VIEW_BEHIND with Retry-After when the view cannot reach minVersion', async () => {
    const response = await api.get(`/lists/${listId}?minVersion=999`, alice);
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('VIEW_BEHIND');
    expect(response.headers.get('retry-after')).toBe('1');
  });

  it('archives a list (200); an archived list takes no more changes (409); archiving again is a no-op', async () => {
    const archived = await api.delete(`/lists/${listId}`, alice);
    expect(archived.status).toBe(200);
    expect(archived.body).toEqual({ listId, version: version + 1 });
    const refused = await api.post(`/lists/${listId}/todos`, alice, { title: 'too late' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('LIST_ARCHIVED');
    expect((await api.patch(`/lists/${listId}`, alice, { title: 'too late' })).status).toBe(409);
    const again = await api.delete(`/lists/${listId}`, alice);
    expect(again.body).toEqual({ listId, version: version + 1 });
    const view = await waitForView(listId, version + 1);
    expect(view.archived).toBe(true);
  });

  it('views equal a fold of the event store, stats included', async () => {
    const { client, documentClient } = dynamoDbFromEnv({
      DYNAMODB_ENDPOINT: stack.dynamoDbEndpoint,
      AWS_REGION: 'us-east-1',
    });
    const events = new DynamoDbEventStore({ client, tableName: TABLES.events });
    const Items = await storedListViews(documentClient, TABLES.lists);
    const listIds = Items.map((i) => i?.listId as string);
    expect(listIds).toContain(listId);
    const expected = await expectedStats(events, listIds);
    // The stats projection runs on its own: poll until it has caught up.
    const deadline = Date.now() + 10_000;
    let stats = await api.get('/stats', alice);
    while (JSON.stringify(stats.body) !== JSON.stringify(expected.get('alice')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      stats = await api.get('/stats', alice);
    }
    expect(stats.body).toEqual(expected.get('alice'));
    expect(stats.body).toEqual({ lists: 2, openTodos: 1, completedTodos: 0 });
    for (const item of Items) expect(item).toEqual(await expectedListView(events, item?.listId as string));
  });

  it('keeps per-user tags: create, tag todos, names joined at read time, counts, rename, delete, isolation', async () => {
    /** Polls a GET until `done` holds for its body (views are eventually consistent). */
    const eventually = async (path: string, token: string, done: (body: any) => boolean) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const response = await api.get(path, token);
        if (response.status === 200 && done(response.body)) return response.body;
        if (Date.now() > deadline) throw new Error(`${path} never got there: ${response.text}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const home = await api.post('/tags', alice, { name: '  home ' });
    expect(home.status).toBe(201);
    const tagId = home.body.tagId as string;
    expect(home.body).toEqual({ tagId, version: 1 });
    expect((await api.post('/tags', alice, { name: 'HOME' })).body.error.code).toBe('TAG_NAME_TAKEN');
    expect((await api.post('/tags', alice, { name: '' })).status).toBe(400);
    // A tag name is human text like a title: nothing invisible, no control characters.
    for (const name of ['\u200B\u2066', 'home\u0000', 'a\nb']) {
      const refused = await api.post('/tags', alice, { name });
      expect({
        status: refused.status,
        code: refused.body.error?.code,
        path: refused.body.error?.details?.[0]?.path,
      }).toEqual({ status: 400, code: 'VALIDATION_ERROR', path: 'name' });
    }
    expect((await api.post('/tags', alice, { name: 'x', color: 'red' })).status).toBe(400);
    // A retried create with the same Idempotency-Key is the same tag.
    const keyed = await api.post('/tags', alice, { name: 'work' }, { headers: { 'Idempotency-Key': 'tag-work-1' } });
    const retried = await api.post('/tags', alice, { name: 'work' }, { headers: { 'Idempotency-Key': 'tag-work-1' } });
    expect(retried.body).toEqual(keyed.body);

    const list = (await api.post('/lists', alice, { title: 'Tagged' })).body.listId as string;
    const todo = (await api.post(`/lists/${list}/todos`, alice, { title: 'paint' })).body.todoId as string;
    const tagged = await api.put(`/lists/${list}/todos/${todo}/tags/${tagId}`, alice);
    expect(tagged.body).toEqual({ listId: list, todoId: todo, version: 3 });
    expect((await api.put(`/lists/${list}/todos/${todo}/tags/${tagId}`, alice)).body.version).toBe(3);
    // Bob can neither use alice's tag nor touch her list; a missing tag is 404 too.
    const bobList = (await api.post('/lists', bob, { title: 'Bob' })).body.listId as string;
    const bobTodo = (await api.post(`/lists/${bobList}/todos`, bob, { title: 'his' })).body.todoId as string;
    expect((await api.put(`/lists/${bobList}/todos/${bobTodo}/tags/${tagId}`, bob)).body.error.code).toBe(
      'TAG_NOT_FOUND',
    );
    expect((await api.put(`/lists/${list}/todos/${todo}/tags/${tagId}`, bob)).body.error.code).toBe('LIST_NOT_FOUND');
    expect((await api.patch(`/tags/${tagId}`, bob, { name: 'mine' })).body.error.code).toBe('TAG_NOT_FOUND');
    expect((await api.get('/tags', bob)).body).toEqual({ items: [] });

    const view = await api.get(`/lists/${list}?minVersion=3`, alice);
    expect(view.body.todos).toEqual([
      { todoId: todo, title: 'paint', completed: false, tags: [{ tagId, name: 'home' }] },
    ]);
    expect(await eventually('/tags', alice, (b) => b.items.some((t: any) => t.todoCount === 1))).toEqual({
      items: [
        { tagId, name: 'home', todoCount: 1 },
        { tagId: keyed.body.tagId, name: 'work', todoCount: 0 },
      ],
    });

    expect((await api.patch(`/tags/${tagId}`, alice, { name: 'house' })).body).toEqual({ tagId, version: 3 });
    const renamed = await eventually(`/lists/${list}`, alice, (b) => b.todos[0].tags[0]?.name === 'house');
    expect(renamed.todos[0].tags).toEqual([{ tagId, name: 'house' }]);

    expect((await api.delete(`/lists/${list}/todos/${todo}/tags/${tagId}`, alice)).body).toEqual({
      listId: list,
      todoId: todo,
      version: 4,
    });
    expect((await api.delete(`/lists/${list}/todos/${todo}/tags/${tagId}`, alice)).body.version).toBe(4);
    await eventually('/tags', alice, (b) => b.items.every((t: any) => t.todoCount === 0));

    expect((await api.put(`/lists/${list}/todos/${todo}/tags/${tagId}`, alice)).body.version).toBe(5);
    expect((await api.delete(`/tags/${tagId}`, alice)).body).toEqual({ tagId, version: 4 });
    expect((await api.delete(`/tags/${tagId}`, alice)).status).toBe(404);
    expect(await eventually('/tags', alice, (b) => b.items.length === 1)).toEqual({
      items: [{ tagId: keyed.body.tagId, name: 'work', todoCount: 0 }],
    });
    // The deleted tag leaves every todo at once (names are joined from the live tags).
    expect((await api.get(`/lists/${list}`, alice)).body.todos[0].tags).toEqual([]);
  });

  it("moves a todo to another of the caller's lists in one write (test/move.e2e.test.ts has the rest)", async () => {
    const from = (await api.post('/lists', alice, { title: 'Move from' })).body.listId as string;
    const to = (await api.post('/lists', alice, { title: 'Move to' })).body.listId as string;
    const todoId = (await api.post(`/lists/${from}/todos`, alice, { title: 'moving' })).body.todoId as string;
    const moved = await api.post(`/lists/${from}/todos/${todoId}/move`, alice, { toListId: to });
    expect(moved.body).toEqual({ listId: from, todoId, toListId: to, version: 3, toVersion: 2 });
    const target = await api.get(`/lists/${to}?minVersion=2`, alice);
    expect(target.body.todos).toEqual([{ todoId, title: 'moving', completed: false, tags: [] }]);
    expect((await api.post(`/lists/${from}/todos/${todoId}/move`, bob, { toListId: to })).status).toBe(404);
  });

  it('keeps the data when the stack restarts', async () => {
    await stack.stop();
    stack = await startLocalStack({ dataDir: stack.dataDir, ports: stack.ports });
    api = apiClient(stack.baseUrl);
    const view = await api.get(`/lists/${listId}`, alice);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ listId, archived: true, version: version + 1 });
    // The stream consumer resumes after a restart: a new command still reaches the views.
    const created = await api.post('/lists', alice, { title: 'After restart' });
    expect((await waitForView(created.body.listId, 1)).title).toBe('After restart');
  }, 180_000);

  it('gave every answer above as the OpenAPI document says (route, status, body schema), on every REST route', async () => {
    const calls = [...recordedCalls()];
    const document = await api.get('/openapi.json'); // public: no token
    expect(document.status).toBe(200);
    const { violations, seen } = checkAnswers(document.body, calls);
    expect(violations).toEqual([]);
    const documented = Object.entries(document.body.paths as Record<string, object>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // Every route of the aggregates this file drives, from their declarations, is served, documented
    // and was called here; another aggregate's routes are driven by its own file.
    expect(DRIVEN_ROUTES.length).toBeGreaterThan(0);
    expect(documented).toEqual(expect.arrayContaining(DRIVEN_ROUTES));
    expect(new Set([...seen].map((s) => s.replace(/ \d{3}$/, '')))).toEqual(new Set(DRIVEN_ROUTES));
    expect([...seen]).toEqual(
      expect.arrayContaining([
        'GET /lists 401',
        'POST /lists 400',
        'POST /lists 413',
        'GET /lists 400',
        'GET /lists/{listId} 404',
        'GET /lists/{listId} 503',
        'POST /lists/{listId}/todos 409',
      ]),
    );
  });
});
