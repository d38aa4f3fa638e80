import { removeTodo } from '../domain/todoList';
import { listCommand, todoAnswer, todoPath } from './todoApp';

/** DELETE /lists/{listId}/todos/{todoId} → 200 { listId, todoId, version } */
export const handler = listCommand({ params: todoPath }, removeTodo, (r) => r.params, todoAnswer);
