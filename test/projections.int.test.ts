import type { DynamoDBRecord } from 'aws-lambda';
import { listsView, statsView } from './support/todoApp';
import { createProjectionHandler, type EventStore } from '../src';
import { createTable, testDynamoDb } from './support/dynamoDb';
import { expectedListView, expectedStats, storedListViews, storedStats } from './support/expectedViews';
import { deliver, poisonRecord, seededRandom, shuffle, workloadStream, type Handler } from './support/streamHarness';

const { client, documentClient } = testDynamoDb();
const endpoint = process.env.TEST_DYNAMODB_ENDPOINT!;

let store: EventStore;
let records: DynamoDBRecord[];
let listIds: string[];

beforeAll(async () => {
  ({ store, listIds, records } = await workloadStream(client, endpoint, { commands: 200, random: seededRandom(7) }));
}, 120_000);

/** Fresh view tables and handlers for one delivery scenario. */
const freshViews = async () => {
  const listsTable = await createTable(client, 'ListsTable');
  const statsTable = await createTable(client, 'StatsTable');
  return {
    listsTable,
    lists: createProjectionHandler(listsView({ documentClient, store, tableName: listsTable })) as Handler,
    stats: createProjectionHandler(statsView({ documentClient, store, tableName: statsTable })) as Handler,
    async assertViewsEqualFolds() {
      const expected = await Promise.all(listIds.map((id) => expectedListView(store, id)));
      expect(sortById(await storedListViews(documentClient, listsTable))).toEqual(sortById(expected));
      for (const [owner, totals] of await expectedStats(store, listIds)) {
        expect(await storedStats(documentClient, statsTable, owner)).toEqual(totals);
      }
    },
  };
};

const sortById = (items: readonly (Record<string, unknown> | undefined)[]) =>
  [...items].sort((a, b) => String(a?.listId).localeCompare(String(b?.listId)));

const deliverToBoth = async (
  views: Awaited<ReturnType<typeof freshViews>>,
  batches: readonly DynamoDBRecord[],
  batchSize = 10,
) => [...(await deliver(views.lists, batches, batchSize)), ...(await deliver(views.stats, batches, batchSize))];

describe('projections fed with the real stream records of DynamoDB Local', () => {
  it('the workload produced a real stream (several lists, many commits, some with many events)', () => {
    expect(listIds.length).toBe(6);
    expect(records.length).toBeGreaterThan(100);
    const eventsPerCommit = records.map((r) => JSON.parse(r.dynamodb!.NewImage!.events!.S!).length as number);
    expect(Math.max(...eventsPerCommit)).toBeGreaterThan(1);
    expect(records.every((r) => r.eventName === 'INSERT' && r.dynamodb?.NewImage)).toBe(true);
  });

  it('in order: views equal a fold of the event store', async () => {
    const views = await freshViews();
    expect(await deliverToBoth(views, records)).toEqual([]);
    await views.assertViewsEqualFolds();
  });

  it('every batch delivered twice (redelivery): nothing is counted twice', async () => {
    const views = await freshViews();
    for (let i = 0; i < records.length; i += 7) {
      const batch = records.slice(i, i + 7);
      expect(await deliverToBoth(views, [...batch, ...batch], 14)).toEqual([]);
      expect(await deliverToBoth(views, batch, 7)).toEqual([]);
    }
    await views.assertViewsEqualFolds();
  });

  it.each([1, 2, 3])('reordered across batches (seed %i): late records are skipped, gaps are healed', async (seed) => {
    const views = await freshViews();
    expect(await deliverToBoth(views, shuffle(records, seededRandom(seed)), 9)).toEqual([]);
    await views.assertViewsEqualFolds();
  });

  it('with gaps (records never delivered): missing commits are read back from the event store', async () => {
    const views = await freshViews();
    const lastOfStream = new Map<string, string>();
    for (const r of records) lastOfStream.set(r.dynamodb!.Keys!.streamId!.S!, r.eventID!);
    const random = seededRandom(11);
    // Drop a third of the records, but never the last one of a stream (something must arrive to trigger healing).
    const kept = records.filter(
      (r) => lastOfStream.get(r.dynamodb!.Keys!.streamId!.S!) === r.eventID || random() > 0.33,
    );
    expect(kept.length).toBeLessThan(records.length);
    expect(await deliverToBoth(views, kept)).toEqual([]);
    await views.assertViewsEqualFolds();
  });

  it('a poison record is reported in batchItemFailures and does not block the other streams', async () => {
    const views = await freshViews();
    const poison = poisonRecord('99999999999999999999');
    const withPoison = [...records.slice(0, 5), poison, ...records.slice(5)];
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const failures = await deliverToBoth(views, withPoison);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('Unreadable stream record'));
    errors.mockRestore();
    expect(failures).toEqual([poison.dynamodb!.SequenceNumber, poison.dynamodb!.SequenceNumber]);
    await views.assertViewsEqualFolds();
  });

  it('a store failure while healing a gap fails only that stream, and a retry converges', async () => {
    const views = await freshViews();
    const first = listIds[0]!;
    const ofFirst = records.filter((r) => r.dynamodb!.Keys!.streamId!.S === first);
    // Deliver the first stream's last record alone, while the event store is unreachable.
    const brokenStore: EventStore = {
      readStream: () => Promise.reject(new Error('store down')),
      append: () => Promise.reject(new Error('no')),
      readKey: () => Promise.reject(new Error('no')),
    };
    const broken = createProjectionHandler(
      listsView({ documentClient, store: brokenStore, tableName: views.listsTable }),
    );
    const last = ofFirst.at(-1)!;
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const result = await broken({ Records: [last] });
    expect(errors.mock.calls.some(([line]) => String(line).includes('store down'))).toBe(true);
    errors.mockRestore();
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: last.dynamodb!.SequenceNumber }]);
    // Lambda retries the batch: the real handlers then converge.
    expect(await deliverToBoth(views, records)).toEqual([]);
    await views.assertViewsEqualFolds();
  });
});
