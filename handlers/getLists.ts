import { apiHandler } from '../src';
import { apiRoutes } from './apiRoutes';
import { readLists } from './todoQueries';

/** GET /lists[?limit&nextToken&listId&minVersion] → 200 { items, nextToken? }, newest first. */
export const handler = apiHandler(apiRoutes.getLists, ({ query, userId }) => readLists(userId, query));
