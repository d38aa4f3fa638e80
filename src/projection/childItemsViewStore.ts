/**
 * A stream view stored as a header item plus one item per child (an order and its lines), all
 * in the stream's partition: a commit that changes one line writes the header and that line,
 * whatever the list's size, and one `Query` reads the whole view back.
 *
 * Why it is safe when several invocations apply overlapping commits of one stream at once
 * (redelivery, `ParallelizationFactor` > 1):
 *
 * - The header is the checkpoint. Every write changes its `writeId` (a fresh random id), and
 *   a writer only writes on top of the header it read (`writeId` unchanged, no claim), so two
 *   folds of the same starting point can never both land, and a fold whose read was torn (a
 *   write committed between reading the header and querying the children) can never land.
 * - A change of up to 99 children is one `TransactWriteItems` with the header: all or nothing.
 * - A larger change (removing 500 lines at once; a rebuild's first write of a long stream)
 *   first claims the header (a `claim` with a random token, on the header it read), then writes
 *   the children in transactions of 99 that each also renew the claim on the header,
 *   conditional on its token, and finally replaces the header, again conditional on the token.
 *   While a claim is live nobody else writes; a claim whose holder died expires after
 *   `claimLeaseMs` and is stolen by the next applier, which can no longer trust the children
 *   (some may hold the dead writer's state), so it folds the stream again from its first commit
 *   and rewrites every child, deleting the others. Once stolen, a slow holder's next chunk or
 *   final write fails on the token: its late writes can never mix with the thief's. No clock
 *   decides safety; the lease only decides when to stop waiting.
 */
// biome-ignore-all lint/style/noExcessiveLinesPerFile: one claim protocol; its read and write sides share private state
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandOutput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { sameJson } from '../json';
import { ViewConflictError, type ViewStore } from './viewStore';
import { WARM_VIEWS, warmViews } from './warmViews';

/**
 * How a stream view's state is stored as a header and children. Both functions are pure:
 * `join(split(view))` must give back `view`, children in the order `split` lists them.
 */
export interface ViewChildren<TView = unknown, THeader extends object = object, TChild extends object = object> {
  /** The view's header (everything but its children) and its children by key, in order. */
  readonly split: (view: TView) => {
    readonly header: THeader;
    readonly children: readonly (readonly [string, TChild])[];
  };
  readonly join: (header: THeader, children: readonly TChild[]) => TView;
}

/** The sort key of a view table whose views have children. */
export const VIEW_SORT_KEY = 'sk';
/** The header item's sort key; the children's start with `item#`. */
export const VIEW_HEADER_SORT_KEY = 'header';
export const viewChildSortKey = (childKey: string) => `item#${childKey}`;
/** A child's place among its siblings (the order `split` gave them). */
const ORDINAL = 'ordinal';
const WRITE_ID = 'writeId';
const CLAIM = 'claim';
/** A view item's bookkeeping, on the header (the view's own fields are the rest). */
const HEADER_BOOKKEEPING = [VIEW_SORT_KEY, 'version', 'updatedAt', WRITE_ID, CLAIM] as const;
/** Header condition + 99 children: DynamoDB's 100 actions a transaction. */
const CHILDREN_PER_TRANSACTION = 99;

interface Claim {
  readonly token: string;
  /** When its holder last proved alive (ms since the epoch). */
  readonly at: number;
}

type Item = Record<string, unknown>;
type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** What `read` saw, handed back to `write`. */
interface ReadToken {
  readonly header: Item | undefined;
  /** child key → ordinal, as stored. */
  readonly children: ReadonlyMap<string, number>;
  /** The claim of a dead writer that this fold will steal. */
  readonly stolen?: Claim;
}

export interface ChildItemsViewStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** The partition key; its value is the stream id. */
  readonly keyAttribute: string;
  // biome-ignore lint/suspicious/noExplicitAny: existential: a child view's item and event types differ per view
  readonly children: ViewChildren<any, any, any>;
  /** How long a claim lives without its holder renewing it. Default 10 s (a chunk takes well under 1 s). */
  readonly claimLeaseMs?: number;
  /**
   * How many views this store remembers as it last wrote them (default 100): a warm applier of
   * a stream nobody else wrote since reads only its header, not every child again.
   */
  readonly warmViews?: number;
}

