import { DeleteItemCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import {
  MAX_TAGS_PER_TODO,
  MAX_TODOS_PER_LIST,
  TITLE_MAX_LENGTH,
  initialTodoListState,
  todoListReducer,
  TODO_LIST_STREAM_TYPE,
  type TodoListEvent,
  type TodoListState,
} from '../domain/todoList';
import { CommandPipeline, DynamoDbEventStore, DynamoDbSnapshotStore } from '../src';
import { createTable, testDynamoDb } from './support/dynamoDb';
import { seedLongStream } from './support/longStream';
import { seededRandom } from './support/streamHarness';

const { client } = testDynamoDb();
let eventsTable: string;
let snapshotsTable: string;
const aggregate = { streamType: TODO_LIST_STREAM_TYPE, initialState: initialTodoListState, reducer: todoListReducer };

/** Counts the requests a client sends, by command name. */
const countRequests = (dynamo: DynamoDBClient) => {
  const counts: Record<string, number> = {};
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      counts[context.commandName ?? '?'] = (counts[context.commandName ?? '?'] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: `count-${randomUUID()}` },
  );
  return counts;
};

beforeAll(async () => {
  eventsTable = await createTable(client, 'EventsTable');
  snapshotsTable = await createTable(client, 'SnapshotsTable');
});

describe('snapshots on DynamoDB Local', () => {
  it('a 5,000-commit stream loads with one snapshot read and one short tail query', async () => {
    const streamId = `long-${randomUUID()}`;
    const commits = await seedLongStream(client, eventsTable, streamId, 5000);
    const expected = commits.flatMap((c) => c.events).reduce(todoListReducer, initialTodoListState);
    const { client: counted } = testDynamoDb();
    const counts = countRequests(counted);
    const store = new DynamoDbEventStore({ client: counted, tableName: eventsTable });
    const snapshots = new DynamoDbSnapshotStore({ client: counted, tableName: snapshotsTable });
    const pipeline = new CommandPipeline<TodoListState, TodoListEvent>({
      store,
      aggregate,
      snapshots: { store: snapshots, every: 50 },
    });

    // No snapshot yet: the first load has to read everything (paged), and then a command snapshots it.
    const cold = await pipeline.load(streamId);
    expect(cold.state).toEqual(expected);
    await snapshots.put({
      streamId,
      version: 4990,
      reducerVersion: '1',
      state: commits
        .slice(0, 4990)
        .flatMap((c) => c.events)
        .reduce(todoListReducer, initialTodoListState),
    });

    for (const key of Object.keys(counts)) delete counts[key];
    const warm = await pipeline.load(streamId);
    expect(warm.state).toEqual(expected);
    expect(warm.version).toBe(5000);
    expect(warm.snapshotVersion).toBe(4990);
    expect(counts).toEqual({ GetItemCommand: 1, QueryCommand: 1 });
  });

  it('never replaces a newer snapshot with an older one', async () => {
    const snapshots = new DynamoDbSnapshotStore({ client, tableName: snapshotsTable });
    const streamId = `s-${randomUUID()}`;
    await snapshots.put({ streamId, version: 10, reducerVersion: '1', state: { at: 10 } });
    await snapshots.put({ streamId, version: 5, reducerVersion: '1', state: { at: 5 } });
    expect(await snapshots.get(streamId)).toEqual({ streamId, version: 10, reducerVersion: '1', state: { at: 10 } });
    await snapshots.put({ streamId, version: 11, reducerVersion: '2', state: { at: 11 } });
    expect((await snapshots.get(streamId))?.version).toBe(11);
    expect(await snapshots.get(`missing-${streamId}`)).toBeUndefined();
  });

  it('stores the largest list the rules allow (500 todos, 200-character titles, 10 tags each), compressed and split as needed', async () => {
    // Titles of CJK characters: 3 bytes each in UTF-8 and hardly compressible when random.
    const random = seededRandom(7);
    const title = () =>
      Array.from({ length: TITLE_MAX_LENGTH }, () => String.fromCharCode(0x4e00 + Math.floor(random() * 0x5000))).join(
        '',
      );
    const state: TodoListState = {
      listId: randomUUID(),
      ownerId: 'x'.repeat(256),
      title: title(),
      archived: false,
      todos: Array.from({ length: MAX_TODOS_PER_LIST }, () => ({
        todoId: randomUUID(),
        title: title(),
        completed: random() < 0.5,
        tagIds: Array.from({ length: MAX_TAGS_PER_TODO }, () => randomUUID()),
      })),
    };
    expect(Buffer.byteLength(JSON.stringify(state))).toBeGreaterThan(400 * 1024); // over one DynamoDB item as plain JSON
    const snapshots = new DynamoDbSnapshotStore({ client, tableName: snapshotsTable });
    const streamId = `big-${randomUUID()}`;
    await snapshots.put({ streamId, version: 1000, reducerVersion: '1', state });
    expect(await snapshots.get(streamId)).toEqual({ streamId, version: 1000, reducerVersion: '1', state });
    const { Item } = await client.send(
      new GetItemCommand({ TableName: snapshotsTable, Key: { streamId: { S: streamId } } }),
    );
    // Gzipped it fits in items well under DynamoDB's 400 KB each (the parts test below splits a state for real).
    expect(Number(Item?.parts?.N)).toBeGreaterThanOrEqual(1);
    expect(Item!.stateZ!.B!.length).toBeLessThanOrEqual(350 * 1024);
  });

  it('reads a snapshot split into many parts, one stored before compression, and none when a part is missing', async () => {
    const small = new DynamoDbSnapshotStore({ client, tableName: snapshotsTable, partBytes: 64 });
    const streamId = `parts-${randomUUID()}`;
    const state = { todos: Array.from({ length: 50 }, (_, i) => ({ id: randomUUID(), i })) };
    await small.put({ streamId, version: 7, reducerVersion: '1', state });
    expect(await small.get(streamId)).toEqual({ streamId, version: 7, reducerVersion: '1', state });
    await client.send(
      new DeleteItemCommand({ TableName: snapshotsTable, Key: { streamId: { S: `${streamId}#snapshot@7#2` } } }),
    );
    expect(await small.get(streamId)).toBeUndefined();
    // Snapshots written by the earlier release (plain JSON in `state`) still load.
    const old = `old-${randomUUID()}`;
    await client.send(
      new PutItemCommand({
        TableName: snapshotsTable,
        Item: { streamId: { S: old }, version: { N: '3' }, reducerVersion: { S: '1' }, state: { S: '{"a":1}' } },
      }),
    );
    expect(await small.get(old)).toEqual({ streamId: old, version: 3, reducerVersion: '1', state: { a: 1 } });
  });
});
