/**
 * What a query's `run` reads with: the DynamoDB document client and the view tables, plus the
 * kit's readers of the declared views (a stream view's item whatever its layout; a page of a
 * view's index; a counter view's totals) and of the event log (a page of a stream), so a query
 * reads in one call instead of by its table's keys, and the page keys stay the kit's.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { VIEW_HEADER_SORT_KEY, VIEW_SORT_KEY } from '../projection/childItemsViewStore';
import { readCounterTotals } from '../projection/counterViewProjection';
import { isViewTombstone, readStreamView } from '../projection/streamViewProjection';
import { once } from '../once';
import { readAtLeast } from '../readModel';
import type { EventStore } from '../eventStore';
import { viewTableName, type QueryContext, type StreamView, type ViewReadOptions } from './definition';
import { decodePageToken, encodePageToken } from './pageTokens';

/**
 * The LastEvaluatedKey of a Query on `index` of `view`'s table: the table's keys (the stream's
 * key, and the header's sort key for a view with children, whose index lists headers only)
 * and the index's. Every view key attribute is a string.
 */
const indexStartKey = (view: StreamView, hash: string, range: string | undefined) =>
  z.strictObject({
    [view.key]: z.string(),
    ...(view.children ? { [VIEW_SORT_KEY]: z.literal(VIEW_HEADER_SORT_KEY) } : {}),
    [hash]: z.string(),
    ...(range ? { [range]: z.string() } : {}),
  });

/** Where the next page of a stream's commits starts. */
const eventsStartKey = /* @__PURE__ */ once(() =>
  z.strictObject({ streamId: z.string(), fromVersion: z.int().check(z.minimum(1)) }),
);

export const queryContextOf = (
  base: Pick<QueryContext, 'documentClient' | 'tableOf' | 'readStream'>,
): QueryContext => ({
  ...base,
  view: async <TView extends object>(view: StreamView<TView>, id: string, options?: ViewReadOptions) => {
    const read = () =>
      readStreamView(
        { client: base.documentClient, tableName: base.tableOf(view), keyAttribute: view.key, children: view.children },
        view.aggregate.streamIdOf(id),
      );
    // A deleted view's tombstone still carries the version it reached.
    const versionOf = (item: Awaited<ReturnType<typeof read>>) => (item as { version?: number } | null)?.version ?? 0;
    const atLeast = options?.atLeast;
    const minVersion =
      atLeast === 'stream' ? ((await base.readStream(view.aggregate, id, { last: 1 })).at(-1)?.version ?? 0) : atLeast;
    const item = await readAtLeast(read, versionOf, minVersion);
    return item && !isViewTombstone(item) ? (item as unknown as TView & { readonly version: number }) : null;
  },
  viewPage: async <TItem extends object>(
    view: StreamView,
    index: string,
    page: Parameters<QueryContext['viewPage']>[2],
  ) => {
    const declared = Object.hasOwn(view.indexes ?? {}, index) ? view.indexes?.[index] : undefined;
    if (!declared) throw new Error(`View ${view.name} declares no index ${index}`);
    const { hash, range } = declared;
    const startKey = decodePageToken(
      page.nextToken,
      indexStartKey(view, hash, range),
      (key) => (key as Record<string, unknown>)[hash] === page.key,
    );
    const { Items = [], LastEvaluatedKey } = await base.documentClient.send(
      new QueryCommand({
        TableName: base.tableOf(view),
        IndexName: index,
        KeyConditionExpression: '#hash = :hash',
        ExpressionAttributeNames: { '#hash': hash },
        ExpressionAttributeValues: { ':hash': page.key },
        ScanIndexForward: !page.newestFirst,
        Limit: page.limit,
        ExclusiveStartKey: startKey,
      }),
    );
    const items = Items as (TItem & { readonly version: number })[];
    return LastEvaluatedKey ? { items, nextToken: encodePageToken(LastEvaluatedKey) } : { items };
  },
  eventsPage: async (aggregate, id, page) => {
    const streamId = aggregate.streamIdOf(id);
    const from =
      decodePageToken(page.nextToken, eventsStartKey(), (key) => key.streamId === streamId)?.fromVersion ?? 1;
    // One commit past the page tells whether another page follows.
    const commits = await base.readStream(aggregate, id, { fromVersion: from, toVersion: from + page.limit });
    const shown = commits.slice(0, page.limit);
    const last = shown.at(-1);
    return last && commits.length > shown.length
      ? { commits: shown, nextToken: encodePageToken({ streamId, fromVersion: last.version + 1 }) }
      : { commits: shown };
  },
  // Counters are ids (a label's): a query reads them with `getOwn`, never `totals[counterId]`.
  totals: (view, key) => readCounterTotals(base.documentClient, base.tableOf(view), key),
});

/** The query context of an app's stores: its views' tables by the app's prefix, its streams from its event store. */
export const storesQueryContext = ({
  documentClient,
  table,
  eventStore,
}: {
  readonly documentClient: QueryContext['documentClient'];
  readonly table: (name: string) => string;
  readonly eventStore: EventStore;
}): QueryContext =>
  queryContextOf({
    documentClient,
    tableOf: (view) => table(viewTableName(view)),
    readStream: (aggregate, id, options) => eventStore.readStream(aggregate.streamIdOf(id), options),
  });
