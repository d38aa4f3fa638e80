import { listCommandRoute } from './todoApp';
import { todoCommands } from './todoCommands';

/** POST /lists/{listId}/clear-completed → 200 { listId, version }: one commit, many events. */
export const handler = listCommandRoute(todoCommands.clearCompleted);