interface WarmView<TView> {
  readonly writeId: string;
  readonly version: number;
  readonly state: TView | null;
  readonly children: ReadonlyMap<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isLive = (claim: Claim | undefined, leaseMs: number): claim is Claim =>
  claim !== undefined && Date.now() - claim.at <= leaseMs;
const without = (item: Item, names: readonly string[]) =>
  Object.fromEntries(Object.entries(item).filter(([k]) => !names.includes(k)));
const cancelledFor = (error: unknown, code: string) =>
  error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((r) => r.Code === code);
/** Another transaction touched one of our items at the same moment: nothing was decided, try again. */
const isTransient = (error: unknown) =>
  cancelledFor(error, 'TransactionConflict') ||
  (error instanceof Error && error.name === 'TransactionConflictException');

/** Runs a write again while it only collided with another transaction in flight (bounded, with jitter). */
const retryingCollisions = async <T>(write: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (!isTransient(error) || cancelledFor(error, 'ConditionalCheckFailed') || attempt >= 8) throw error;
      await sleep(Math.random() * 5 * 2 ** attempt);
    }
  }
};

/** Reads a view's header and children; the children come back in their order. */
const readParts = (options: ChildItemsViewStoreOptions, streamId: string) => {
  const { client, tableName, keyAttribute } = options;
  const getHeader = async () =>
    (
      await client.send(
        new GetCommand({
          TableName: tableName,
          Key: { [keyAttribute]: streamId, [VIEW_SORT_KEY]: VIEW_HEADER_SORT_KEY },
          ConsistentRead: true,
        }),
      )
    ).Item;
  const queryChildren = async () => {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page: QueryCommandOutput = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#k = :k AND begins_with(#sk, :item)',
          ExpressionAttributeNames: { '#k': keyAttribute, '#sk': VIEW_SORT_KEY },
          ExpressionAttributeValues: { ':k': streamId, ':item': viewChildSortKey('') },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items.sort((a, b) => Number(a[ORDINAL]) - Number(b[ORDINAL]));
  };
  return { getHeader, queryChildren };
};

/** The stored items of one view as the view (null: none, or deleted), and the header's version. */
const viewOfParts = (
  options: Pick<ChildItemsViewStoreOptions, 'keyAttribute' | 'children'>,
  header: Item | undefined,
  children: readonly Item[],
) => {
  const version = typeof header?.version === 'number' ? header.version : 0;
  // A header that is only a claim (a first write still under way) is no view yet; a tombstone neither.
  const state =
    header && header.deleted !== true && version > 0
      ? options.children.join(
          without(header, HEADER_BOOKKEEPING),
          children.map((child) => without(child, [options.keyAttribute, VIEW_SORT_KEY, ORDINAL])),
        )
      : null;
  return { version, state };
};

/** A child may not carry an attribute the view store keeps for itself. */
const refuseReserved = (streamId: string, childKey: string, child: object, keyAttribute: string) => {
  const reserved = [keyAttribute, VIEW_SORT_KEY, ORDINAL].find((name) => name in child);
  if (reserved !== undefined)
    throw new Error(
      `View of ${streamId}: child ${childKey} has the attribute ${reserved}, which the view store keeps for itself`,
    );
};

/** A condition on a view's header item (see `unchangedSince`). */
interface Condition {
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues?: Item;
}

