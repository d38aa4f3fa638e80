/**
 * Reactions on the local stack, over HTTP: deleting a tag takes it off every todo that carries it,
 * each list gaining an untag commit whose history names its cause (the reaction and the deletion's
 * commit); completing a todo publishes the public `TodoCompleted` to the local stand-in for the
 * bus (JSON lines in the data folder), with the causing commit as its id.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { apiClient } from './support/apiClient';
import { startLocalStack, type LocalStack } from './support/localStack';

const { localToken } = require('../src/local/token.cjs') as { localToken: (sub: string) => string };

const alice = localToken('alice');
let stack: LocalStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startLocalStack();
  api = apiClient(stack.baseUrl);
}, 180_000);
afterAll(() => stack?.stop(), 60_000);

/** Polls `read` until `done` holds (at most 20 s): reactions follow the stream. */
const eventually = async <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
  let value = await read();
  for (let i = 0; i < 100 && !done(value); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
};

type Event = {
  version: number;
  type: string;
  data: { todoId?: string; tagId?: string };
  causationId?: string;
  correlationId?: string;
};

describe('reactions on the local stack', () => {
  it('DELETE /tags/{tagId}: each list that had the tag gains an untag commit caused by the deletion', async () => {
    const tagId = (await api.post('/tags', alice, { name: 'doomed' })).body.tagId as string;
    const keepId = (await api.post('/tags', alice, { name: 'kept' })).body.tagId as string;
    const lists: { listId: string; todoIds: string[] }[] = [];
    for (const title of ['home', 'work']) {
      const listId = (await api.post('/lists', alice, { title })).body.listId as string;
      const todoIds: string[] = [];
      for (const t of ['a', 'b'])
        todoIds.push((await api.post(`/lists/${listId}/todos`, alice, { title: t })).body.todoId);
      lists.push({ listId, todoIds });
    }
    const [home, work] = lists as [{ listId: string; todoIds: string[] }, { listId: string; todoIds: string[] }];
    const tagged = [
      { listId: home.listId, todoId: home.todoIds[0]! },
      { listId: home.listId, todoId: home.todoIds[1]! },
      { listId: work.listId, todoId: work.todoIds[0]! },
    ];
    for (const t of tagged)
      expect((await api.put(`/lists/${t.listId}/todos/${t.todoId}/tags/${tagId}`, alice)).status).toBe(200);
    await api.put(`/lists/${work.listId}/todos/${work.todoIds[1]}/tags/${keepId}`, alice);
    // The index the reaction reads must have seen the taggings: GET /tags counts from the same stream.
    await eventually(
      () => api.get('/tags', alice),
      (r) => r.body.items.find((i: { tagId: string }) => i.tagId === tagId)?.todoCount === 3,
    );

    const deleted = await api.call('DELETE', `/tags/${tagId}`, {
      token: alice,
      headers: { 'x-correlation-id': 'corr-delete-tag' },
    });
    expect(deleted.status).toBe(200);

    const untagsOf = async (listId: string) =>
      ((await api.get(`/lists/${listId}/events?limit=100`, alice)).body.items as Event[]).filter(
        (e) => e.type === 'TodoUntagged',
      );
    const homeUntags = await eventually(
      () => untagsOf(home.listId),
      (u) => u.length >= 2,
    );
    const workUntags = await eventually(
      () => untagsOf(work.listId),
      (u) => u.length >= 1,
    );
    const cause = `untagDeletedTag:tags#alice:${deleted.body.version}`;
    expect(
      homeUntags
        .map((e) => ({ todoId: e.data.todoId, tagId: e.data.tagId, causationId: e.causationId }))
        .sort((a, b) => a.todoId!.localeCompare(b.todoId!)),
    ).toEqual(
      home.todoIds
        .map((todoId) => ({ todoId, tagId, causationId: cause }))
        .sort((a, b) => a.todoId.localeCompare(b.todoId)),
    );
    expect(
      workUntags.map((e) => ({ todoId: e.data.todoId, causationId: e.causationId, correlationId: e.correlationId })),
    ).toEqual([{ todoId: work.todoIds[0], causationId: cause, correlationId: 'corr-delete-tag' }]);
    // The other tag stays on its todo, and the lists show no trace of the deleted one.
    const workList = (await api.get(`/lists/${work.listId}`, alice)).body;
    expect(workList.todos.map((t: { tags: { tagId: string }[] }) => t.tags.map((g) => g.tagId))).toEqual([
      [],
      [keepId],
    ]);
    // Nothing caused twice, however often the stream delivered the deletion.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await untagsOf(home.listId)).length + (await untagsOf(work.listId)).length).toBe(3);
  });

  it('completing a todo publishes TodoCompleted (version 1) with the causing commit as its id', async () => {
    const listId = (await api.post('/lists', alice, { title: 'to publish' })).body.listId as string;
    const todoId = (await api.post(`/lists/${listId}/todos`, alice, { title: 'ship it' })).body.todoId as string;
    const { version } = (await api.post(`/lists/${listId}/todos/${todoId}/complete`, alice)).body as {
      version: number;
    };
    const file = path.join(stack.dataDir, 'integration-events.jsonl');
    const read = async () =>
      existsSync(file)
        ? readFileSync(file, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l))
        : [];
    const entries = await eventually(read, (all) => all.some((e: { id: string }) => e.id === `${listId}:${version}`));
    const entry = entries.find((e: { id: string }) => e.id === `${listId}:${version}`);
    expect(entry).toMatchObject({
      source: 'todo-cqrs',
      type: 'TodoCompleted',
      detail: { version: 1, listId, todoId, ownerId: 'alice' },
    });
    expect(entry.detail.completedAt).toBe(entry.time);
  });
});
