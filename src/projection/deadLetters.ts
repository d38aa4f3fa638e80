import {
  DeleteCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';

/**
 * A stream a projection could not apply: which view, which stream, from which version, and
 * why. It names the commits by stream and version, so it can be redriven from the events
 * table at any later time, long after the DynamoDB stream (24 h) has dropped its records.
 */
export interface DeadLetter {
  readonly view: string;
  readonly streamId: string;
  /** The first version that failed; everything from it on is re-applied by a redrive. */
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly error: string;
  readonly failedAt: string;
  /** How many deliveries of this stream failed since it was last redriven. */
  readonly failures: number;
}

/** The name of the kit's dead-letter table (`<service>-<stage>-deadLetters`). */
export const DEAD_LETTERS_TABLE = 'deadLetters';

/** Where a projection files the streams it could not apply. */
export interface DeadLetterJournal {
  record(view: string, streamId: string, versions: readonly number[], error: unknown): Promise<void>;
}

/**
 * Whether a failure belongs to the stream being applied (its fold threw, DynamoDB refused the
 * item it made, the SDK could not marshall it, it kept losing races) rather than to the
 * infrastructure (a missing table, throttling, the network), which would fail every stream
 * alike. Rebuild files the first kind as a dead letter and goes on with the other streams; it
 * stops at the second, to be resumed once the infrastructure is back.
 */
export const isStreamFault = (error: unknown): boolean => {
  const { name, $metadata, code } = (error ?? {}) as { name?: unknown; $metadata?: unknown; code?: unknown };
  if (name === 'ValidationException') return true;
  // Any other answer of the service, a Node system error (ECONNREFUSED…), or a timeout.
  if ($metadata !== undefined || typeof code === 'string') return false;
  return name !== 'TimeoutError' && name !== 'AbortError';
};

/** Table keys: `view` (partition) and `streamId` (sort): one item per failing stream of a view. */
export const dynamoDbDeadLetters = (client: DynamoDBDocumentClient, tableName: string) => ({
  /** Files (or refreshes) the failure; the first failed version is kept, later ones only extend it. */
  async record(view: string, streamId: string, versions: readonly number[], error: unknown): Promise<void> {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { view, streamId },
        UpdateExpression:
          'SET fromVersion = if_not_exists(fromVersion, :from), toVersion = :to, #e = :error, failedAt = :at ADD failures :one',
        ExpressionAttributeNames: { '#e': 'error' },
        ExpressionAttributeValues: {
          ':from': Math.min(...versions),
          ':to': Math.max(...versions),
          ':error': (error instanceof Error ? error.message : String(error)).slice(0, 1000),
          ':at': new Date().toISOString(),
          ':one': 1,
        },
      }),
    );
  },

  /** Every dead letter of one view, a page at a time. */
  async list(view: string): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#v = :v',
          ExpressionAttributeNames: { '#v': 'view' },
          ExpressionAttributeValues: { ':v': view },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      letters.push(...((page.Items ?? []) as DeadLetter[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return letters;
  },

  /** Removes a redriven letter, unless it failed again meanwhile (its `failures` moved on). */
  async remove(letter: DeadLetter): Promise<boolean> {
    try {
      await client.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { view: letter.view, streamId: letter.streamId },
          ConditionExpression: 'failures = :n',
          ExpressionAttributeValues: { ':n': letter.failures },
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  },
});
