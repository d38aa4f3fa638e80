import { apiHandler } from '../src';
import { apiRoutes } from './apiRoutes';
import { readList, readListAt } from './todoQueries';

/** GET /lists/{listId}[?minVersion=N | ?atVersion=N] → 200 { listId, title, archived, todos, version } */
export const handler = apiHandler(apiRoutes.getList, ({ params, query, userId }) =>
  query.atVersion === undefined ? readList(userId, params.listId, query.minVersion) : readListAt(userId, params.listId, query.atVersion),
);
