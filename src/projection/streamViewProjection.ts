import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CommitInfo, DomainEvent } from '../contracts';
import type { Commit, EventStore } from '../eventStore';
import { commitsAfter, type ApplyOutcome, type CommitProjection } from './commitProjection';

/** Bookkeeping attributes the kit adds to every view item. */
export const VIEW_VERSION_ATTRIBUTE = 'version';
export const VIEW_UPDATED_AT_ATTRIBUTE = 'updatedAt';
/**
 * Marks a view item whose view was deleted (`evolve` answered null). The item keeps its
 * version so a redelivered or late commit cannot resurrect it; readers treat it as missing
 * (`isViewTombstone`), and it carries no other attribute, so no index lists it.
 */
export const VIEW_DELETED_ATTRIBUTE = 'deleted';
export const isViewTombstone = (item: Record<string, unknown> | undefined): boolean => item?.[VIEW_DELETED_ATTRIBUTE] === true;

export interface StreamViewProjectionOptions<TView extends object, TEvent extends DomainEvent> {
  readonly name: string;
  readonly streamType: string;
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** The view table's partition key; its value is the stream id. */
  readonly keyAttribute: string;
  /** Read to heal gaps. */
  readonly store: EventStore;
  /** view + event → view; pure, from the domain. */
  readonly evolve: (view: TView | null, event: TEvent, commit: CommitInfo) => TView | null;
  /** Attempts when another writer moved the view between our read and our write. Default 5. */
  readonly maxAttempts?: number;
}

/** Folds a run of commits into a view, one event at a time. */
export const foldCommits = <TView, TEvent extends DomainEvent>(
  view: TView | null,
  commits: readonly Commit[],
  evolve: (view: TView | null, event: TEvent, commit: CommitInfo) => TView | null,
): TView | null =>
  commits.reduce(
    (acc, commit) => commit.events.reduce((inner, event) => evolve(inner, event as TEvent, commit), acc),
    view,
  );

/**
 * A view with one item per stream (the lists view). The item carries the last applied
 * `version`; the write is conditional on the version that was read, so a redelivered or
 * late commit is skipped and two writers cannot both apply.
 */
export const streamViewProjection = <TView extends object, TEvent extends DomainEvent>(
  options: StreamViewProjectionOptions<TView, TEvent>,
): CommitProjection => ({
  name: options.name,
  streamType: options.streamType,
  async applyCommits(streamId, incoming): Promise<ApplyOutcome> {
    const maxAttempts = options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt += 1) {
      const { Item } = await options.client.send(
        new GetCommand({ TableName: options.tableName, Key: { [options.keyAttribute]: streamId }, ConsistentRead: true }),
      );
      const seen = typeof Item?.[VIEW_VERSION_ATTRIBUTE] === 'number' ? (Item[VIEW_VERSION_ATTRIBUTE] as number) : 0;
      const { commits, duplicates, healed } = await commitsAfter(seen, incoming, (from, to) =>
        options.store.readStream(streamId, { fromVersion: from, toVersion: to }),
      );
      const last = commits.at(-1);
      if (!last) return { applied: 0, duplicates, healed };
      const before = Item && !isViewTombstone(Item) ? viewOf<TView>(Item) : null;
      const view = foldCommits(before, commits, options.evolve);
      try {
        await options.client.send(
          new PutCommand({
            TableName: options.tableName,
            Item: {
              ...(view === null ? { [VIEW_DELETED_ATTRIBUTE]: true } : view),
              [options.keyAttribute]: streamId,
              [VIEW_VERSION_ATTRIBUTE]: last.version,
              [VIEW_UPDATED_AT_ATTRIBUTE]: last.at,
            },
            // Exactly-once: only on top of the version this fold started from.
            ConditionExpression: seen === 0 ? 'attribute_not_exists(#k)' : '#v = :seen',
            ExpressionAttributeNames: seen === 0 ? { '#k': options.keyAttribute } : { '#v': VIEW_VERSION_ATTRIBUTE },
            ...(seen === 0 ? {} : { ExpressionAttributeValues: { ':seen': seen } }),
          }),
        );
        return { applied: commits.length, duplicates, healed };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || attempt >= maxAttempts) throw error;
      }
    }
  },
});

const viewOf = <TView>(item: Record<string, unknown>): TView => {
  const { [VIEW_VERSION_ATTRIBUTE]: _version, [VIEW_UPDATED_AT_ATTRIBUTE]: _updatedAt, ...view } = item;
  return view as TView;
};
