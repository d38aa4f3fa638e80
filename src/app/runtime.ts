/**
 * The whole runtime of an app: the API runtime (./apiRuntime) plus its stream handlers, every
 * view's projection and every reaction. Tests, the ops scripts and the reaction functions use
 * it; the API functions' entries build `createApiRuntime` alone, so their bundles hold no view
 * or reaction code.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { createApiRuntime, type ApiRuntime } from './apiRuntime';
import type { AppDefinition } from './definition';
import { appConfigFromEnv, type appStores, viewProjections, type AppConfig } from './projectionRuntime';
import { appReactions, reactionProjections } from './reactions';

export { appConfigFromEnv, type AppConfig };

export type AppRuntime = ReturnType<typeof createRuntime>;

type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/** Every reaction's stream handler by its function name (`<name>Reaction`), on an API runtime's commands. */
export const reactionHandlersOf = (runtime: ApiRuntime): Record<string, StreamHandler> =>
  appReactions(runtime.app, runtime);

/**
 * `overrides` replaces parts of what the environment builds: an in-memory event store runs the app's
 * real commands in unit tests (test/reactions.unit.test.ts).
 */
export const createRuntime = (
  app: AppDefinition,
  config: AppConfig = appConfigFromEnv(process.env),
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Pick<ReturnType<typeof appStores>, 'eventStore'>> = {},
) => {
  const api = createApiRuntime(app, config, env, overrides);
  const projection = viewProjections(app, api);
  const reactions = reactionHandlersOf(api);
  /** A reaction's projection as its function runs it (redrive, tests). */
  const reactionProjection = reactionProjections(app, api);
  return { ...api, projection, reactions, reactionProjection };
};
