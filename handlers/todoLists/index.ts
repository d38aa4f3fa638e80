/** The todo-list aggregate's API: its commands and queries (its aggregate and views: ./views.ts). */
export { todoListCommands as commands } from './commands';
export { todoListQueries as queries } from './queries';
