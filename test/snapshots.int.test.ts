import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { initialTodoListState, todoListReducer, TODO_LIST_STREAM_TYPE, type TodoListEvent, type TodoListState } from '../domain/todoList';
import { CommandPipeline, DynamoDbEventStore, DynamoDbSnapshotStore } from '../src';
import { createTable, testDynamoDb } from './support/dynamoDb';
import { seedLongStream } from './support/longStream';

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
    const pipeline = new CommandPipeline<TodoListState, TodoListEvent>({ store, aggregate, snapshots: { store: snapshots, every: 50 } });

    // No snapshot yet: the first load has to read everything (paged), and then a command snapshots it.
    const cold = await pipeline.load(streamId);
    expect(cold.state).toEqual(expected);
    await snapshots.put({ streamId, version: 4990, reducerVersion: '1', state: commits.slice(0, 4990).flatMap((c) => c.events).reduce(todoListReducer, initialTodoListState) });

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
});
