/**
 * Load time and read units of a stream of 10, 1,000 and 5,000 commits, with and without
 * snapshots, on DynamoDB Local (issue 4's figures):
 *   node src/local/runTs.cjs bench/loadTimes.ts run
 */
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import {
  initialTodoListState,
  todoListReducer,
  TODO_LIST_STREAM_TYPE,
  type TodoListEvent,
  type TodoListState,
} from '../domain/todoList';
import { seedLongStream } from '../test/support/longStream';
import { CommandPipeline, DynamoDbEventStore, DynamoDbSnapshotStore, dynamoDbFromEnv } from '../src';

const { freePort, startDynamoDbLocal } = require('../src/local/dynamodbLocal.cjs') as {
  freePort: () => Promise<number>;
  startDynamoDbLocal: (o: { port: number }) => Promise<{ endpoint: string; stop: () => Promise<void> }>;
};

/** Adds ReturnConsumedCapacity to every read and sums what DynamoDB reports. */
const meter = (client: DynamoDBClient) => {
  const totals = { requests: 0, rcu: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: { CapacityUnits?: number } };
      totals.requests += 1;
      totals.rcu += output.ConsumedCapacity?.CapacityUnits ?? 0;
      return result;
    },
    { step: 'initialize', name: 'meter' },
  );
  return totals;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const main = async () => {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  try {
    const { client } = dynamoDbFromEnv({ DYNAMODB_ENDPOINT: dynamo.endpoint, AWS_REGION: 'us-east-1' });
    const events = `events-${randomUUID().slice(0, 6)}`;
    const snaps = `snaps-${randomUUID().slice(0, 6)}`;
    await client.send(
      new CreateTableCommand({
        TableName: events,
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
    await client.send(
      new CreateTableCommand({
        TableName: snaps,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'streamId', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'streamId', KeyType: 'HASH' }],
      }),
    );
    const aggregate = {
      streamType: TODO_LIST_STREAM_TYPE,
      initialState: initialTodoListState,
      reducer: todoListReducer,
    };
    const rows: string[] = [
      '| commits | snapshots | load p50 (ms) | requests | read units |',
      '| ---: | --- | ---: | ---: | ---: |',
    ];
    for (const n of [10, 1000, 5000]) {
      const streamId = `s-${n}-${randomUUID()}`;
      const commits = await seedLongStream(client, events, streamId, n);
      for (const withSnapshots of [false, true]) {
        const { client: metered } = dynamoDbFromEnv({ DYNAMODB_ENDPOINT: dynamo.endpoint, AWS_REGION: 'us-east-1' });
        const totals = meter(metered);
        const store = new DynamoDbEventStore({ client: metered, tableName: events });
        const snapshots = new DynamoDbSnapshotStore({ client: metered, tableName: snaps });
        const pipeline = new CommandPipeline<TodoListState, TodoListEvent>({
          store,
          aggregate,
          ...(withSnapshots ? { snapshots: { store: snapshots, every: 50 } } : {}),
        });
        if (withSnapshots && n > 100) {
          // The snapshot a command would have taken at the last multiple of 50.
          const at = Math.floor(n / 50) * 50;
          await snapshots.put({
            streamId,
            version: at,
            reducerVersion: '1',
            state: commits
              .slice(0, at)
              .flatMap((c) => c.events)
              .reduce(todoListReducer, initialTodoListState),
          });
        }
        await pipeline.load(streamId); // warm the connection
        const times: number[] = [];
        const before = { ...totals };
        const rounds = 15;
        for (let i = 0; i < rounds; i += 1) {
          const t0 = performance.now();
          await pipeline.load(streamId);
          times.push(performance.now() - t0);
        }
        rows.push(
          `| ${n} | ${withSnapshots ? 'yes' : 'no'} | ${median(times).toFixed(1)} | ${((totals.requests - before.requests) / rounds).toFixed(0)} | ${((totals.rcu - before.rcu) / rounds).toFixed(1)} |`,
        );
      }
    }
    console.log(rows.join('\n'));
  } finally {
    await dynamo.stop();
  }
};
