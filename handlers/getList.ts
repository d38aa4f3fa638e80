import { apiHandler } from '../src';
import { apiRoutes } from './apiRoutes';
import { readList } from './todoQueries';

/** GET /lists/{listId}[?minVersion=N] → 200 { listId, title, archived, todos, version } */
export const handler = apiHandler(apiRoutes.getList, ({ params, query, userId }) => readList(userId, params.listId, query.minVersion));
