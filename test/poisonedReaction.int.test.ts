/**
 * A stream a reaction cannot apply among healthy ones: mallory's list holds a `TodoCompleted` of
 * schema version 2, written by a newer version (rolled back since); this code knows version 1 only,
 * so no consumer of the stream can read it. The reaction that publishes completed todos files the
 * stream as a dead letter and publishes everyone else's; verify reports it as unappliable with its
 * error (never as behind: it will not catch up by itself) and exits non-zero; the operator's repair
 * (the newer version's upcaster from version 1, so version 2 reads) lets redrive clear it, and
 * verify is clean.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { todoListUpcasters } from '../domain/todoList';
import { app } from '../handlers/app';
import { tags, todoLists } from '../handlers/views';
import { createProjectionHandler, dynamoDbDeadLetters } from '../src';
import { appEventSchema, viewTableName, type AppDefinition } from '../src/app/definition';
import { projectionOf } from '../src/app/projections';
import { createRuntime } from '../src/app/runtime';
import { serverlessReactionResources, viewTableId } from '../src/app/serverless';
import { DynamoDbEventStore } from '../src/eventStore';
import { eventSchema, type Upcasters } from '../src/eventStore/eventSchema';
import { appOps, opsMain, type OpsOptions } from '../src/ops/appOps';
import { reactionFunctionName } from '../src/reaction/reaction';
import { createTable, testDynamoDb } from './support/dynamoDb';
import { readStreamRecords } from './support/streamHarness';

const { client, documentClient } = testDynamoDb();
const endpoint = process.env.TEST_DYNAMODB_ENDPOINT!;
const stage = `r${randomUUID().slice(0, 8)}`;
const table = (suffix: string) => `todo-cqrs-${stage}-${suffix}`;
const dataDir = mkdtempSync(path.join(tmpdir(), 'poisoned-reaction-'));
const journal = dynamoDbDeadLetters(documentClient, table('deadLetters'));
const publishes = (app.reactions ?? []).find((r) => r.events.includes('TodoCompleted'))!;

/** The operator's repair: the newer version's upcaster (identity: version 2 only stamped the same data). */
const repaired: AppDefinition = {
  ...app,
  aggregates: [
    {
      ...todoLists,
      reducerVersion: '3',
      schema: eventSchema({ ...todoListUpcasters, TodoCompleted: [(data: unknown) => data] } as Upcasters<never>),
    },
    tags,
  ],
} as AppDefinition;

const options = (overrides: Partial<OpsOptions> = {}): OpsOptions => ({
  stage,
  endpoint,
  dataDir,
  segments: 2,
  log: () => undefined,
  ...overrides,
});

let at = Date.parse('2026-02-01T00:00:00.000Z');
const putCommit = (streamId: string, version: number, userId: string, events: unknown[]) => {
  at += 1000;
  return client.send(
    new PutItemCommand({
      TableName: table('events'),
      Item: {
        streamId: { S: streamId },
        version: { N: String(version) },
        streamType: { S: 'todoList' },
        commandId: { S: randomUUID() },
        at: { S: new Date(at).toISOString() },
        userId: { S: userId },
        events: { S: JSON.stringify(events) },
      },
    }),
  );
};

const lists = { alice: randomUUID(), mallory: randomUUID(), bob: randomUUID() };
const integrationEvents = path.join(dataDir, 'integration-events.jsonl');
const published = () =>
  readFileSync(integrationEvents, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { detail: { listId: string } }).detail.listId)
    .sort();

beforeAll(async () => {
  await createTable(client, 'EventsTable', table('events'));
  await createTable(client, 'DeadLettersTable', table('deadLetters'));
  for (const view of app.views) await createTable(client, viewTableId(view), table(viewTableName(view)));
  for (const [id, resource] of Object.entries(
    serverlessReactionResources(app, table('')) as Record<string, { Type: string; Properties: { TableName: string } }>,
  ))
    if (resource.Type === 'AWS::DynamoDB::Table') await createTable(client, id, resource.Properties.TableName);
  for (const [user, listId] of Object.entries(lists)) {
    const todoId = randomUUID();
    await putCommit(listId, 1, user, [
      { type: 'ListCreated', data: { listId, ownerId: user, title: `${user}'s list` }, v: 1 },
      { type: 'TodoAdded', data: { todoId, title: 'milk' }, v: 2 },
    ]);
    await putCommit(listId, 2, user, [{ type: 'TodoCompleted', data: { todoId }, v: user === 'mallory' ? 2 : 1 }]);
  }
}, 60_000);

