/**
 * A counter view (totals across many streams: per-owner stats, per-tag counts) in one DynamoDB
 * table of small items, none of which grows with a stream or a total (docs/projections.md):
 *
 * - per source stream a header (`pk` `stream#<id>`, `sk` `header`): its last applied version, a
 *   `writeId` changed by every write, and the source's header part (what `children.split` keeps
 *   out of the children; the whole source for a view without `children`);
 * - per child of a source (an order's line) one item (`sk` `item#<key>`): that child's part;
 * - per total key and counter one item (`pk` `total#<key>`, `sk` `counter#<counter>`, `n`).
 *
 * A commit writes the header, the children it changed, and an ADD on each counter it moves, in
 * one transaction conditional on the header it read (its `writeId`): a redelivered or raced
 * commit can never be counted twice. Every transaction moves the totals by exactly what the
 * stored source contributes after it minus before it, so the totals always equal the sum of
 * what is stored. A change too large for one transaction (100 items) is therefore cut into
 * several, each a consistent step, the header marked `pending` with the version it moves to
 * until the last one: whoever reads a pending header (its writer died or lost a race) folds the
 * stream again and carries on from what is stored, with nothing counted twice or lost.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type QueryCommandOutput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { CommitInfo, DomainEvent } from '../contracts';
import type { EventStore } from '../eventStore';
import { ownRecord, type OwnRecord } from '../records';
import type { CommitProjection } from './commitProjection';
import {
  ViewConflictError,
  contributionsOf,
  exactlyOnceProjection,
  type Contributions,
  type ViewStore,
} from './viewStore';
import { WARM_VIEWS, warmViews } from './warmViews';

/** Partition key of a counter view table; the sort key is `sk` (`VIEW_SORT_KEY`). */
export const COUNTER_TABLE_KEY = 'pk';
export const COUNTER_SORT_KEY = 'sk';
/** The partition of the totals of `key` (an owner, a tag…): one item per counter. */
export const counterTotalKey = (key: string) => `total#${key}`;
/** The sort key of one counter's item in its total's partition. */
export const counterSortKey = (counter: string) => `counter#${counter}`;
/** The partition of one source stream: its header (the checkpoint) and its children. */
export const counterCheckpointKey = (streamId: string) => `stream#${streamId}`;
export const COUNTER_HEADER_SORT_KEY = 'header';
const childSortKey = (childKey: string) => `item#${childKey}`;
/** A counter's amount on its item. */
const AMOUNT = 'n';
/** DynamoDB's 100 actions a transaction, the header's included. */
const ACTIONS_PER_TRANSACTION = 100;

/**
 * How a counter view's source is stored as a header and children (an order and its lines), so a
 * commit rewrites only the children it changes. Both pure; `join(split(s))` must contribute what
 * `s` does. Keys and parts are JSON.
 */
export interface CounterChildren<TSource = unknown, THeader = unknown, TChild = unknown> {
  readonly split: (source: TSource) => {
    readonly header: THeader;
    readonly children: Iterable<readonly [string, TChild]>;
  };
  readonly join: (header: THeader, children: ReadonlyMap<string, TChild>) => TSource;
}

export interface CounterViewProjectionOptions<TSource, TEvent extends DomainEvent> {
  readonly name: string;
  readonly streamType: string;
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly store: EventStore;
  /** source + event → source: what the view remembers of one stream. Pure, from the domain. */
  readonly evolve: (source: TSource | null, event: TEvent, commit: CommitInfo) => TSource | null;
  /** What one stream adds to which totals: total key → counter → amount (finite numbers; build it with `ownRecord`). */
  readonly contributions: (source: TSource) => Contributions;
  /** How the source splits into a header and children; without it the whole source is the header. */
  // biome-ignore lint/suspicious/noExplicitAny: a view's own header and child types
  readonly children?: CounterChildren<TSource, any, any>;
  readonly maxAttempts?: number;
  /**
   * How many sources this store remembers as it last wrote them (default 100): a warm applier of
   * a stream nobody else wrote since reads only its header, not the stream's whole partition.
   */
  readonly warmViews?: number;
}

type Item = Record<string, unknown>;
type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** A source as stored: its header part (null: no source, or deleted) and its children by key (JSON text). */
interface Stored {
  readonly head: string;
  readonly children: ReadonlyMap<string, string>;
}

/** What `read` saw, handed back to `write`. */
interface ReadToken {
  readonly writeId: string | undefined;
  readonly version: number;
  readonly stored: Stored;
}

/** A source as this store last wrote it (see `warmViews`). */
interface WarmSource {
  readonly writeId: string;
  readonly version: number;
  readonly stored: Stored;
}

const NOTHING: Stored = { head: 'null', children: new Map() };

