import {
  BatchWriteItemCommand,
  DescribeTableCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { EventSchema } from '../eventStore';
import { isStreamFault, type CommitProjection, type DeadLetterJournal } from '../projection';
import { byStream, scanCommits, type ScanProgress } from './scanCommits';

/** Deletes every item of a (view) table, 25 at a time. */
export const clearTable = async (client: DynamoDBClient, tableName: string): Promise<number> => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const keys = (Table?.KeySchema ?? []).map((k) => k.AttributeName!);
  let deleted = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page: ScanCommandOutput = await client.send(
      new ScanCommand({
        TableName: tableName,
        ProjectionExpression: keys.map((_, i) => `#k${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(keys.map((k, i) => [`#k${i}`, k])),
        ExclusiveStartKey: startKey,
      }),
    );
    const items = page.Items ?? [];
    for (let i = 0; i < items.length; i += 25) {
      let requests = items.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      while (requests.length > 0) {
        const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
        requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    }
    deleted += items.length;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return deleted;
};

export interface RebuildOptions {
  readonly client: DynamoDBClient;
  readonly eventsTable: string;
  readonly schema?: EventSchema;
  readonly projection: CommitProjection;
  /** Empty the view first (it is briefly incomplete; live stream records still apply exactly once). */
  readonly fresh?: { readonly viewTable: string };
  readonly segments?: number;
  readonly progress?: ScanProgress;
  readonly onProgress?: (progress: ScanProgress) => void | Promise<void>;
  /** Where a stream that cannot be applied is filed (the live projections' dead-letter table). */
  readonly deadLetters?: DeadLetterJournal;
  /** Told when a dead letter could not be filed (the failure is still in the result). */
  readonly onJournalError?: (streamId: string, error: unknown) => void;
}

/** A stream the rebuild could not apply: the view keeps what it had before `fromVersion`. */
export interface FailedStream {
  readonly streamId: string;
  /** The first version of the run that failed (a redrive re-applies from it). */
  readonly fromVersion: number;
  /** The last version met in the scan (later commits of the stream were not tried). */
  toVersion: number;
  readonly error: string;
}

/**
 * Rebuilds a view from the events table while the stack keeps serving: every commit goes
 * through the projection's own exactly-once path, so commits the live stream already
 * applied are skipped and racing writes cannot double-apply.
 *
 * A stream that cannot be applied (`isStreamFault`) never stops the others: it is filed as a
 * dead letter, its later commits are skipped, and it is listed in `failed`. A failure of the
 * infrastructure stops the rebuild (resume it from its saved progress).
 */
export const rebuildView = async (options: RebuildOptions) => {
  const cleared = options.fresh ? await clearTable(options.client, options.fresh.viewTable) : 0;
  const outcome = { cleared, commits: 0, applied: 0, duplicates: 0, healed: 0, skipped: 0, streams: new Set<string>() };
  const failed = new Map<string, FailedStream>();
  const fail = async (streamId: string, run: readonly { version: number }[], error: unknown) => {
    const versions = run.map((c) => c.version);
    const message = error instanceof Error ? error.message : String(error);
    failed.set(streamId, {
      streamId,
      fromVersion: Math.min(...versions),
      toVersion: Math.max(...versions),
      error: message,
    });
    await options.deadLetters
      ?.record(options.projection.name, streamId, versions, error)
      .catch((journalError: unknown) => options.onJournalError?.(streamId, journalError));
  };
  await scanCommits({
    client: options.client,
    tableName: options.eventsTable,
    schema: options.schema,
    segments: options.segments,
    progress: options.progress,
    onProgress: options.onProgress,
    onPage: async (commits) => {
      const relevant = commits.filter((c) => c.streamType === options.projection.streamType);
      await Promise.all(
        [...byStream(relevant)].map(async ([streamId, run]) => {
          outcome.streams.add(streamId);
          const earlier = failed.get(streamId);
          if (earlier) {
            // Its view is stuck before an earlier commit: these would only fail again.
            earlier.toVersion = Math.max(earlier.toVersion, ...run.map((c) => c.version));
            outcome.skipped += run.length;
            return;
          }
          try {
            const result = await options.projection.applyCommits(streamId, run);
            outcome.applied += result.applied;
            outcome.duplicates += result.duplicates;
            outcome.healed += result.healed;
          } catch (error) {
            if (!isStreamFault(error)) throw error;
            await fail(streamId, run, error);
          }
        }),
      );
      outcome.commits += relevant.length;
    },
  });
  return { ...outcome, streams: outcome.streams.size, failed: [...failed.values()] };
};
