/**
 * Issue 12, part 3 — projections at a ParallelizationFactor above 1. Lambda then runs up to N
 * batches of one shard at once and keeps order per ITEM only; every commit is its own item
 * (streamId + version), so commits of one list reach concurrent invocations in any order.
 *
 * The REAL local stream runner (src/local/offlineStreams.cjs, with the mappings the app's
 * declaration derives, the factor and batch size of each plan) drains the REAL stream of
 * DynamoDB Local into EVERY view of the app through the deployed handler
 * (`runtime.projection`), while invocations are slowed at random (so they interleave) and
 * some die after their effect (so the batch is redelivered). Commits of one stream therefore
 * race in concurrent invocations, and the counter views' transactions on one owner's totals
 * collide. Whatever the plan: `npm run verify`'s check (every item of every view against a
 * fresh fold of the event store) finds nothing, no batch reports a failure, nothing is
 * dead-lettered, and the races really happened.
 *
 * It runs in `npm test` (int project, 4 plans) and in `npm run test:reliability` (more).
 */
import { CreateTableCommand, DeleteTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { app } from '../../handlers/app';
import { createRuntime, dynamoDbDeadLetters } from '../../src';
import { viewFunctionName } from '../../src/app/definition';
import { serverlessViewTables } from '../../src/app/serverless';
import { DEAD_LETTERS_TABLE } from '../../src/projection/deadLetters';
import { appOps } from '../../src/ops/appOps';
import { runAppWorkload } from '../support/appWorkload';
import { createTable, testDynamoDb } from '../support/dynamoDb';
import { drainStream } from '../support/inProcessStreams';
import { seededRandom } from '../support/streamHarness';
import { reliability } from './support/config';
import { recordPropertyFigures } from './support/report';

const { client } = testDynamoDb();
const endpoint = process.env.TEST_DYNAMODB_ENDPOINT!;
const insideReliabilitySuite = process.env.RELIABILITY_REPORT_FILE !== undefined;
const numRuns = insideReliabilitySuite ? reliability.parallelProjections.numRuns : 4;
/** No plan starts after this long (one that started runs to its end). */
const timeLimitMs = insideReliabilitySuite ? 15 * 60_000 : 45_000;
const seed = Number(process.env.RELIABILITY_SEED ?? Date.now() % 2 ** 31);

const stage = `par${randomUUID().slice(0, 8)}`;
const prefix = `${app.service}-${stage}-`;
const runtime = createRuntime(
  app,
  { tablePrefix: prefix, graphqlIntrospection: false },
  { DYNAMODB_ENDPOINT: endpoint, AWS_REGION: 'us-east-1' },
);
const viewTables = Object.values(
  serverlessViewTables(app, prefix) as Record<string, { Properties: { TableName: string } }>,
).map((t) => t.Properties);
const resetViews = async () => {
  for (const table of viewTables) {
    await client.send(new DeleteTableCommand({ TableName: table.TableName })).catch(() => undefined);
    await client.send(new CreateTableCommand(table as never));
  }
  await client.send(new DeleteTableCommand({ TableName: `${prefix}${DEAD_LETTERS_TABLE}` })).catch(() => undefined);
  await createTable(client, 'DeadLettersTable', `${prefix}${DEAD_LETTERS_TABLE}`);
};

/** Every write the views lost to another writer, by kind: the races the plans must cause. */
const races = { conditional: 0, transaction: 0 };
runtime.documentClient.middlewareStack.add(
  (next) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'ConditionalCheckFailedException') races.conditional += 1;
      if (name === 'TransactionCanceledException') races.transaction += 1;
      throw error;
    }
  },
  { step: 'initialize', name: 'countRaces' },
);

let commits = 0;
beforeAll(async () => {
  await createTable(client, 'EventsTable', `${prefix}events`);
  await createTable(client, 'SnapshotsTable', `${prefix}snapshots`);
  // Few owners, several lists each: one owner's totals items take every list's transactions.
  await runAppWorkload(runtime, {
    owners: ['alice', 'bob'],
    listsPerOwner: 4,
    tagsPerOwner: 3,
    commands: 160,
    concurrency: 4,
    random: seededRandom(seed),
  });
  commits =
    (await client.send(new ScanCommand({ TableName: `${prefix}events`, Select: 'COUNT', ConsistentRead: true })))
      .Count ?? 0;
}, 120_000);

afterAll(async () => {
  for (const name of [
    ...viewTables.map((t) => t.TableName),
    `${prefix}events`,
    `${prefix}snapshots`,
    `${prefix}${DEAD_LETTERS_TABLE}`,
  ]) {
    await client.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined);
  }
});

