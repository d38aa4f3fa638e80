import { BatchWriteItemCommand, DescribeTableCommand, ScanCommand, type AttributeValue, type DynamoDBClient, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import type { EventSchema } from '../eventStore';
import type { CommitProjection } from '../projection';
import { byStream, scanCommits, type ScanProgress } from './scanCommits';

/** Deletes every item of a (view) table, 25 at a time. */
export const clearTable = async (client: DynamoDBClient, tableName: string): Promise<number> => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const keys = (Table?.KeySchema ?? []).map((k) => k.AttributeName!);
  let deleted = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page: ScanCommandOutput = await client.send(
      new ScanCommand({ TableName: tableName, ProjectionExpression: keys.map((_, i) => `#k${i}`).join(', '), ExpressionAttributeNames: Object.fromEntries(keys.map((k, i) => [`#k${i}`, k])), ExclusiveStartKey: startKey }),
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
}

/**
 * Rebuilds a view from the events table while the stack keeps serving: every commit goes
 * through the projection's own exactly-once path, so commits the live stream already
 * applied are skipped and racing writes cannot double-apply.
 */
export const rebuildView = async (options: RebuildOptions) => {
  const cleared = options.fresh ? await clearTable(options.client, options.fresh.viewTable) : 0;
  const outcome = { cleared, commits: 0, applied: 0, duplicates: 0, healed: 0, streams: new Set<string>() };
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
          const result = await options.projection.applyCommits(streamId, run);
          outcome.applied += result.applied;
          outcome.duplicates += result.duplicates;
          outcome.healed += result.healed;
          outcome.streams.add(streamId);
        }),
      );
      outcome.commits += relevant.length;
    },
  });
  return { ...outcome, streams: outcome.streams.size };
};
