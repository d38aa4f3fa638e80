import { addTodo } from '../domain/todoList';
import { newId } from '../src';
import { listCommand, listPath, titleBody } from './todoApp';

/** POST /lists/{listId}/todos → 201 { listId, todoId, version } */
export const handler = listCommand(
  { body: titleBody, params: listPath },
  addTodo,
  (r) => ({ listId: r.params.listId, todoId: newId(), title: r.body.title }),
  { statusCode: 201, answer: ({ listId, todoId }) => ({ listId, todoId }) },
);
