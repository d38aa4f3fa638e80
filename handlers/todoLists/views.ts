/**
 * The todo-list aggregate and the views fed by its stream: pure declarations, with no route,
 * schema or zod, so the projection functions' bundles (handlers/views.ts) stay small.
 */
// The aggregate's module, not the domain's index: its namespaces would keep every action in a
// projection's bundle (6 KB more); esbuild keeps only what is used of a module imported this way.
import * as todoList from '../../domain/todoList';
import { counterView, defineAggregate, streamView } from '../../src';

export const todoLists = defineAggregate({
  streamType: todoList.TODO_LIST_STREAM_TYPE,
  // None: its stream ids are the list ids, as stored before aggregates had prefixes.
  streamPrefix: '',
  initialState: todoList.initialTodoListState,
  reducer: todoList.todoListReducer,
  upcasters: todoList.todoListUpcasters,
  // 2: TodoTagged/TodoUntagged with ids the kit never minted are dropped on read (see the
  // upcasters); snapshots folded with them are not used.
  reducerVersion: '2',
  canRead: todoList.canReadList,
});

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
