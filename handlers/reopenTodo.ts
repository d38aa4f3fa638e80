import { reopenTodo } from '../domain/todoList';
import { listCommand, todoAnswer, todoPath } from './todoApp';

/** POST /lists/{listId}/todos/{todoId}/reopen → 200 { listId, todoId, version } */
export const handler = listCommand({ params: todoPath }, reopenTodo, (r) => r.params, todoAnswer);
