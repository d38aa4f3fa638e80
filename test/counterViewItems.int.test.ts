/**
 * The counter views' storage (issue 26 part 1): no item grows with a list, a counter back at 0
 * is deleted, and a change too large for one transaction is written in consistent steps that a
 * later apply finishes after the writer died half-way, nothing counted twice.
 */
import { QueryCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TodoListEvent } from '../domain/todoList';
import { statsView, tagCountsView, taggedTodosView } from '../handlers/views';
import {
  InMemoryEventStore,
  counterViewOfItems,
  counterViewProjection,
  getOwn,
  readCounterTotals,
  type Commit,
  type CounterView,
} from '../src';
import { expectedCounterTotals } from '../src/ops/appOps';
import { createTable, testDynamoDb } from './support/dynamoDb';

const { client, documentClient } = testDynamoDb();
const T = '2026-12-07T00:00:00.000Z';
// Ids as the kit mints them (UUIDs), so every item's size is what the app's would be.
const uuid = (prefix: number, n: number) =>
  `${String(prefix).padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const listId = uuid(1, 1);
const todoIds = Array.from({ length: 500 }, (_, i) => uuid(2, i));
const tagIds = Array.from({ length: 10 }, (_, i) => uuid(3, i));

const scanAll = async (tableName: string) =>
  (await documentClient.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
/** An item's size as DynamoDB counts it, near enough: its attribute names and values as text. */
const sizeOf = (item: Record<string, unknown>) =>
  Object.entries(item).reduce((sum, [k, v]) => sum + k.length + JSON.stringify(v).length, 0);

const setUp = async (view: CounterView<any, any>, send = documentClient.send.bind(documentClient)) => {
  const tableName = await createTable(client, 'TaggedTodosTable');
  const store = new InMemoryEventStore();
  const projection = (sender = send) =>
    counterViewProjection({
      name: view.name,
      streamType: 'todoList',
      client: { send: sender } as typeof documentClient,
      tableName,
      store,
      evolve: view.evolve,
      contributions: view.contributions,
      children: view.children,
    });
  const commits: Commit[] = [];
  const commit = async (events: TodoListEvent[]) => {
    const written = await store.append({
      streamId: listId,
      streamType: 'todoList',
      expectedVersion: commits.length,
      events,
      commandId: `c${commits.length}`,
      at: T,
    });
    commits.push(written);
    return written;
  };
  /** The totals as stored against a fresh fold, for every key the fold has. */
  const expectTotalsOfFold = async () => {
    const { totals } = counterViewOfItems(await scanAll(tableName));
    const expected = expectedCounterTotals(view, [commits]);
    expect(new Map([...totals].map(([key, t]) => [key, Object.fromEntries(t)]))).toEqual(expected);
  };
  return { tableName, projection, commit, commits, expectTotalsOfFold };
};

/** A list of 500 todos, each with 10 tags: the most the rules allow. */
const fullList = async (commit: (events: TodoListEvent[]) => Promise<Commit>) => [
  await commit([{ type: 'ListCreated', data: { listId, ownerId: 'owner', title: 'full' } }]),
  await commit(todoIds.map((todoId) => ({ type: 'TodoAdded', data: { todoId, title: 'x' } }) as const)),
  await commit(
    todoIds.flatMap((todoId) => tagIds.map((tagId) => ({ type: 'TodoTagged', data: { todoId, tagId } }) as const)),
  ),
];

describe('counter views: one small item per child and per counter', () => {
  it.each([statsView, tagCountsView, taggedTodosView])(
    '$name: a list of 500 todos with 10 tags each leaves no item above 1 KB, totals equal to the fold',
    async (view) => {
      const { tableName, projection, commit, expectTotalsOfFold } = await setUp(view);
      await projection().applyCommits(listId, await fullList(commit));
      await projection().applyCommits(listId, [
        await commit([{ type: 'TodoCompleted', data: { todoId: todoIds[7]! } }]),
      ]);
      const items = await scanAll(tableName);
      expect(Math.max(...items.map(sizeOf))).toBeLessThan(1024);
      await expectTotalsOfFold();
    },
    240_000,
  );

  it('taggedTodos: an untagged todo leaves no entry (not a 0) in the tag’s index', async () => {
    const { tableName, projection, commit, expectTotalsOfFold } = await setUp(taggedTodosView);
    await projection().applyCommits(listId, [
      await commit([{ type: 'ListCreated', data: { listId, ownerId: 'owner', title: 'l' } }]),
      await commit([{ type: 'TodoAdded', data: { todoId: todoIds[0]!, title: 'x' } }]),
      await commit([{ type: 'TodoTagged', data: { todoId: todoIds[0]!, tagId: tagIds[0]! } }]),
    ]);
    expect(await readCounterTotals(documentClient, tableName, tagIds[0]!)).toEqual({ [`${listId}/${todoIds[0]}`]: 1 });
    await projection().applyCommits(listId, [
      await commit([{ type: 'TodoUntagged', data: { todoId: todoIds[0]!, tagId: tagIds[0]! } }]),
    ]);
    const stored = (await scanAll(tableName)).filter((i) => String(i.pk).startsWith('total#'));
    expect(stored).toEqual([]);
    await expectTotalsOfFold();
  });

  it('a warm applier reads only the header of a source it wrote last, and the whole partition again once another wrote', async () => {
    const queries: string[] = [];
    const counting = (async (command: unknown) => {
      if (command instanceof QueryCommand) queries.push(String(command.input.ExpressionAttributeValues?.[':pk']));
      return documentClient.send(command as never);
    }) as typeof documentClient.send;
    const { tableName, projection, commit, expectTotalsOfFold } = await setUp(tagCountsView);
    const warm = projection(counting);
    const other = projection();
    const some = todoIds.slice(0, 50);
    await warm.applyCommits(listId, [
      await commit([{ type: 'ListCreated', data: { listId, ownerId: 'owner', title: 'l' } }]),
      await commit(some.map((todoId) => ({ type: 'TodoAdded', data: { todoId, title: 'x' } }) as const)),
      await commit(
        some.flatMap((todoId) => tagIds.map((tagId) => ({ type: 'TodoTagged', data: { todoId, tagId } }) as const)),
      ),
    ]);
    // The partition is as this store left it: no Query of its 50 todos.
    queries.length = 0;
    await warm.applyCommits(listId, [
      await commit([{ type: 'TodoUntagged', data: { todoId: some[7]!, tagId: tagIds[0]! } }]),
    ]);
    expect(queries).toEqual([]);
    // Another applier writes: the warm one must not trust what it remembers.
    await other.applyCommits(listId, [
      await commit([{ type: 'TodoUntagged', data: { todoId: some[8]!, tagId: tagIds[0]! } }]),
    ]);
    await warm.applyCommits(listId, [
      await commit([{ type: 'TodoUntagged', data: { todoId: some[9]!, tagId: tagIds[0]! } }]),
    ]);
    expect(queries).toContain(`stream#${listId}`);
    await expectTotalsOfFold();
    expect(getOwn(await readCounterTotals(documentClient, tableName, 'owner'), tagIds[0]!)).toBe(47);
  }, 120_000);

  it('a change too large for one transaction (archiving 5,000 index entries) is finished by the next apply after its writer died half-way', async () => {
    let transactions = 0;
    let dieAfter = Number.POSITIVE_INFINITY;
    const send = (async (command: unknown) => {
      if (command instanceof TransactWriteCommand) {
        if (transactions >= dieAfter) throw new Error('the writer died');
        transactions += 1;
      }
      return documentClient.send(command as never);
    }) as typeof documentClient.send;
    const { tableName, projection, commit, expectTotalsOfFold } = await setUp(taggedTodosView, send);
    await projection().applyCommits(listId, await fullList(commit));
    await expectTotalsOfFold();
    const archived = await commit([{ type: 'ListArchived', data: {} }]);
    transactions = 0;
    dieAfter = 20;
    await expect(projection().applyCommits(listId, [archived])).rejects.toThrow('the writer died');
    // Half-way: the header says so, and no total counts anything twice (at most what the list had).
    const half = counterViewOfItems(await scanAll(tableName));
    expect(half.headers.get(listId)).toEqual({ version: 3, pending: true });
    const carrying = [...half.totals.values()].reduce((sum, t) => sum + t.size, 0);
    expect(carrying).toBeGreaterThan(0);
    expect(carrying).toBeLessThan(5000);
    // Redelivered: the next apply folds the stream again and carries on from what is stored.
    dieAfter = Number.POSITIVE_INFINITY;
    await projection().applyCommits(listId, [archived]);
    expect(counterViewOfItems(await scanAll(tableName)).headers.get(listId)).toEqual({ version: 4, pending: false });
    await expectTotalsOfFold();
    expect(getOwn(await readCounterTotals(documentClient, tableName, tagIds[0]!), `${listId}/${todoIds[0]}`)).toBe(
      undefined,
    );
    // And once more: a duplicate changes nothing.
    expect(await projection().applyCommits(listId, [archived])).toMatchObject({ applied: 0, duplicates: 1 });
    await expectTotalsOfFold();
  }, 300_000);
});
