/**
 * The todo-list aggregate's commands (route + action); the aggregate and its views are in
 * ./views.ts. The kit derives the handlers, the routes, OpenAPI, GraphQL and the
 * serverless functions from this (see handlers/app.ts).
 */
import { todoList } from '../../domain';
import { commandAcross, commandRoutes, commandsOf, stateOf } from '../../src';
import { route } from '../api';
import { tags, todoLists } from '../views';
import { listCommandAnswer, moveAnswer, moveBody, titleBody, todoCommandAnswer } from './schemas';

const command = commandsOf(todoLists, { streamId: 'listId' });
const archived = { 409: ['LIST_ARCHIVED'] } as const;
const listRoute = route.with({ answer: listCommandAnswer });
const todoRoute = route.with({ answer: todoCommandAnswer, errors: { 404: ['LIST_NOT_FOUND', 'TODO_NOT_FOUND'] } });
const list = commandRoutes(command, listRoute.with({ errors: { 404: ['LIST_NOT_FOUND'] } }));
const todo = commandRoutes(command, todoRoute.with({ errors: archived }));
const renamed = 'Renamed (or already so named)';

export const todoListCommands = {
  createList: commandRoutes(command, listRoute).post(todoList.createList, '/lists', 'Create a list', {
    body: titleBody,
    creates: 'listId',
    errors: { 409: ['LIST_ALREADY_EXISTS'] },
  }),
  renameList: list.patch(todoList.renameList, '/lists/{listId}', 'Rename a list', {
    body: titleBody,
    ok: renamed,
    errors: archived,
  }),
  archiveList: list.delete(todoList.archiveList, '/lists/{listId}', 'Archive a list; it takes no more changes', {
    ok: 'Archived (or already archived)',
  }),
  addTodo: list.post(todoList.addTodo, '/lists/{listId}/todos', 'Add a todo to a list', {
    body: titleBody,
    creates: 'todoId',
    ok: 'Added',
    answer: todoCommandAnswer,
    errors: { 409: ['LIST_ARCHIVED', 'LIST_FULL', 'TODO_ALREADY_EXISTS'] },
  }),
  renameTodo: todo.patch(todoList.renameTodo, '/lists/{listId}/todos/{todoId}', 'Rename a todo', {
    body: titleBody,
    ok: renamed,
  }),
  completeTodo: todo.post(todoList.completeTodo, '/lists/{listId}/todos/{todoId}/complete', 'Complete a todo', {
    ok: 'Completed (or already completed)',
  }),
  reopenTodo: todo.post(todoList.reopenTodo, '/lists/{listId}/todos/{todoId}/reopen', 'Reopen a completed todo', {
    ok: 'Reopened (or already open)',
  }),
  removeTodo: todo.delete(todoList.removeTodo, '/lists/{listId}/todos/{todoId}', 'Remove a todo', { ok: 'Removed' }),
  clearCompleted: list.post(
    todoList.clearCompleted,
    '/lists/{listId}/clear-completed',
    'Remove every completed todo, in one commit',
    { ok: 'Cleared (or nothing to clear)', errors: archived },
  ),
  // A command on a list that reads another aggregate: the tag must be the caller's live tag.
  tagTodo: todo.put(todoList.tagTodo, '/lists/{listId}/todos/{todoId}/tags/{tagId}', 'Put one of your tags on a todo', {
    ok: 'Tagged (or already tagged)',
    errors: { 404: ['TAG_NOT_FOUND'], 409: ['TOO_MANY_TAGS'] },
    reads: { tags: stateOf(tags, ({ userId }) => userId) },
  }),
  // Two lists, one atomic write: out of one and into the other, or neither.
  moveTodo: commandAcross(
    todoLists,
    { from: 'listId', to: 'toListId' },
    todoList.moveTodo,
    todoRoute.post('/lists/{listId}/todos/{todoId}/move', 'Move a todo to another of your lists', {
      body: moveBody,
      ok: 'Moved',
      answer: moveAnswer,
      errors: { 400: ['SAME_LIST'], 409: ['LIST_ARCHIVED', 'LIST_FULL', 'TODO_ALREADY_EXISTS'] },
    }),
  ),
  untagTodo: todo.delete(todoList.untagTodo, '/lists/{listId}/todos/{todoId}/tags/{tagId}', 'Take a tag off a todo', {
    ok: 'Untagged (or was not tagged)',
  }),
};