/** total key → counter → amount, in Maps (keys are ids from outside). */
type Amounts = Map<string, Map<string, number>>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cancelledFor = (error: unknown, code: string) =>
  error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((r) => r.Code === code);

/**
 * The DynamoDB store of a counter view (see the file's comment). Its `read` queries the
 * stream's partition and re-reads the header: a write that landed in between changed the header,
 * and the read starts again rather than fold a state that never was.
 */
export const dynamoDbCounterViewStore = <TSource, TEvent extends DomainEvent>(
  options: Pick<
    CounterViewProjectionOptions<TSource, TEvent>,
    'client' | 'tableName' | 'contributions' | 'children' | 'warmViews'
  >,
): ViewStore<TSource> => {
  const { client, tableName } = options;
  const warm = warmViews<WarmSource>(options.warmViews ?? WARM_VIEWS);
  const sourceOf = (stored: Stored): TSource | null => {
    const head = JSON.parse(stored.head) as unknown;
    if (head === null) return null;
    if (!options.children) return head as TSource;
    const children = new Map([...stored.children].map(([key, child]) => [key, JSON.parse(child) as unknown]));
    return options.children.join(head, children);
  };
  const storedOf = (source: TSource | null): Stored => {
    if (source === null) return NOTHING;
    if (!options.children) return { head: JSON.stringify(source), children: new Map() };
    const { header, children } = options.children.split(source);
    return {
      head: JSON.stringify(header),
      children: new Map([...children].map(([key, child]) => [key, JSON.stringify(child)])),
    };
  };
  const amountsOf = (stored: Stored): Amounts => {
    const source = sourceOf(stored);
    const amounts: Amounts = new Map();
    if (source === null) return amounts;
    for (const [key, counter, amount] of contributionsOf(options.contributions(source))) {
      const total = amounts.get(key) ?? new Map<string, number>();
      total.set(counter, (total.get(counter) ?? 0) + amount);
      amounts.set(key, total);
    }
    return amounts;
  };
  const headerKey = (streamId: string) => ({
    [COUNTER_TABLE_KEY]: counterCheckpointKey(streamId),
    [COUNTER_SORT_KEY]: COUNTER_HEADER_SORT_KEY,
  });
  const getHeader = async (streamId: string) =>
    (await client.send(new GetCommand({ TableName: tableName, Key: headerKey(streamId), ConsistentRead: true }))).Item;
  const queryPartition = (streamId: string) => queryAll(client, tableName, counterCheckpointKey(streamId), true);

  /** One transaction: the header (on top of the one read), the children's puts and deletes, the counters' ADDs. */
  const step = async (streamId: string, writeId: string | undefined, header: Item, from: Stored, to: Stored) => {
    const actions: TransactItems = [
      {
        Put: {
          TableName: tableName,
          Item: { ...headerKey(streamId), ...header },
          ConditionExpression: writeId === undefined ? 'attribute_not_exists(#pk)' : '#w = :w',
          ExpressionAttributeNames: writeId === undefined ? { '#pk': COUNTER_TABLE_KEY } : { '#w': 'writeId' },
          ...(writeId === undefined ? {} : { ExpressionAttributeValues: { ':w': writeId } }),
        },
      },
      ...childActions(tableName, streamId, from, to),
    ];
    const { deltas, vanished } = deltasBetween(amountsOf(from), amountsOf(to));
    for (const [key, counter, delta] of deltas) {
      actions.push({
        Update: {
          TableName: tableName,
          Key: { [COUNTER_TABLE_KEY]: counterTotalKey(key), [COUNTER_SORT_KEY]: counterSortKey(counter) },
          UpdateExpression: 'ADD #n :d',
          ExpressionAttributeNames: { '#n': AMOUNT },
          ExpressionAttributeValues: { ':d': delta },
        },
      });
    }
    if (actions.length > ACTIONS_PER_TRANSACTION) tooLarge(streamId);
    const seen = Number(header.version);
    try {
      await client.send(new TransactWriteCommand({ TransactItems: actions }));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || cancelledFor(error, 'ConditionalCheckFailed'))
        throw new ViewConflictError(streamId, seen);
      // Another stream's transaction was moving the same totals: nothing was written, a race like any other.
      if (cancelledFor(error, 'TransactionConflict')) throw new ViewConflictError(streamId, seen, 'transaction');
      throw error;
    }
    await dropZeros(vanished);
  };

  /**
   * Counters this stream no longer adds to are deleted once they hold 0 (conditional on it, so a
   * concurrent ADD is never lost), so no total keeps an entry per child that once counted. Best
   * effort: a 0 left behind reads as absent, as every total not counted yet.
   */
  const dropZeros = async (vanished: readonly (readonly [string, string])[]) => {
    for (const [key, counter] of vanished) {
      try {
        await client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { [COUNTER_TABLE_KEY]: counterTotalKey(key), [COUNTER_SORT_KEY]: counterSortKey(counter) },
            ConditionExpression: '#n = :zero',
            ExpressionAttributeNames: { '#n': AMOUNT },
            ExpressionAttributeValues: { ':zero': 0 },
          }),
        );
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name !== 'ConditionalCheckFailedException' && name !== 'TransactionConflictException') throw error;
      }
    }
  };

  /** The stream's header and children as one state: the partition, read again if a write landed meanwhile. */
  const readPartition = async (streamId: string) => {
    let items: Item[] = [];
    for (let attempt = 1; ; attempt += 1) {
      items = await queryPartition(streamId);
      const header = items.find((i) => i[COUNTER_SORT_KEY] === COUNTER_HEADER_SORT_KEY);
      const again = await getHeader(streamId);
      if (again?.writeId === header?.writeId || attempt >= 20) break;
      await sleep(Math.random() * 5 * attempt);
    }
    const header = items.find((i) => i[COUNTER_SORT_KEY] === COUNTER_HEADER_SORT_KEY);
    const children = new Map<string, string>();
    for (const item of items) {
      const sk = String(item[COUNTER_SORT_KEY]);
      if (sk.startsWith(childSortKey(''))) children.set(sk.slice(childSortKey('').length), String(item.child));
    }
    const stored: Stored = header ? { head: String(header.head), children } : NOTHING;
    return { header, stored };
  };

  /** How many writes a step from `from` to `to` takes (header, children, counters). */
  const writesOf = (from: Stored, to: Stored) =>
    1 + childChanges(from, to).length + deltasBetween(amountsOf(from), amountsOf(to)).deltas.length;

  return {
    async read(streamId) {
      // Nobody wrote since our own last write (every write changes writeId; a change under way
      // is `pending`): the partition is as we left it, so read only the header.
      const first = await getHeader(streamId);
      const known = typeof first?.pending === 'number' ? undefined : warm.still(streamId, first?.writeId);
      if (known) {
        const token: ReadToken = { writeId: known.writeId, version: known.version, stored: known.stored };
        return { version: known.version, state: sourceOf(known.stored), token };
      }
      const { header, stored } = await readPartition(streamId);
      const version = typeof header?.version === 'number' ? header.version : 0;
      const token: ReadToken = { writeId: header?.writeId as string | undefined, version, stored };
      // A change cut into steps was left half-way: fold the stream again, carry on from what is stored.
      if (typeof header?.pending === 'number') return { version: 0, state: null, refoldTo: header.pending, token };
      return { version, state: sourceOf(stored), token };
    },

    async write(streamId, { version, at, after, token }) {
      const read = token as ReadToken;
      const target = storedOf(after);
      const steps = stepsOf(streamId, read.stored, target, writesOf);
      let writeId = read.writeId;
      let from = read.stored;
      warm.forget(streamId);
      for (const [i, to] of steps.entries()) {
        const last = i === steps.length - 1;
        const nextWriteId = randomUUID();
        const header: Item = {
          version: last ? version : read.version,
          ...(last ? {} : { pending: version }),
          updatedAt: at,
          writeId: nextWriteId,
          head: to.head,
        };
        await step(streamId, writeId, header, from, to);
        writeId = nextWriteId;
        from = to;
      }
      if (writeId !== undefined) warm.remember(streamId, { writeId, version, stored: target });
    },
  };
};

