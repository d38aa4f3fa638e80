import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CommitInfo, DomainEvent } from '../contracts';
import type { EventStore } from '../eventStore';
import {
  dynamoDbChildItemsViewStore,
  readChildItemsView,
  type StoredView,
  type ViewChildren,
} from './childItemsViewStore';
import type { CommitProjection } from './commitProjection';
import { ViewConflictError, exactlyOnceProjection, type ViewStore } from './viewStore';

/** Bookkeeping attributes the kit adds to every view item. */
export const VIEW_VERSION_ATTRIBUTE = 'version';
export const VIEW_UPDATED_AT_ATTRIBUTE = 'updatedAt';
/**
 * Marks a view item whose view was deleted (`evolve` answered null). The item keeps its
 * version so a redelivered or late commit cannot resurrect it; readers treat it as missing
 * (`isViewTombstone`), and it carries no other attribute, so no index lists it.
 */
export const VIEW_DELETED_ATTRIBUTE = 'deleted';
export const isViewTombstone = (item: Record<string, unknown> | undefined): boolean =>
  item?.[VIEW_DELETED_ATTRIBUTE] === true;

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
  /** Attempts when another writer moved the view between our read and our write. Default 20. */
  readonly maxAttempts?: number;
  /** A header item plus one item per child (see `StreamView.children`); one item per stream without. */
  // biome-ignore lint/suspicious/noExplicitAny: existential: a child view's item and event types differ per view
  readonly children?: ViewChildren<TView, any, any> | undefined;
  /** With children: how long a large write's claim lives unrenewed. Default 10 s. */
  readonly claimLeaseMs?: number;
}

const viewOf = <TView>(item: Record<string, unknown>): TView => {
  const { [VIEW_VERSION_ATTRIBUTE]: _version, [VIEW_UPDATED_AT_ATTRIBUTE]: _updatedAt, ...view } = item;
  return view as TView;
};

/**
 * One item per stream in a DynamoDB table, keyed by the stream id in `keyAttribute`: the view
 * and its last applied `version`. The put is conditional on the version that was read.
 */
export const dynamoDbStreamViewStore = <TView extends object>(
  options: Pick<StreamViewProjectionOptions<TView, DomainEvent>, 'client' | 'tableName' | 'keyAttribute'>,
): ViewStore<TView> => ({
  async read(streamId) {
    const { Item } = await options.client.send(
      new GetCommand({ TableName: options.tableName, Key: { [options.keyAttribute]: streamId }, ConsistentRead: true }),
    );
    const version = typeof Item?.[VIEW_VERSION_ATTRIBUTE] === 'number' ? (Item[VIEW_VERSION_ATTRIBUTE] as number) : 0;
    return { version, state: Item && !isViewTombstone(Item) ? viewOf<TView>(Item) : null };
  },
  async write(streamId, { seen, after, version, at }) {
    try {
      await options.client.send(
        new PutCommand({
          TableName: options.tableName,
          Item: {
            ...(after === null ? { [VIEW_DELETED_ATTRIBUTE]: true } : after),
            [options.keyAttribute]: streamId,
            [VIEW_VERSION_ATTRIBUTE]: version,
            [VIEW_UPDATED_AT_ATTRIBUTE]: at,
          },
          // Exactly-once: only on top of the version this fold started from.
          ConditionExpression: seen === 0 ? 'attribute_not_exists(#k)' : '#v = :seen',
          ExpressionAttributeNames: seen === 0 ? { '#k': options.keyAttribute } : { '#v': VIEW_VERSION_ATTRIBUTE },
          ...(seen === 0 ? {} : { ExpressionAttributeValues: { ':seen': seen } }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ViewConflictError(streamId, seen);
      throw error;
    }
  },
});

/** A view per stream (the lists view, the tags view), exactly once (see `exactlyOnceProjection`). */
export const streamViewProjection = <TView extends object, TEvent extends DomainEvent>(
  options: StreamViewProjectionOptions<TView, TEvent>,
): CommitProjection => exactlyOnceProjection({ ...options, views: streamViewStore<TView>(options) });

/** The DynamoDB store of a stream view in its layout: one item, or a header and its children. */
export const streamViewStore = <TView extends object>(
  options: Pick<
    StreamViewProjectionOptions<TView, DomainEvent>,
    'client' | 'tableName' | 'keyAttribute' | 'children' | 'claimLeaseMs'
  >,
): ViewStore<TView> => {
  const { children } = options;
  return children
    ? dynamoDbChildItemsViewStore<TView>({ ...options, children })
    : dynamoDbStreamViewStore<TView>(options);
};

/**
 * A query's read of one stream's view, whatever its layout: the view with its key, `version`
 * and `updatedAt` (a tombstone has `deleted: true`; see `isViewTombstone`), or undefined.
 */
export const readStreamView = async <TView extends object>(
  options: Pick<StreamViewProjectionOptions<TView, DomainEvent>, 'client' | 'tableName' | 'keyAttribute' | 'children'>,
  streamId: string,
): Promise<StoredView | undefined> => {
  const { children } = options;
  if (children) return readChildItemsView({ ...options, children }, streamId);
  const { Item } = await options.client.send(
    new GetCommand({ TableName: options.tableName, Key: { [options.keyAttribute]: streamId } }),
  );
  return Item as StoredView | undefined;
};