describe('a stream a reaction cannot apply', () => {
  it('is filed as a dead letter while every other stream is reacted to; verify calls it unappliable and exits 1; the repair and redrive clear it', async () => {
    expect(publishes).toBeDefined();
    const records = await readStreamRecords(client, endpoint, table('events'));
    const schema = appEventSchema(app);
    const store = new DynamoDbEventStore({ client, tableName: table('events'), schema });
    const runtime = createRuntime(
      app,
      { tablePrefix: table(''), graphqlIntrospection: false },
      { AWS_REGION: 'us-east-1', DYNAMODB_ENDPOINT: endpoint, INTEGRATION_EVENTS_FILE: integrationEvents },
    );
    const bySequence = new Map(records.map((r) => [r.dynamodb!.SequenceNumber!, r.dynamodb!.NewImage!.streamId!.S!]));
    const failed: Record<string, string[]> = {};
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const logs = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      for (const view of app.views) {
        const handler = createProjectionHandler(
          projectionOf(view, { documentClient, store, tableName: table(viewTableName(view)) }),
          { schema, deadLetters: journal },
        );
        const { batchItemFailures } = await handler({ Records: records });
        failed[view.name] = [...new Set(batchItemFailures.map((f) => bySequence.get(f.itemIdentifier)!))];
      }
      for (const [name, handler] of Object.entries(runtime.reactions)) {
        const { batchItemFailures } = await handler({ Records: records });
        failed[name] = [...new Set(batchItemFailures.map((f) => bySequence.get(f.itemIdentifier)!))];
      }
    } finally {
      errors.mockRestore();
      logs.mockRestore();
    }
    // Every consumer of todo lists fails on mallory's list only; the tags' reaction has nothing to do.
    const consumers = [
      ...app.views.map((v) => [v.name, v.aggregate.streamType] as const),
      ...(app.reactions ?? []).map((r) => [reactionFunctionName(r), r.on.streamType] as const),
    ];
    expect(failed).toEqual(
      Object.fromEntries(consumers.map(([name, type]) => [name, type === 'todoList' ? [lists.mallory] : []])),
    );
    expect(published()).toEqual([lists.alice, lists.bob].sort());
    expect((await journal.list(reactionFunctionName(publishes))).map((l) => [l.streamId, l.fromVersion])).toEqual([
      [lists.mallory, 2],
    ]);

    // It reacted to version 1 (nothing to publish) and stops at 2. verify: the stuck stream is a
    // difference with its error, not "still catching up".
    const differences = await appOps(app, options()).verify();
    const reactionDifference = differences.find((d) => d.view === reactionFunctionName(publishes));
    expect(reactionDifference).toMatchObject({ key: lists.mallory, kind: 'unappliable', expected: 2, actual: 1 });
    expect(reactionDifference?.error).toMatch(/TodoCompleted has schema version 2/);
    const exitCode = await (async () => {
      const quiet = [jest.spyOn(console, 'error'), jest.spyOn(console, 'log')].map((s) =>
        s.mockImplementation(() => undefined),
      );
      try {
        process.exitCode = 0;
        await opsMain(app, 'verify', ['--stage', stage, '--endpoint', endpoint]);
        return process.exitCode;
      } finally {
        for (const s of quiet) s.mockRestore();
        process.exitCode = 0;
      }
    })();
    expect(exitCode).toBe(1);

    // Without the repair, redrive still fails on it; with it, everything is redriven and verify is clean.
    const still = await appOps(app, options()).redrive();
    expect(still.find((r) => r.view === reactionFunctionName(publishes))).toMatchObject({
      redriven: 0,
      stillFailing: 1,
    });
    const redriven = await appOps(repaired, options()).redrive();
    expect(redriven.map((r) => [r.view, r.stillFailing])).toEqual(consumers.map(([name]) => [name, 0]));
    expect(redriven.find((r) => r.view === reactionFunctionName(publishes))?.redriven).toBe(1);
    expect(published()).toEqual([lists.alice, lists.bob, lists.mallory].sort());
    expect(await appOps(repaired, options()).verify()).toEqual([]);
  }, 60_000);
});
