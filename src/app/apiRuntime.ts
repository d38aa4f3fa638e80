/**
 * The composition root of an app's API functions (REST and GraphQL): config read once (a missing
 * variable fails at cold start with its name), one DynamoDB client, one event store for all
 * aggregates (each commit decoded with its own aggregate's schema), one command pipeline per
 * aggregate, and a handler per route, each built on first use. No view or reaction code: an API
 * bundle leaves the stream handlers (and the EventBridge client) to the functions that run them
 * (`createRuntime` in ./runtime adds them).
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import middy from '@middy/core';
import { HttpError } from '../errors';
import { IDEMPOTENCY_HEADER } from '../commandKeys';
import { apiHandler } from '../http/apiRoute';
import { jsonErrors } from '../http/jsonErrors';
import { commandRunner } from './commandRunner';
import { storesQueryContext } from './queryContext';
import { routesOf } from './routes';
import { appConfigFromEnv, appStores, type AppConfig } from './projectionRuntime';
import type { AppDefinition } from './definition';

type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
type ApiHandler = (event: ApiEvent, context: Context) => Promise<APIGatewayProxyResultV2>;
export type ApiRuntime = ReturnType<typeof createApiRuntime>;

/** A route's path as a pattern: `{name}` matches one path segment. */
const pathPattern = (path: string) =>
  new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]+\}/g, '[^/]+')}$`);

/**
 * What the `$default` route answers (any method and path no route declares), in the API's own
 * error shape: 405 with `Allow` for a known path asked with another method, else 404.
 */
const unknownRoute = (routes: readonly { method: string; path: string }[]) => {
  const patterns = routes.map((route) => ({ method: route.method, pattern: pathPattern(route.path) }));
  return middy<ApiEvent, APIGatewayProxyResultV2>()
    .use(jsonErrors())
    .handler(async (event) => {
      const path = event.rawPath ?? '';
      const allowed = [...new Set(patterns.filter((p) => p.pattern.test(path)).map((p) => p.method))];
      const method = event.requestContext?.http?.method ?? '';
      if (allowed.length > 0 && !allowed.includes(method)) {
        return {
          statusCode: 405,
          headers: { 'content-type': 'application/json', allow: allowed.join(', ') },
          body: JSON.stringify({
            error: { code: 'METHOD_NOT_ALLOWED', message: `${path} takes ${allowed.join(', ')}` },
          }),
        };
      }
      throw new HttpError(404, 'NOT_FOUND', 'No such route');
    });
};

/**
 * `overrides` replaces parts of what the environment builds: an in-memory event store runs the app's
 * real commands in unit tests (test/reactions.unit.test.ts).
 */
export const createApiRuntime = (
  app: AppDefinition,
  config: AppConfig = appConfigFromEnv(process.env),
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Pick<ReturnType<typeof appStores>, 'eventStore'>> = {},
) => {
  const stores = { ...appStores(app, config, env), ...overrides };
  const { client, documentClient, table, schema, eventStore } = stores;
  const { pipelineOf, runCommand } = commandRunner({ client, eventStore, table });

  const queryContext = storesQueryContext(stores);

  // ── HTTP: one handler per route, built on first use; a function serves its routes by routeKey ──
  const routeHandlers = new Map<string, () => ApiHandler>();
  for (const command of Object.values(app.commands)) {
    routeHandlers.set(`${command.route.method} ${command.route.path}`, () =>
      apiHandler(command.route, (request) =>
        runCommand(command, { ...request, idempotencyKey: request.event.headers?.[IDEMPOTENCY_HEADER] }),
      ),
    );
  }
  for (const query of Object.values(app.queries)) {
    routeHandlers.set(`${query.route.method} ${query.route.path}`, () =>
      apiHandler(query.route, (request) => query.run(request, queryContext)),
    );
  }
  const built = new Map<string, ApiHandler>();
  let fallback: ApiHandler | undefined;
  const http: ApiHandler = (event, context) => {
    const key = event.routeKey;
    let handler = built.get(key);
    if (!handler) {
      const build = routeHandlers.get(key);
      if (!build) {
        fallback ??= unknownRoute(Object.values(routesOf(app)));
        return fallback(event, context);
      }
      handler = build();
      built.set(key, handler);
    }
    return handler(event, context);
  };

  return {
    app,
    config,
    client,
    documentClient,
    eventStore,
    schema,
    table,
    pipelineOf,
    runCommand,
    queryContext,
    env,
    http,
  };
};
