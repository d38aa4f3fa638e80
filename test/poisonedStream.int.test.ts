/**
 * One user's bad events already in the log among healthy users' streams. Two kinds:
 * - events no fold can apply: a type this code does not know (`TagColored`, `TodoPinned`, written
 *   by a newer version that was rolled back); every reducer throws on it. The live projections,
 *   a rebuild and a redrive dead-letter only those streams and go on with everyone else; verify
 *   reports them as unappliable (not "behind") and exits non-zero. The operator's repair is an
 *   upcaster that drops them (added here by the repaired app), then redrive.
 * - events the views take but that meant nothing (written before the edge checked ids: a tag id
 *   of `hasOwnProperty` or `constructor`): the domain and the kit's document client keep such
 *   keys as keys, so they are applied; the repair the app ships (upcasters that drop events with
 *   ids the kit never minted) makes verify find the views that took them, and a fresh rebuild
 *   brings them to the fold without them.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tagsUpcasters } from '../domain/tags';
import { todoListUpcasters } from '../domain/todoList';
import { app } from '../handlers/app';
import { listsView, tags, todoLists } from '../handlers/views';
import {
  COUNTER_TABLE_KEY,
  DynamoDbEventStore,
  counterTotalKey,
  createProjectionHandler,
  dynamoDbDeadLetters,
} from '../src';
import { appEventSchema, viewFunctionName, viewTableName, type AppDefinition } from '../src/app/definition';
import { viewTableId } from '../src/app/serverless';
import { projectionOf } from '../src/app/projections';
import { eventSchema, type Upcasters } from '../src/eventStore/eventSchema';
import { appOps, opsMain, storedStreamViews, type OpsOptions } from '../src/ops/appOps';
import { createTable, testDynamoDb } from './support/dynamoDb';
import { readStreamRecords } from './support/streamHarness';

const { client, documentClient } = testDynamoDb();
const endpoint = process.env.TEST_DYNAMODB_ENDPOINT!;
const stage = `p${randomUUID().slice(0, 8)}`;
const table = (suffix: string) => `todo-cqrs-${stage}-${suffix}`;
const dataDir = mkdtempSync(path.join(tmpdir(), 'poison-'));
const journal = dynamoDbDeadLetters(documentClient, table('deadLetters'));

/** The app as it was before the repair: the same views, its aggregates without the repairing upcasters. */
const unrepaired: AppDefinition = {
  ...app,
  aggregates: [
    { ...todoLists, schema: eventSchema({ TodoAdded: todoListUpcasters.TodoAdded }) },
    { ...tags, schema: eventSchema({}) },
  ],
} as AppDefinition;

/**
 * The app with the operator's repair for the events of a newer version: upcasters that drop
 * them on read (`null`), beside the ones the app ships; its reducer versions bumped so no
 * snapshot folded without the repair is used (README, "A bad event already in the log").
 */
const dropIt = () => null;
const repaired: AppDefinition = {
  ...app,
  aggregates: [
    {
      ...todoLists,
      reducerVersion: '3',
      schema: eventSchema({ ...todoListUpcasters, TodoPinned: [dropIt] } as Upcasters<never>),
    },
    {
      ...tags,
      reducerVersion: '3',
      schema: eventSchema({ ...tagsUpcasters, TagColored: [dropIt] } as Upcasters<never>),
    },
  ],
} as AppDefinition;

const lines: string[] = [];
const options = (overrides: Partial<OpsOptions> = {}): OpsOptions => ({
  stage,
  endpoint,
  dataDir,
  segments: 2,
  log: (l) => lines.push(l),
  ...overrides,
});

/** A commit written straight into the events table, as the API wrote it before ids were checked. */
let at = Date.parse('2026-01-01T00:00:00.000Z');
const putCommit = (
  streamId: string,
  streamType: string,
  version: number,
  events: { type: string; data: unknown }[],
) => {
  at += 1000;
  return client.send(
    new PutItemCommand({
      TableName: table('events'),
      Item: {
        streamId: { S: streamId },
        version: { N: String(version) },
        streamType: { S: streamType },
        commandId: { S: randomUUID() },
        at: { S: new Date(at).toISOString() },
        events: { S: JSON.stringify(events) },
      },
    }),
  );
};

