/**
 * The todo lists' queries: each a route, the tables it reads (its IAM role gets exactly
 * those) and how it reads them. Another owner's list is answered exactly like a missing
 * one (404), never as forbidden.
 */
import type * as z from 'zod/mini';
import { tag, todoList } from '../../domain';
import {
  GRAPHQL_COSTS,
  foldCommits,
  getOwn,
  readAtLeast,
  reads,
  startingWith,
  type Commit,
  type QueryContext,
} from '../../src';
import { get } from '../api';
import { eventsPage, eventsPageQuery, listAtQuery, listView, listsPage, listsQuery, stats } from './querySchemas';
import { TAGS_ITEM_KB } from '../tags/queries';
import { tagsView } from '../tags/views';
import { listsView, statsView, todoLists } from './views';

type StoredListView = todoList.ListView & { version: number };
type Ctx = QueryContext;

const DEFAULT_PAGE_SIZE = 50;
/**
 * GraphQL prices of the view reads, in the KB a strongly consistent read would count: a list's
 * item is at most 400 KB (DynamoDB's limit) read eventually consistent.
 */
const LIST_ITEM_KB = 200;

/** A GraphQL argument that is a number, or undefined. */
const int = (value: unknown) => (typeof value === 'number' ? value : undefined);
/** The page a `limit` argument asks for. */
const pageSize = (args: Readonly<Record<string, unknown>>) => int(args.limit) ?? DEFAULT_PAGE_SIZE;

// ── lists ──
const ownView = <V extends { ownerId: string }>(view: V | null | undefined, userId: string, listId: string): V => {
  if (!view || view.ownerId !== userId) throw todoList.listNotFound(listId);
  return view;
};

/** The owner is in a list's first commit: another user's list, or none, is 404 (never 403). */
const assertOwner = (commits: readonly Commit[], userId: string, listId: string) => {
  if (!todoLists.canRead?.(foldCommits(null, commits.slice(0, 1), todoLists.reducer), userId))
    throw todoList.listNotFound(listId);
};

/**
 * Read-your-writes waits only for the caller's own list. When the view does not show it as
 * theirs (missing, or another owner's), its first commit decides: another user's list, or
 * none, is 404 at once instead of 503 VIEW_BEHIND after the wait.
 */
const assertOwnStream = async (ctx: Ctx, userId: string, listId: string) => {
  const head = await ctx.readStream(todoLists, listId, { toVersion: 1 });
  assertOwner(head, userId, listId);
  return head;
};

const readList = async (ctx: Ctx, userId: string, listId: string, minVersion?: number): Promise<StoredListView> => {
  // Its header and its todos, read as one state.
  const read = async () => (await ctx.view(listsView, listId)) ?? undefined;
  const first = await read();
  if (minVersion !== undefined && first?.ownerId !== userId) await assertOwnStream(ctx, userId, listId);
  // Another owner's list never counts as caught up: it is answered as missing.
  const view = await readAtLeast(
    startingWith(first, read),
    (v) => (v && v.ownerId === userId ? v.version : 0),
    minVersion,
  );
  return ownView(view, userId, listId);
};

/** The list as it was right after `atVersion`, folded from the event store with the lists view's own function. */
const readListAt = async (ctx: Ctx, userId: string, listId: string, atVersion: number): Promise<StoredListView> => {
  // The owner first: another user's list costs one commit's read, not the whole stream's.
  const head = await assertOwnStream(ctx, userId, listId);
  const rest = atVersion > 1 ? await ctx.readStream(todoLists, listId, { fromVersion: 2, toVersion: atVersion }) : [];
  const commits = [...head, ...rest];
  const view = ownView(foldCommits(null, commits, listsView.evolve), userId, listId);
  const version = commits.at(-1)?.version ?? 0;
  if (version < atVersion) throw todoList.versionNotFound(listId, atVersion);
  return { ...view, version };
};

const readLists = async (ctx: Ctx, userId: string, query: z.output<typeof listsQuery>) => {
  const read = () =>
    ctx.viewPage<StoredListView>(listsView, 'byOwner', {
      key: userId,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      nextToken: query.nextToken,
      newestFirst: true,
    });
  const versionOf = (page: Awaited<ReturnType<typeof read>>) =>
    page.items.find((i) => i.listId === query.listId)?.version ?? 0;
  const first = await read();
  if (query.minVersion !== undefined && query.listId !== undefined && versionOf(first) === 0)
    await assertOwnStream(ctx, userId, query.listId);
  return readAtLeast(startingWith(first, read), versionOf, query.minVersion);
};

