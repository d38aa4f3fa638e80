import { apiHandler } from '../src';
import { apiRoutes } from './apiRoutes';
import { readEvents } from './todoQueries';

/** GET /lists/{listId}/events[?limit&nextToken] → 200 { items: [{ version, type, data, at, userId, correlationId }], nextToken? } */
export const handler = apiHandler(apiRoutes.getListEvents, ({ params, query, userId }) => readEvents(userId, params.listId, query));
