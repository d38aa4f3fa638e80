import { runtime } from '../handlers/runtime';

export const handler = runtime.projection('tags');
