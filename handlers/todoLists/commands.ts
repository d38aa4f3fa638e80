/**
 * The todo-list aggregate's commands (route + action); the aggregate and its views are in
 * ./views.ts. The kit derives the handlers, the routes, OpenAPI, GraphQL and the
 * serverless functions from this (see handlers/app.ts).
 */
import { todoList } from '../../domain';
import { commandAcross, commandsOf, stateOf } from '../../src';
import { route } from '../api';
import { listCommandAnswer, moveAnswer, moveBody, titleBody, todoCommandAnswer } from './schemas';
import { tags, todoLists } from '../views';

const command = commandsOf(todoLists, { streamId: (payload: { listId: string }) => payload.listId });
const notFound = { 404: ['LIST_NOT_FOUND'] } as const;
const todoNotFound = { 404: ['LIST_NOT_FOUND', 'TODO_NOT_FOUND'] } as const;
const archived = { 409: ['LIST_ARCHIVED'] } as const;

export const todoListCommands = {
  createList: command({
    route: route.command({
      method: 'POST',
      path: '/lists',
      summary: 'Create a list',
      request: { body: titleBody },
      status: 201,
      ok: 'Created',
      answer: listCommandAnswer,
      errors: { 409: ['LIST_ALREADY_EXISTS'] },
    }),
    action: todoList.createList,
    payload: ({ body, newId }) => ({ listId: newId(), title: body.title }),
  }),
  renameList: command(
    todoList.renameList,
    route.command({
      method: 'PATCH',
      path: '/lists/{listId}',
      summary: 'Rename a list',
      request: { body: titleBody },
      ok: 'Renamed (or already so named)',
      answer: listCommandAnswer,
      errors: { ...notFound, ...archived },
    }),
  ),
  archiveList: command(
    todoList.archiveList,
    route.command({
      method: 'DELETE',
      path: '/lists/{listId}',
      summary: 'Archive a list; it takes no more changes',
      ok: 'Archived (or already archived)',
      answer: listCommandAnswer,
      errors: notFound,
    }),
  ),
  addTodo: command({
    route: route.command({
      method: 'POST',
      path: '/lists/{listId}/todos',
      summary: 'Add a todo to a list',
      request: { body: titleBody },
      status: 201,
      ok: 'Added',
      answer: todoCommandAnswer,
      errors: { ...notFound, 409: ['LIST_ARCHIVED', 'LIST_FULL', 'TODO_ALREADY_EXISTS'] },
    }),
    action: todoList.addTodo,
    payload: ({ body, params, newId }) => ({ listId: params.listId, todoId: newId(), title: body.title }),
  }),
  renameTodo: command(
    todoList.renameTodo,
    route.command({
      method: 'PATCH',
      path: '/lists/{listId}/todos/{todoId}',
      summary: 'Rename a todo',
      request: { body: titleBody },
      ok: 'Renamed (or already so named)',
      answer: todoCommandAnswer,
      errors: { ...todoNotFound, ...archived },
    }),
  ),
  completeTodo: command(
    todoList.completeTodo,
    route.command({
      method: 'POST',
      path: '/lists/{listId}/todos/{todoId}/complete',
      summary: 'Complete a todo',
      ok: 'Completed (or already completed)',
      answer: todoCommandAnswer,
      errors: { ...todoNotFound, ...archived },
    }),
  ),
  reopenTodo: command(
    todoList.reopenTodo,
    route.command({
      method: 'POST',
      path: '/lists/{listId}/todos/{todoId}/reopen',
      summary: 'Reopen a completed todo',
      ok: 'Reopened (or already open)',
      answer: todoCommandAnswer,
      errors: { ...todoNotFound, ...archived },
    }),
  ),
  removeTodo: command(
    todoList.removeTodo,
    route.command({
      method: 'DELETE',
      path: '/lists/{listId}/todos/{todoId}',
      summary: 'Remove a todo',
      ok: 'Removed',
      answer: todoCommandAnswer,
      errors: { ...todoNotFound, ...archived },
    }),
  ),
  clearCompleted: command(
    todoList.clearCompleted,
    route.command({
      method: 'POST',
      path: '/lists/{listId}/clear-completed',
      summary: 'Remove every completed todo, in one commit',
      ok: 'Cleared (or nothing to clear)',
      answer: listCommandAnswer,
      errors: { ...notFound, ...archived },
    }),
  ),
  // A command on a list that reads another aggregate: the tag must be the caller's live tag.
  tagTodo: command({
    route: route.command({
      method: 'PUT',
      path: '/lists/{listId}/todos/{todoId}/tags/{tagId}',
      summary: 'Put one of your tags on a todo',
      ok: 'Tagged (or already tagged)',
      answer: todoCommandAnswer,
      errors: { 404: ['LIST_NOT_FOUND', 'TODO_NOT_FOUND', 'TAG_NOT_FOUND'], 409: ['LIST_ARCHIVED', 'TOO_MANY_TAGS'] },
    }),
    reads: { tags: stateOf(tags, ({ userId }) => userId) },
    action: todoList.tagTodo,
  }),
  // Two lists, one atomic write: out of one and into the other, or neither.
  moveTodo: commandAcross(
    todoLists,
    { from: 'listId', to: 'toListId' },
    todoList.moveTodo,
    route.command({
      method: 'POST',
      path: '/lists/{listId}/todos/{todoId}/move',
      summary: 'Move a todo to another of your lists',
      request: { body: moveBody },
      ok: 'Moved',
      answer: moveAnswer,
      errors: { 400: ['SAME_LIST'], ...todoNotFound, 409: ['LIST_ARCHIVED', 'LIST_FULL', 'TODO_ALREADY_EXISTS'] },
    }),
  ),
  untagTodo: command(
    todoList.untagTodo,
    route.command({
      method: 'DELETE',
      path: '/lists/{listId}/todos/{todoId}/tags/{tagId}',
      summary: 'Take a tag off a todo',
      ok: 'Untagged (or was not tagged)',
      answer: todoCommandAnswer,
      errors: { ...todoNotFound, ...archived },
    }),
  ),
};
