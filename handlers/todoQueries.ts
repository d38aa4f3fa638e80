/**
 * The todo API's reads, shared by the REST query functions and the GraphQL queries. Another
 * owner's list is answered exactly like a missing one (404), never as forbidden.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import {
  STATS_COUNTERS,
  assertCanRead,
  evolveListView,
  foldTodoList,
  listNotFound,
  versionNotFound,
  type ListView,
  type OwnerStats,
  type TodoListEvent,
} from '../domain/todoList';
import { COUNTER_TABLE_KEY, HttpError, counterTotalKey, foldCommits, readAtLeast } from '../src';
import type { listsQuery } from './apiSchemas';
import { LISTS_BY_OWNER_INDEX, config, documentClient, eventStore } from './todoApp';

type StoredListView = ListView & { version: number };

const DEFAULT_PAGE_SIZE = 50;

// ── page tokens ──────────────────────────────────────────────────────────────
const encodeToken = (key: unknown) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

/** A page token is opaque to clients; one that does not decode, or names someone else's data, is refused, not used. */
const decodeToken = <T>(token: string | undefined, schema: z.ZodType<T>, isTheCallers: (key: T) => boolean): T | undefined => {
  if (token === undefined) return undefined;
  try {
    const key = schema.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    if (isTheCallers(key)) return key;
  } catch {
    // fall through to the 400 below
  }
  throw new HttpError(400, 'INVALID_NEXT_TOKEN', 'nextToken is not a token this API gave you');
};

/** The lists view's LastEvaluatedKey. */
const listsStartKey = z.object({ listId: z.string(), ownerId: z.string(), createdAt: z.string() }).strict();
/** Where the next page of a list's events starts. */
const eventsStartKey = z.object({ listId: z.string(), fromVersion: z.number().int().min(1) }).strict();

// ── lists ────────────────────────────────────────────────────────────────────
const ownView = <V extends { ownerId: string }>(view: V | null | undefined, userId: string, listId: string): V => {
  if (!view || view.ownerId !== userId) throw listNotFound(listId);
  return view;
};

/**
 * Read-your-writes waits only for the caller's own list. When the view does not show it as
 * theirs (missing, or another owner's), its first commit in the event store decides: another
 * user's list, or none, is 404 at once instead of 503 VIEW_BEHIND after the wait.
 */
const assertOwnStream = async (userId: string, listId: string): Promise<void> => {
  const head = await eventStore.readStream<TodoListEvent>(listId, { toVersion: 1 });
  assertCanRead(foldTodoList(head.flatMap((c) => c.events)), listId, { userId, now: '' });
};

/** `read` whose first call answers `first` (already read) instead of reading again. */
const startingWith = <T>(first: T, read: () => Promise<T>) => {
  let pending: T | undefined = first;
  return async () => {
    if (pending === undefined) return read();
    const value = pending;
    pending = undefined;
    return value;
  };
};

/** The list from the lists view; with `minVersion`, waits until the view shows that version (read-your-writes). */
export const readList = async (userId: string, listId: string, minVersion?: number): Promise<StoredListView> => {
  const read = async () =>
    (await documentClient.send(new GetCommand({ TableName: config.listsTable, Key: { listId } }))).Item as StoredListView | undefined;
  const first = await read();
  if (minVersion !== undefined && first?.ownerId !== userId) await assertOwnStream(userId, listId);
  return ownView(
    await readAtLeast(
      startingWith(first, read),
      // Another owner's list never counts as caught up: it is answered as missing.
      (view) => (view && view.ownerId === userId ? view.version : 0),
      minVersion,
    ),
    userId,
    listId,
  );
};

/**
 * The list as it was right after `atVersion`, folded from the event store with the lists
 * view's own function (the view table only holds the latest). 404 VERSION_NOT_FOUND past
 * the list's last version. Serves GraphQL's `list(atVersion:)` and REST's `?atVersion=`.
 */