/**
 * The stored sources a change goes through, each step one transaction: directly when it fits;
 * else the children in as many steps as needed (a header change in between: the old children
 * leave under the old header, the header changes alone, the new children come under it).
 */
const stepsOf = (
  streamId: string,
  from: Stored,
  to: Stored,
  writesOf: (from: Stored, to: Stored) => number,
): Stored[] => {
  if (writesOf(from, to) <= ACTIONS_PER_TRANSACTION) return [to];
  const steps: Stored[] = [];
  /** Moves `at`'s children towards `target`'s under `at`'s header, as few steps as fit. */
  const childrenTowards = (at: Stored, target: ReadonlyMap<string, string>) => {
    let current = at;
    let pending = childChanges(current, { head: current.head, children: target });
    while (pending.length > 0) {
      let taken = 0;
      let next = current;
      while (taken < pending.length) {
        const candidate = withChanges(current, pending.slice(0, taken + 1), target);
        if (writesOf(current, candidate) > ACTIONS_PER_TRANSACTION) break;
        next = candidate;
        taken += 1;
      }
      if (taken === 0) tooLarge(streamId);
      steps.push(next);
      current = next;
      pending = pending.slice(taken);
    }
    return current;
  };
  let at = from;
  if (from.head !== to.head) {
    at = childrenTowards(at, new Map());
    at = { head: to.head, children: new Map() };
    steps.push(at);
  }
  childrenTowards(at, to.children);
  return steps;
};

