import { listCommandRoute } from './todoApp';
import { todoCommands } from './todoCommands';

/** DELETE /lists/{listId}/todos/{todoId} → 200 { listId, todoId, version } */
export const handler = listCommandRoute(todoCommands.removeTodo);
