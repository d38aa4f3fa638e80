/**
 * The app's aggregates and views: pure declarations, with no route, schema or zod. The
 * projection functions import only this file (projections/*.ts through handlers/entries/projections.ts),
 * so their bundles stay free of what commands and queries need; handlers/todoLists/commands.ts and
 * handlers/tags/commands.ts add the commands, handlers/app.ts the queries.
 */
// Each aggregate's module, not the domain's index: its namespaces would keep every action in a
// projection's bundle (6 KB more); esbuild keeps only what is used of a module imported this way.
import * as todoList from '../domain/todoList';
import * as tag from '../domain/tags';
import { counterView, defineAggregate, streamView, type AppViews } from '../src';

// ── aggregates ───────────────────────────────────────────────────────────────
export const todoLists = defineAggregate({
  streamType: todoList.TODO_LIST_STREAM_TYPE,
  initialState: todoList.initialTodoListState,
  reducer: todoList.todoListReducer,
  upcasters: todoList.todoListUpcasters,
  // 2: TodoTagged/TodoUntagged with ids the kit never minted are dropped on read (see the
  // upcasters); snapshots folded with them are not used.
  reducerVersion: '2',
  canRead: todoList.canReadList,
});

/** One stream per user (`tags#<userId>`), so names unique per user and the tag limit are rules of one stream. */
export const tags = defineAggregate({
  streamType: tag.TAGS_STREAM_TYPE,
  streamPrefix: 'tags#',
  initialState: tag.initialTagsState,
  reducer: tag.tagsReducer,
  // Tag events with ids the kit never minted are dropped on read; snapshots folded with them are not used.
  upcasters: tag.tagsUpcasters,
  reducerVersion: '2',
});

// ── views ────────────────────────────────────────────────────────────────────
/**
 * Per list a header item and one item per todo (GET /lists/{listId} reads them with one Query),
 * and GET /lists through its owner index, which only headers feed (only they carry `ownerId`).
 */
export const listsView = streamView({
  name: 'lists',
  aggregate: todoLists,
  key: 'listId',
  evolve: todoList.evolveListView,
  children: { split: todoList.splitListView, join: todoList.joinListView },
  indexes: {
    byOwner: {
      hash: 'ownerId',
      range: 'createdAt',
      include: ['title', 'openCount', 'completedCount', 'archived', 'version'],
    },
  },
});

/** Per-owner totals across lists (GET /stats); archived lists do not count. */
export const statsView = counterView({
  name: 'stats',
  aggregate: todoLists,
  evolve: todoList.evolveListStats,
  contributions: todoList.statsContributions,
  // Per list a header and one item per todo: a commit rewrites only the todos it touches.
  children: { split: todoList.splitListStats, join: todoList.joinListStats },
});

/** Per-owner, per-tag todo counts (the `todoCount` of GET /tags); archived lists do not count. */
export const tagCountsView = counterView({
  name: 'tagCounts',
  aggregate: todoLists,
  evolve: todoList.evolveListTags,
  contributions: todoList.tagCountContributions,
  children: { split: todoList.splitListTags, join: todoList.joinListTags },
});

/** Per tag, the todos of open lists carrying it: what the reaction to a deleted tag reads (handlers/reactions.ts). */
export const taggedTodosView = counterView({
  name: 'taggedTodos',
  aggregate: todoLists,
  evolve: todoList.evolveTaggedTodos,
  contributions: todoList.taggedTodoContributions,
  children: { split: todoList.splitListTags, join: todoList.joinListTags },
});

/** One item per user: their live tags with names. */
export const tagsView = streamView({ name: 'tags', aggregate: tags, key: 'streamId', evolve: tag.evolveTagsView });

/** What the projection functions run: handlers/app.ts declares the same, with the commands and queries. */
export const appViews = {
  service: 'todo-cqrs',
  aggregates: [todoLists, tags],
  views: [listsView, statsView, tagCountsView, tagsView, taggedTodosView],
} satisfies AppViews;
