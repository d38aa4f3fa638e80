import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import {
  completeTodo,
  initialTodoListState,
  todoListReducer,
  todoListUpcasters,
  TODO_LIST_STREAM_TYPE,
  type TodoListEvent,
  type TodoListState,
} from '../domain/todoList';
import { listsView, statsView } from './support/todoApp';
import { listsView as listsViewDefinition } from '../handlers/views';
import { CommandPipeline, DynamoDbEventStore, createProjectionHandler, eventSchema, readStreamView } from '../src';
import { readCounterTotals } from '../src/projection/counterViewProjection';
import { createTable, testDynamoDb } from './support/dynamoDb';
import { readStreamRecords } from './support/streamHarness';

const { client, documentClient } = testDynamoDb();
const schema = eventSchema(todoListUpcasters);

describe('a v1 event stored as raw JSON, read as v2', () => {
  it('through the store, the reducer, a command and both projections', async () => {
    const eventsTable = await createTable(client, 'EventsTable');
    const listsTable = await createTable(client, 'ListsTable');
    const statsTable = await createTable(client, 'StatsTable');
    const listId = randomUUID();
    // Written by "the first release": TodoAdded had `text`, and events carried no schema version.
    await client.send(
      new PutItemCommand({
        TableName: eventsTable,
        Item: {
          streamId: { S: listId },
          version: { N: '1' },
          streamType: { S: TODO_LIST_STREAM_TYPE },
          commandId: { S: randomUUID() },
          at: { S: '2025-01-01T00:00:00.000Z' },
          events: {
            S: JSON.stringify([
              { type: 'ListCreated', data: { listId, ownerId: 'alice', title: 'Legacy' } },
              { type: 'TodoAdded', data: { todoId: 't1', text: 'old milk' } },
            ]),
          },
        },
      }),
    );

    const store = new DynamoDbEventStore({ client, tableName: eventsTable, schema });
    const [commit] = await store.readStream<TodoListEvent>(listId);
    expect(commit?.events[1]).toEqual({ type: 'TodoAdded', data: { todoId: 't1', title: 'old milk' } });

    const pipeline = new CommandPipeline<TodoListState, TodoListEvent>({
      store,
      aggregate: { streamType: TODO_LIST_STREAM_TYPE, initialState: initialTodoListState, reducer: todoListReducer },
    });
    expect((await pipeline.load(listId)).state?.todos).toEqual([{ todoId: 't1', title: 'old milk', completed: false }]);
    const done = await pipeline.run({
      streamId: listId,
      action: completeTodo,
      payload: { listId, todoId: 't1' },
      ctx: { userId: 'alice', now: '2026-01-01T00:00:00.000Z' },
    });
    expect(done.version).toBe(2);

    // New events are written with their schema version.
    const { Item } = await client.send(
      new GetItemCommand({ TableName: eventsTable, Key: { streamId: { S: listId }, version: { N: '1' } } }),
    );
    expect(JSON.parse(Item!.events!.S!)[1]).toEqual({ type: 'TodoAdded', data: { todoId: 't1', text: 'old milk' } });

    const records = await readStreamRecords(client, process.env.TEST_DYNAMODB_ENDPOINT!, eventsTable);
    const deps = { documentClient, store };
    expect(
      (await createProjectionHandler(listsView({ ...deps, tableName: listsTable }), { schema })({ Records: records }))
        .batchItemFailures,
    ).toEqual([]);
    expect(
      (await createProjectionHandler(statsView({ ...deps, tableName: statsTable }), { schema })({ Records: records }))
        .batchItemFailures,
    ).toEqual([]);
    const view = await readStreamView(
      {
        client: documentClient,
        tableName: listsTable,
        keyAttribute: listsViewDefinition.key,
        children: listsViewDefinition.children,
      },
      listId,
    );
    expect(view).toMatchObject({
      title: 'Legacy',
      todos: [{ todoId: 't1', title: 'old milk', completed: true }],
      completedCount: 1,
      version: 2,
    });
    const stats = await readCounterTotals(documentClient, statsTable, 'alice');
    // A counter at 0 has no item (read as 0, as queries do).
    expect({
      lists: stats.lists ?? 0,
      openTodos: stats.openTodos ?? 0,
      completedTodos: stats.completedTodos ?? 0,
    }).toEqual({
      lists: 1,
      openTodos: 0,
      completedTodos: 1,
    });
  });

  it('stamps the current schema version on write', async () => {
    const eventsTable = await createTable(client, 'EventsTable');
    const store = new DynamoDbEventStore({ client, tableName: eventsTable, schema });
    const listId = randomUUID();
    await store.append({
      streamId: listId,
      streamType: TODO_LIST_STREAM_TYPE,
      expectedVersion: 0,
      commandId: 'c1',
      at: '2026-01-01T00:00:00.000Z',
      events: [
        { type: 'ListCreated', data: { listId, ownerId: 'alice', title: 'New' } },
        { type: 'TodoAdded', data: { todoId: 't1', title: 'milk' } },
      ],
    });
    const { Item } = await client.send(
      new GetItemCommand({ TableName: eventsTable, Key: { streamId: { S: listId }, version: { N: '1' } } }),
    );
    expect(JSON.parse(Item!.events!.S!)).toEqual([
      { type: 'ListCreated', data: { listId, ownerId: 'alice', title: 'New' } },
      { type: 'TodoAdded', data: { todoId: 't1', title: 'milk' }, v: 2 },
    ]);
    expect((await store.readStream(listId))[0]?.events[1]).toEqual({
      type: 'TodoAdded',
      data: { todoId: 't1', title: 'milk' },
    });
  });
});
