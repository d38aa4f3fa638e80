import { listCommandRoute } from './todoApp';
import { todoCommands } from './todoCommands';

/** PATCH /lists/{listId} → 200 { listId, version } */
export const handler = listCommandRoute(todoCommands.renameList);