interface Plan {
  readonly factor: number;
  readonly batchSize: number;
  /** Per invocation: the chance it dies after its effect (Lambda then redelivers the batch). */
  readonly dieAfterEffect: number;
  /** The longest random pause before an invocation runs, so invocations interleave differently. */
  readonly maxPauseMs: number;
  readonly pauseSeed: number;
}

const planArb: fc.Arbitrary<Plan> = fc.record({
  factor: fc.oneof(fc.constant(10), fc.integer({ min: 2, max: 10 })),
  batchSize: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 6, max: 40 })),
  dieAfterEffect: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.3, noNaN: true })),
  maxPauseMs: fc.integer({ min: 0, max: 15 }),
  pauseSeed: fc.integer(),
});

it(
  `every view equals its fold with concurrent batches per shard (${numRuns} plans, seed ${seed})`,
  async () => {
    const started = Date.now();
    let runs = 0;
    let maxInFlightOnOneStream = 0;
    const silence = [jest.spyOn(console, 'error'), jest.spyOn(console, 'log'), jest.spyOn(console, 'warn')].map((s) =>
      s.mockImplementation(() => undefined),
    );
    try {
      await fc.assert(
        fc.asyncProperty(planArb, async (plan) => {
          // The time budget is checked here, not by fast-check's interrupt: an interrupted plan would
          // go on draining in the background while afterAll deletes its tables.
          if (Date.now() - started > timeLimitMs) return;
          runs += 1;
          await resetViews();
          const random = seededRandom(plan.pauseSeed);
          const reported: string[] = [];
          // Per view and stream, the invocations holding one of its commits right now.
          const inFlight = new Map<string, number>();
          const handlers = Object.fromEntries(
            app.views.map((view) => {
              const deployed = runtime.projection(view.name);
              const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
                const streams = [...new Set(event.Records.map((r) => `${view.name} ${r.dynamodb?.Keys?.streamId?.S}`))];
                for (const s of streams) inFlight.set(s, (inFlight.get(s) ?? 0) + 1);
                maxInFlightOnOneStream = Math.max(maxInFlightOnOneStream, ...streams.map((s) => inFlight.get(s)!));
                try {
                  await new Promise((resolve) => setTimeout(resolve, random() * plan.maxPauseMs));
                  const result = await deployed(event);
                  reported.push(...result.batchItemFailures.map((f) => `${view.name} ${f.itemIdentifier}`));
                  if (random() < plan.dieAfterEffect) throw new Error('Task timed out after its effect');
                  return result;
                } finally {
                  for (const s of streams) inFlight.set(s, inFlight.get(s)! - 1);
                }
              };
              return [viewFunctionName(view), handler];
            }),
          );
          const deadLetterDir = mkdtempSync(path.join(tmpdir(), 'parallel-dlq-'));
          await drainStream(client, {
            app,
            eventsTable: `${prefix}events`,
            endpoint,
            handlers,
            // Retries enough for the injected deaths; what Lambda would give up on is checked below.
            mapping: { parallelizationFactor: plan.factor, batchSize: plan.batchSize, maximumRetryAttempts: 50 },
            pollIntervalMs: 10,
            deadLetterDir,
            timeoutMs: 90_000,
          });

          expect(reported).toEqual([]);
          const deadLettered = existsSync(deadLetterDir)
            ? readdirSync(deadLetterDir)
                .map((f) => readFileSync(path.join(deadLetterDir, f), 'utf8'))
                .join('')
            : '';
          expect(deadLettered).toBe('');
          const journal = dynamoDbDeadLetters(runtime.documentClient, `${prefix}${DEAD_LETTERS_TABLE}`);
          expect((await Promise.all(app.views.map((v) => journal.list(viewFunctionName(v))))).flat()).toEqual([]);
          // The views this test drives (its stage runs no reaction: their verify is test/reliability/reactionChaos).
          const views = app.views.map((v) => v.name);
          const differences = await appOps(app, {
            stage,
            endpoint,
            dataDir: deadLetterDir,
            views,
            log: () => undefined,
          }).verify();
          expect(differences).toEqual([]);
        }),
        { numRuns, seed },
      );
    } finally {
      for (const s of silence) s.mockRestore();
      recordPropertyFigures({
        part: '4b. parallel projections (fast-check)',
        cases: runs,
        durationMs: Date.now() - started,
        note: `${runs} plans (factor 2–10) over ${commits} commits into ${app.views.length} views; up to ${maxInFlightOnOneStream} invocations at once on one stream; ${races.conditional} conditional and ${races.transaction} transaction races lost and retried`,
      });
    }
    expect(runs).toBeGreaterThanOrEqual(Math.min(numRuns, 2));
    // The races were real: commits of one stream in concurrent invocations, writers losing to each other.
    expect(maxInFlightOnOneStream).toBeGreaterThanOrEqual(2);
    expect(races.conditional + races.transaction).toBeGreaterThan(0);
  },
  30 * 60_000,
);