/** A list's events from the event store, in version order, one page of commits at a time. */
const readEvents = async (ctx: Ctx, userId: string, listId: string, page: { limit?: number; nextToken?: string }) => {
  const [{ commits, nextToken }, head] = await Promise.all([
    ctx.eventsPage(todoLists, listId, { limit: page.limit ?? DEFAULT_PAGE_SIZE, nextToken: page.nextToken }),
    // The owner is in the first commit, on the first page or read beside a later one.
    page.nextToken === undefined ? undefined : ctx.readStream(todoLists, listId, { toVersion: 1 }),
  ]);
  assertOwner(head ?? commits, userId, listId);
  const items = commits.flatMap((c) =>
    c.events.map((e) => ({
      version: c.version,
      type: e.type,
      data: e.data,
      at: c.at,
      userId: c.metadata.userId,
      correlationId: c.metadata.correlationId,
      causationId: c.metadata.causationId,
    })),
  );
  return nextToken ? { items, nextToken } : { items };
};

// ── the query table ──

export const todoListQueries = {
  getLists: get('/lists', "The caller's lists, newest first, paged", {
    query: listsQuery,
    ok: 'A page of lists',
    answer: listsPage,
    errors: { 400: ['INVALID_NEXT_TOKEN'], 404: ['LIST_NOT_FOUND'], 503: ['VIEW_BEHIND'] },
    reads: [reads.index(listsView, 'byOwner'), reads.events],
    // A page of summaries (well under 400 bytes each), polled while minVersion waits.
    graphqlCost: (args) => {
      const page = GRAPHQL_COSTS.read(pageSize(args) * 0.4);
      return {
        weight: int(args.minVersion) === undefined ? page : GRAPHQL_COSTS.wait(page),
        listSizes: { items: pageSize(args) },
      };
    },
    run: ({ userId, query }, ctx) => readLists(ctx, userId, query),
  }),
  getList: get('/lists/{listId}', 'One list with its todos', {
    query: listAtQuery,
    ok: 'The list (now, or as it was after `atVersion`)',
    answer: listView,
    errors: { 404: ['LIST_NOT_FOUND', 'VERSION_NOT_FOUND'], 503: ['VIEW_BEHIND'] },
    reads: [listsView, tagsView, reads.events],
    graphqlCost: (args) => {
      const atVersion = int(args.atVersion);
      // The caller's tags, and the list: its view item (400 KB at most, polled while minVersion
      // waits), or its first commit (the owner) and then the stream up to atVersion.
      const list = GRAPHQL_COSTS.read(LIST_ITEM_KB);
      const read =
        atVersion !== undefined
          ? GRAPHQL_COSTS.streamRead(1) + GRAPHQL_COSTS.streamRead(atVersion)
          : int(args.minVersion) === undefined
            ? list
            : GRAPHQL_COSTS.wait(list);
      // With minVersion the tags' read waits too, after reading their stream's last commit.
      const tags = GRAPHQL_COSTS.read(TAGS_ITEM_KB);
      return {
        weight:
          (int(args.minVersion) === undefined ? tags : GRAPHQL_COSTS.streamRead(1) + GRAPHQL_COSTS.wait(tags)) + read,
        listSizes: { todos: todoList.MAX_TODOS_PER_LIST, 'todos.tags': todoList.MAX_TAGS_PER_TODO },
      };
    },
    run: async ({ userId, params, query }, ctx) => {
      const [view, tagsOfUser] = await Promise.all([
        query.atVersion === undefined
          ? readList(ctx, userId, params.listId, query.minVersion)
          : readListAt(ctx, userId, params.listId, query.atVersion),
        // Read-your-writes covers the join: with minVersion, the tags as of every tag command before this read.
        ctx.view(tagsView, userId, { atLeast: query.minVersion === undefined ? undefined : 'stream' }),
      ]);
      return tag.withTagNames(view, tagsOfUser);
    },
  }),
  getListEvents: get('/lists/{listId}/events', "A list's events, from the event store", {
    graphqlName: 'events',
    query: eventsPageQuery,
    ok: "A page of the list's events, in version order, with who and which request wrote each",
    answer: eventsPage,
    errors: { 400: ['INVALID_NEXT_TOKEN'], 404: ['LIST_NOT_FOUND'] },
    reads: [reads.events],
    // Only clearCompleted writes more than one event a commit (one a completed todo, at most 500).
    graphqlCost: (args) => ({
      weight: GRAPHQL_COSTS.streamRead(1) + GRAPHQL_COSTS.streamRead(pageSize(args) + 1),
      listSizes: { items: pageSize(args) + todoList.MAX_TODOS_PER_LIST },
    }),
    run: ({ userId, params, query }, ctx) => readEvents(ctx, userId, params.listId, query),
  }),
  getStats: get('/stats', "The caller's totals", {
    ok: 'Totals over the open lists',
    answer: stats,
    read: { totals: [statsView, 'userId'] },
    run: ({ read: { totals } }) => {
      // A counter not counted yet is absent: 0.
      const count = (counter: keyof todoList.OwnerStats) => getOwn(totals, counter) ?? 0;
      return { lists: count('lists'), openTodos: count('openTodos'), completedTodos: count('completedTodos') };
    },
  }),
};