export const readListAt = async (userId: string, listId: string, atVersion: number): Promise<StoredListView> => {
  const commits = await eventStore.readStream<TodoListEvent>(listId, { toVersion: atVersion });
  const view = ownView(foldCommits(null, commits, evolveListView), userId, listId);
  const version = commits.at(-1)?.version ?? 0;
  if (version < atVersion) throw versionNotFound(listId, atVersion);
  return { ...view, version };
};

/** The caller's lists, newest first, a page at a time; `listId` + `minVersion` waits for that list's version. */
export const readLists = async (userId: string, query: z.output<typeof listsQuery>) => {
  const exclusiveStartKey = decodeToken(query.nextToken, listsStartKey, (key) => key.ownerId === userId);
  const read = () =>
    documentClient.send(
      new QueryCommand({
        TableName: config.listsTable,
        IndexName: LISTS_BY_OWNER_INDEX,
        KeyConditionExpression: 'ownerId = :o',
        ExpressionAttributeValues: { ':o': userId },
        ScanIndexForward: false,
        Limit: query.limit ?? DEFAULT_PAGE_SIZE,
        ExclusiveStartKey: exclusiveStartKey,
      }),
    );
  const versionOf = (result: Awaited<ReturnType<typeof read>>) =>
    ((result.Items ?? []) as StoredListView[]).find((i) => i.listId === query.listId)?.version ?? 0;
  const first = await read();
  if (query.minVersion !== undefined && query.listId !== undefined && versionOf(first) === 0) await assertOwnStream(userId, query.listId);
  const page = await readAtLeast(startingWith(first, read), versionOf, query.minVersion);
  const items = (page.Items ?? []) as StoredListView[];
  return page.LastEvaluatedKey ? { items, nextToken: encodeToken(page.LastEvaluatedKey) } : { items };
};

// ── stats ────────────────────────────────────────────────────────────────────
/** The caller's totals (archived lists are not counted); zeros before their first list. */
export const readStats = async (userId: string): Promise<OwnerStats> => {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: config.statsTable, Key: { [COUNTER_TABLE_KEY]: counterTotalKey(userId) } }),
  );
  return Object.fromEntries(STATS_COUNTERS.map((c) => [c, Number(Item?.[c] ?? 0)])) as unknown as OwnerStats;
};

// ── events ───────────────────────────────────────────────────────────────────
export interface EventsPageRequest {
  /** Commits per page (one command each; a commit holds one or more events). */
  readonly limit?: number;
  readonly nextToken?: string;
}

/**
 * A list's events from the event store, in version order: all of them, or with `page` one
 * page of commits (read as one version range) and the token of the next page.
 */
export const readEvents = async (userId: string, listId: string, page?: EventsPageRequest) => {
  const from = decodeToken(page?.nextToken, eventsStartKey, (key) => key.listId === listId)?.fromVersion ?? 1;
  const limit = page?.limit ?? DEFAULT_PAGE_SIZE;
  const [commits, head] = await Promise.all([
    // One commit past the page tells whether another page follows.
    eventStore.readStream<TodoListEvent>(listId, page ? { fromVersion: from, toVersion: from + limit } : {}),
    // The owner is in the first commit.
    from === 1 ? undefined : eventStore.readStream<TodoListEvent>(listId, { toVersion: 1 }),
  ]);
  assertCanRead(foldTodoList((head ?? commits).slice(0, 1).flatMap((c) => c.events)), listId, { userId, now: '' });
  const shown = page ? commits.slice(0, limit) : commits;
  const items = shown.flatMap((c) =>
    c.events.map((e) => ({ version: c.version, type: e.type, data: e.data, at: c.at, userId: c.metadata.userId, correlationId: c.metadata.correlationId })),
  );
  const last = shown.at(-1);
  return last && commits.length > shown.length ? { items, nextToken: encodeToken({ listId, fromVersion: last.version + 1 }) } : { items };
};
