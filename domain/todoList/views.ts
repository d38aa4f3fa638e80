import type { CommitInfo } from '../../src/contracts';
import { getOwn, ownRecord, withOwn, withoutOwn, type OwnRecord } from '../../src/records';
import type { TodoListEvent } from './events';
import { todoListReducer, type Todo, type TodoList } from './state';

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

/** A lists-view item without its todos: what `GET /lists` reads through the owner index. */
export type ListHeader = Omit<ListView, 'todos'>;

/** The lists view as stored: the list's header, and its todos by id, in their order. */
export const splitListView = ({
  todos,
  ...header
}: ListView): { header: ListHeader; children: (readonly [string, Todo])[] } => ({
  header,
  children: todos.map((todo) => [todo.todoId, todo] as const),
});

/** The lists view from its header and its todos (the inverse of `splitListView`). */
export const joinListView = (header: ListHeader, todos: readonly Todo[]): ListView => ({ ...header, todos });

/** What the stats view needs to remember about one list to count it. */
export interface ListStatsSource {
  readonly ownerId: string;
  readonly archived: boolean;
  /** todoId → completed */
  readonly todos: OwnRecord<boolean>;
}

export interface OwnerStats {
  readonly lists: number;
  readonly openTodos: number;
  readonly completedTodos: number;
}

const withTodo = (source: ListStatsSource, todoId: string, completed: boolean | undefined): ListStatsSource => ({
  ...source,
  todos: completed === undefined ? withoutOwn(source.todos, todoId) : withOwn(source.todos, todoId, completed),
});

/** source + event → source for the stats view. */
export const evolveListStats = (source: ListStatsSource | null, event: TodoListEvent): ListStatsSource | null => {
  if (event.type === 'ListCreated') return { ownerId: event.data.ownerId, archived: false, todos: ownRecord() };
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
    case 'TodoMovedOut':
      return withTodo(source, event.data.todoId, undefined);
    case 'TodoMovedIn':
      return withTodo(source, event.data.todoId, event.data.completed);
    case 'ListRenamed':
    case 'TodoRenamed':
    case 'TodoTagged':
    case 'TodoUntagged':
      return source;
    default: {
      const exhaustive: never = event;
      throw new Error(`Unknown event ${JSON.stringify(exhaustive)}`);
    }
  }
};

/** What one list adds to its owner's stats. Archived lists and their todos no longer count. */
export const statsContribution = (source: ListStatsSource | null): OwnerStats => {
  if (source === null || source.archived) return { lists: 0, openTodos: 0, completedTodos: 0 };
  const done = Object.values(source.todos).filter(Boolean).length;
  return { lists: 1, openTodos: Object.keys(source.todos).length - done, completedTodos: done };
};

/** A list counts towards its owner's stats (keyed by owner). */
export const statsContributions = (source: ListStatsSource): OwnRecord<Record<keyof OwnerStats, number>> =>
  ownRecord([[source.ownerId, statsContribution(source)]]);

/** The stats source as stored: its header, and each todo's part (whether it is completed) by id. */
export const splitListStats = ({ todos, ...header }: ListStatsSource) => ({
  header,
  children: Object.entries(todos).map(([todoId, completed]) => [todoId, { completed }] as const),
});

/** The stats source from its header and its todos' parts (the inverse of `splitListStats`). */
export const joinListStats = (
  header: Omit<ListStatsSource, 'todos'>,
  todos: ReadonlyMap<string, { readonly completed: boolean }>,
): ListStatsSource => ({
  ...header,
  todos: ownRecord([...todos].map(([todoId, { completed }]) => [todoId, completed])),
});

/** What the tag counts remember about one list: its owner, whether it is open, each todo's tags. */
export interface ListTagsSource {
  readonly ownerId: string;
  readonly archived: boolean;
  /** todoId → tagIds */
  readonly todos: OwnRecord<readonly string[]>;
}

/** source + event → source for the per-owner tag counts (todoCount of GET /tags). */
export const evolveListTags = (source: ListTagsSource | null, event: TodoListEvent): ListTagsSource | null => {
  if (event.type === 'ListCreated') return { ownerId: event.data.ownerId, archived: false, todos: ownRecord() };
  if (source === null) return null;
  const retag = (todoId: string, change: (ids: readonly string[]) => readonly string[]) => {
    const current = getOwn(source.todos, todoId);
    return current === undefined ? source : { ...source, todos: withOwn(source.todos, todoId, change(current)) };
  };
  switch (event.type) {
    case 'ListArchived':
      return { ...source, archived: true };
    case 'TodoAdded':
      return { ...source, todos: withOwn(source.todos, event.data.todoId, []) };
    case 'TodoRemoved':
    case 'TodoMovedOut':
      return { ...source, todos: withoutOwn(source.todos, event.data.todoId) };
    case 'TodoMovedIn':
      return { ...source, todos: withOwn(source.todos, event.data.todoId, [...event.data.tagIds]) };
    case 'TodoTagged':
      return retag(event.data.todoId, (ids) => [...ids, event.data.tagId]);
    case 'TodoUntagged':
      return retag(event.data.todoId, (ids) => ids.filter((id) => id !== event.data.tagId));
    case 'ListRenamed':
    case 'TodoRenamed':
    case 'TodoCompleted':
    case 'TodoReopened':
      return source;
    default: {
      const exhaustive: never = event;
      throw new Error(`Unknown event ${JSON.stringify(exhaustive)}`);
    }
  }
};

