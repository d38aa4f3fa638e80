/**
 * What a query's `run` reads with: the DynamoDB document client and the view tables, plus the
 * kit's readers of the declared views (a stream view's item whatever its layout; a counter
 * view's totals), so a query reads a view in one call instead of by its table's keys.
 */
import { readCounterTotals } from '../projection/counterViewProjection';
import { isViewTombstone, readStreamView } from '../projection/streamViewProjection';
import type { QueryContext, StreamView } from './definition';

export const queryContextOf = (
  base: Pick<QueryContext, 'documentClient' | 'tableOf' | 'readStream'>,
): QueryContext => ({
  ...base,
  view: async <TView extends object>(view: StreamView<TView>, id: string) => {
    const item = await readStreamView(
      { client: base.documentClient, tableName: base.tableOf(view), keyAttribute: view.key, children: view.children },
      view.aggregate.streamIdOf(id),
    );
    return item && !isViewTombstone(item) ? (item as unknown as TView & { readonly version: number }) : null;
  },
  // Counters are ids (a tag's): a query reads them with `getOwn`, never `totals[tagId]`.
  totals: (view, key) => readCounterTotals(base.documentClient, base.tableOf(view), key),
});
