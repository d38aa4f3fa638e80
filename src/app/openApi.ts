import middy from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { jsonErrors } from '../http/jsonErrors';
import { openApiDocument } from '../http/openApiDocument';
import type { AppDefinition } from './definition';
import { gatewayResponses, KIT_TAGS, routesOf } from './routes';

export { routesOf };

/** The OpenAPI 3.1 document of an app: what it declares about itself, its routes, and the gateway's own answers. */
export const apiDocumentOf = (app: AppDefinition) =>
  openApiDocument({
    info: {
      title: app.title,
      version: app.version,
      description: app.description,
      ...(app.contact ? { contact: app.contact } : {}),
      ...(app.license ? { license: app.license } : {}),
    },
    ...(app.servers ? { servers: app.servers } : {}),
    tags: KIT_TAGS,
    everyOperation: gatewayResponses(),
    routes: routesOf(app),
  });

/** GET /openapi.json (public, no token): the document, generated once per container; no AWS client needed. */
export const openApiHandler = (app: AppDefinition) => {
  let document: string | undefined;
  return middy<unknown, APIGatewayProxyResultV2>()
    .use(jsonErrors())
    .handler(async () => {
      document ??= JSON.stringify(apiDocumentOf(app));
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
        body: document,
      };
    });
};
