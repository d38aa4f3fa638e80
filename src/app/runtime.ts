/**
 * The composition root of an app: config read once (a missing variable fails at cold start
 * with its name), one DynamoDB client, one event store for all aggregates (each commit
 * decoded with its own aggregate's schema), one command pipeline per aggregate, and the
 * Lambda handlers the app's declaration asks for, each built on first use.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context, DynamoDBStreamEvent, DynamoDBBatchResponse } from 'aws-lambda';
import middy from '@middy/core';
import { CommandPipeline } from '../commandPipeline';
import { requireEnv } from '../config';
import type { DomainEvent } from '../contracts';
import { dynamoDbFromEnv } from '../dynamoDbClient';
import { HttpError } from '../errors';
import { DynamoDbEventStore, type EventStore } from '../eventStore';
import { apiHandler } from '../http/apiRoute';
import type { RouteRequest, RouteSchemas } from '../http/httpRoute';
import { idempotentRequests } from '../http/idempotency';
import { jsonErrors } from '../http/jsonErrors';
import { newId } from '../ids';
import { logger } from '../observability';
import { DynamoDbSnapshotStore } from '../snapshots';
import { StateCache } from '../stateCache';
import { projectionOf } from './projections';
import { createProjectionHandler } from '../projection/projectionHandler';
import { DEAD_LETTERS_TABLE, dynamoDbDeadLetters } from '../projection/deadLetters';
import { appEventSchema, viewTableName, type Aggregate, type AppDefinition, type Command, type CommandRequest, type QueryContext, type View } from './definition';

/** What the runtime reads from the environment, once. */
export interface AppConfig {
  /** `<service>-<stage>-`: every table of the app is this prefix and its name. */
  readonly tablePrefix: string;
  /** Answer GraphQL introspection (the local stage). */
  readonly graphqlIntrospection: boolean;
}

export const appConfigFromEnv = (env: NodeJS.ProcessEnv): AppConfig => ({
  tablePrefix: requireEnv(env, 'APP_TABLE_PREFIX'),
  graphqlIntrospection: env.GRAPHQL_INTROSPECTION === 'true',
});

type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
type ApiHandler = (event: ApiEvent, context: Context) => Promise<APIGatewayProxyResultV2>;
type CommandInput<S extends RouteSchemas> = Pick<RouteRequest<S>, 'body' | 'params' | 'userId' | 'correlationId'>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyAggregate = Aggregate<any, any>;

export type AppRuntime = ReturnType<typeof createRuntime>;

/** Unknown routes answer in the API's own error shape. */
const notFound = middy<ApiEvent, APIGatewayProxyResultV2>()
  .use(jsonErrors())
  .handler(async (event) => {
    throw new HttpError(404, 'NOT_FOUND', `No route ${event.routeKey ?? ''}`.trim());
  });

export const createRuntime = (app: AppDefinition, config: AppConfig = appConfigFromEnv(process.env), env: NodeJS.ProcessEnv = process.env) => {
  const { client, documentClient } = dynamoDbFromEnv(env);
  const table = (name: string) => `${config.tablePrefix}${name}`;
  const schema = appEventSchema(app);
  const eventStore: EventStore = new DynamoDbEventStore({ client, tableName: table('events'), schema });
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

  /**
   * Runs one command: loads the streams it reads, maps the request to its payload, runs the
   * action on its stream. Answers the payload and the stream's new version; the route's
   * answer schema (REST) or GraphQL type keeps only the documented fields.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const runCommand = async <S extends RouteSchemas>(command: Command<any, any, S, any>, input: CommandInput<S>) => {
    const reads: Record<string, unknown> = {};
    await Promise.all(
      Object.entries(command.reads ?? {}).map(async ([name, read]) => {
        reads[name] = (await pipelineOf(read.aggregate).load(read.aggregate.streamIdOf(read.id(input)))).state;
      }),
    );
    const request: CommandRequest<S> = { ...input, newId, reads };
    const payload = command.payload(request);
    const { version } = await pipelineOf(command.aggregate).run({
      streamId: command.aggregate.streamIdOf(command.streamId(payload, request)),
      action: command.action,
      payload,
      ctx: { userId: input.userId, now: new Date().toISOString() },
      metadata: { userId: input.userId, correlationId: input.correlationId },
    });
    return { ...(payload as object), version };
  };

  const queryContext: QueryContext = {
    documentClient,
    tableOf: (view: View) => table(viewTableName(view)),
    readStream: (aggregate, id, options) => eventStore.readStream(aggregate.streamIdOf(id), options),
  };

  // ── HTTP: one handler per route, built on first use; a function serves its routes by routeKey ──
  // Built with the first command route: query and projection functions never pay for it.
  let idempotency: ReturnType<typeof idempotentRequests> | undefined;
  const idempotencyMiddleware = () => (idempotency ??= idempotentRequests({ client, tableName: table('idempotency') }));
  const routeHandlers = new Map<string, () => ApiHandler>();
  for (const command of Object.values(app.commands)) {
    routeHandlers.set(`${command.route.method} ${command.route.path}`, () =>
      apiHandler(command.route, (request) => runCommand(command, request), idempotencyMiddleware()),
    );
  }
  for (const query of Object.values(app.queries)) {
    routeHandlers.set(`${query.route.method} ${query.route.path}`, () => apiHandler(query.route, (request) => query.run(request, queryContext)));
  }
  const built = new Map<string, ApiHandler>();
  const http: ApiHandler = (event, context) => {
    const key = event.routeKey;
    let handler = built.get(key);
    if (!handler) {
      const build = routeHandlers.get(key);
      if (!build) return notFound(event, context);
      handler = build();
      built.set(key, handler);
    }
    return handler(event, context);
  };

  // ── projections ──
  const projectionHandlers = new Map<string, (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>>();
  const projection = (viewName: string) => {
    const view = app.views.find((v) => v.name === viewName);
    if (!view) throw new Error(`App ${app.service} has no view ${viewName}`);
    return (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
      let handler = projectionHandlers.get(viewName);
      if (!handler) {
        handler = createProjectionHandler(projectionOf(view, { documentClient, store: eventStore, tableName: table(viewTableName(view)) }), {
          schema,
          deadLetters: dynamoDbDeadLetters(documentClient, table(DEAD_LETTERS_TABLE)),
        });
        projectionHandlers.set(viewName, handler);
      }
      return handler(event);
    };
  };

  return { app, config, client, documentClient, eventStore, schema, table, pipelineOf, runCommand, queryContext, http, projection };
};
