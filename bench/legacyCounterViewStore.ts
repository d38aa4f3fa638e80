/**
 * The counter views' store before issue 26 (kept for bench part 7b's "before" only): per source
 * stream one checkpoint item holding the whole folded source, rewritten by every commit, and one
 * totals item per key. Not part of the kit.
 */
import { TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CommitInfo, DomainEvent } from '../src/contracts';
import type { EventStore } from '../src/eventStore';
import type { CommitProjection } from '../src/projection/commitProjection';
import {
  ViewConflictError,
  contributionsOf,
  exactlyOnceProjection,
  type Contributions,
  type ViewStore,
} from '../src/projection/viewStore';

/** Partition key of a counter view table; it holds both totals and per-stream checkpoints. */
export const COUNTER_TABLE_KEY = 'pk';
/** The item holding the totals of `key` (an owner, a tenant…). */
export const counterTotalKey = (key: string) => `total#${key}`;
/** The checkpoint of one source stream. */
export const counterCheckpointKey = (streamId: string) => `stream#${streamId}`;

export interface CounterViewProjectionOptions<TSource, TEvent extends DomainEvent> {
  readonly name: string;
  readonly streamType: string;
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly store: EventStore;
  /** source + event → source: what the view remembers of one stream. Pure, from the domain. */
  readonly evolve: (source: TSource | null, event: TEvent, commit: CommitInfo) => TSource | null;
  /** What one stream adds to which totals: total key → counter → amount (finite numbers; build it with `ownRecord`). */
  readonly contributions: (source: TSource) => Contributions;
  readonly maxAttempts?: number;
}

/**
 * Totals across streams in one DynamoDB table: per source stream a checkpoint item (its last
 * applied version and its folded source), and the totals items. The checkpoint and the change
 * to the totals are written in one transaction, conditional on the checkpoint's version, so a
 * redelivered commit can never be counted twice.
 */
export const dynamoDbCounterViewStore = <TSource, TEvent extends DomainEvent>(
  options: Pick<CounterViewProjectionOptions<TSource, TEvent>, 'client' | 'tableName' | 'contributions'>,
): ViewStore<TSource> => ({
  async read(streamId) {
    const { Item } = await options.client.send(
      new GetCommand({
        TableName: options.tableName,
        Key: { [COUNTER_TABLE_KEY]: counterCheckpointKey(streamId) },
        ConsistentRead: true,
      }),
    );
    return {
      version: typeof Item?.version === 'number' ? Item.version : 0,
      state: typeof Item?.source === 'string' ? (JSON.parse(Item.source) as TSource | null) : null,
    };
  },
  async write(streamId, { seen, before, after, version, at }) {
    const checkpointKey = { [COUNTER_TABLE_KEY]: counterCheckpointKey(streamId) };
    const checkpoint = new PutCommand({
      TableName: options.tableName,
      Item: { ...checkpointKey, version, updatedAt: at, source: JSON.stringify(after) },
      // Exactly-once: the totals change only together with the checkpoint it moves on from.
      ConditionExpression: seen === 0 ? 'attribute_not_exists(#pk)' : '#v = :seen',
      ExpressionAttributeNames: seen === 0 ? { '#pk': COUNTER_TABLE_KEY } : { '#v': 'version' },
      ...(seen === 0 ? {} : { ExpressionAttributeValues: { ':seen': seen } }),
    }).input;
    const updates = totalUpdates(options, before, after);
    try {
      if (updates.length === 0) await options.client.send(new PutCommand(checkpoint));
      else
        await options.client.send(
          new TransactWriteCommand({ TransactItems: [{ Put: checkpoint }, ...updates.map((Update) => ({ Update }))] }),
        );
    } catch (error) {
      const reasons =
        error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []).map((r) => r.Code) : [];
      if (error instanceof ConditionalCheckFailedException || reasons.includes('ConditionalCheckFailed'))
        throw new ViewConflictError(streamId, seen);
      // Another stream's transaction was moving the same totals (concurrent batches of one owner's
      // lists): nothing was written, so it is a race like any other, not a failure.
      if (reasons.includes('TransactionConflict')) throw new ViewConflictError(streamId, seen, 'transaction');
      throw error;
    }
  },
});

/** A view that adds up many streams (per-owner stats), exactly once (see `exactlyOnceProjection`). */
export const counterViewProjection = <TSource, TEvent extends DomainEvent>(
  options: CounterViewProjectionOptions<TSource, TEvent>,
): CommitProjection => exactlyOnceProjection({ ...options, views: dynamoDbCounterViewStore(options) });

/** The ADD updates that move the totals from one folded source to the next. */
const totalUpdates = <TSource, TEvent extends DomainEvent>(
  options: Pick<CounterViewProjectionOptions<TSource, TEvent>, 'tableName' | 'contributions'>,
  before: TSource | null,
  after: TSource | null,
) => {
  const deltas = new Map<string, Map<string, number>>();
  const add = (source: TSource | null, sign: 1 | -1) => {
    if (source === null) return;
    for (const [key, counter, amount] of contributionsOf(options.contributions(source))) {
      const delta = deltas.get(key) ?? new Map<string, number>();
      delta.set(counter, (delta.get(counter) ?? 0) + sign * amount);
      deltas.set(key, delta);
    }
  };
  add(before, -1);
  add(after, 1);
  return (
    [...deltas.entries()]
      .filter(([, delta]) => [...delta.values()].some((d) => d !== 0))
      // Every counter the stream touches is ADDed (zeros too), so a totals item has all its attributes.
      .map(([key, delta]) => {
        const counters = [...delta.keys()];
        return {
          TableName: options.tableName,
          Key: { [COUNTER_TABLE_KEY]: counterTotalKey(key) },
          UpdateExpression: `ADD ${counters.map((_, i) => `#c${i} :d${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(counters.map((c, i) => [`#c${i}`, c])),
          ExpressionAttributeValues: Object.fromEntries(counters.map((c, i) => [`:d${i}`, delta.get(c) ?? 0])),
        };
      })
  );
};
