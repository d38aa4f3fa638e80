import middy from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { jsonErrors } from '../src';
import { todoApiDocument } from './apiRoutes';

let document: string | undefined;

/** GET /openapi.json (public, no token): the OpenAPI 3.1 document, generated from the route table once per container. */
export const handler = middy<unknown, APIGatewayProxyResultV2>()
  .use(jsonErrors())
  .handler(async () => {
    document ??= JSON.stringify(todoApiDocument());
    return { statusCode: 200, headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' }, body: document };
  });
