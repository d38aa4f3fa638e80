import { apiHandler } from '../src';
import { apiRoutes } from './apiRoutes';
import { readStats } from './todoQueries';

/** GET /stats → 200 { lists, openTodos, completedTodos } for the caller (archived lists not counted). */
export const handler = apiHandler(apiRoutes.getStats, ({ userId }) => readStats(userId));
