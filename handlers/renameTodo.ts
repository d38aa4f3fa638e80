import { renameTodo } from '../domain/todoList';
import { listCommand, titleBody, todoPath, todoAnswer } from './todoApp';

/** PATCH /lists/{listId}/todos/{todoId} → 200 { listId, todoId, version } */
export const handler = listCommand(
  { body: titleBody, params: todoPath },
  renameTodo,
  (r) => ({ ...r.params, title: r.body.title }),
  todoAnswer,
);
