// How Lambda shares one shard's records among concurrent batches when an event source mapping
// has a ParallelizationFactor N above 1: up to N batches of one shard run at once, and order is
// kept per ITEM only (partition and sort key). Records of one item always take the same lane, in
// shard order; records of different items — two commits of one stream are two items — may run
// side by side in any order. Used by the local stream runner (offlineStreams.cjs), the tests
// and the bench, so all three see the same scheduling.
'use strict';
const { createHash } = require('node:crypto');

/** The item a stream record is about: its key attributes, in a stable order. */
const itemKeyOf = (record) => {
  const dynamodb = record.dynamodb || {};
  const keys = dynamodb.Keys || {};
  const names = Object.keys(keys).sort();
  // A record without keys (never from DynamoDB itself) stays in a lane of its own sequence number.
  if (names.length === 0) return `seq:${dynamodb.SequenceNumber || record.eventID || ''}`;
  return names.map((name) => `${name}=${JSON.stringify(keys[name])}`).join('|');
};

/** The lane (0 … factor-1) a record's item is processed in. */
const laneOf = (record, factor) => {
  if (factor <= 1) return 0;
  return createHash('sha1').update(itemKeyOf(record)).digest().readUInt32BE(0) % factor;
};

/**
 * Splits records (in shard order) into at most `factor` lanes by item, and runs the lanes at
 * once: each lane hands its records to `deliver` in batches of up to `batchSize`, one batch
 * after the other. Resolves when every lane is done (a lane's failures are `deliver`'s to
 * handle: retries, dead letters).
 */
const deliverInLanes = async ({ records, factor, batchSize, deliver }) => {
  const lanes = Array.from({ length: Math.max(1, factor) }, () => []);
  for (const record of records) lanes[laneOf(record, factor)].push(record);
  await Promise.all(
    lanes
      .filter((lane) => lane.length > 0)
      .map(async (lane) => {
        for (let i = 0; i < lane.length; i += batchSize) await deliver(lane.slice(i, i + batchSize));
      }),
  );
};

/** Lambda's bounds for ParallelizationFactor. */
const checkedFactor = (factor) => {
  const n = factor === undefined ? 1 : Number(factor);
  if (!Number.isInteger(n) || n < 1 || n > 10)
    throw new Error(`parallelizationFactor must be an integer from 1 to 10 (got ${factor})`);
  return n;
};

module.exports = { itemKeyOf, laneOf, deliverInLanes, checkedFactor };
