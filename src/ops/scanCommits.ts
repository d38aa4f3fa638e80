import {
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { commitFromItem, type Commit, type EventSchema } from '../eventStore';

/** Where each scan segment stopped: `null` when it is done. Save it to resume. */
export type ScanProgress = Record<number, Record<string, AttributeValue> | null | undefined>;

export interface ScanCommitsOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly schema?: EventSchema;
  /** Parallel scan segments. Default 4. */
  readonly segments?: number;
  /** From a previous, interrupted run. */
  readonly progress?: ScanProgress;
  /** Called with each page's commits (one stream's commits arrive in version order). */
  readonly onPage: (commits: Commit[]) => Promise<void>;
  /** Without it an unreadable item stops the scan; with it the item is handed here and the scan goes on. */
  readonly onUnreadable?: (item: Record<string, AttributeValue>, error: unknown) => void;
  /** Called after each page, with where every segment stands: persist it to resume. */
  readonly onProgress?: (progress: ScanProgress) => void | Promise<void>;
}

/**
 * Reads every commit of the events table with a parallel scan (no 24-hour limit: this is
 * the table, not its stream). Items of one stream live in one segment and come in version
 * order, so a page can be handed to a projection as it is.
 */
export const scanCommits = async (options: ScanCommitsOptions): Promise<{ commits: number; pages: number }> => {
  const segments = options.segments ?? 4;
  const progress: ScanProgress = { ...options.progress };
  let commits = 0;
  let pages = 0;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let startKey = progress[segment];
      if (startKey === null) return; // this segment finished in an earlier run
      do {
        const page: ScanCommandOutput = await options.client.send(
          new ScanCommand({
            TableName: options.tableName,
            Segment: segment,
            TotalSegments: segments,
            ExclusiveStartKey: startKey ?? undefined,
            ConsistentRead: true,
          }),
        );
        const batch = (page.Items ?? []).flatMap((item) => {
          if (!options.onUnreadable) return [commitFromItem(item, options.schema)];
          try {
            return [commitFromItem(item, options.schema)];
          } catch (error) {
            options.onUnreadable(item, error);
            return [];
          }
        });
        await options.onPage(batch);
        commits += batch.length;
        pages += 1;
        startKey = page.LastEvaluatedKey;
        progress[segment] = startKey ?? null;
        await options.onProgress?.({ ...progress });
      } while (startKey);
    }),
  );
  return { commits, pages };
};

/** Groups commits by stream, keeping their order. */
export const byStream = (commits: readonly Commit[]): Map<string, Commit[]> => {
  const streams = new Map<string, Commit[]>();
  for (const commit of commits) {
    const list = streams.get(commit.streamId) ?? [];
    list.push(commit);
    streams.set(commit.streamId, list);
  }
  return streams;
};
