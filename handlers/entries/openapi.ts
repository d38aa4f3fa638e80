import { openApiHandler } from '../../src/app/openApi';
import { app } from '../app';

/** GET /openapi.json: the document, from the declaration alone (no AWS client). */
export const handler = openApiHandler(app);
