/**
 * The reaction functions' runtime: an app's aggregates, the views its reactions read, the commands
 * they cause and how those run (./commandRunner), nothing of the HTTP layer. A reaction's entry
 * imports this and the app's reactions and views (not the whole declaration), so its bundle holds no
 * query, no middy and no route handler, and builds a caused command's schemas on first use only.
 * `createRuntime` (./runtime) serves its reactions with the same code.
 */
import { commandRunner } from './commandRunner';
import { appConfigFromEnv, appStores, type AppConfig, type AppViews } from './projectionRuntime';
import { storesQueryContext } from './queryContext';
import { appReactions, type AppReactions } from './reactions';

/**
 * Every reaction's stream handler by its function name (`<name>Reaction`): the app's one reactions
 * entry (its setting's `entries.reactions`) exports `handlers` whole.
 */
export const createReactionRuntime = (
  app: AppViews & AppReactions,
  config: AppConfig = appConfigFromEnv(process.env),
  env: NodeJS.ProcessEnv = process.env,
) => {
  const stores = appStores(app, config, env);
  const { runCommand } = commandRunner(stores);
  const queryContext = storesQueryContext(stores);
  const handlers = appReactions(app, { ...stores, runCommand, queryContext, env });
  return { app, config, ...stores, runCommand, queryContext, handlers };
};
