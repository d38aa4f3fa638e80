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
import { CommandPipeline } from '../commandPipeline';
import type { DomainEvent } from '../contracts';
import { HttpError, isHttpMappableError } from '../errors';
import { isKeyTakenError } from '../eventStore';
import { IDEMPOTENCY_HEADER, keyExpiresAt, keyReused, keyedCommand, type KeyedCommand } from '../commandKeys';
import { apiHandler } from '../http/apiRoute';
import type { RouteRequest, RouteSchemas } from '../http/httpRoute';
import { jsonErrors } from '../http/jsonErrors';
import { newId } from '../ids';
import { logger } from '../observability';
import { DynamoDbSnapshotStore } from '../snapshots';
import { StateCache } from '../stateCache';
import { acrossRunner } from './acrossCommands';
import { queryContextOf } from './queryContext';
import { routesOf } from './routes';
import { appConfigFromEnv, appStores, type AppConfig } from './projectionRuntime';
import {
  viewTableName,
  type Aggregate,
  type AppDefinition,
  type Command,
  type CommandRequest,
  type QueryContext,
  type View,
} from './definition';

type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
type ApiHandler = (event: ApiEvent, context: Context) => Promise<APIGatewayProxyResultV2>;
type CommandInput<S extends RouteSchemas> = Pick<RouteRequest<S>, 'body' | 'params' | 'userId' | 'correlationId'> & {
  /** The request's `Idempotency-Key`, as sent. */
  readonly idempotencyKey?: unknown;
  /** What caused the command, when a reaction runs it (recorded in its commit beside the correlation id). */
  readonly causationId?: string;
};

// biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
type AnyAggregate = Aggregate<any, any>;

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
  const snapshots = new DynamoDbSnapshotStore({ client, tableName: table('snapshots') });

  const pipelines = new Map<AnyAggregate, CommandPipeline<unknown, DomainEvent>>();
  const pipelineOf = (aggregate: AnyAggregate) => {
    let pipeline = pipelines.get(aggregate);
    if (!pipeline) {
      pipeline = new CommandPipeline({
        store: eventStore,
        aggregate,
        snapshots: {
          store: snapshots,
          every: aggregate.snapshotEvery ?? 50,
          onError: (error) => logger.warn('Snapshot not taken', { error: String(error) }),
        },
        // Warm streams skip the read; bounded so a container's memory stays flat.
        cache: new StateCache(500),
      });
      pipelines.set(aggregate, pipeline);
    }
    return pipeline;
  };

  const runAcross = acrossRunner({ store: eventStore, pipelineOf });

  /** A keyed command's first answer, if the key took effect; 422 if it came with another request. */
  const answerOfKey = async (keyed: KeyedCommand) => {
    const record = await eventStore.readKey(keyed.id);
    if (!record) return undefined;
    if (record.fingerprint !== keyed.fingerprint) throw keyReused();
    return { ...(JSON.parse(record.result) as object), version: record.version };
  };

  /**
   * Runs one command: maps the request to its payload and runs the action on its stream; a command
   * that reads other streams, or writes several (`commandAcross`), runs through `acrossRunner`.
   * Answers the payload and the stream's new version; the route's answer schema (REST) or GraphQL
   * type keeps only the documented fields.
   *
   * With an Idempotency-Key the command is exactly-once: a key already recorded is answered
   * from its record (with the ids and version of the first time); otherwise the command runs
   * with ids derived from the key and records the key in its commit's own write. A retry racing
   * the first attempt, or refused where the first took effect, is answered from the record too.
   */
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the command route as one sequence (parse, reads, run, answer); split tracked in issue 25
  // biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
  const runCommand = async <S extends RouteSchemas>(command: Command<any, any, S, any>, input: CommandInput<S>) => {
    const keyed = keyedCommand({
      caller: input.userId,
      command: `${command.route.method} ${command.route.path}`,
      key: input.idempotencyKey,
      request: { params: input.params, body: input.body },
    });
    const replay = keyed && (await answerOfKey(keyed));
    if (replay) return replay;
    try {
      // Decided on more than its own stream: every stream it read is checked when it writes.
      if (command.across || command.reads) {
        const { answer, changed } = await runAcross(command, input, keyed);
        // Nothing changed: unless the first attempt is what changed it.
        const first = keyed && !changed ? await answerOfKey(keyed) : undefined;
        return first ?? answer;
      }
      const request: CommandRequest<S> = {
        body: input.body,
        params: input.params,
        userId: input.userId,
        correlationId: input.correlationId,
        newId: keyed?.newId ?? newId,
        reads: {},
      };
      const payload = command.payload(request);
      const answer = (payload ?? {}) as object;
      const { version, events } = await pipelineOf(command.aggregate).run({
        streamId: command.aggregate.streamIdOf(command.streamId(payload, request)),
        action: command.action,
        payload,
        ctx: { userId: input.userId, now: new Date().toISOString() },
        metadata: {
          userId: input.userId,
          correlationId: input.correlationId,
          ...(input.causationId ? { causationId: input.causationId } : {}),
        },
        ...(keyed
          ? {
              commandId: keyed.commandId,
              key: {
                id: keyed.id,
                fingerprint: keyed.fingerprint,
                result: JSON.stringify(answer),
                expiresAt: keyExpiresAt(input.causationId !== undefined),
              },
            }
          : {}),
      });
      // Nothing changed: unless the first attempt is what changed it.
      const first = keyed && events.length === 0 ? await answerOfKey(keyed) : undefined;
      return first ?? { ...answer, version };
    } catch (error) {
      // Refused (the key taken, a domain error on the state the first attempt left): answer as the first time.
      const first =
        keyed && (isKeyTakenError(error) || isHttpMappableError(error)) ? await answerOfKey(keyed) : undefined;
      if (first) return first;
      throw error;
    }
  };

  const queryContext: QueryContext = queryContextOf({
    documentClient,
    tableOf: (view: View) => table(viewTableName(view)),
    readStream: (aggregate, id, options) => eventStore.readStream(aggregate.streamIdOf(id), options),
  });

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
