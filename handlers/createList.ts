import { listCommandRoute } from './todoApp';
import { todoCommands } from './todoCommands';

/** POST /lists → 201 { listId, version } */
export const handler = listCommandRoute(todoCommands.createList);
