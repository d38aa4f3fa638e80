/**
 * The local stream runner (src/local/offlineStreams.cjs) as `npm start` runs it — polling
 * DynamoDB Local's stream, the mappings the app's declaration derives (batch size, retries,
 * parallelization factor), lanes per item, retries from the first reported failure, dead-letter
 * files, checkpoints — with the projection handlers invoked in this process instead of through
 * serverless-offline, so tests and the bench can drain a stream through it and watch the views.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { AppDefinition } from '../../src/app/definition';
import { serverlessFunctions } from '../../src/app/serverless';

type Handler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;
type StreamEvent = { stream?: Record<string, unknown> };

interface Runner {
  running: boolean;
  checkpoints: { get(functionKey: string, streamArn: string, shardId: string): string | undefined };
  start(): Promise<void>;
  stop(): Promise<void>;
}
const OfflineStreams = require('../../src/local/offlineStreams.cjs') as new (
  serverless: unknown,
  cliOptions: unknown,
  io: unknown,
) => Runner;

export interface InProcessStreamsOptions {
  readonly app: AppDefinition;
  /** The events table the mappings read (its stream). */
  readonly eventsTable: string;
  readonly endpoint: string;
  /** The projection handler of each mapped function, by function name (`listsView`, …). */
  readonly handlers: Readonly<Record<string, Handler>>;
  /**
   * Builds the handlers of one execution environment (its own clients and connections). Given,
   * each invocation runs in an idle environment or a new one, one invocation at a time, as Lambda
   * runs them; otherwise every invocation shares `handlers`.
   */
  readonly environment?: () => Readonly<Record<string, Handler>>;
  /** Overrides the template's mapping values (all mappings). */
  readonly mapping?: {
    readonly parallelizationFactor?: number;
    readonly batchSize?: number;
    readonly maximumRetryAttempts?: number;
  };
  readonly pollIntervalMs?: number;
  readonly deadLetterDir?: string;
}

/** The serverless service the runner reads: the derived projection functions, the events table. */
const serviceOf = (options: InProcessStreamsOptions) => {
  const functions = serverlessFunctions(options.app) as Record<string, { events?: StreamEvent[] }>;
  const projections = Object.fromEntries(
    Object.entries(functions)
      .filter(([name, fn]) => name in options.handlers && (fn.events ?? []).some((e) => e.stream))
      .map(([name, fn]) => [
        name,
        {
          ...fn,
          events: (fn.events ?? []).map((e) => (e.stream ? { stream: { ...e.stream, ...options.mapping } } : e)),
        },
      ]),
  );
  return {
    service: {
      getAllFunctions: () => Object.keys(projections),
      getFunction: (name: string) => projections[name],
      getAllEventsInFunction: (name: string) => projections[name]?.events ?? [],
      resources: { Resources: { EventsTable: { Properties: { TableName: options.eventsTable } } } },
      custom: {
        offlineStreams: {
          endpoint: options.endpoint,
          pollIntervalMs: options.pollIntervalMs ?? 20,
          checkpointFile: path.join(mkdtempSync(path.join(tmpdir(), 'streams-')), 'checkpoint.json'),
          deadLetterDir: options.deadLetterDir ?? mkdtempSync(path.join(tmpdir(), 'dead-letters-')),
        },
      },
      provider: { region: 'us-east-1' },
    },
    config: { serviceDir: process.cwd() },
  };
};

/** The last sequence number of each shard of a table's stream (what a drained runner has checkpointed). */
export const lastSequenceNumbers = async (client: DynamoDBClient, endpoint: string, tableName: string) => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`${tableName} has no stream`);
  const streams = new DynamoDBStreamsClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const last = new Map<string, string>();
  let records = 0;
  try {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      let { ShardIterator: iterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      // Bounded: an open shard keeps handing out iterators; an empty page is its end for now.
      for (let page = 0; iterator && page < 10_000; page += 1) {
        const { Records = [], NextShardIterator } = await streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }),
        );
        if (Records.length === 0) break;
        records += Records.length;
        last.set(shard.ShardId!, Records.at(-1)!.dynamodb!.SequenceNumber!);
        iterator = NextShardIterator;
      }
    }
  } finally {
    streams.destroy();
  }
  return { streamArn, last, records };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the runner on the events table's stream, waits until every mapping has checkpointed
 * the stream's last record (at most `timeoutMs`), stops it, and says how long draining took.
 */
export const drainStream = async (
  client: DynamoDBClient,
  options: InProcessStreamsOptions & { readonly timeoutMs: number },
) => {
  const { streamArn, last, records } = await lastSequenceNumbers(client, options.endpoint, options.eventsTable);
  const silent = { notice: () => undefined, warning: () => undefined, error: () => undefined };
  const runner = new OfflineStreams(serviceOf(options), {}, { log: silent });
  const idle = new Map<string, Readonly<Record<string, Handler>>[]>();
  const invoke = async (functionKey: string, event: DynamoDBStreamEvent) => {
    const pool = idle.get(functionKey) ?? [];
    idle.set(functionKey, pool);
    const environment = options.environment ? (pool.pop() ?? options.environment()) : options.handlers;
    const handler = environment[functionKey];
    if (!handler) throw new Error(`No handler for ${functionKey}`);
    try {
      return await handler(event);
    } finally {
      if (options.environment) pool.push(environment);
    }
  };
  // Each invocation gets its own instance, as serverless-offline's pool hands out an idle one.
  Object.assign(runner, {
    loadLambda: async () => ({
      get: (functionKey: string) => {
        let event: DynamoDBStreamEvent = { Records: [] };
        return {
          setEvent: (e: DynamoDBStreamEvent) => {
            event = e;
          },
          runHandler: () => invoke(functionKey, event),
        };
      },
      cleanup: async () => undefined,
    }),
  });
  const functionKeys = Object.keys(options.handlers);
  const started = performance.now();
  await runner.start();
  const drained = () =>
    functionKeys.every((key) =>
      [...last].every(([shardId, seq]) => runner.checkpoints.get(key, streamArn, shardId) === seq),
    );
  try {
    while (!drained()) {
      if (performance.now() - started > options.timeoutMs)
        throw new Error(`The stream was not drained within ${options.timeoutMs} ms`);
      await sleep(5);
    }
    return { records, durationMs: performance.now() - started };
  } finally {
    await runner.stop();
  }
};
