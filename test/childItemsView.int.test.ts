/**
 * The lists view's layout on DynamoDB Local: a header item plus one item per todo. A write too
 * large for one transaction runs under a claim on the header; these tests stop such a writer
 * half-way (as a Lambda that times out or is frozen would) and check that another applier
 * takes over and that the first one's late writes can never mix into the view.
 */
import { QueryCommand, ScanCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ListView, TodoListEvent } from '../domain/todoList';
import { listsView } from '../handlers/views';
import {
  InMemoryEventStore,
  exactlyOnceProjection,
  foldCommits,
  streamViewStore,
  type Commit,
  type ViewStore,
} from '../src';
import { createTable, testDynamoDb } from './support/dynamoDb';

const { client, documentClient } = testDynamoDb();
const T = '2026-06-01T00:00:00.000Z';

/** A client that holds its `pauseAt`-th transaction until `release` is called. */
const pausing = (pauseAt: number) => {
  let transactions = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let paused!: () => void;
  const reachedPause = new Promise<void>((resolve) => (paused = resolve));
  const wrapped = {
    send: async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
      if (command instanceof TransactWriteCommand && ++transactions === pauseAt) {
        paused();
        await gate;
      }
      return documentClient.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client: wrapped, release, reachedPause };
};

const bigList = async (store: InMemoryEventStore, listId: string) => {
  const ids = Array.from({ length: 250 }, (_, i) => `t${i}`);
  const commits: (readonly TodoListEvent[])[] = [
    [{ type: 'ListCreated', data: { listId, ownerId: 'gus', title: 'big' } }],
    ids.map((todoId): TodoListEvent => ({ type: 'TodoAdded', data: { todoId, title: `todo ${todoId}` } })),
    ids.slice(0, 200).map((todoId): TodoListEvent => ({ type: 'TodoCompleted', data: { todoId } })),
    ids.slice(0, 200).map((todoId): TodoListEvent => ({ type: 'TodoRemoved', data: { todoId } })),
  ];
  const written: Commit[] = [];
  for (const [i, events] of commits.entries()) {
    written.push(
      await store.append({
        streamId: listId,
        streamType: 'todoList',
        expectedVersion: i,
        events,
        commandId: `${listId}-${i}`,
        at: T,
      }),
    );
  }
  return written;
};

const applier = (store: InMemoryEventStore, views: ViewStore<ListView>) =>
  exactlyOnceProjection({ name: 'lists', streamType: 'todoList', store, views, evolve: listsView.evolve });

/** A fresh table, a list of 250 todos, and a first applier whose `pauseAt`-th transaction waits. */
const setUp = async (listId: string, pauseAt: number) => {
  const tableName = await createTable(client, 'ListsTable');
  const store = new InMemoryEventStore();
  const commits = await bigList(store, listId);
  const options = { tableName, keyAttribute: listsView.key, children: listsView.children };
  const paused = pausing(pauseAt);
  const first = applier(store, streamViewStore<ListView>({ ...options, client: paused.client }));
  const thief = streamViewStore<ListView>({ ...options, client: documentClient, claimLeaseMs: 300 });
  return { tableName, store, commits, paused, first, thief };
};

const itemsOf = async (tableName: string, listId: string) =>
  ((await documentClient.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? []).filter(
    (i) => i.listId === listId,
  );

describe('the lists view as a header and one item per todo', () => {
  it('a writer stopped half-way through a large write is taken over; its late chunks never land', async () => {
    const { tableName, store, commits, paused: slow, first: firstApplier, thief } = await setUp('L1', 2);
    // The first applier claims the new view and writes its first 99 todos, then stops.
    const first = firstApplier.applyCommits('L1', commits.slice(0, 2));
    await slow.reachedPause;
    expect((await itemsOf(tableName, 'L1')).length).toBe(1 + 99);
    // Another applier waits for the claim's lease, takes it over, and folds from the first commit.
    expect(await applier(store, thief).applyCommits('L1', commits.slice(2))).toMatchObject({ applied: 4 });
    const expected = { version: 4, state: foldCommits(null, commits, listsView.evolve) };
    expect(await thief.read('L1')).toMatchObject(expected);
    // The first applier wakes up: its next chunk fails on the stolen claim, and it finds its commits applied.
    slow.release();
    expect(await first).toEqual({ applied: 0, duplicates: 2, healed: 0 });
    expect(await thief.read('L1')).toMatchObject(expected);
    const items = await itemsOf(tableName, 'L1');
    expect(items.length).toBe(1 + 50);
    expect(items.every((i) => i.claim === undefined)).toBe(true);
  });

  it('a writer that died holding its claim (never to return) is taken over the same way', async () => {
    const { tableName, store, commits, paused: dead, first, thief } = await setUp('L2', 3);
    void first.applyCommits('L2', commits.slice(0, 2));
    await dead.reachedPause;
    // Only a duplicate arrives: the refold still reaches at least the version the view had.
    await applier(store, thief).applyCommits('L2', commits.slice(0, 1));
    expect(await thief.read('L2')).toMatchObject({
      version: 1,
      state: foldCommits(null, commits.slice(0, 1), listsView.evolve),
    });
    expect(await itemsOf(tableName, 'L2')).toHaveLength(1);
    await applier(store, thief).applyCommits('L2', commits);
    expect(await thief.read('L2')).toMatchObject({ version: 4, state: foldCommits(null, commits, listsView.evolve) });
    expect(await itemsOf(tableName, 'L2')).toHaveLength(1 + 50);
  });
  it('a warm applier reads only the header of a view it wrote last, and everything again once another wrote', async () => {
    const tableName = await createTable(client, 'ListsTable');
    const store = new InMemoryEventStore();
    const commits = await bigList(store, 'L3');
    const queries: string[] = [];
    const counting = {
      send: (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
        if (command instanceof QueryCommand) queries.push('query');
        return documentClient.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const options = { tableName, keyAttribute: listsView.key, children: listsView.children };
    const warm = applier(store, streamViewStore<ListView>({ ...options, client: counting }));
    const other = applier(store, streamViewStore<ListView>({ ...options, client: documentClient }));
    await warm.applyCommits('L3', commits.slice(0, 3));
    const more = async (title: string) => {
      const version = (await store.readStream('L3')).length;
      return store.append({
        streamId: 'L3',
        streamType: 'todoList',
        expectedVersion: version,
        events: [{ type: 'TodoRenamed', data: { todoId: 't220', title } }],
        commandId: `L3-${version}`,
        at: T,
      });
    };
    // The view is as this store left it: no Query of its 50 todos.
    queries.length = 0;
    await warm.applyCommits('L3', [await more('first')]);
    expect(queries).toEqual([]);
    // Another applier writes: the warm one must not trust what it remembers.
    await other.applyCommits('L3', [await more('second')]);
    await warm.applyCommits('L3', [await more('third')]);
    expect(queries.length).toBeGreaterThan(0);
    const all = await store.readStream('L3');
    const expected = { version: all.length, state: foldCommits(null, all, listsView.evolve) };
    expect(await streamViewStore<ListView>({ ...options, client: documentClient }).read('L3')).toMatchObject(expected);
    expect(expected.state?.todos.find((t) => t.todoId === 't220')?.title).toBe('third');
  });
});