/** Reads a view's header and children as one consistent state, waiting out a live claim (see the store). */
const readView = async <TView>(
  options: ChildItemsViewStoreOptions,
  warm: ReturnType<typeof warmViews<WarmView<TView>>>,
  leaseMs: number,
  streamId: string,
) => {
  const { getHeader, queryChildren } = readParts(options, streamId);
  let header = await getHeader();
  // Nobody wrote since our own last write (every write changes writeId; a claim means one is
  // under way): the children are as we left them, so skip reading them all again.
  const known = header?.[CLAIM] === undefined ? warm.still(streamId, header?.[WRITE_ID]) : undefined;
  if (known && header) {
    return {
      version: known.version,
      state: structuredClone(known.state),
      token: { header, children: known.children } satisfies ReadToken,
    };
  }
  let children: Item[];
  for (let wait = 5; ; wait = Math.min(wait * 2, 80)) {
    // Wait while another writer's claim is live (it renews it every chunk); then it is dead.
    if (isLive(header?.[CLAIM] as Claim | undefined, leaseMs)) {
      await sleep(wait);
      header = await getHeader();
      continue;
    }
    children = await queryChildren();
    // A write that landed between the header read and the Query (torn read) changed the
    // header: read again, rather than fold a state that never was (the write would fail anyway).
    const again = await getHeader();
    if (
      again?.[WRITE_ID] === header?.[WRITE_ID] &&
      (again?.[CLAIM] as Claim | undefined)?.token === (header?.[CLAIM] as Claim | undefined)?.token
    )
      break;
    header = again;
  }
  const stored = new Map(
    children.map((c) => [String(c[VIEW_SORT_KEY]).slice(viewChildSortKey('').length), Number(c[ORDINAL])]),
  );
  const dead = header?.[CLAIM] as Claim | undefined;
  if (dead) {
    // Its children may hold the dead writer's state: fold again from the first commit.
    const token: ReadToken = { header, children: stored, stolen: dead };
    return { version: 0, state: null, refoldTo: typeof header?.version === 'number' ? header.version : 0, token };
  }
  const token: ReadToken = { header, children: stored };
  return { ...viewOfParts(options, header, children), token };
};

