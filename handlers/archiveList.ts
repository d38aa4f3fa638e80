import { listCommandRoute } from './todoApp';
import { todoCommands } from './todoCommands';

/** DELETE /lists/{listId} → 200 { listId, version }: archives the list. */
export const handler = listCommandRoute(todoCommands.archiveList);
