/**
 * Moving a todo to another of the caller's lists over HTTP (REST and GraphQL's derived
 * `moveTodo`), on the local stack: one atomic write on two lists, both versions answered, the
 * usual refusals, views and history that see two ordinary commits with one correlation id.
 */
import { randomUUID } from 'node:crypto';
import { apiClient, recordedCalls } from './support/apiClient';
import { startLocalStack, type LocalStack } from './support/localStack';
import { checkAnswers } from './support/openApiContract';

const { localToken } = require('../src/local/token.cjs') as { localToken: (sub: string) => string };

const alice = localToken('alice');
const bob = localToken('bob');

let stack: LocalStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startLocalStack();
  api = apiClient(stack.baseUrl);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const newList = async (title: string, token = alice) =>
  (await api.post('/lists', token, { title })).body.listId as string;
const newTodo = async (listId: string, title: string, token = alice) =>
  (await api.post(`/lists/${listId}/todos`, token, { title })).body.todoId as string;
const move = (listId: string, todoId: string, toListId: string, token = alice, headers: Record<string, string> = {}) =>
  api.call('POST', `/lists/${listId}/todos/${todoId}/move`, { token, body: { toListId }, headers });
type Item = { version: number; type: string; data: any; correlationId?: string };
const commitsOf = async (listId: string) => (await api.get(`/lists/${listId}/events`, alice)).body.items as Item[];

