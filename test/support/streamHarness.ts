import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { DynamoDbEventStore } from '../../src/eventStore';
import { createTable } from './dynamoDb';
import { runTodoWorkload } from './todoWorkload';

/**
 * Reads every record of a table's stream from DynamoDB Local, as Lambda would receive
 * them: the real stream records, not hand-made ones.
 */
export const readStreamRecords = async (
  client: DynamoDBClient,
  endpoint: string,
  tableName: string,
): Promise<DynamoDBRecord[]> => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`${tableName} has no stream`);
  const streams = new DynamoDBStreamsClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const records: DynamoDBRecord[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator: iterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      for (const record of page.Records ?? []) {
        records.push({
          eventID: record.eventID,
          eventName: record.eventName,
          eventSource: 'aws:dynamodb',
          eventVersion: record.eventVersion,
          awsRegion: 'us-east-1',
          eventSourceARN: streamArn,
          dynamodb: {
            Keys: record.dynamodb?.Keys,
            NewImage: record.dynamodb?.NewImage,
            SequenceNumber: record.dynamodb?.SequenceNumber,
            SizeBytes: record.dynamodb?.SizeBytes,
            StreamViewType: record.dynamodb?.StreamViewType,
          },
        } as DynamoDBRecord);
      }
      // An open shard keeps handing out iterators; stop once a page comes back empty.
      iterator = (page.Records ?? []).length === 0 ? undefined : page.NextShardIterator;
    }
  }
  streams.destroy();
  return records;
};

export type Handler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/** Delivers records to a handler in batches of `batchSize`; returns every reported failure. */
export const deliver = async (
  handler: Handler,
  records: readonly DynamoDBRecord[],
  batchSize = 10,
): Promise<string[]> => {
  const failures: string[] = [];
  for (let i = 0; i < records.length; i += batchSize) {
    const result = await handler({ Records: records.slice(i, i + batchSize) });
    failures.push(...result.batchItemFailures.map((f) => f.itemIdentifier));
  }
  return failures;
};

/** A deterministic pseudo-random generator (mulberry32), so a failing order can be replayed. */
export const seededRandom = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export const shuffle = <T>(items: readonly T[], random: () => number): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};

/** A record the projection cannot read: its image is not a commit. */
export const poisonRecord = (sequenceNumber: string): DynamoDBRecord => ({
  eventID: `poison-${sequenceNumber}`,
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  dynamodb: {
    SequenceNumber: sequenceNumber,
    NewImage: {
      streamId: { S: 'poison' },
      version: { N: '1' },
      streamType: { S: 'todoList' },
      events: { S: '{not json' },
    },
  },
});

/** A fresh events table, the todo workload run into it, and the real stream records it produced. */
export const workloadStream = async (
  client: DynamoDBClient,
  endpoint: string,
  workload: Parameters<typeof runTodoWorkload>[1],
) => {
  const eventsTable = await createTable(client, 'EventsTable');
  const store = new DynamoDbEventStore({ client, tableName: eventsTable });
  const { listIds } = await runTodoWorkload(store, workload);
  return { eventsTable, store, listIds, records: await readStreamRecords(client, endpoint, eventsTable) };
};