/** The writer's side of the store: conditions, claims, chunked transactions and the child actions. */
const viewWrites = (options: ChildItemsViewStoreOptions) => {
  const { client, tableName, keyAttribute } = options;
  const headerKey = (streamId: string) => ({ [keyAttribute]: streamId, [VIEW_SORT_KEY]: VIEW_HEADER_SORT_KEY });

  /** A lost race (a condition failed, or a collision in the small path) is the loop's ViewConflictError. */
  const conflicts = async (streamId: string, seen: number, write: () => Promise<unknown>) => {
    try {
      await write();
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        cancelledFor(error, 'ConditionalCheckFailed') ||
        isTransient(error)
      ) {
        throw new ViewConflictError(streamId, seen);
      }
      throw error;
    }
  };

  /** Writes the child changes in transactions of 99, each renewing our claim: they fail once it is stolen. */
  const writeChunks = async (streamId: string, token: string, actions: TransactItems) => {
    for (let i = 0; i < actions.length; i += CHILDREN_PER_TRANSACTION) {
      const renew = {
        Update: {
          TableName: tableName,
          Key: headerKey(streamId),
          UpdateExpression: 'SET #claim.#at = :now',
          // Only while the claim is still ours: a thief's token stops our late chunks.
          ConditionExpression: '#claim.#token = :token',
          ExpressionAttributeNames: { '#claim': CLAIM, '#at': 'at', '#token': 'token' },
          ExpressionAttributeValues: { ':now': Date.now(), ':token': token },
        },
      };
      const chunk = [renew, ...actions.slice(i, i + CHILDREN_PER_TRANSACTION)];
      // Under a live claim nobody else may write, so a collision (an applier whose write is
      // refused anyway) is retried rather than given up.
      await retryingCollisions(() => client.send(new TransactWriteCommand({ TransactItems: chunk })));
    }
  };

  /** The header as the writer leaves it: the view's header fields, or a tombstone. */
  const headerItem = (streamId: string, header: object | null, version: number, at: string): Item => ({
    ...(header ?? { deleted: true }),
    ...headerKey(streamId),
    version,
    updatedAt: at,
    [WRITE_ID]: randomUUID(),
  });

  /** Only on top of the header this fold read: same write, no claim (or none at all before). */
  const unchangedSince = (read: ReadToken): Condition =>
    read.header === undefined
      ? { ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: { '#k': keyAttribute } }
      : {
          ConditionExpression: '#w = :w AND attribute_not_exists(#claim)',
          ExpressionAttributeNames: { '#w': WRITE_ID, '#claim': CLAIM },
          ExpressionAttributeValues: { ':w': read.header[WRITE_ID] },
        };

  /** Claims the header for a write too large for one transaction (or steals a dead writer's claim). */
  const claim = async (streamId: string, read: ReadToken): Promise<string> => {
    const value: Claim = { token: randomUUID(), at: Date.now() };
    const setClaim = (condition: Condition) =>
      new UpdateCommand({
        TableName: tableName,
        Key: headerKey(streamId),
        UpdateExpression: 'SET #claim = :claim',
        ConditionExpression: condition.ConditionExpression,
        ExpressionAttributeNames: { ...condition.ExpressionAttributeNames, '#claim': CLAIM },
        ExpressionAttributeValues: { ...condition.ExpressionAttributeValues, ':claim': value },
      });
    if (read.stolen) {
      // Only the dead claim we saw: if another applier stole it first, it is theirs.
      await client.send(
        setClaim({
          ConditionExpression: '#claim.#token = :old',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':old': read.stolen.token },
        }),
      );
    } else if (read.header) {
      await client.send(setClaim(unchangedSince(read)));
    } else {
      // A first write: a header that is only a claim (version 0: readers see no view yet).
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...headerKey(streamId), version: 0, [WRITE_ID]: randomUUID(), [CLAIM]: value },
          ...unchangedSince(read),
        }),
      );
    }
    return value.token;
  };

  /** Lets the next applier take over at once when a claimed write fails for another reason. */
  const abandon = (streamId: string, token: string) =>
    client
      .send(
        new UpdateCommand({
          TableName: tableName,
          Key: headerKey(streamId),
          UpdateExpression: 'SET #claim.#at = :zero',
          ConditionExpression: '#claim.#token = :token',
          ExpressionAttributeNames: { '#claim': CLAIM, '#at': 'at', '#token': 'token' },
          ExpressionAttributeValues: { ':zero': 0, ':token': token },
        }),
      )
      .catch(() => undefined);

  /**
   * The puts and deletes that turn the stored children into `next`: changed or new children,
   * and those whose place moved. Ordinals stay while the stored ones keep increasing along
   * `next`; from the first child that breaks that (usually a new one at the end) on, each gets
   * a new one above every stored ordinal. After a stolen claim nothing stored is trusted.
   */
  function childActions(
    streamId: string,
    read: ReadToken,
    previous: ReadonlyMap<string, object>,
    next: readonly (readonly [string, object])[],
  ) {
    const stored = read.stolen ? new Map<string, number>() : read.children;
    let nextOrdinal = Math.max(0, ...read.children.values()) + 1;
    let last = 0;
    let inPlace = true;
    const seen = new Set<string>();
    const puts: Item[] = [];
    /** child key → ordinal once the actions are written. */
    const ordinals = new Map<string, number>();
    for (const [childKey, child] of next) {
      if (seen.has(childKey)) throw new Error(`View of ${streamId}: two children have the key ${childKey}`);
      seen.add(childKey);
      refuseReserved(streamId, childKey, child, keyAttribute);
      const kept = stored.get(childKey);
      inPlace = inPlace && kept !== undefined && kept > last;
      if (inPlace && kept !== undefined) {
        last = kept;
        ordinals.set(childKey, kept);
        if (sameJson(previous.get(childKey), child)) continue;
      }
      const ordinal = inPlace ? last : nextOrdinal++;
      ordinals.set(childKey, ordinal);
      puts.push({
        ...child,
        [keyAttribute]: streamId,
        [VIEW_SORT_KEY]: viewChildSortKey(childKey),
        [ORDINAL]: ordinal,
      });
    }
    const deletes = [...read.children.keys()].filter((childKey) => !seen.has(childKey));
    const actions: TransactItems = [
      ...puts.map((Item) => ({ Put: { TableName: tableName, Item } })),
      ...deletes.map((childKey) => ({
        Delete: {
          TableName: tableName,
          Key: { [keyAttribute]: streamId, [VIEW_SORT_KEY]: viewChildSortKey(childKey) },
        },
      })),
    ];
    return { actions, ordinals };
  }

  return { conflicts, writeChunks, headerItem, unchangedSince, claim, abandon, childActions };
};

/**
 * The DynamoDB view store of a stream view with children (see the file's comment for why it is
 * safe under concurrent appliers). Its `read` waits while another writer holds a live claim.
 */
