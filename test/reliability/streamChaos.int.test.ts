/**
 * Part 4 — stream chaos. Property-based (fast-check) delivery of the REAL stream records of
 * DynamoDB Local to the projection runner (`createProjectionHandler` over the lists and the
 * stats views), the way Lambda may deliver them: every record 0 to 3 times (never losing a
 * stream's last one, so that something arrives to heal from), reordered within and across
 * batches of random sizes, up to four batches handled at once by concurrent invocations (as
 * redelivery and ParallelizationFactor > 1 allow), with poison records mixed in, and event-store
 * reads that fail now and then while gaps are healed. One list's commits each change over 100
 * todos, so its view writes run under a claim, chunk by chunk, while others race them. A batch reporting failures is retried from its first failed
 * record, as Lambda does with ReportBatchItemFailures. Whatever the plan: both views equal a
 * fresh fold of the event store, every poison record is reported (never swallowed), and no
 * real record ends up given up on.
 *
 * It runs in `npm test` (int project, 25 runs) and in `npm run test:reliability` (more runs).
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { listsView, statsView } from '../support/todoApp';
import type { TodoListEvent } from '../../domain/todoList';
import { DynamoDbEventStore, createProjectionHandler, type EventStore } from '../../src';
import { createTable, testDynamoDb } from '../support/dynamoDb';
import { expectedListView, expectedStats, storedListViews, storedStats } from '../support/expectedViews';
import { readStreamRecords, seededRandom, type Handler } from '../support/streamHarness';
import { runTodoWorkload } from '../support/todoWorkload';
import { reliability } from './support/config';
import { recordPropertyFigures } from './support/report';

const { client, documentClient } = testDynamoDb();
const endpoint = process.env.TEST_DYNAMODB_ENDPOINT!;
/** Inside `npm run test:reliability` (its global setup names a report file) the run count of the mode; in `npm test`, 25. */
const insideReliabilitySuite = process.env.RELIABILITY_REPORT_FILE !== undefined;
const numRuns = insideReliabilitySuite ? reliability.streamChaos.numRuns : 25;
// A plan takes ~3 s on 2 busy cores since it also races concurrent batches over a list whose
// writes run in chunks: 150 s lets the 25 plans finish there.
const timeLimitMs = insideReliabilitySuite ? 20 * 60_000 : 150_000;
const seed = Number(process.env.RELIABILITY_SEED ?? Date.now() % 2 ** 31);

let store: EventStore;
let eventsTable: string;
let records: DynamoDBRecord[];
let listIds: string[];
const streamOf = (r: DynamoDBRecord) => r.dynamodb!.Keys!.streamId!.S!;

beforeAll(async () => {
  eventsTable = await createTable(client, 'EventsTable');
  store = new DynamoDbEventStore({ client, tableName: eventsTable });
  ({ listIds } = await runTodoWorkload(store, { listsPerOwner: 2, commands: 90, random: seededRandom(seed) }));
  listIds.push(await bigList(store));
  records = await readStreamRecords(client, endpoint, eventsTable);
}, 120_000);

afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: eventsTable }));
});

/**
 * A list whose commits each change more todos than one transaction holds (105 added in one
 * commit, 100 completed, 100 cleared): its view writes run under a claim, in chunks.
 */
const bigList = async (eventStore: EventStore) => {
  const listId = `big-${seed}`;
  const ids = Array.from({ length: 105 }, (_, i) => `big-todo-${i}`);
  const commits: TodoListEvent[][] = [
    [{ type: 'ListCreated', data: { listId, ownerId: 'alice', title: 'big' } }],
    ids.map((todoId) => ({ type: 'TodoAdded', data: { todoId, title: todoId } })),
    ids.slice(0, 100).map((todoId) => ({ type: 'TodoCompleted', data: { todoId } })),
    ids.slice(0, 100).map((todoId) => ({ type: 'TodoRemoved', data: { todoId } })),
  ];
  for (const [i, events] of commits.entries()) {
    await eventStore.append({
      streamId: listId,
      streamType: 'todoList',
      expectedVersion: i,
      events,
      commandId: `${listId}-${i}`,
      at: '2026-01-02T00:00:00.000Z',
    });
  }
  return listId;
};

type PoisonKind = 'unreadable events' | 'no new image' | 'no version' | 'another stream type' | 'MODIFY' | 'REMOVE';
/** Kinds the runner must report in batchItemFailures; the others it must ignore. */
const REPORTED: readonly PoisonKind[] = ['unreadable events', 'no new image', 'no version'];

