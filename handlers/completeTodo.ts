import { completeTodo } from '../domain/todoList';
import { listCommand, todoAnswer, todoPath } from './todoApp';

/** POST /lists/{listId}/todos/{todoId}/complete → 200 { listId, todoId, version } */
export const handler = listCommand({ params: todoPath }, completeTodo, (r) => r.params, todoAnswer);
