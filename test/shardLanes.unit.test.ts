/** How the local stream runner shares one shard among concurrent batches (ParallelizationFactor). */
import type { DynamoDBRecord } from 'aws-lambda';

const { checkedFactor, deliverInLanes, laneOf } = require('../src/local/shardLanes.cjs') as {
  checkedFactor: (factor: unknown) => number;
  laneOf: (record: DynamoDBRecord, factor: number) => number;
  deliverInLanes: (options: {
    records: DynamoDBRecord[];
    factor: number;
    batchSize: number;
    deliver: (batch: DynamoDBRecord[]) => Promise<void>;
  }) => Promise<void>;
};

/** A commit's stream record: its item is (streamId, version). */
const commit = (streamId: string, version: number, sequence: number, eventName = 'INSERT'): DynamoDBRecord => ({
  eventName: eventName as 'INSERT',
  dynamodb: {
    Keys: { streamId: { S: streamId }, version: { N: String(version) } },
    SequenceNumber: String(sequence).padStart(6, '0'),
  },
});
const sequenceOf = (r: DynamoDBRecord) => Number(r.dynamodb!.SequenceNumber);

/** 40 commits of 4 streams, in shard order, plus later MODIFY records of two of those items. */
const shard = [
  ...Array.from({ length: 40 }, (_, i) => commit(`s${i % 4}`, Math.floor(i / 4) + 1, i)),
  commit('s0', 1, 40, 'MODIFY'),
  commit('s1', 3, 41, 'MODIFY'),
];

/** Runs the lanes with a deliver that yields, so lanes interleave; records what ran and how many at once. */
const run = async (factor: number, batchSize: number) => {
  const batches: DynamoDBRecord[][] = [];
  let inFlight = 0;
  let mostAtOnce = 0;
  await deliverInLanes({
    records: shard,
    factor,
    batchSize,
    deliver: async (batch) => {
      inFlight += 1;
      mostAtOnce = Math.max(mostAtOnce, inFlight);
      batches.push(batch);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
    },
  });
  return { batches, mostAtOnce };
};

it('factor 1 is one batch at a time, in shard order', async () => {
  const { batches, mostAtOnce } = await run(1, 10);
  expect(mostAtOnce).toBe(1);
  expect(batches.flat().map(sequenceOf)).toEqual(shard.map(sequenceOf));
  expect(batches.map((b) => b.length)).toEqual([10, 10, 10, 10, 2]);
});

it('factor 10 runs up to ten batches at once, each record exactly once, none larger than the batch size', async () => {
  const { batches, mostAtOnce } = await run(10, 3);
  expect(mostAtOnce).toBeGreaterThan(1);
  expect(mostAtOnce).toBeLessThanOrEqual(10);
  expect(batches.every((b) => b.length <= 3)).toBe(true);
  expect(
    batches
      .flat()
      .map(sequenceOf)
      .sort((a, b) => a - b),
  ).toEqual(shard.map(sequenceOf));
});

it('keeps order per item only: one item always in one lane, in shard order; commits of one stream spread over lanes', async () => {
  const { batches } = await run(10, 2);
  const order = batches.flat();
  // Records of the same item (a commit and its later MODIFY) keep their shard order.
  for (const [streamId, version] of [
    ['s0', 1],
    ['s1', 3],
  ] as const) {
    const ofItem = order
      .filter((r) => r.dynamodb!.Keys!.streamId!.S === streamId && r.dynamodb!.Keys!.version!.N === String(version))
      .map(sequenceOf);
    expect(ofItem).toEqual([...ofItem].sort((a, b) => a - b));
    expect(ofItem).toHaveLength(2);
  }
  expect(
    new Set(shard.filter((r) => r.dynamodb!.Keys!.streamId!.S === 's0').map((r) => laneOf(r, 10))).size,
  ).toBeGreaterThan(1);
  expect(laneOf(shard[0]!, 10)).toBe(laneOf(shard[40]!, 10));
});

it("takes Lambda's bounds for the factor", () => {
  expect(checkedFactor(undefined)).toBe(1);
  expect(checkedFactor(10)).toBe(10);
  for (const wrong of [0, 11, 2.5, 'x']) expect(() => checkedFactor(wrong)).toThrow(/parallelizationFactor/);
});