export const dynamoDbChildItemsViewStore = <TView extends object>(
  options: ChildItemsViewStoreOptions,
): ViewStore<TView> => {
  const { client, tableName } = options;
  const leaseMs = options.claimLeaseMs ?? 10_000;
  const warm = warmViews<WarmView<TView>>(options.warmViews ?? WARM_VIEWS);
  const { conflicts, writeChunks, headerItem, unchangedSince, claim, abandon, childActions } = viewWrites(options);

  return {
    read: (streamId) => readView(options, warm, leaseMs, streamId),

    async write(streamId, { seen, before, after, version, at, token }) {
      const read = token as ReadToken;
      const next = after === null ? { header: null, children: [] } : options.children.split(after);
      const previous = new Map(before === null ? [] : options.children.split(before).children);
      const { actions, ordinals } = childActions(streamId, read, previous, next.children);
      const header = headerItem(streamId, next.header, version, at);
      warm.forget(streamId);
      const remember = () =>
        warm.remember(streamId, { writeId: String(header[WRITE_ID]), version, state: after, children: ordinals });
      if (!read.stolen && actions.length <= CHILDREN_PER_TRANSACTION) {
        const write = [{ Put: { TableName: tableName, Item: header, ...unchangedSince(read) } }, ...actions];
        await conflicts(streamId, seen, () => client.send(new TransactWriteCommand({ TransactItems: write })));
        remember();
        return;
      }
      let claimed: string | undefined;
      await conflicts(streamId, seen, async () => {
        claimed = await claim(streamId, read);
      });
      const ours = claimed!;
      await conflicts(streamId, seen, async () => {
        try {
          await writeChunks(streamId, ours, actions);
          await retryingCollisions(() =>
            client.send(
              new PutCommand({
                TableName: tableName,
                Item: header,
                ConditionExpression: '#claim.#token = :token',
                ExpressionAttributeNames: { '#claim': CLAIM, '#token': 'token' },
                ExpressionAttributeValues: { ':token': ours },
              }),
            ),
          );
        } catch (error) {
          // Stolen: the thief rewrites everything. Failed otherwise: let the next applier take over now.
          if (!(error instanceof ConditionalCheckFailedException) && !cancelledFor(error, 'ConditionalCheckFailed'))
            await abandon(streamId, ours);
          throw error;
        }
      });
      remember();
    },
  };
};

export type StoredView = Item & { readonly version: number };

/** Groups a scan of a children view's table into one stored view per stream (claims included, as they are). */
export const storedViewsOfItems = (
  options: Pick<ChildItemsViewStoreOptions, 'keyAttribute' | 'children'>,
  items: readonly Item[],
) => {
  const byStream = new Map<string, { header?: Item; children: Item[] }>();
  for (const item of items) {
    const streamId = String(item[options.keyAttribute]);
    const parts = byStream.get(streamId) ?? { children: [] };
    if (item[VIEW_SORT_KEY] === VIEW_HEADER_SORT_KEY) parts.header = item;
    else parts.children.push(item);
    byStream.set(streamId, parts);
  }
  const views = new Map<string, { view: StoredView | undefined; claimed: boolean }>();
  for (const [streamId, { header, children }] of byStream) {
    children.sort((a, b) => Number(a[ORDINAL]) - Number(b[ORDINAL]));
    views.set(streamId, {
      view: storedViewOf(options, streamId, header, children),
      claimed: header?.[CLAIM] !== undefined,
    });
  }
  return views;
};

const storedViewOf = (
  options: Pick<ChildItemsViewStoreOptions, 'keyAttribute' | 'children'>,
  streamId: string,
  header: Item | undefined,
  children: readonly Item[],
): StoredView | undefined => {
  const { version, state } = viewOfParts(options, header, children);
  if (!header || version === 0) return undefined;
  const body = state === null ? { deleted: true } : (state as Item);
  return { ...body, [options.keyAttribute]: streamId, version, updatedAt: header.updatedAt };
};

/**
 * Reads one view of a children view table for a query: its header, its children, and its
 * header again; only when both headers are the same write (and no write is under way) is the
 * view one state. Retried a few times; a write still under way after that is answered as read.
 * Undefined when there is no view (a tombstone counts as one, with `deleted: true`).
 */
export const readChildItemsView = async (
  options: Omit<ChildItemsViewStoreOptions, 'claimLeaseMs'>,
  streamId: string,
  attempts = 5,
): Promise<StoredView | undefined> => {
  const { getHeader, queryChildren } = readParts(options, streamId);
  let header = await getHeader();
  for (let attempt = 1; ; attempt += 1) {
    if (!header) return undefined;
    const children = await queryChildren();
    const again = await getHeader();
    const settled = again?.[WRITE_ID] === header[WRITE_ID] && again?.[CLAIM] === undefined;
    if (settled || attempt >= attempts) return storedViewOf(options, streamId, again ?? header, children);
    await sleep(10 * attempt);
    header = again;
  }
};
