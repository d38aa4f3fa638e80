export type * from './contracts';
export { getOwn, hasOwn, ownRecord, withOwn, withoutOwn, type OwnRecord } from './records';
export * from './errors';
export * from './config';
export * from './dynamoDbClient';
export * from './eventStore';
export * from './commandPipeline';
export * from './multiStreamCommand';
export * from './projection';
export * from './readModel';
export * from './http/httpRoute';
export * from './http/jsonErrors';
export * from './http/apiRoute';
export * from './http/openApiDocument';
export {
  commandAnswer,
  KIT_ID_PATTERN,
  kitId,
  queryInt,
  textField,
  type QueryIntOptions,
  type TextFieldOptions,
} from './http/fieldSchemas';
export { parse, safeParse, type Schema } from './http/schema';
// GraphQL is imported from './graphql' by the functions that serve it, so other bundles stay small;
// its prices are plain data, for the queries that declare them.
export {
  DEFAULT_LIST_SIZE,
  DEFAULT_MAX_COST,
  DEFAULT_MAX_MUTATIONS,
  GRAPHQL_COSTS,
  type RootFieldCost,
} from './graphql/graphqlCosts';
export * from './ids';
export * from './snapshots';
export * from './stateCache';
export * from './ops';
export * from './commandKeys';
// The app layer: one declaration per aggregate, and everything derived from it.
export {
  byCaller,
  commandAcross,
  commandsOf,
  counterView,
  defineAggregate,
  defineApp,
  graphqlNameOf,
  query,
  reads,
  streamView,
  type Aggregate,
  type AggregateOptions,
  type AppDefinition,
  type Across,
  type Command,
  type CommandRequest,
  type Created,
  type StreamOf,
  type CounterView,
  type Query,
  type Page,
  type QueryContext,
  type RequestFields,
  type StreamIdOf,
  type ReadAccess,
  type StreamView,
  type View,
  type ViewIndex,
  type ViewPageOptions,
} from './app/definition';
export {
  errorBody,
  gatewayError,
  kitRoutes,
  openApiDocumentSchema,
  routesFor,
  type ErrorCodes,
  type KitErrorCode,
  type RouteBuilders,
  type RouteDefaults,
  type ShortRoute,
  type ShortRouteOptions,
} from './app/routes';
export { commandRoutes, type CommandRoutes } from './app/commandRoutes';
export { stateOf, type AnyAggregate } from './app/stateOf';
export { itemsOf, named } from './app/answers';
export {
  minVersionQuery,
  queriesOf,
  type QueryBuilder,
  type QueryRouteOptions,
} from './app/queryRoutes';
export { appConfigFromEnv, createRuntime, reactionHandlersOf, type AppConfig, type AppRuntime } from './app/runtime';
export { createApiRuntime, type ApiRuntime } from './app/apiRuntime';
export { createReactionRuntime } from './app/reactionRuntime';
export type { AppReactions } from './app/reactions';
export { queryContextOf } from './app/queryContext';
export { createProjectionRuntime, type AppViews } from './app/projectionRuntime';
export { decodePageToken, encodePageToken, startingWith } from './app/pageTokens';
export { apiDocumentOf, routesOf } from './app/openApi';
export * from './reaction';