/** Reads until `done`; the views follow the commits through the stream. */
const eventually = async (path: string, token: string, done: (body: any) => boolean) => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await api.get(path, token);
    if (response.status === 200 && done(response.body)) return response.body;
    if (Date.now() > deadline) throw new Error(`${path} never got there: ${response.text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('POST /lists/{listId}/todos/{todoId}/move', () => {
  it("moves a todo with its title, completed state and tags, answering both lists' versions", async () => {
    const tagId = (await api.post('/tags', alice, { name: 'errand' })).body.tagId as string;
    const from = await newList('Home');
    const to = await newList('Shop');
    const todoId = await newTodo(from, 'Milk');
    await api.post(`/lists/${from}/todos/${todoId}/complete`, alice);
    await api.put(`/lists/${from}/todos/${todoId}/tags/${tagId}`, alice);
    await newTodo(to, 'Bread');

    const moved = await move(from, todoId, to, alice, { 'x-correlation-id': 'corr-move-1' });
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({ listId: from, todoId, toListId: to, version: 5, toVersion: 3 });

    // Read-your-writes on both lists: the todo is in the target only, as it was.
    const source = await api.get(`/lists/${from}?minVersion=5`, alice);
    const target = await api.get(`/lists/${to}?minVersion=3`, alice);
    expect(source.body.todos).toEqual([]);
    expect(target.body.todos.map((t: { todoId: string }) => t.todoId)).toEqual([expect.any(String), todoId]);
    expect(target.body.todos[1]).toEqual({ todoId, title: 'Milk', completed: true, tags: [{ tagId, name: 'errand' }] });

    // History shows two ordinary commits, one on each list, with the one correlation id.
    const out = (await commitsOf(from)).at(-1)!;
    const into = (await commitsOf(to)).at(-1)!;
    const correlationId = 'corr-move-1';
    expect(out).toMatchObject({ version: 5, type: 'TodoMovedOut', data: { todoId, toListId: to }, correlationId });
    const movedIn = { todoId, title: 'Milk', completed: true, tagIds: [tagId], fromListId: from };
    expect(into).toMatchObject({ version: 3, type: 'TodoMovedIn', data: movedIn, correlationId });

    // The lists view's counts, the stats and the tag counts follow.
    const caughtUp = (b: any) => b.items.some((l: any) => l.listId === to && l.completedCount === 1);
    const summaries = await eventually('/lists', alice, caughtUp);
    const summary = (listId: string) => summaries.items.find((l: any) => l.listId === listId);
    expect(summary(from)).toMatchObject({ openCount: 0, completedCount: 0, version: 5 });
    expect(summary(to)).toMatchObject({ openCount: 1, completedCount: 1, version: 3 });
    const stats = await eventually('/stats', alice, (b) => b.completedTodos === 1 && b.openTodos === 1);
    expect(stats).toEqual({ lists: 2, openTodos: 1, completedTodos: 1 });
    const tags = await eventually('/tags', alice, (b) => b.items.some((t: any) => t.todoCount === 1));
    expect(tags.items).toContainEqual({ tagId, name: 'errand', todoCount: 1 });
  });

  it("refuses another user's source or target list as 404 LIST_NOT_FOUND, writing nothing", async () => {
    const mine = await newList('Mine');
    const todoId = await newTodo(mine, 'keep');
    const theirs = await newList('Theirs', bob);
    const theirTodo = await newTodo(theirs, 'theirs', bob);
    const into = await move(mine, todoId, theirs);
    expect({ status: into.status, code: into.body.error.code }).toEqual({ status: 404, code: 'LIST_NOT_FOUND' });
    const outOf = await move(theirs, theirTodo, mine);
    expect({ status: outOf.status, code: outOf.body.error.code }).toEqual({ status: 404, code: 'LIST_NOT_FOUND' });
    expect((await commitsOf(mine)).map((c) => c.type)).toEqual(['ListCreated', 'TodoAdded']);
  });

  it('refuses an archived target (409 LIST_ARCHIVED), the same list (400 SAME_LIST), a bad body (400)', async () => {
    const from = await newList('From');
    const todoId = await newTodo(from, 'x');
    const archived = await newList('Archived');
    await api.delete(`/lists/${archived}`, alice);
    const refused = await move(from, todoId, archived);
    expect({ status: refused.status, code: refused.body.error.code }).toEqual({ status: 409, code: 'LIST_ARCHIVED' });
    const same = await move(from, todoId, from);
    expect({ status: same.status, code: same.body.error.code }).toEqual({ status: 400, code: 'SAME_LIST' });
    const missing = await move(from, randomUUID(), archived);
    expect({ status: missing.status, code: missing.body.error.code }).toEqual({ status: 404, code: 'TODO_NOT_FOUND' });
    const badBody = await api.post(`/lists/${from}/todos/${todoId}/move`, alice, { toListId: 'not an id!' });
    expect([badBody.status, badBody.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
    expect((await commitsOf(from)).map((c) => c.type)).toEqual(['ListCreated', 'TodoAdded']);
    expect((await commitsOf(archived)).map((c) => c.type)).toEqual(['ListCreated', 'ListArchived']);
  });

  it('refuses a full target with 409 LIST_FULL', async () => {
    const from = await newList('From');
    const todoId = await newTodo(from, 'x');
    const full = await newList('Full');
    // 500 todos, 25 requests at a time.
    for (let i = 0; i < 500; i += 25) {
      await Promise.all(Array.from({ length: 25 }, (_, j) => newTodo(full, `t${i + j}`)));
    }
    const refused = await move(from, todoId, full);
    expect({ status: refused.status, code: refused.body.error.code }).toEqual({ status: 409, code: 'LIST_FULL' });
    expect((await commitsOf(from)).map((c) => c.type)).toEqual(['ListCreated', 'TodoAdded']);
  }, 120_000);

  it('is exactly once with an Idempotency-Key: a retry answers the first move, even after it moved on', async () => {
    const a = await newList('A');
    const b = await newList('B');
    const todoId = await newTodo(a, 'keyed');
    const first = await move(a, todoId, b, alice, { 'Idempotency-Key': 'move-once-1' });
    expect(first.body).toEqual({ listId: a, todoId, toListId: b, version: 3, toVersion: 2 });
    const retry = await move(a, todoId, b, alice, { 'Idempotency-Key': 'move-once-1' });
    expect(retry.body).toEqual(first.body);
    // A new move (another key) takes it back; the old key still answers its own first time.
    const back = await move(b, todoId, a, alice, { 'Idempotency-Key': 'move-back-1' });
    expect(back.body).toEqual({ listId: b, todoId, toListId: a, version: 3, toVersion: 4 });
    expect((await move(a, todoId, b, alice, { 'Idempotency-Key': 'move-once-1' })).body).toEqual(first.body);
    const types = (await commitsOf(a)).map((c) => c.type);
    expect(types).toEqual(['ListCreated', 'TodoAdded', 'TodoMovedOut', 'TodoMovedIn']);
  });

  it('is the GraphQL mutation moveTodo, with the same answer and codes', async () => {
    const a = await newList('GA');
    const b = await newList('GB');
    const todoId = await newTodo(a, 'via graphql');
    const mutation =
      'mutation($l: ID!, $t: ID!, $to: ID!) { ' +
      'moveTodo(listId: $l, todoId: $t, toListId: $to) { listId todoId toListId version toVersion } }';
    const moved = await api.post('/graphql', alice, { query: mutation, variables: { l: a, t: todoId, to: b } });
    expect(moved.body).toEqual({ data: { moveTodo: { listId: a, todoId, toListId: b, version: 3, toVersion: 2 } } });
    const again = await api.post('/graphql', alice, { query: mutation, variables: { l: a, t: todoId, to: b } });
    expect(again.body.errors[0].extensions.code).toBe('TODO_NOT_FOUND');
    const foreign = await api.post('/graphql', bob, { query: mutation, variables: { l: b, t: todoId, to: a } });
    expect(foreign.body.errors[0].extensions.code).toBe('LIST_NOT_FOUND');
  });

  it('gave every answer above as the OpenAPI document says', async () => {
    const calls = [...recordedCalls()];
    const document = await api.get('/openapi.json');
    const { violations, seen } = checkAnswers(document.body, calls);
    expect(violations).toEqual([]);
    expect([...seen]).toEqual(
      expect.arrayContaining([
        'POST /lists/{listId}/todos/{todoId}/move 200',
        'POST /lists/{listId}/todos/{todoId}/move 400',
        'POST /lists/{listId}/todos/{todoId}/move 404',
        'POST /lists/{listId}/todos/{todoId}/move 409',
      ]),
    );
  });
});
