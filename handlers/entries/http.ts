import { runtime } from './runtime';

/** Every REST command and query function: the route is picked by the request's routeKey. */
export const handler = runtime.http;
