import { TransactWriteItemsCommand, TransactionCanceledException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DomainEvent } from '../contracts';
import { ConcurrencyError, KeyTakenError, commitFromInput, type Commit, type CommitSnapshot } from './eventStore';
import { assertMultiStream, MAX_TRANSACTION_BYTES, type MultiStreamAppendInput } from './multiStreamAppend';

type TransactItem = NonNullable<TransactWriteItemsCommand['input']['TransactItems']>[number];

export interface DynamoDbMultiStreamOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly keysTableName: string | undefined;
  /** The item of a commit (the store's own stored shape), with the snapshot taken at it if it fits. */
  readonly itemOf: (commit: Commit, snapshot: CommitSnapshot | undefined) => NonNullable<TransactItem['Put']>['Item'];
}

/**
 * `appendStreams` on DynamoDB: one `TransactWriteItems` holding a conditional Put per commit (its
 * version slot free), a ConditionCheck per stream only read (the slot after the version read still
 * free: versions have no gaps, so the stream has not moved on) and the key's Put. DynamoDB cancels
 * all of it if any condition fails, and names the failed item in `CancellationReasons`, in order.
 */
export const appendStreamsToDynamoDb = async <TEvent extends DomainEvent>(
  options: DynamoDbMultiStreamOptions,
  input: MultiStreamAppendInput<TEvent>,
): Promise<Commit<TEvent>[]> => {
  assertMultiStream(input);
  const commits = input.commits.map((append) => commitFromInput(append));
  const slotFree = { ConditionExpression: 'attribute_not_exists(#v)', ExpressionAttributeNames: { '#v': 'version' } };
  const items: TransactItem[] = [
    ...commits.map((commit, i) => ({
      Put: { TableName: options.tableName, Item: options.itemOf(commit, input.commits[i]!.snapshot), ...slotFree },
    })),
    ...(input.checks ?? []).map((check) => ({
      ConditionCheck: {
        TableName: options.tableName,
        Key: { streamId: { S: check.streamId }, version: { N: String(check.version + 1) } },
        ...slotFree,
      },
    })),
  ];
  if (input.key) {
    if (!options.keysTableName) throw new Error('A keyed append needs the store to have keysTableName');
    const at = input.keyAt ?? { streamId: commits[0]!.streamId, version: commits[0]!.version };
    items.push({
      Put: {
        TableName: options.keysTableName,
        Item: {
          id: { S: input.key.id },
          fingerprint: { S: input.key.fingerprint },
          result: { S: input.key.result },
          streamId: { S: at.streamId },
          version: { N: String(at.version) },
          expiration: { N: String(input.key.expiresAt) },
        },
        // An expired key may still be there (TTL deletes eventually): it no longer counts.
        ConditionExpression: 'attribute_not_exists(#id) OR #exp <= :now',
        ExpressionAttributeNames: { '#id': 'id', '#exp': 'expiration' },
        ExpressionAttributeValues: { ':now': { N: String(Math.floor(Date.now() / 1000)) } },
      },
    });
  }
  // DynamoDB would refuse a larger transaction as a whole; say why before sending it.
  const bytes = Buffer.byteLength(JSON.stringify(items));
  if (bytes > MAX_TRANSACTION_BYTES) throw new RangeError(`A multi-stream append of ${bytes} bytes is over 4 MB`);
  try {
    await options.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) throw raceOrKey(error, input, items.length);
    throw error;
  }
  return commits;
};

/** What a cancelled transaction means: the key taken first (the command took effect), else a lost race. */
const raceOrKey = (error: TransactionCanceledException, input: MultiStreamAppendInput, count: number): unknown => {
  const reasons = error.CancellationReasons ?? [];
  const failed = (i: number) => reasons[i]?.Code === 'ConditionalCheckFailed';
  if (input.key && failed(count - 1)) return new KeyTakenError(input.key.id);
  const streams = [
    ...input.commits.map((c) => ({ streamId: c.streamId, version: c.expectedVersion })),
    ...(input.checks ?? []).map((c) => ({ streamId: c.streamId, version: c.version })),
  ];
  // Another transaction on the same items in flight is a lost race too.
  const conflict = reasons.some((r) => r.Code === 'TransactionConflict');
  const lost = streams.find((_, i) => failed(i)) ?? (conflict ? streams[0] : undefined);
  return lost ? new ConcurrencyError(lost.streamId, lost.version) : error;
};