const users = ['alice', 'bob', 'mallory', 'carol'];
const state = new Map<string, { listId: string; todoId: string; tagId: string }>();
const mallory = () => state.get('mallory')!;
/** Mallory's second list, which holds the event of a newer version. */
const pinnedListId = randomUUID();

beforeAll(async () => {
  await createTable(client, 'EventsTable', table('events'));
  await createTable(client, 'DeadLettersTable', table('deadLetters'));
  for (const view of app.views) await createTable(client, viewTableId(view), table(viewTableName(view)));
  for (const user of users) {
    const ids = { listId: randomUUID(), todoId: randomUUID(), tagId: randomUUID() };
    state.set(user, ids);
    const tagStream = `tags#${user}`;
    await putCommit(tagStream, 'tags', 1, [{ type: 'TagCreated', data: { tagId: ids.tagId, name: `${user}'s tag` } }]);
    await putCommit(ids.listId, 'todoList', 1, [
      { type: 'ListCreated', data: { listId: ids.listId, ownerId: user, title: `${user}'s list` } },
      { type: 'TodoAdded', data: { todoId: ids.todoId, title: 'milk' } },
    ]);
    await putCommit(ids.listId, 'todoList', 2, [
      { type: 'TodoTagged', data: { todoId: ids.todoId, tagId: ids.tagId } },
    ]);
    if (user === 'mallory') {
      // Ids the kit never minted, from before the edge checked them.
      await putCommit(tagStream, 'tags', 2, [{ type: 'TagDeleted', data: { tagId: 'hasOwnProperty' } }]);
      await putCommit(tagStream, 'tags', 3, [{ type: 'TagRenamed', data: { tagId: 'constructor', name: 'pwned' } }]);
      await putCommit(ids.listId, 'todoList', 3, [
        { type: 'TodoTagged', data: { todoId: ids.todoId, tagId: 'constructor' } },
      ]);
      // Types this code does not know, from a newer version (rolled back since).
      await putCommit(tagStream, 'tags', 4, [{ type: 'TagColored', data: { tagId: ids.tagId, color: 'red' } }]);
      const pinnedTodoId = randomUUID();
      await putCommit(pinnedListId, 'todoList', 1, [
        { type: 'ListCreated', data: { listId: pinnedListId, ownerId: user, title: 'pinned' } },
        { type: 'TodoAdded', data: { todoId: pinnedTodoId, title: 'bread' } },
      ]);
      await putCommit(pinnedListId, 'todoList', 2, [{ type: 'TodoPinned', data: { todoId: pinnedTodoId } }]);
    }
    // Healthy commits after the poisoned ones, in the same stream order.
    await putCommit(tagStream, 'tags', user === 'mallory' ? 5 : 2, [
      { type: 'TagCreated', data: { tagId: randomUUID(), name: 'later' } },
    ]);
  }
}, 60_000);

const tagsItem = async (user: string) =>
  (
    await documentClient.send(
      new GetCommand({ TableName: table('tags'), Key: { streamId: `tags#${user}` }, ConsistentRead: true }),
    )
  ).Item;
const tagCounts = async (user: string) =>
  (
    await documentClient.send(
      new GetCommand({
        TableName: table('tagCounts'),
        Key: { [COUNTER_TABLE_KEY]: counterTotalKey(user) },
        ConsistentRead: true,
      }),
    )
  ).Item;
const stats = async (user: string) =>
  (
    await documentClient.send(
      new GetCommand({
        TableName: table('stats'),
        Key: { [COUNTER_TABLE_KEY]: counterTotalKey(user) },
        ConsistentRead: true,
      }),
    )
  ).Item;
/** The tag ids of one todo in the lists view as stored. */
const todoTagIds = async (listId: string, todoId: string) => {
  const list = (await storedStreamViews(documentClient, table(viewTableName(listsView)), listsView)).get(listId)
    ?.view as { todos: { todoId: string; tagIds?: string[] }[] } | undefined;
  return list?.todos.find((t) => t.todoId === todoId)?.tagIds;
};
const letters = async () =>
  (await Promise.all(app.views.map((v) => journal.list(viewFunctionName(v)))))
    .flat()
    .map((l) => `${l.view} ${l.streamId} ${l.fromVersion}`)
    .sort();

