/**
 * Operations on the todo app's views, against the local stack or, with --stage, AWS:
 *   npm run rebuild -- --view lists|stats|all [--fresh] [--resume] [--segments 4] [--stage prod]
 *   npm run verify  -- [--view lists|stats|all] [--stage prod]
 *   npm run redrive -- [--view lists|stats|all] [--data-dir .dynamodb/data] [--stage prod]
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  DynamoDbEventStore,
  byStream,
  createProjectionHandler,
  dynamoDbFromEnv,
  rebuildView,
  scanCommits,
  type Commit,
  type ScanProgress,
} from '../src';
import { VIEWS, todoListSchema, type Difference } from './views';

const SERVICE = 'todo-cqrs';

export interface OpsOptions {
  readonly stage: string;
  readonly views: (keyof typeof VIEWS)[];
  /** DynamoDB Local's endpoint; default http://127.0.0.1:8000 (or DYNAMODB_ENDPOINT) for the local stage, none otherwise. */
  readonly endpoint?: string;
  readonly dataDir: string;
  readonly fresh: boolean;
  readonly resume: boolean;
  readonly segments: number;
  readonly log: (line: string) => void;
}

const context = (options: OpsOptions) => {
  // DynamoDB Local when an endpoint is given (always for the local stage), else AWS.
  const endpoint = options.endpoint ?? (options.stage === 'local' ? (process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000') : undefined);
  const local = endpoint !== undefined;
  const { client, documentClient } = dynamoDbFromEnv({ AWS_REGION: process.env.AWS_REGION ?? 'us-east-1', DYNAMODB_ENDPOINT: endpoint });
  const table = (suffix: string) => `${SERVICE}-${options.stage}-${suffix}`;
  const store = new DynamoDbEventStore({ client, tableName: table('events'), schema: todoListSchema });
  return { local, client, documentClient, table, store };
};

/** npm run rebuild */
export const rebuild = async (options: OpsOptions) => {
  const ctx = context(options);
  const results = [];
  for (const name of options.views) {
    const view = VIEWS[name];
    const tableName = ctx.table(view.tableSuffix);
    const progressFile = path.join(options.dataDir, `rebuild-${options.stage}-${name}.json`);
    const progress = options.resume && existsSync(progressFile) ? (JSON.parse(readFileSync(progressFile, 'utf8')) as ScanProgress) : undefined;
    mkdirSync(options.dataDir, { recursive: true });
    const started = Date.now();
    const result = await rebuildView({
      client: ctx.client,
      eventsTable: ctx.table('events'),
      schema: todoListSchema,
      projection: view.build({ documentClient: ctx.documentClient, store: ctx.store, tableName }),
      ...(options.fresh && !progress ? { fresh: { viewTable: tableName } } : {}),
      segments: options.segments,
      progress,
      onProgress: (p) => writeFileSync(progressFile, JSON.stringify(p)),
    });
    writeFileSync(progressFile, JSON.stringify({}));
    options.log(`rebuilt ${name}: ${result.streams} streams, ${result.commits} commits read, ${result.applied} applied, ${result.duplicates} already there, ${result.cleared} items cleared first, ${Date.now() - started} ms`);
    results.push({ view: name, ...result });
  }
  return results;
};

/** npm run verify: every view item against a fresh fold of its stream. */
export const verify = async (options: OpsOptions): Promise<Difference[]> => {
  const ctx = context(options);
  const all: Commit[] = [];
  await scanCommits({ client: ctx.client, tableName: ctx.table('events'), schema: todoListSchema, segments: options.segments, onPage: async (c) => void all.push(...c) });
  const streams = byStream(all.sort((a, b) => a.version - b.version));
  const differences: Difference[] = [];
  for (const name of options.views) {
    const found = await VIEWS[name].verify(ctx.documentClient, ctx.table(VIEWS[name].tableSuffix), streams);
    const real = found.filter((d) => d.kind !== 'behind');
    options.log(`${name}: ${streams.size} streams, ${real.length} differences, ${found.length - real.length} behind (still catching up)`);
    for (const d of real) options.log(`  ${d.kind} ${d.key}\n    expected ${JSON.stringify(d.expected)}\n    actual   ${JSON.stringify(d.actual)}`);
    differences.push(...found);
  }
  return differences;
};

/** Dead-lettered stream records, by projection: a local file, or the SQS queue on AWS. */
const localDeadLetters = (options: OpsOptions, functionName: string) => path.join(options.dataDir, 'dead-letters', `${functionName}.jsonl`);

/** npm run redrive: feed dead-lettered records back through the (fixed) projection. */
export const redrive = async (options: OpsOptions) => {
  const ctx = context(options);
  const summary: { view: string; redriven: number; stillFailing: number }[] = [];
  for (const name of options.views) {
    const view = VIEWS[name];
    const handler = createProjectionHandler(view.build({ documentClient: ctx.documentClient, store: ctx.store, tableName: ctx.table(view.tableSuffix) }), { schema: todoListSchema });
    if (ctx.local) {
      const file = localDeadLetters(options, view.functionName);
      if (!existsSync(file)) {
        summary.push({ view: name, redriven: 0, stillFailing: 0 });
        continue;
      }
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      const entries = lines.map((line) => JSON.parse(line) as { record: DynamoDBRecord });
      const { batchItemFailures } = await handler({ Records: entries.map((e) => e.record) });
      const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
      const keep = lines.filter((_, i) => failed.has(entries[i]!.record.dynamodb?.SequenceNumber ?? ''));
      writeFileSync(file, keep.length ? `${keep.join('\n')}\n` : '');
      summary.push({ view: name, redriven: lines.length - keep.length, stillFailing: keep.length });
    } else {
      summary.push({ view: name, ...(await redriveFromQueue(options, view.functionName, handler)) });
    }
    const last = summary.at(-1)!;
    options.log(`redrive ${name}: ${last.redriven} records applied, ${last.stillFailing} still failing`);
  }
  return summary;
};

/**
 * On AWS the on-failure destination holds batch descriptions (shard and sequence range), not
 * the records: read them back from the stream (within its 24 hours) and apply them. Past
 * that window, `npm run rebuild` is the way back.
 */
const redriveFromQueue = async (
  options: OpsOptions,
  functionName: string,
  handler: ReturnType<typeof createProjectionHandler>,
): Promise<{ redriven: number; stillFailing: number }> => {
  const sqs = new SQSClient({});
  const streams = new DynamoDBStreamsClient({});
  const queueUrl = process.env.DLQ_URL;
  if (!queueUrl) throw new Error(`Set DLQ_URL to the ${SERVICE}-${options.stage}-projections-dlq queue URL (serverless info --verbose)`);
  let redriven = 0;
  let stillFailing = 0;
  for (let round = 0; round < 100; round += 1) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    if (Messages.length === 0) break;
    for (const message of Messages) {
      const body = JSON.parse(message.Body ?? '{}') as { requestContext?: { functionArn?: string }; DDBStreamBatchInfo?: { shardId: string; streamArn: string; startSequenceNumber: string; endSequenceNumber: string } };
      const info = body.DDBStreamBatchInfo;
      if (!info || !body.requestContext?.functionArn?.includes(functionName)) continue;
      const records: DynamoDBRecord[] = [];
      let { ShardIterator: iterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: info.streamArn, ShardId: info.shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: info.startSequenceNumber }));
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        const inRange = (page.Records ?? []).filter((r) => BigInt(r.dynamodb?.SequenceNumber ?? '0') <= BigInt(info.endSequenceNumber));
        records.push(...(inRange as unknown as DynamoDBRecord[]));
        iterator = inRange.length < (page.Records ?? []).length || (page.Records ?? []).length === 0 ? undefined : page.NextShardIterator;
      }
      const { batchItemFailures } = await handler({ Records: records });
      if (batchItemFailures.length === 0) {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
        redriven += records.length;
      } else stillFailing += batchItemFailures.length;
    }
  }
  return { redriven, stillFailing };
};