const poison = (kind: PoisonKind, n: number): DynamoDBRecord => {
  const sequenceNumber = `9${String(n).padStart(20, '0')}`;
  const image = {
    streamId: { S: `poison-${n}` },
    version: { N: '1' },
    streamType: { S: 'todoList' },
    commandId: { S: `poison-${n}` },
    at: { S: '2026-01-01T00:00:00.000Z' },
    events: { S: '[]' },
  };
  const dynamodb = (() => {
    switch (kind) {
      case 'unreadable events':
        return { SequenceNumber: sequenceNumber, NewImage: { ...image, events: { S: '{not json' } } };
      case 'no new image':
        return { SequenceNumber: sequenceNumber, Keys: { streamId: image.streamId, version: image.version } };
      case 'no version': {
        const { version: _version, ...rest } = image;
        return { SequenceNumber: sequenceNumber, NewImage: rest };
      }
      case 'another stream type':
        return {
          SequenceNumber: sequenceNumber,
          NewImage: { ...image, streamType: { S: 'somethingElse' }, events: { S: '[{"type":"X","data":{}}]' } },
        };
      default:
        return { SequenceNumber: sequenceNumber, NewImage: image };
    }
  })();
  const eventName = kind === 'MODIFY' ? 'MODIFY' : kind === 'REMOVE' ? 'REMOVE' : 'INSERT';
  return { eventID: `poison-${n}`, eventName, eventSource: 'aws:dynamodb', dynamodb } as DynamoDBRecord;
};

interface Plan {
  /** How many times each record is delivered (its stream's last record at least once). */
  readonly copies: number[];
  /** How far records may move from their place: 0 in order, 1 whole shuffle. */
  readonly disorder: number;
  readonly shuffleSeed: number;
  readonly batchSizes: number[];
  readonly poisons: { at: number; kind: PoisonKind }[];
  /** Event-store reads (gap healing) that fail before the store answers again. */
  readonly failingReads: number;
  /** Batches handled at once by concurrent invocations (redelivery, ParallelizationFactor > 1). */
  readonly parallel: number;
}

const planArb = (count: number): fc.Arbitrary<Plan> =>
  fc.record({
    copies: fc.array(
      fc.oneof(
        { weight: 5, arbitrary: fc.constant(1) },
        { weight: 2, arbitrary: fc.constant(0) },
        { weight: 2, arbitrary: fc.integer({ min: 2, max: 3 }) },
      ),
      {
        minLength: count,
        maxLength: count,
      },
    ),
    disorder: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
    shuffleSeed: fc.integer(),
    batchSizes: fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 8 }),
    poisons: fc.array(
      fc.record({
        at: fc.nat(),
        kind: fc.constantFrom<PoisonKind>(
          'unreadable events',
          'no new image',
          'no version',
          'another stream type',
          'MODIFY',
          'REMOVE',
        ),
      }),
      { maxLength: 4 },
    ),
    failingReads: fc.integer({ min: 0, max: 3 }),
    parallel: fc.integer({ min: 1, max: 4 }),
  });

/** The delivery order of a plan: copies, then each record moved by up to `disorder` of the whole. */
const deliveries = (plan: Plan): DynamoDBRecord[] => {
  const lastOfStream = new Map<string, number>();
  for (const [i, r] of records.entries()) lastOfStream.set(streamOf(r), i);
  const copies = records.flatMap((r, i) =>
    Array.from({ length: Math.max(plan.copies[i]!, lastOfStream.get(streamOf(r)) === i ? 1 : 0) }, () => r),
  );
  const random = seededRandom(plan.shuffleSeed);
  const keyed = copies.map((r, i) => ({ r, key: i + (random() - 0.5) * 2 * plan.disorder * copies.length }));
  const ordered = keyed.sort((a, b) => a.key - b.key).map(({ r }) => r);
  for (const [n, p] of plan.poisons.entries()) ordered.splice(p.at % (ordered.length + 1), 0, poison(p.kind, n));
  return ordered;
};

/**
 * Batches of the plan's sizes, `parallel` of them at once; a batch with failures is retried from
 * its first failed record (at most 8 times).
 */
