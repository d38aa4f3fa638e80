/** The tags aggregate's API: its commands and queries (its aggregate and views: ./views.ts). */
export { tagCommands as commands } from './commands';
export { tagQueries as queries } from './queries';
