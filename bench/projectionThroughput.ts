/**
 * Part 10: projection throughput per shard at ParallelizationFactor 1 and 10. A backlog of
 * commits (written through the app's runtime) sits in the events table's stream on DynamoDB
 * Local; the local stream runner (src/local/offlineStreams.cjs, the template's mappings: batches
 * of 100, and the factor under test) drains it into every view of the app through the deployed
 * projection handlers, invoked in this process. Commits/s = commits ÷ the time until every view
 * has checkpointed the stream's last record. Factors alternate round by round on fresh view
 * tables, and every round ends with `npm run verify`'s check (no difference allowed).
 */
import { CreateTableCommand, DeleteTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { app } from '../handlers/app';
import { createRuntime } from '../src';
import { viewFunctionName } from '../src/app/definition';
import { serverlessFunctions, serverlessViewTables } from '../src/app/serverless';
import { DEAD_LETTERS_TABLE } from '../src/projection/deadLetters';
import { appOps } from '../src/ops/appOps';
import { runAppWorkload } from '../test/support/appWorkload';
import { createTable } from '../test/support/dynamoDb';
import { drainStream } from '../test/support/inProcessStreams';
import { seededRandom } from '../test/support/streamHarness';
import { summarise, type Summary } from './stats';
import { localClient } from './systems';

const { freePort, startDynamoDbLocal } = require('../src/local/dynamodbLocal.cjs') as {
  freePort: () => Promise<number>;
  startDynamoDbLocal: (options: { port: number }) => Promise<{ endpoint: string; stop: () => Promise<void> }>;
};

export interface ProjectionThroughputConfig {
  /** Commands per workload (bounded: each is one commit at most). */
  readonly commands: number;
  readonly rounds: number;
  readonly timeoutMs: number;
}

interface Workload {
  readonly name: string;
  readonly description: string;
  readonly owners: string[];
  readonly listsPerOwner: number;
  /** Added to every DynamoDB request of the projections: DynamoDB's network round trip on AWS, without its CPU. */
  readonly latencyMs: number;
}

const spread = { owners: Array.from({ length: 8 }, (_, i) => `owner${i}`), listsPerOwner: 5 };
const oneList = { owners: ['hot'], listsPerOwner: 1 };
const WORKLOADS: Workload[] = [
  { name: 'spread', description: '8 owners × 5 lists (and 3 tags each)', ...spread, latencyMs: 0 },
  { name: 'oneList', description: "one list (and its owner's 3 tags)", ...oneList, latencyMs: 0 },
  {
    name: 'spreadLatency',
    description: '8 owners × 5 lists, 5 ms added to every DynamoDB request',
    ...spread,
    latencyMs: 5,
  },
  { name: 'oneListLatency', description: 'one list, 5 ms added to every DynamoDB request', ...oneList, latencyMs: 5 },
];

export interface ProjectionThroughputResults {
  readonly factors: number[];
  readonly views: string[];
  readonly batchSize: number;
  readonly workloads: {
    readonly name: string;
    readonly description: string;
    readonly commits: number;
    /** commits ÷ seconds to drain into every view, per factor. */
    readonly commitsPerSecond: Record<string, Summary>;
    readonly drainMs: Record<string, Summary>;
    /** verify's differences after every round (must be 0). */
    readonly differences: number;
  }[];
}

/** The batch size the template gives every projection mapping (the runner reads it from there too). */
const templateBatchSize = () => {
  const fn = serverlessFunctions(app)[viewFunctionName(app.views[0]!)] as {
    events: { stream: { batchSize: number } }[];
  };
  return fn.events[0]!.stream.batchSize;
};

export const runProjectionThroughput = async (
  config: ProjectionThroughputConfig,
  log: (line: string) => void,
  registerCleanup: (stop: () => Promise<void>) => () => void,
): Promise<ProjectionThroughputResults> => {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  const unregister = registerCleanup(() => dynamo.stop());
  const factors = [1, 10];
  try {
    const client = localClient(dynamo.endpoint);
    const workloads: ProjectionThroughputResults['workloads'][number][] = [];
    for (const workload of WORKLOADS) {
      const stage = `bench${randomUUID().slice(0, 6)}`;
      const prefix = `${app.service}-${stage}-`;
      const runtime = createRuntime(
        app,
        { tablePrefix: prefix, graphqlIntrospection: false },
        { DYNAMODB_ENDPOINT: dynamo.endpoint, AWS_REGION: 'us-east-1' },
      );
      await createTable(client, 'EventsTable', `${prefix}events`);
      await createTable(client, 'SnapshotsTable', `${prefix}snapshots`);
      log(`  10. ${workload.name}: writing ${config.commands} commands (${workload.description})…`);
      await runAppWorkload(runtime, {
        owners: workload.owners,
        listsPerOwner: workload.listsPerOwner,
        tagsPerOwner: 3,
        commands: config.commands,
        concurrency: 8,
        random: seededRandom(10),
        archive: false,
      });
      // One runtime per execution environment, as on Lambda: its own clients and sockets.
      const environments: ReturnType<typeof createRuntime>[] = [];
      const environment = () => {
        const own = createRuntime(
          app,
          { tablePrefix: prefix, graphqlIntrospection: false },
          { DYNAMODB_ENDPOINT: dynamo.endpoint, AWS_REGION: 'us-east-1' },
        );
        if (workload.latencyMs > 0) {
          own.client.middlewareStack.add(
            (next) => async (args) => {
              await new Promise((resolve) => setTimeout(resolve, workload.latencyMs));
              return next(args);
            },
            { step: 'finalizeRequest', name: 'networkLatency' },
          );
        }
        environments.push(own);
        return Object.fromEntries(app.views.map((view) => [viewFunctionName(view), own.projection(view.name)]));
      };
      const commits =
        (await client.send(new ScanCommand({ TableName: `${prefix}events`, Select: 'COUNT', ConsistentRead: true })))
          .Count ?? 0;
      const viewTables = Object.values(
        serverlessViewTables(app, prefix) as Record<string, { Properties: { TableName: string } }>,
      ).map((t) => t.Properties);
      const handlers = Object.fromEntries(
        app.views.map((view) => [viewFunctionName(view), runtime.projection(view.name)]),
      );
      const samples = new Map<number, number[]>(factors.map((f) => [f, []]));
      let differences = 0;
      // Round 0 warms up (JIT, connections, environments) and is not counted.
      for (let round = 0; round <= config.rounds; round += 1) {
        // Alternate which factor goes first, so drift on this shared machine lands on both.
        for (const factor of round % 2 === 0 ? factors : [...factors].reverse()) {
          for (const table of [...viewTables.map((t) => t.TableName), `${prefix}${DEAD_LETTERS_TABLE}`]) {
            await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
          }
          for (const table of viewTables) await client.send(new CreateTableCommand(table as never));
          await createTable(client, 'DeadLettersTable', `${prefix}${DEAD_LETTERS_TABLE}`);
          const { durationMs } = await drainStream(client, {
            app,
            eventsTable: `${prefix}events`,
            endpoint: dynamo.endpoint,
            handlers,
            environment,
            mapping: { parallelizationFactor: factor },
            timeoutMs: config.timeoutMs,
          });
          if (round > 0) samples.get(factor)!.push(durationMs);
          const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-verify-'));
          differences += (
            await appOps(app, { stage, endpoint: dynamo.endpoint, dataDir, log: () => undefined }).verify()
          ).length;
          log(
            `  10. ${workload.name}, factor ${factor}${round === 0 ? ' (warm-up)' : ''}: ${commits} commits into ${app.views.length} views in ${Math.round(durationMs)} ms (${Math.round(commits / (durationMs / 1000))} commits/s)`,
          );
        }
      }
      workloads.push({
        name: workload.name,
        description: workload.description,
        commits,
        commitsPerSecond: Object.fromEntries(
          factors.map((f) => [String(f), summarise(samples.get(f)!.map((ms) => commits / (ms / 1000)))]),
        ),
        drainMs: Object.fromEntries(factors.map((f) => [String(f), summarise(samples.get(f)!)])),
        differences,
      });
      runtime.client.destroy();
      for (const own of environments) own.client.destroy();
    }
    client.destroy();
    return { factors, views: app.views.map((v) => v.name), batchSize: templateBatchSize(), workloads };
  } finally {
    await dynamo.stop();
    unregister();
  }
};
