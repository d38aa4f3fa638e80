import { listCommandRoute } from './todoApp';
import { todoCommands } from './todoCommands';

/** POST /lists/{listId}/todos → 201 { listId, todoId, version } */
export const handler = listCommandRoute(todoCommands.addTodo);
