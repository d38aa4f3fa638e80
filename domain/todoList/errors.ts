import type { HttpMappableError } from '../../src/contracts';

/** Every code a todo-list rule can answer with; route tables are checked against it. */
export type TodoListErrorCode =
  | 'LIST_NOT_FOUND'
  | 'TODO_NOT_FOUND'
  | 'VERSION_NOT_FOUND'
  | 'LIST_ARCHIVED'
  | 'LIST_ALREADY_EXISTS'
  | 'LIST_FULL'
  | 'TODO_ALREADY_EXISTS'
  | 'TAG_NOT_FOUND'
  | 'TOO_MANY_TAGS'
  | 'SAME_LIST'
  | 'VALIDATION_ERROR';

/** A rule of the todo domain was broken. Carries its HTTP meaning; the kit maps it. */
export class TodoListError extends Error implements HttpMappableError {
  constructor(
    readonly code: TodoListErrorCode,
    readonly httpStatus: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'TodoListError';
  }
}

// Another owner's list is reported exactly like a missing one: no existence leak.
export const listNotFound = (listId: string) =>
  new TodoListError('LIST_NOT_FOUND', 404, `List ${listId} was not found`);
export const todoNotFound = (todoId: string) =>
  new TodoListError('TODO_NOT_FOUND', 404, `Todo ${todoId} was not found`);
export const versionNotFound = (listId: string, version: number) =>
  new TodoListError('VERSION_NOT_FOUND', 404, `List ${listId} has no version ${version}`);
export const listArchived = (listId: string) =>
  new TodoListError('LIST_ARCHIVED', 409, `List ${listId} is archived and takes no more changes`);
export const listAlreadyExists = (listId: string) =>
  new TodoListError('LIST_ALREADY_EXISTS', 409, `List ${listId} already exists`);
export const listFull = (max: number) => new TodoListError('LIST_FULL', 409, `A list holds at most ${max} todos`);
export const todoAlreadyExists = (todoId: string) =>
  new TodoListError('TODO_ALREADY_EXISTS', 409, `Todo ${todoId} already exists`);
export const invalidTitle = (max: number) =>
  new TodoListError('VALIDATION_ERROR', 400, `A title is 1 to ${max} characters once trimmed`, [
    { path: 'title', message: `must be 1 to ${max} characters once trimmed` },
  ]);
export const tagNotFound = (tagId: string) => new TodoListError('TAG_NOT_FOUND', 404, `Tag ${tagId} was not found`);
export const tooManyTagsOnTodo = (max: number) =>
  new TodoListError('TOO_MANY_TAGS', 409, `A todo carries at most ${max} tags`);
export const sameList = (listId: string) =>
  new TodoListError('SAME_LIST', 400, `The todo is already in list ${listId}: move it to another list`);