/** The healthy users' views are right whatever happened to mallory's. */
const expectHealthyUsersRight = async () => {
  for (const user of users.filter((u) => u !== 'mallory')) {
    const { tagId } = state.get(user)!;
    expect(Object.keys((await tagsItem(user))?.tags ?? {})).toHaveLength(2);
    expect((await tagsItem(user))?.version).toBe(2);
    expect(await tagCounts(user)).toMatchObject({ [tagId]: 1 });
    expect(await stats(user)).toMatchObject({ lists: 1, openTodos: 1 });
  }
};

const quietly = async <T>(run: () => Promise<T>) => {
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const logs = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    return {
      result: await run(),
      errors: errors.mock.calls.map((c) => String(c[0])),
      logs: logs.mock.calls.map((c) => String(c[0])),
    };
  } finally {
    errors.mockRestore();
    logs.mockRestore();
  }
};

describe('a poisoned stream already in the log', () => {
  it('the live projections dead-letter only its stream and apply every other stream of the batch', async () => {
    const records = await readStreamRecords(client, endpoint, table('events'));
    const schema = appEventSchema(unrepaired);
    const store = new DynamoDbEventStore({ client, tableName: table('events'), schema });
    const failedStreams: Record<string, string[]> = {};
    for (const view of app.views) {
      const handler = createProjectionHandler(
        projectionOf(view, { documentClient, store, tableName: table(viewTableName(view)) }),
        { schema, deadLetters: journal },
      );
      // One batch holding every user's records: the poisoned stream's failure holds back no one else.
      const { result } = await quietly(() => handler({ Records: records }));
      const bySequence = new Map(records.map((r) => [r.dynamodb!.SequenceNumber!, r.dynamodb!.NewImage!.streamId!.S!]));
      failedStreams[view.name] = [...new Set(result.batchItemFailures.map((f) => bySequence.get(f.itemIdentifier)!))];
    }
    // The streams holding a type no reducer knows fail in every view over them; the events with
    // ids never minted do not fail (mallory's first list): the domain and the client keep such keys.
    expect(failedStreams).toEqual({
      lists: [pinnedListId],
      stats: [pinnedListId],
      tagCounts: [pinnedListId],
      tags: ['tags#mallory'],
    });
    expect(await letters()).toEqual(
      [
        `listsView ${pinnedListId} 1`,
        `statsView ${pinnedListId} 1`,
        `tagCountsView ${pinnedListId} 1`,
        'tagsView tags#mallory 1',
      ].sort(),
    );
    await expectHealthyUsersRight();
    expect(await tagCounts('mallory')).toMatchObject({ [mallory().tagId]: 1, constructor: 1 });
    expect(await todoTagIds(mallory().listId, mallory().todoId)).toEqual([mallory().tagId, 'constructor']);
  });

  it('a rebuild files it as a dead letter, goes on with every other stream, and reports it', async () => {
    const results = await appOps(unrepaired, options({ fresh: true })).rebuild();
    const failed = Object.fromEntries(
      results.map((r) => [r.view, r.failed.map((f) => `${f.streamId} ${f.fromVersion}-${f.toVersion}`)]),
    );
    expect(failed).toEqual({
      lists: [`${pinnedListId} 1-2`],
      stats: [`${pinnedListId} 1-2`],
      tagCounts: [`${pinnedListId} 1-2`],
      tags: ['tags#mallory 1-5'],
    });
    expect(results.find((r) => r.view === 'tags')).toMatchObject({
      streams: users.length,
      applied: users.length * 2 - 2,
    });
    expect(
      lines.some((l) =>
        /^ {2}failed tags#mallory \(versions 1–5\), filed as a dead letter: Unknown event .*TagColored/.test(l),
      ),
    ).toBe(true);
    await expectHealthyUsersRight();
    expect((await journal.list('tagsView')).map((l) => [l.streamId, l.failures])).toEqual([['tags#mallory', 2]]);

    // npm run rebuild exits non-zero and names the streams.
    const { errors } = await quietly(async () => {
      process.exitCode = 0;
      await opsMain(unrepaired, 'rebuild', [
        '--stage',
        stage,
        '--endpoint',
        endpoint,
        '--view',
        'tags',
        '--data-dir',
        dataDir,
      ]);
    });
    expect(process.exitCode).toBe(1);
    expect(errors).toEqual([
      '1 streams could not be applied (filed as dead letters; see npm run dead-letters): tags tags#mallory',
    ]);
    process.exitCode = 0;
  });

  it('verify counts it as an unappliable difference with its error, never as behind, and exits non-zero', async () => {
    const differences = await appOps(unrepaired, options()).verify();
    expect(differences.map((d) => `${d.view} ${d.kind} ${d.key}`).sort()).toEqual(
      [
        `lists unappliable ${pinnedListId}`,
        `stats unappliable ${pinnedListId}`,
        `tagCounts unappliable ${pinnedListId}`,
        'tags unappliable tags#mallory',
      ].sort(),
    );
    expect(differences.every((d) => typeof d.error === 'string' && d.error.length > 0)).toBe(true);
    const { result, logs } = await quietly(async () => {
      process.exitCode = 0;
      await opsMain(unrepaired, 'verify', ['--stage', stage, '--endpoint', endpoint]);
      return process.exitCode;
    });
    process.exitCode = 0;
    expect(result).toBe(1);
    expect(logs).toContain('tags: 4 streams, 1 differences, 0 behind (still catching up)');
    // Redrive without a repair still fails on it, and says so.
    const redriven = await appOps(unrepaired, options({ views: ['tags', 'tagCounts'] })).redrive();
    expect(redriven.map((r) => [r.view, r.redriven, r.stillFailing])).toEqual([
      ['tags', 0, 1],
      ['tagCounts', 0, 1],
    ]);
  });

  it("the repairs (the operator's upcaster for the newer events, the app's for ids never minted) let redrive and a fresh rebuild reach the fold: verify is clean", async () => {
    // The app's shipped repair alone does not make the events of a newer version applicable.
    expect(
      (await appOps(app, options({ views: ['tags'] })).redrive()).map((r) => [r.view, r.redriven, r.stillFailing]),
    ).toEqual([['tags', 0, 1]]);

    const redriven = await appOps(repaired, options()).redrive();
    expect(redriven.map((r) => [r.view, r.redriven, r.stillFailing])).toEqual([
      ['lists', 1, 0],
      ['stats', 1, 0],
      ['tagCounts', 1, 0],
      ['tags', 1, 0],
    ]);
    expect(await letters()).toEqual([]);
    expect(Object.keys((await tagsItem('mallory'))?.tags ?? {})).toEqual(expect.arrayContaining([mallory().tagId]));
    expect(Object.keys((await tagsItem('mallory'))?.tags ?? {})).not.toContain('constructor');
    expect(await stats('mallory')).toMatchObject({ lists: 2, openTodos: 2 });
    // The views that took the events with ids never minted without failing differ from the repaired fold:
    // verify finds them, a fresh rebuild brings them to the fold without those events.
    expect((await appOps(repaired, options()).verify()).map((d) => `${d.view} ${d.kind} ${d.key}`).sort()).toEqual([
      `lists differs ${mallory().listId}`,
      'tagCounts differs mallory',
    ]);
    const rebuilt = await appOps(repaired, options({ fresh: true, views: ['lists', 'tagCounts'] })).rebuild();
    expect(rebuilt.map((r) => [r.view, r.failed])).toEqual([
      ['lists', []],
      ['tagCounts', []],
    ]);
    expect(await appOps(repaired, options()).verify()).toEqual([]);
    expect(Object.keys((await tagCounts('mallory')) ?? {})).not.toContain('constructor');
    expect(await tagCounts('mallory')).toMatchObject({ [mallory().tagId]: 1 });
    expect(await todoTagIds(mallory().listId, mallory().todoId)).toEqual([mallory().tagId]);
    await expectHealthyUsersRight();
  });
});
