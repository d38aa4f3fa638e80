import { listCommandRoute } from './todoApp';
import { todoCommands } from './todoCommands';

/** POST /lists/{listId}/todos/{todoId}/complete → 200 { listId, todoId, version } */
export const handler = listCommandRoute(todoCommands.completeTodo);
