import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { app } from '../handlers/app';
import { todoLists } from '../handlers/todoLists';
import { COUNTER_TABLE_KEY, DynamoDbEventStore, counterTotalKey } from '../src';
import { appOps, type OpsOptions } from '../src/ops/appOps';
import { createTable, testDynamoDb } from './support/dynamoDb';
import { poisonRecord, readStreamRecords, seededRandom } from './support/streamHarness';
import { runTodoWorkload } from './support/todoWorkload';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const OfflineStreams = require('../src/local/offlineStreams.cjs') as new (sls: unknown, opts: unknown, log: unknown) => {
  opts: unknown;
  lambda: unknown;
  running: boolean;
  deliver(mapping: unknown, records: unknown[]): Promise<void>;
};

const { client } = testDynamoDb();
const endpoint = process.env.TEST_DYNAMODB_ENDPOINT!;
const stage = `t${randomUUID().slice(0, 8)}`;
const table = (suffix: string) => `todo-cqrs-${stage}-${suffix}`;
const dataDir = mkdtempSync(path.join(tmpdir(), 'ops-'));
const lines: string[] = [];
const rebuild = (o: OpsOptions) => appOps(app, o).rebuild();
const verify = (o: OpsOptions) => appOps(app, o).verify();
const redrive = (o: OpsOptions) => appOps(app, o).redrive();
const options = (overrides: Partial<OpsOptions> = {}): OpsOptions => ({
  stage,
  views: ['lists', 'stats'],
  endpoint,
  dataDir,
  fresh: false,
  resume: false,
  segments: 4,
  log: (line) => lines.push(line),
  ...overrides,
});

let listIds: string[];
beforeAll(async () => {
  for (const [id, suffix] of [['EventsTable', 'events'], ['ListsTable', 'lists'], ['StatsTable', 'stats']] as const) {
    await createTable(client, id, table(suffix));
  }
  const store = new DynamoDbEventStore({ client, tableName: table('events'), schema: todoLists.schema });
  ({ listIds } = await runTodoWorkload(store, { commands: 80, random: seededRandom(5) }));
}, 60_000);

describe('npm run rebuild / verify / redrive', () => {
  it('rebuilds both views from the events table, and verify then finds no difference', async () => {
    const [lists, stats] = await rebuild(options({ fresh: true }));
    expect(lists).toMatchObject({ view: 'lists', streams: listIds.length, duplicates: 0 });
    expect(stats!.applied).toBe(lists!.applied);
    expect(await verify(options())).toEqual([]);
    // A second rebuild over a complete view applies nothing: every commit is already there.
    const [again] = await rebuild(options({ views: ['lists'] }));
    expect(again).toMatchObject({ applied: 0, duplicates: lists!.commits });
  });

  it('verify reports a corrupted list and corrupted totals; a fresh rebuild repairs both', async () => {
    await client.send(new UpdateItemCommand({ TableName: table('lists'), Key: { listId: { S: listIds[0]! } }, UpdateExpression: 'SET title = :t', ExpressionAttributeValues: { ':t': { S: 'tampered' } } }));
    await client.send(new UpdateItemCommand({ TableName: table('stats'), Key: { [COUNTER_TABLE_KEY]: { S: counterTotalKey('bob') } }, UpdateExpression: 'ADD openTodos :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
    const differences = await verify(options());
    expect(differences.map((d) => `${d.view} ${d.kind} ${d.key}`).sort()).toEqual([`lists differs ${listIds[0]}`, 'stats differs bob']);
    await rebuild(options({ fresh: true }));
    expect(await verify(options())).toEqual([]);
  });

  it('resumes an interrupted rebuild from its saved progress', async () => {
    await rebuild(options({ fresh: true, views: ['lists'] }));
    const progressFile = path.join(dataDir, `rebuild-${stage}-lists.json`);
    // Pretend the first run died after finishing segments 0 and 1.
    writeFileSync(progressFile, JSON.stringify({ 0: null, 1: null }));
    const [resumed] = await rebuild(options({ resume: true, views: ['lists'] }));
    expect(resumed!.commits).toBeLessThan((await rebuild(options({ views: ['lists'] })))[0]!.commits);
    expect(await verify(options({ views: ['lists'] }))).toEqual([]);
  });

  it('redrives dead-lettered records through the projection and keeps what still fails', async () => {
    await rebuild(options({ fresh: true }));
    const records = await readStreamRecords(client, endpoint, table('events'));
    const fresh = mkdtempSync(path.join(tmpdir(), 'redrive-'));
    mkdirSync(path.join(fresh, 'dead-letters'));
    // The records as the local stream runner writes them after its last retry, plus one poison record.
    const poison = poisonRecord('1');
    const file = path.join(fresh, 'dead-letters', 'listsView.jsonl');
    writeFileSync(file, [...records.slice(0, 5), poison].map((record) => JSON.stringify({ at: 'x', function: 'listsView', reason: 'test', record })).join('\n') + '\n');
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const [summary] = await redrive(options({ dataDir: fresh, views: ['lists'] }));
    errors.mockRestore();
    expect(summary).toEqual({ view: 'lists', redriven: 5, stillFailing: 1 });
    expect(readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).record.eventID)).toEqual([poison.eventID]);
    expect(await verify(options())).toEqual([]);
  });
});

describe('the local stream runner', () => {
  const runner = (handler: () => Promise<unknown>) => {
    const deadLetterDir = mkdtempSync(path.join(tmpdir(), 'dlq-'));
    const streams = new OfflineStreams({ service: {} }, {}, { notice: () => undefined, warning: () => undefined, error: () => undefined });
    streams.opts = { deadLetterDir, pollIntervalMs: 1 };
    streams.running = true;
    streams.lambda = { get: () => ({ setEvent: () => undefined, runHandler: handler }) };
    return { streams, deadLetterDir };
  };
  const mapping = { functionKey: 'listsView', maximumRetryAttempts: 2, reportsFailures: true };
  const record = (n: number) => ({ eventID: `e${n}`, dynamodb: { SequenceNumber: String(n) } });

  it('retries from the first reported failure and dead-letters what still fails after the last retry', async () => {
    const seen: string[][] = [];
    const { streams, deadLetterDir } = runner(async () => ({ batchItemFailures: [{ itemIdentifier: '2' }] }));
    // Capture each delivery's records.
    const setEvent = jest.fn((event: { Records: { eventID: string }[] }) => seen.push(event.Records.map((r) => r.eventID)));
    (streams.lambda as { get: () => unknown }).get = () => ({ setEvent, runHandler: async () => ({ batchItemFailures: [{ itemIdentifier: '2' }] }) });
    await streams.deliver(mapping, [record(1), record(2), record(3)]);
    expect(seen).toEqual([['e1', 'e2', 'e3'], ['e2', 'e3'], ['e2', 'e3']]);
    const file = path.join(deadLetterDir, 'listsView.jsonl');
    expect(readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).record.eventID)).toEqual(['e2', 'e3']);
  });

  it('writes nothing when a retry succeeds', async () => {
    let calls = 0;
    const { streams, deadLetterDir } = runner(async () => {
      calls += 1;
      if (calls === 1) throw new Error('transient');
      return { batchItemFailures: [] };
    });
    await streams.deliver(mapping, [record(1)]);
    expect(calls).toBe(2);
    expect(existsSync(path.join(deadLetterDir, 'listsView.jsonl'))).toBe(false);
  });
});
