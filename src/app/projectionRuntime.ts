/**
 * The runtime of the projection functions: an app's aggregates and views, nothing else. A
 * projection's entry imports this and the app's views (not the whole declaration), so its
 * bundle holds no route, no request schema and no zod, and starts with little more than the
 * AWS SDK's own require. `createRuntime` serves its projections with the same code.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '../config';
import { dynamoDbFromEnv } from '../dynamoDbClient';
import { DynamoDbEventStore, type EventSchema, type EventStore } from '../eventStore';
import { createProjectionHandler } from '../projection/projectionHandler';
import { DEAD_LETTERS_TABLE, dynamoDbDeadLetters } from '../projection/deadLetters';
import { projectionOf } from './projections';
import { appEventSchema, viewFunctionName, viewTableName, type AppDefinition } from './definition';

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

/** What the projection functions need of an app: its service, its aggregates (their events) and its views. */
export type AppViews = Pick<AppDefinition, 'service' | 'aggregates' | 'views'>;

/** One DynamoDB client, the app's tables and one event store for all its aggregates (each commit decoded with its own schema). */
export const appStores = (app: Pick<AppDefinition, 'aggregates'>, config: AppConfig, env: NodeJS.ProcessEnv) => {
  const { client, documentClient } = dynamoDbFromEnv(env);
  const table = (name: string) => `${config.tablePrefix}${name}`;
  const schema = appEventSchema(app);
  const eventStore: EventStore = new DynamoDbEventStore({
    client,
    tableName: table('events'),
    schema,
    keysTableName: table('idempotency'),
  });
  return { client, documentClient, table, schema, eventStore };
};

type ProjectionDeps = {
  documentClient: DynamoDBDocumentClient;
  eventStore: EventStore;
  schema: EventSchema;
  table: (name: string) => string;
};

/** `projection(viewName)`: the stream handler of a declared view (an unknown name fails at cold start), built on first use. */
export const viewProjections = (app: AppViews, { documentClient, eventStore, schema, table }: ProjectionDeps) => {
  const handlers = new Map<string, (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>>();
  return (viewName: string) => {
    const view = app.views.find((v) => v.name === viewName);
    if (!view) throw new Error(`App ${app.service} has no view ${viewName}`);
    return (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
      let handler = handlers.get(viewName);
      if (!handler) {
        handler = createProjectionHandler(
          projectionOf(view, { documentClient, store: eventStore, tableName: table(viewTableName(view)) }),
          {
            schema,
            deadLetters: dynamoDbDeadLetters(documentClient, table(DEAD_LETTERS_TABLE)),
          },
        );
        handlers.set(viewName, handler);
      }
      return handler(event);
    };
  };
};

/**
 * The projection functions' composition root. `handlers` holds every view's stream handler by its
 * function name (`ordersView`, …): the app's one views entry (its setting's `entries.views`) exports
 * it whole, and each projection function's handler is `<that entry>.<function name>`, so a new view
 * needs no file.
 */
export const createProjectionRuntime = (
  app: AppViews,
  config: AppConfig = appConfigFromEnv(process.env),
  env: NodeJS.ProcessEnv = process.env,
) => {
  const stores = appStores(app, config, env);
  const projection = viewProjections(app, stores);
  const handlers = Object.fromEntries(app.views.map((view) => [viewFunctionName(view), projection(view.name)]));
  return { app, config, ...stores, projection, handlers };
};
