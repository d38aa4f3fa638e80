/** Our kit and the floors it is measured against, as `CommandSystem`s. */
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
  type ConsumedCapacity,
} from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import {
  TODO_LIST_STREAM_TYPE,
  initialTodoListState,
  todoListReducer,
  todoListUpcasters,
  type TodoListEvent,
  type TodoListState,
} from '../domain/todoList';
import { CommandPipeline, type CommandPipelineOptions } from '../src/commandPipeline';
import { DynamoDbSnapshotStore } from '../src/snapshots';
import { StateCache } from '../src/stateCache';
import {
  DynamoDbEventStore,
  InMemoryEventStore,
  eventSchema,
  itemFromCommit,
  type Commit,
  type EventStore,
} from '../src/eventStore';
import type { CommandSystem, RaceProbe } from './peers';
import { bind, contextNow, type Plan, type TodoCommand } from './workload';

/** The todo app's event schema (TodoAdded is at version 2), as handlers/todoApp.ts gives its store. */
export const todoEventSchema = eventSchema(todoListUpcasters);

export const todoAggregate = {
  streamType: TODO_LIST_STREAM_TYPE,
  initialState: initialTodoListState,
  reducer: todoListReducer,
};

/**
 * Our kit as a handler wires it: `CommandPipeline` on an event store, with the commit
 * metadata a handler passes, and the pipeline options of the configuration under test
 * (state cache, snapshots).
 */
export const kitSystem = (
  name: string,
  store: EventStore,
  options: Partial<Pick<CommandPipelineOptions<TodoListState, TodoListEvent>, 'cache' | 'snapshots'>> = {},
): CommandSystem => {
  const pipeline = new CommandPipeline<TodoListState, TodoListEvent>({ store, aggregate: todoAggregate, ...options });
  return {
    name,
    run: ({ listId, action, payload }) => {
      const ctx = contextNow();
      return pipeline.run({
        streamId: listId,
        action,
        payload,
        ctx,
        metadata: { userId: ctx.userId, correlationId: listId },
      });
    },
  };
};

/** The kit's configurations on DynamoDB. `default` is handlers/todoApp.ts's: snapshots every 50 and a 500-stream state cache. */
export type KitConfiguration = 'plain' | 'cacheOff' | 'default';

export const KIT_CONFIGURATIONS: Record<KitConfiguration, string> = {
  plain: 'ours (no cache, no snapshots)',
  cacheOff: 'ours (cache off)',
  default: 'ours (default)',
};

export const dynamoDbKit = (
  configuration: KitConfiguration,
  client: DynamoDBClient,
  tables: { events: string; snapshots: string },
): CommandSystem => {
  const snapshots = { store: new DynamoDbSnapshotStore({ client, tableName: tables.snapshots }), every: 50 };
  const options = {
    plain: {},
    cacheOff: { snapshots },
    default: { snapshots, cache: new StateCache<TodoListState>(500) },
  }[configuration];
  return kitSystem(
    KIT_CONFIGURATIONS[configuration],
    new DynamoDbEventStore({ client, tableName: tables.events, schema: todoEventSchema }),
    options,
  );
};

/**
 * The floor on DynamoDB: what any implementation of a cold command must do with the raw
 * SDK, and nothing more. One strongly consistent Query for the stream (following pages),
 * fold, decide, one conditional PutItem of the same item our store writes.
 */
export const dynamoDbFloor = (client: DynamoDBClient, tableName: string): CommandSystem => ({
  name: 'floor',
  async run({ listId, action, payload }) {
    const ctx = contextNow();
    let state: TodoListState = initialTodoListState;
    let version = 0;
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'streamId = :s',
          ExpressionAttributeValues: { ':s': { S: listId } },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        for (const event of JSON.parse(item.events?.S ?? '[]') as TodoListEvent[])
          state = todoListReducer(state, event);
        version = Number(item.version?.N);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const events = action(state, payload, ctx);
    if (events.length === 0) return version;
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          streamId: { S: listId },
          version: { N: String(version + 1) },
          streamType: { S: TODO_LIST_STREAM_TYPE },
          commandId: { S: randomUUID() },
          at: { S: ctx.now },
          events: { S: JSON.stringify(events) },
          userId: { S: ctx.userId },
          correlationId: { S: listId },
        },
        ConditionExpression: 'attribute_not_exists(version)',
      }),
    );
    return version + 1;
  },
});

