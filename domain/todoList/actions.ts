import type { Action, CommandContext, StreamsAction } from '../../src/contracts';
import {
  invalidTitle,
  listAlreadyExists,
  listArchived,
  listFull,
  listNotFound,
  sameList,
  tagNotFound,
  todoAlreadyExists,
  tooManyTagsOnTodo,
  todoNotFound,
} from './errors';
import type { TodoListEvent } from './events';
import type { Todo, TodoList, TodoListState } from './state';
import { liveTagIds, type TagsState } from '../tags/state';

export const TITLE_MAX_LENGTH = 200;
export const MAX_TODOS_PER_LIST = 500;

type TodoListAction<P> = Action<TodoListState, P, TodoListEvent>;

const title = (raw: string): string => {
  const trimmed = raw.trim();
  if (trimmed.length < 1 || trimmed.length > TITLE_MAX_LENGTH) throw invalidTitle(TITLE_MAX_LENGTH);
  return trimmed;
};

/** The caller's list, or a 404 whether it is missing or someone else's. */
const ownList = (state: TodoListState, listId: string, ctx: CommandContext): TodoList => {
  if (state === null || state.ownerId !== ctx.userId) throw listNotFound(listId);
  return state;
};

/** The caller's list, open for changes. */
const openList = (state: TodoListState, listId: string, ctx: CommandContext): TodoList => {
  const list = ownList(state, listId, ctx);
  if (list.archived) throw listArchived(listId);
  return list;
};

const findTodo = (list: TodoList, todoId: string): Todo => {
  const todo = list.todos.find((t) => t.todoId === todoId);
  if (!todo) throw todoNotFound(todoId);
  return todo;
};

export const createList: TodoListAction<{ listId: string; title: string }> = (state, payload, ctx) => {
  if (state !== null) throw listAlreadyExists(payload.listId);
  return [{ type: 'ListCreated', data: { listId: payload.listId, ownerId: ctx.userId, title: title(payload.title) } }];
};

export const renameList: TodoListAction<{ listId: string; title: string }> = (state, payload, ctx) => {
  const list = openList(state, payload.listId, ctx);
  const next = title(payload.title);
  return next === list.title ? [] : [{ type: 'ListRenamed', data: { title: next } }];
};

/** Archiving an archived list changes nothing (so a retried DELETE is harmless). */
export const archiveList: TodoListAction<{ listId: string }> = (state, payload, ctx) => {
  const list = ownList(state, payload.listId, ctx);
  return list.archived ? [] : [{ type: 'ListArchived', data: {} }];
};

export const addTodo: TodoListAction<{ listId: string; todoId: string; title: string }> = (state, payload, ctx) => {
  const list = openList(state, payload.listId, ctx);
  const next = title(payload.title);
  if (list.todos.some((t) => t.todoId === payload.todoId)) throw todoAlreadyExists(payload.todoId);
  if (list.todos.length >= MAX_TODOS_PER_LIST) throw listFull(MAX_TODOS_PER_LIST);
  return [{ type: 'TodoAdded', data: { todoId: payload.todoId, title: next } }];
};

type TodoPayload = { listId: string; todoId: string };

export const renameTodo: TodoListAction<TodoPayload & { title: string }> = (state, payload, ctx) => {
  const todo = findTodo(openList(state, payload.listId, ctx), payload.todoId);
  const next = title(payload.title);
  return next === todo.title ? [] : [{ type: 'TodoRenamed', data: { todoId: todo.todoId, title: next } }];
};

export const completeTodo: TodoListAction<TodoPayload> = (state, payload, ctx) => {
  const todo = findTodo(openList(state, payload.listId, ctx), payload.todoId);
  return todo.completed ? [] : [{ type: 'TodoCompleted', data: { todoId: todo.todoId } }];
};

export const reopenTodo: TodoListAction<TodoPayload> = (state, payload, ctx) => {
  const todo = findTodo(openList(state, payload.listId, ctx), payload.todoId);
  return todo.completed ? [{ type: 'TodoReopened', data: { todoId: todo.todoId } }] : [];
};

export const removeTodo: TodoListAction<TodoPayload> = (state, payload, ctx) => {
  const todo = findTodo(openList(state, payload.listId, ctx), payload.todoId);
  return [{ type: 'TodoRemoved', data: { todoId: todo.todoId } }];
};

/** One commit, one `TodoRemoved` per completed todo. */
export const clearCompleted: TodoListAction<{ listId: string }> = (state, payload, ctx) =>
  openList(state, payload.listId, ctx)
    .todos.filter((t) => t.completed)
    .map((t) => ({ type: 'TodoRemoved', data: { todoId: t.todoId } }) as const);

export const MAX_TAGS_PER_TODO = 10;

/** Tagging reads the caller's tags (`tags`, their stream's state): only a live tag of theirs may go on a todo. */
export const tagTodo: TodoListAction<TodoPayload & { tagId: string; tags: TagsState }> = (state, payload, ctx) => {
  const todo = findTodo(openList(state, payload.listId, ctx), payload.todoId);
  const live = liveTagIds(payload.tags);
  if (!live.has(payload.tagId)) throw tagNotFound(payload.tagId);
  const tagIds = todo.tagIds ?? [];
  if (tagIds.includes(payload.tagId)) return [];
  // Tags deleted since they were put on do not count towards the limit.
  if (tagIds.filter((id) => live.has(id)).length >= MAX_TAGS_PER_TODO) throw tooManyTagsOnTodo(MAX_TAGS_PER_TODO);
  return [{ type: 'TodoTagged', data: { todoId: todo.todoId, tagId: payload.tagId } }];
};

/** Untagging a todo that does not carry the tag changes nothing. */
export const untagTodo: TodoListAction<TodoPayload & { tagId: string }> = (state, payload, ctx) => {
  const todo = findTodo(openList(state, payload.listId, ctx), payload.todoId);
  return (todo.tagIds ?? []).includes(payload.tagId)
    ? [{ type: 'TodoUntagged', data: { todoId: todo.todoId, tagId: payload.tagId } }]
    : [];
};

type MovePayload = TodoPayload & { toListId: string };
type MoveStates = { readonly from: TodoListState; readonly to: TodoListState };
type MoveEvents = { readonly from: readonly TodoListEvent[]; readonly to: readonly TodoListEvent[] };

/**
 * Moves a todo to another of the caller's lists, as it is (title, completed, tags): out of `from`
 * and into `to` in one decision, which the kit writes as one commit on each list, atomically.
 * Both lists must be the caller's and open; the target must have room.
 */
export const moveTodo: StreamsAction<MoveStates, MovePayload, MoveEvents> = (states, payload, ctx) => {
  const todo = findTodo(openList(states.from, payload.listId, ctx), payload.todoId);
  if (payload.toListId === payload.listId) throw sameList(payload.listId);
  const target = openList(states.to, payload.toListId, ctx);
  if (target.todos.some((t) => t.todoId === todo.todoId)) throw todoAlreadyExists(todo.todoId);
  if (target.todos.length >= MAX_TODOS_PER_LIST) throw listFull(MAX_TODOS_PER_LIST);
  const { todoId, title: todoTitle, completed } = todo;
  return {
    from: [{ type: 'TodoMovedOut', data: { todoId, toListId: payload.toListId } }],
    to: [
      {
        type: 'TodoMovedIn',
        data: { todoId, title: todoTitle, completed, tagIds: [...(todo.tagIds ?? [])], fromListId: payload.listId },
      },
    ],
  };
};

/** Who may read a list's history and past versions: its owner only. */
export const canReadList = (state: TodoListState, userId: string): boolean =>
  state !== null && state.ownerId === userId;
