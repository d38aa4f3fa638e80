import { apiHandler } from '../src';
import { apiRoutes } from './apiRoutes';
import { readEvents } from './todoQueries';

/** GET /lists/{listId}/events → 200 { items: [{ version, type, data, at }] } from the event store. */
export const handler = apiHandler(apiRoutes.getListEvents, ({ params, userId }) => readEvents(userId, params.listId));