const parseArgs = (argv: string[]): OpsOptions => {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i === -1 ? undefined : argv[i + 1];
  };
  const view = value('view') ?? 'all';
  if (view !== 'all' && !(view in VIEWS)) throw new Error(`--view must be one of ${Object.keys(VIEWS).join(', ')} or all`);
  return {
    stage: value('stage') ?? 'local',
    views: view === 'all' ? (Object.keys(VIEWS) as (keyof typeof VIEWS)[]) : [view as keyof typeof VIEWS],
    endpoint: value('endpoint'),
    dataDir: path.resolve(value('data-dir') ?? process.env.DATA_DIR ?? '.dynamodb/data'),
    fresh: argv.includes('--fresh'),
    resume: argv.includes('--resume'),
    segments: Number(value('segments') ?? 4),
    log: (line) => console.log(line),
  };
};

/** Entry point for `npm run rebuild|verify|redrive`. */
export const main = async (command: string, argv: string[]) => {
  const options = parseArgs(argv);
  if (command === 'rebuild') await rebuild(options);
  else if (command === 'verify') {
    const differences = await verify(options);
    process.exitCode = differences.some((d) => d.kind !== 'behind') ? 1 : 0;
  } else if (command === 'redrive') await redrive(options);
  else throw new Error(`Unknown command ${command}: rebuild, verify or redrive`);
};