/** The floor in memory: a Map of event arrays, fold, decide, push. No copies, no commit objects. */
export const inMemoryFloor = (): CommandSystem & RaceProbe => {
  const streams = new Map<string, TodoListEvent[]>();
  const append = (streamId: string, expectedVersion: number, events: readonly TodoListEvent[]) => {
    const stream = streams.get(streamId) ?? [];
    if (stream.length !== expectedVersion) throw new Error('concurrency');
    stream.push(...events);
    streams.set(streamId, stream);
  };
  return {
    name: 'floor',
    async run({ listId, action, payload }: TodoCommand) {
      const stream = streams.get(listId) ?? [];
      let state: TodoListState = initialTodoListState;
      for (const event of stream) state = todoListReducer(state, event);
      const events = action(state, payload, contextNow());
      if (events.length > 0) append(listId, stream.length, events);
    },
    async racingAppendsBothWin() {
      const event: TodoListEvent = { type: 'ListRenamed', data: { title: 'x' } };
      append('race', 0, [event]);
      const results = await Promise.allSettled([1, 2].map(async () => append('race', 1, [event])));
      return results.every((r) => r.status === 'fulfilled');
    },
  };
};

export const kitInMemoryRace: RaceProbe = {
  name: 'ours',
  async racingAppendsBothWin() {
    const store = new InMemoryEventStore();
    const append = (expectedVersion: number) =>
      store.append({
        streamId: 'race',
        streamType: 'thing',
        expectedVersion,
        events: [{ type: 'Happened', data: {} }],
        commandId: randomUUID(),
        at: new Date().toISOString(),
      });
    await append(0);
    const results = await Promise.allSettled([append(1), append(1)]);
    return results.every((r) => r.status === 'fulfilled');
  },
};

// ── DynamoDB plumbing ────────────────────────────────────────────────────────

export const localClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

/** An events table with the key schema of serverless.yml (what DynamoDB Local supports of it). */
export const createEventsTable = async (client: DynamoDBClient, tableName: string): Promise<string> => {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'streamId', AttributeType: 'S' },
        { AttributeName: 'version', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'streamId', KeyType: 'HASH' },
        { AttributeName: 'version', KeyType: 'RANGE' },
      ],
    }),
  );
  return tableName;
};

/** The commits a list's history produces, computed in memory (for seeding long streams without 10,000 commands). */
export const historyCommits = (plan: Plan, listIndex: number, streamId: string): Commit[] => {
  let state: TodoListState = initialTodoListState;
  const at = '2026-01-01T00:00:00.000Z';
  return (plan.history[listIndex] ?? []).map((planned, i) => {
    const { action, payload } = bind(planned, streamId);
    const events = action(state, payload, { userId: 'bench-user', now: at });
    state = events.reduce(todoListReducer, state);
    return {
      streamId,
      version: i + 1,
      streamType: TODO_LIST_STREAM_TYPE,
      commandId: randomUUID(),
      at,
      events,
      metadata: { userId: 'bench-user', correlationId: streamId },
    };
  });
};

/** Writes commits straight into an events table, 25 per BatchWriteItem, a few batches at a time. */
export const writeCommits = async (
  client: DynamoDBClient,
  tableName: string,
  commits: readonly Commit[],
  parallel = 4,
): Promise<void> => {
  const batches: Commit[][] = [];
  for (let i = 0; i < commits.length; i += 25) batches.push(commits.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < batches.length; i = next++) {
      let requests = (batches[i] ?? []).map((commit) => ({
        PutRequest: { Item: itemFromCommit(commit, todoEventSchema) },
      }));
      for (let attempt = 0; requests.length > 0; attempt += 1) {
        if (attempt > 20) throw new Error('BatchWriteItem kept leaving items unprocessed');
        const { UnprocessedItems } = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }),
        );
        requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
};

// ── Capacity accounting ──────────────────────────────────────────────────────

export interface CapacityMeter {
  readonly client: DynamoDBClient;
  /** Read and write units since the last `take()`, then resets. */
  take(): { read: number; write: number; requests: number };
}

/**
 * A client that asks DynamoDB for `ReturnConsumedCapacity: TOTAL` on every request and
 * adds up what it reports, so the kit's own code is measured unchanged.
 */
export const meteredClient = (endpoint: string): CapacityMeter => {
  const client = localClient(endpoint);
  let read = 0;
  let write = 0;
  let requests = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
      const isRead = /^(Get|Query|Scan|BatchGet|TransactGet)/.test(context.commandName ?? '');
      requests += 1;
      for (const capacity of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
        if (capacity.ReadCapacityUnits !== undefined || capacity.WriteCapacityUnits !== undefined) {
          read += capacity.ReadCapacityUnits ?? 0;
          write += capacity.WriteCapacityUnits ?? 0;
        } else if (isRead) read += capacity.CapacityUnits ?? 0;
        else write += capacity.CapacityUnits ?? 0;
      }
      return result;
    },
    { step: 'initialize', name: 'benchConsumedCapacity' },
  );
  return {
    client,
    take() {
      const taken = { read, write, requests };
      read = 0;
      write = 0;
      requests = 0;
      return taken;
    },
  };
};
