/**
 * Every command of the todo API, once: its route, its domain action and its payload. The
 * REST functions (`listCommandRoute`) and the GraphQL mutations (`graphql.ts`) both run
 * these, through the same pipeline.
 */
import {
  addTodo,
  archiveList,
  clearCompleted,
  completeTodo,
  createList,
  removeTodo,
  renameList,
  renameTodo,
  reopenTodo,
  type TodoListEvent,
  type TodoListState,
} from '../domain/todoList';
import { newId, type Action, type ApiRoute, type RouteRequest, type RouteSchemas } from '../src';
import { apiRoutes } from './apiRoutes';

/** A todo-list command: its route, its domain action, and how a validated request becomes the action's payload. */
export interface ListCommand<S extends RouteSchemas = RouteSchemas, P extends { listId: string } = { listId: string }> {
  readonly route: ApiRoute<S>;
  readonly action: Action<TodoListState, P, TodoListEvent>;
  readonly payloadOf: (request: Pick<RouteRequest<S>, 'body' | 'params'>) => P;
}

const listCommand = <S extends RouteSchemas, P extends { listId: string }>(
  route: ApiRoute<S>,
  action: Action<TodoListState, P, TodoListEvent>,
  payloadOf: (request: Pick<RouteRequest<S>, 'body' | 'params'>) => P,
): ListCommand<S, P> => ({ route, action, payloadOf });

const r = apiRoutes;

export const todoCommands = {
  createList: listCommand(r.createList, createList, ({ body }) => ({ listId: newId(), title: body.title })),
  renameList: listCommand(r.renameList, renameList, ({ body, params }) => ({ listId: params.listId, title: body.title })),
  archiveList: listCommand(r.archiveList, archiveList, ({ params }) => params),
  addTodo: listCommand(r.addTodo, addTodo, ({ body, params }) => ({ listId: params.listId, todoId: newId(), title: body.title })),
  renameTodo: listCommand(r.renameTodo, renameTodo, ({ body, params }) => ({ ...params, title: body.title })),
  completeTodo: listCommand(r.completeTodo, completeTodo, ({ params }) => params),
  reopenTodo: listCommand(r.reopenTodo, reopenTodo, ({ params }) => params),
  removeTodo: listCommand(r.removeTodo, removeTodo, ({ params }) => params),
  clearCompleted: listCommand(r.clearCompleted, clearCompleted, ({ params }) => params),
};