/** A list adds, to its owner's counts, one per todo carrying each tag; archived lists add nothing. */
export const tagCountContributions = (source: ListTagsSource): OwnRecord<OwnRecord<number>> => {
  if (source.archived) return ownRecord();
  const counts = new Map<string, number>();
  for (const ids of Object.values(source.todos)) for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return ownRecord([[source.ownerId, ownRecord(counts)]]);
};

/** A tags source as stored: its header, and each todo's tag ids by todo id (a tagged-todos source keeps its list id in the header). */
export const splitListTags = <S extends ListTagsSource>({ todos, ...header }: S) => ({
  header,
  children: Object.entries(todos).map(([todoId, tagIds]) => [todoId, { tagIds }] as const),
});

/** A tags source from its header and its todos' tag ids (the inverse of `splitListTags`). */
export const joinListTags = <S extends ListTagsSource>(
  header: Omit<S, 'todos'>,
  todos: ReadonlyMap<string, { readonly tagIds: readonly string[] }>,
): S => ({ ...header, todos: ownRecord([...todos].map(([todoId, { tagIds }]) => [todoId, tagIds])) }) as S;

/** What the tagged-todos index remembers of one list: the tag counts' source and the list's id. */
export interface ListTaggedSource extends ListTagsSource {
  readonly listId: string;
}

/** source + event → source for the tagged-todos index (which todos carry a tag: the reaction to a deleted tag). */
export const evolveTaggedTodos = (source: ListTaggedSource | null, event: TodoListEvent): ListTaggedSource | null => {
  const next = evolveListTags(source, event);
  if (next === null) return null;
  // evolveListTags keeps every field of the source it is given: only a new list needs its id.
  return event.type === 'ListCreated' ? { ...next, listId: event.data.listId } : (next as ListTaggedSource);
};

/** Per tag, each todo of an open list that carries it (`<listId>/<todoId>` → 1). */
export const taggedTodoContributions = (source: ListTaggedSource): Record<string, Record<string, number>> => {
  if (source.archived) return ownRecord();
  const byTag = new Map<string, Map<string, number>>();
  for (const [todoId, tagIds] of Object.entries(source.todos)) {
    for (const tagId of tagIds) byTag.set(tagId, (byTag.get(tagId) ?? new Map()).set(`${source.listId}/${todoId}`, 1));
  }
  return ownRecord([...byTag].map(([tagId, todos]) => [tagId, ownRecord(todos)] as const));
};

/** The todos a tag's entry of the tagged-todos index names (a todo untagged since counts 0). */
export const todosCarrying = (entry: Readonly<Record<string, number>>): { listId: string; todoId: string }[] =>
  Object.entries(entry).flatMap(([key, count]) => {
    const [listId, todoId] = key.split('/');
    return count > 0 && listId && todoId ? [{ listId, todoId }] : [];
  });

/** What a deleted tag causes: `untagTodo` on each todo the tagged-todos index says carries it. */
export const untagsOfDeletedTag = (
  event: { readonly data: { readonly tagId: string } },
  _commit: unknown,
  carrying: Readonly<Record<string, number>>,
): { listId: string; todoId: string; tagId: string }[] =>
  todosCarrying(carrying).map((todo) => ({ ...todo, tagId: event.data.tagId }));

/**
 * `TodoCompleted`, version 1: the public shape told to other systems (docs/integration-events.md), not the
 * internal event. The causing commit names the list, the owner (only the owner completes a todo) and the time.
 */
export interface TodoCompletedV1 {
  readonly version: 1;
  readonly listId: string;
  readonly todoId: string;
  readonly ownerId: string;
  readonly completedAt: string;
}

export const todoCompletedV1 = (
  event: Extract<TodoListEvent, { type: 'TodoCompleted' }>,
  commit: { readonly id: string; readonly at: string; readonly userId?: string },
): TodoCompletedV1 => ({
  version: 1,
  listId: commit.id,
  todoId: event.data.todoId,
  ownerId: commit.userId ?? '',
  completedAt: commit.at,
});