const deliver = async (
  handler: Handler,
  ordered: readonly DynamoDBRecord[],
  sizes: readonly number[],
  parallel: number,
) => {
  const reported = new Set<string>();
  const givenUp: DynamoDBRecord[] = [];
  const batches: DynamoDBRecord[][] = [];
  for (let i = 0, b = 0; i < ordered.length; b += 1) {
    const size = sizes[b % sizes.length]!;
    batches.push(ordered.slice(i, i + size));
    i += size;
  }
  const run = async (first: DynamoDBRecord[]) => {
    let batch = first;
    for (let attempt = 1; batch.length > 0; attempt += 1) {
      const { batchItemFailures } = await handler({ Records: batch });
      if (batchItemFailures.length === 0) break;
      for (const f of batchItemFailures) reported.add(f.itemIdentifier);
      const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
      const firstFailed = batch.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
      batch = batch.slice(Math.max(firstFailed, 0));
      if (attempt === 8) {
        givenUp.push(...batch.filter((r) => failed.has(r.dynamodb?.SequenceNumber ?? '')));
        break;
      }
    }
  };
  for (let i = 0; i < batches.length; i += parallel) await Promise.all(batches.slice(i, i + parallel).map(run));
  return { reported, givenUp };
};

/** The event store, failing its first `failures` reads (a throttled or unreachable table while healing a gap). */
const flaky = (failures: number): EventStore => {
  let left = failures;
  return {
    readStream: (...args) => (left-- > 0 ? Promise.reject(new Error('store unavailable')) : store.readStream(...args)),
    append: (input) => store.append(input),
    readKey: (id) => store.readKey(id),
  };
};

const sortById = (items: readonly (Record<string, unknown> | undefined)[]) =>
  [...items].sort((a, b) => String(a?.listId).localeCompare(String(b?.listId)));

it(
  `projections equal the folds under any duplication, reordering, loss and poison (${numRuns} runs, seed ${seed})`,
  async () => {
    const started = Date.now();
    let runs = 0;
    const silence = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const info = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const warnings = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await fc.assert(
        fc.asyncProperty(planArb(records.length), async (plan) => {
          runs += 1;
          const listsTable = await createTable(client, 'ListsTable');
          const statsTable = await createTable(client, 'StatsTable');
          try {
            const ordered = deliveries(plan);
            const lists = createProjectionHandler(
              listsView({ documentClient, store: flaky(plan.failingReads), tableName: listsTable }),
            ) as Handler;
            const stats = createProjectionHandler(
              statsView({ documentClient, store: flaky(plan.failingReads), tableName: statsTable }),
            ) as Handler;
            const outcomes = [
              await deliver(lists, ordered, plan.batchSizes, plan.parallel),
              await deliver(stats, ordered, plan.batchSizes, plan.parallel),
            ];

            const poisonToReport = ordered.filter(
              (r) =>
                r.eventID?.startsWith('poison-') && REPORTED.includes(plan.poisons[Number(r.eventID.slice(7))]!.kind),
            );
            for (const { reported, givenUp } of outcomes) {
              // Nothing swallowed: every poison record reported; nothing real given up on.
              expect(poisonToReport.filter((r) => !reported.has(r.dynamodb!.SequenceNumber!))).toEqual([]);
              expect(givenUp.filter((r) => !r.eventID?.startsWith('poison-'))).toEqual([]);
            }
            expect(sortById(await storedListViews(documentClient, listsTable))).toEqual(
              sortById(await Promise.all(listIds.map((id) => expectedListView(store, id)))),
            );
            for (const [owner, totals] of await expectedStats(store, listIds)) {
              expect({ owner, ...(await storedStats(documentClient, statsTable, owner)) }).toEqual({
                owner,
                ...totals,
              });
            }
          } finally {
            await client.send(new DeleteTableCommand({ TableName: listsTable }));
            await client.send(new DeleteTableCommand({ TableName: statsTable }));
          }
        }),
        { numRuns, seed, interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: false },
      );
    } finally {
      silence.mockRestore();
      info.mockRestore();
      warnings.mockRestore();
      recordPropertyFigures({
        part: '4. stream chaos (fast-check)',
        cases: runs,
        durationMs: Date.now() - started,
        note: `${runs} delivery plans over ${records.length} real stream records of ${listIds.length} lists; each plan fed to both projections and compared with the folds`,
      });
    }
    expect(runs).toBeGreaterThanOrEqual(Math.min(numRuns, 5));
  },
  30 * 60_000,
);
