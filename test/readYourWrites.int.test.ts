/**
 * Regression test for a defect the reliability suite found (test/reliability/isolation.rel.test.ts):
 * read-your-writes on a list that is not the caller's — another user's, or none at all —
 * waited 1.5 s and answered 503 VIEW_BEHIND, where every other route answers 404. Now the
 * event store decides at once whether the list is the caller's; only then is the view awaited.
 */
import { randomUUID } from 'node:crypto';
import { app } from '../handlers/app';
import { todoListQueries as appQueries } from '../handlers/todoLists/queries';
import { listsView as listsViewDeclared } from '../handlers/todoLists/views';
import { tagsView as tagsViewDeclared } from '../handlers/tags/views';
import { DynamoDbEventStore, createRuntime, type QueryContext, type View } from '../src';
import { viewTableName } from '../src/app/definition';
import { viewTableId } from '../src/app/serverless';
import { listsView, tagsView } from './support/todoApp';
import { createTable, testDynamoDb } from './support/dynamoDb';

const { client, documentClient } = testDynamoDb();
const prefix = `ryw-${randomUUID().slice(0, 8)}-`;
let store: DynamoDbEventStore;
let context: QueryContext;
/** The app's own queries, run as their routes run them. */
const queries = {
  readList: (userId: string, listId: string, minVersion: number) =>
    appQueries.getList.run({ userId, params: { listId }, query: { minVersion } }, context),
  readLists: (userId: string, query: { listId: string; minVersion: number }) =>
    appQueries.getLists.run({ userId, params: undefined, query }, context),
};

/** The views the queries under test read, from their declarations: a view a query joins later is created too. */
const viewsRead = [
  ...new Set(
    [appQueries.getList, appQueries.getLists].flatMap((q) =>
      q.reads.flatMap((r) => (r.kind === 'events' ? [] : [r.view])),
    ),
  ),
];
const tableOf = (view: View) => `${prefix}${viewTableName(view)}`;

beforeAll(async () => {
  await createTable(client, 'EventsTable', `${prefix}events`);
  for (const view of viewsRead) await createTable(client, viewTableId(view), tableOf(view));
  store = new DynamoDbEventStore({ client, tableName: `${prefix}events` });
  context = createRuntime(
    app,
    { tablePrefix: prefix, graphqlIntrospection: false },
    { DYNAMODB_ENDPOINT: process.env.TEST_DYNAMODB_ENDPOINT, AWS_REGION: 'us-east-1' },
  ).queryContext;
}, 60_000);

/** A list of `owner` in the event store; its view is written only when `withView`. */
const listOf = async (owner: string, withView: boolean) => {
  const listId = randomUUID();
  const at = new Date().toISOString();
  const commit = await store.append({
    streamId: listId,
    streamType: 'todoList',
    expectedVersion: 0,
    events: [{ type: 'ListCreated', data: { listId, ownerId: owner, title: 'mine' } }],
    commandId: randomUUID(),
    at,
  });
  if (withView)
    await listsView({ documentClient, store, tableName: tableOf(listsViewDeclared) }).applyCommits(listId, [commit]);
  return listId;
};

const outcome = async (read: () => Promise<unknown>) => {
  const started = Date.now();
  try {
    await read();
    return { status: 200, fast: Date.now() - started < 1000 };
  } catch (error) {
    const { httpStatus, code } = error as { httpStatus?: number; code?: string };
    return { status: httpStatus, code, fast: Date.now() - started < 1000 };
  }
};

describe('the tables of this test', () => {
  it("are the events table and every view the queries read, the lists' and the tags' among them", () => {
    expect(viewsRead).toEqual(expect.arrayContaining([listsViewDeclared, tagsViewDeclared]));
  });
});

describe("read-your-writes (?minVersion) on a list that is not the caller's", () => {
  it("answers another user's list 404 at once, whether its view exists or not", async () => {
    for (const withView of [true, false]) {
      const listId = await listOf('alice', withView);
      expect(await outcome(() => queries.readList('bob', listId, 1))).toEqual({
        status: 404,
        code: 'LIST_NOT_FOUND',
        fast: true,
      });
      expect(await outcome(() => queries.readLists('bob', { listId, minVersion: 1 }))).toEqual({
        status: 404,
        code: 'LIST_NOT_FOUND',
        fast: true,
      });
    }
  });

  it('answers a list that does not exist 404 at once', async () => {
    const listId = randomUUID();
    expect(await outcome(() => queries.readList('bob', listId, 1))).toEqual({
      status: 404,
      code: 'LIST_NOT_FOUND',
      fast: true,
    });
    expect(await outcome(() => queries.readLists('bob', { listId, minVersion: 1 }))).toEqual({
      status: 404,
      code: 'LIST_NOT_FOUND',
      fast: true,
    });
  });

  it("still waits for the caller's own list and answers 503 VIEW_BEHIND when its view stays behind", async () => {
    const listId = await listOf('alice', false);
    expect(await outcome(() => queries.readList('alice', listId, 1))).toEqual({
      status: 503,
      code: 'VIEW_BEHIND',
      fast: false,
    });
    const withView = await listOf('alice', true);
    expect(await outcome(() => queries.readList('alice', withView, 1))).toEqual({ status: 200, fast: true });
    expect(await outcome(() => queries.readList('alice', withView, 2))).toEqual({
      status: 503,
      code: 'VIEW_BEHIND',
      fast: false,
    });
  });
});

describe('read-your-writes (?minVersion) waits for every view the query joins', () => {
  it('GET /lists/{listId}?minVersion=N waits for the tags view too: a tag just made shows on the todo by name', async () => {
    const owner = `carol-${randomUUID().slice(0, 8)}`;
    const [listId, todoId, tagId] = [randomUUID(), randomUUID(), randomUUID()];
    const at = new Date().toISOString();
    // The tag is created (tags stream v1), then put on a todo (list v2): the lists view has caught up, the tags view not.
    const tagCommit = await store.append({
      streamId: `tags#${owner}`,
      streamType: 'tags',
      expectedVersion: 0,
      events: [{ type: 'TagCreated', data: { tagId, name: 'urgent' } }],
      commandId: randomUUID(),
      at,
    });
    const listCommits = [
      await store.append({
        streamId: listId,
        streamType: 'todoList',
        expectedVersion: 0,
        events: [
          { type: 'ListCreated', data: { listId, ownerId: owner, title: 'mine' } },
          { type: 'TodoAdded', data: { todoId, title: 'call' } },
        ],
        commandId: randomUUID(),
        at,
      }),
      await store.append({
        streamId: listId,
        streamType: 'todoList',
        expectedVersion: 1,
        events: [{ type: 'TodoTagged', data: { todoId, tagId } }],
        commandId: randomUUID(),
        at,
      }),
    ];
    await listsView({ documentClient, store, tableName: tableOf(listsViewDeclared) }).applyCommits(listId, listCommits);
    // The tags view catches up a moment after the read began.
    const catchUp = new Promise((resolve) => setTimeout(resolve, 300)).then(() =>
      tagsView({ documentClient, store, tableName: tableOf(tagsViewDeclared) }).applyCommits(`tags#${owner}`, [
        tagCommit,
      ]),
    );
    const list = await queries.readList(owner, listId, 2);
    await catchUp;
    expect(list.todos.map(({ todoId, tags }) => ({ todoId, tags }))).toEqual([
      { todoId, tags: [{ tagId, name: 'urgent' }] },
    ]);
  });
});
