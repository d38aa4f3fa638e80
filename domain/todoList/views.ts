import type { CommitInfo } from '../../src/contracts';
import type { TodoListEvent } from './events';
import { todoListReducer, type TodoList } from './state';

/** One item of the lists view: the list as the owner sees it, with its counts. */
export interface ListView extends TodoList {
  readonly openCount: number;
  readonly completedCount: number;
  /** When the list was created (its first commit), for ordering `GET /lists`. */
  readonly createdAt: string;
}

const toListView = (list: TodoList, createdAt: string): ListView => {
  const completedCount = list.todos.filter((t) => t.completed).length;
  return {
    listId: list.listId,
    ownerId: list.ownerId,
    title: list.title,
    archived: list.archived,
    todos: list.todos,
    openCount: list.todos.length - completedCount,
    completedCount,
    createdAt,
  };
};

/** view + event → view for the lists view. Reuses the aggregate's reducer: the view is the list plus counts. */
export const evolveListView = (view: ListView | null, event: TodoListEvent, commit: CommitInfo): ListView | null => {
  const list = todoListReducer(view, event);
  return list === null ? null : toListView(list, view?.createdAt ?? commit.at);
};

/** What the stats view needs to remember about one list to count it. */
export interface ListStatsSource {
  readonly ownerId: string;
  readonly archived: boolean;
  /** todoId → completed */
  readonly todos: Readonly<Record<string, boolean>>;
}

export interface OwnerStats {
  readonly lists: number;
  readonly openTodos: number;
  readonly completedTodos: number;
}

export const STATS_COUNTERS = ['lists', 'openTodos', 'completedTodos'] as const satisfies readonly (keyof OwnerStats)[];

const withTodo = (source: ListStatsSource, todoId: string, completed: boolean | undefined): ListStatsSource => {
  const todos = { ...source.todos };
  if (completed === undefined) delete todos[todoId];
  else todos[todoId] = completed;
  return { ...source, todos };
};

/** source + event → source for the stats view. */
export const evolveListStats = (source: ListStatsSource | null, event: TodoListEvent): ListStatsSource | null => {
  if (event.type === 'ListCreated') return { ownerId: event.data.ownerId, archived: false, todos: {} };
  if (source === null) return null;
  switch (event.type) {
    case 'ListArchived':
      return { ...source, archived: true };
    case 'TodoAdded':
    case 'TodoReopened':
      return withTodo(source, event.data.todoId, false);
    case 'TodoCompleted':
      return withTodo(source, event.data.todoId, true);
    case 'TodoRemoved':
      return withTodo(source, event.data.todoId, undefined);
    case 'ListRenamed':
    case 'TodoRenamed':
      return source;
    default: {
      const exhaustive: never = event;
      throw new Error(`Unknown event ${JSON.stringify(exhaustive)}`);
    }
  }
};

/** Which owner's stats a list counts towards. */
export const statsOwnerOf = (source: ListStatsSource): string => source.ownerId;

/** What one list adds to its owner's stats. Archived lists and their todos no longer count. */
export const statsContribution = (source: ListStatsSource | null): OwnerStats => {
  if (source === null || source.archived) return { lists: 0, openTodos: 0, completedTodos: 0 };
  const done = Object.values(source.todos).filter(Boolean).length;
  return { lists: 1, openTodos: Object.keys(source.todos).length - done, completedTodos: done };
};
