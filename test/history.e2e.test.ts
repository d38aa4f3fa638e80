import { apiClient } from './support/apiClient';
import { startLocalStack, type LocalStack } from './support/localStack';

const { localToken } = require('../src/local/token.cjs') as { localToken: (sub: string) => string };

const alice = localToken('alice');
const bob = localToken('bob');
let stack: LocalStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startLocalStack();
  api = apiClient(stack.baseUrl);
}, 180_000);
afterAll(() => stack?.stop(), 60_000);

describe('time travel, audit and safe retries on the local stack', () => {
  let listId: string;
  const todoIds: string[] = [];

  beforeAll(async () => {
    listId = (
      await api.call('POST', '/lists', {
        token: alice,
        body: { title: 'History' },
        headers: { 'x-correlation-id': 'corr-create' },
      })
    ).body.listId;
    for (const title of ['one', 'two', 'three'])
      todoIds.push((await api.post(`/lists/${listId}/todos`, alice, { title })).body.todoId);
    await api.post(`/lists/${listId}/todos/${todoIds[0]}/complete`, alice);
    await api.patch(`/lists/${listId}`, alice, { title: 'History, renamed' });
  });

  it('GET /lists/{listId}?atVersion=N answers the list as it was after commit N', async () => {
    expect((await api.get(`/lists/${listId}?atVersion=1`, alice)).body).toEqual({
      listId,
      title: 'History',
      archived: false,
      todos: [],
      version: 1,
    });
    const atFive = await api.get(`/lists/${listId}?atVersion=5`, alice);
    expect(atFive.body.todos.map((t: { title: string; completed: boolean }) => [t.title, t.completed])).toEqual([
      ['one', true],
      ['two', false],
      ['three', false],
    ]);
    expect(atFive.body.title).toBe('History');
    expect((await api.get(`/lists/${listId}?atVersion=6`, alice)).body.title).toBe('History, renamed');
    expect((await api.get(`/lists/${listId}?atVersion=99`, alice)).body.error.code).toBe('VERSION_NOT_FOUND');
    expect((await api.get(`/lists/${listId}?atVersion=1`, bob)).status).toBe(404);
    expect((await api.get(`/lists/${listId}?atVersion=0`, alice)).status).toBe(400);
    expect((await api.get(`/lists/${listId}?atVersion=2&minVersion=2`, alice)).status).toBe(400);
  });

  it('pages the events with limit and nextToken, each with its user and correlation id', async () => {
    const first = await api.get(`/lists/${listId}/events?limit=2`, alice);
    expect(first.body.items.map((e: { version: number }) => e.version)).toEqual([1, 2]);
    expect(first.body.items[0]).toMatchObject({ type: 'ListCreated', userId: 'alice', correlationId: 'corr-create' });
    expect(first.body.items[1].correlationId).toEqual(expect.any(String));
    expect(first.body.items[1].correlationId).not.toBe('corr-create');
    const versions: number[] = first.body.items.map((e: { version: number }) => e.version);
    let token = first.body.nextToken as string | undefined;
    for (let page = 0; token && page < 10; page += 1) {
      const next = await api.get(`/lists/${listId}/events?limit=2&nextToken=${token}`, alice);
      versions.push(...next.body.items.map((e: { version: number }) => e.version));
      token = next.body.nextToken;
    }
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
    // Another user gets the same 404 as for any of alice's lists.
    expect((await api.get(`/lists/${listId}/events?limit=2&nextToken=${first.body.nextToken}`, bob)).status).toBe(404);
    expect((await api.get(`/lists/${listId}/events?limit=0`, alice)).status).toBe(400);
  });

  it('Idempotency-Key: a retried command gets the first answer and writes nothing; another body is 422', async () => {
    const before = (await api.get(`/lists/${listId}/events?limit=100`, alice)).body.items.length;
    const send = (title: string) =>
      api.call('POST', `/lists/${listId}/todos`, {
        token: alice,
        body: { title },
        headers: { 'idempotency-key': 'add-four-1' },
      });
    const first = await send('four');
    const retry = await send('four');
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect((await send('five')).body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const events = (await api.get(`/lists/${listId}/events?limit=100`, alice)).body.items;
    expect(events.length).toBe(before + 1);
    // Bob's key space is his own: the same key creates his own list.
    const bobs = await api.call('POST', '/lists', {
      token: bob,
      body: { title: 'four' },
      headers: { 'idempotency-key': 'add-four-1' },
    });
    expect(bobs.status).toBe(201);
  });
});