/** The children's puts and deletes that turn `from` into `to`. */
const childActions = (tableName: string, streamId: string, from: Stored, to: Stored): TransactItems => {
  const actions: TransactItems = [];
  for (const [key, child] of to.children) {
    if (from.children.get(key) === child) continue;
    actions.push({
      Put: {
        TableName: tableName,
        Item: {
          [COUNTER_TABLE_KEY]: counterCheckpointKey(streamId),
          [COUNTER_SORT_KEY]: childSortKey(key),
          child,
        },
      },
    });
  }
  for (const key of from.children.keys()) {
    if (to.children.has(key)) continue;
    actions.push({
      Delete: {
        TableName: tableName,
        Key: { [COUNTER_TABLE_KEY]: counterCheckpointKey(streamId), [COUNTER_SORT_KEY]: childSortKey(key) },
      },
    });
  }
  return actions;
};

const tooLarge = (streamId: string) => {
  throw new Error(`${streamId}: a change of one child or of the header needs over 100 writes`);
};

/** The children keys that differ between two stored sources (puts, then deletes). */
const childChanges = (from: Stored, to: Stored) => [
  ...[...to.children].filter(([key, child]) => from.children.get(key) !== child).map(([key]) => key),
  ...[...from.children.keys()].filter((key) => !to.children.has(key)),
];

/** `at` with the children `keys` as in `target` (absent there: removed). */
const withChanges = (at: Stored, keys: readonly string[], target: ReadonlyMap<string, string>): Stored => {
  const children = new Map(at.children);
  for (const key of keys) {
    const child = target.get(key);
    if (child === undefined) children.delete(key);
    else children.set(key, child);
  }
  return { head: at.head, children };
};

/** The non-zero moves from one stream's amounts to the next, and the counters it stopped adding to. */
const deltasBetween = (before: Amounts, after: Amounts) => {
  const deltas: [string, string, number][] = [];
  const vanished: [string, string][] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(key) ?? new Map<string, number>();
    const is = after.get(key) ?? new Map<string, number>();
    for (const counter of new Set([...was.keys(), ...is.keys()])) {
      const delta = (is.get(counter) ?? 0) - (was.get(counter) ?? 0);
      if (delta !== 0) deltas.push([key, counter, delta]);
      if (delta !== 0 && (is.get(counter) ?? 0) === 0) vanished.push([key, counter]);
    }
  }
  return { deltas, vanished };
};

/** Every item of one partition, page after page. */
const queryAll = async (client: DynamoDBDocumentClient, tableName: string, pk: string, consistent: boolean) => {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page: QueryCommandOutput = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': COUNTER_TABLE_KEY },
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: consistent,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};

/** The totals of one key, by counter (read them with `getOwn`); a counter at 0 is left out. */
export const readCounterTotals = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  key: string,
): Promise<OwnRecord<number>> => {
  const counters = new Map<string, number>();
  for (const item of await queryAll(client, tableName, counterTotalKey(key), false)) {
    const amount = item[AMOUNT];
    if (typeof amount === 'number' && amount !== 0)
      counters.set(String(item[COUNTER_SORT_KEY]).slice(counterSortKey('').length), amount);
  }
  return ownRecord(counters);
};

/**
 * Every total of a counter view table's items (a scan), by key and counter, zeros left out; and
 * each source stream's header (its version, and whether a change is still under way).
 */
export const counterViewOfItems = (items: readonly Item[]) => {
  const totals = new Map<string, Map<string, number>>();
  const headers = new Map<string, { version: number; pending: boolean }>();
  for (const item of items) {
    const pk = String(item[COUNTER_TABLE_KEY]);
    const sk = String(item[COUNTER_SORT_KEY]);
    if (pk.startsWith(counterTotalKey('')) && typeof item[AMOUNT] === 'number' && item[AMOUNT] !== 0) {
      const key = pk.slice(counterTotalKey('').length);
      const total = totals.get(key) ?? new Map<string, number>();
      total.set(sk.slice(counterSortKey('').length), item[AMOUNT]);
      totals.set(key, total);
    } else if (pk.startsWith(counterCheckpointKey('')) && sk === COUNTER_HEADER_SORT_KEY) {
      headers.set(pk.slice(counterCheckpointKey('').length), {
        version: Number(item.version ?? 0),
        pending: typeof item.pending === 'number',
      });
    }
  }
  return { totals, headers };
};

/** A view that adds up many streams (per-owner stats), exactly once (see `exactlyOnceProjection`). */
export const counterViewProjection = <TSource, TEvent extends DomainEvent>(
  options: CounterViewProjectionOptions<TSource, TEvent>,
): CommitProjection => exactlyOnceProjection({ ...options, views: dynamoDbCounterViewStore(options) });
