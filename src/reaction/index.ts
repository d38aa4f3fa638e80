export {
  cause,
  causationIdOf,
  causeOf,
  publish,
  reaction,
  reactionFunctionName,
  type CausedCommand,
  type CausingCommit,
  type PublishedEvent,
  type Reaction,
  type ReactionEffect,
} from './reaction';
export {
  REACTIONS_TABLE,
  causedKey,
  dynamoDbReactionCheckpoints,
  inMemoryReactionCheckpoints,
  reactionProjection,
  type CausedCommandInput,
  type CausedCommandRunner,
  type ReactionCheckpoints,
  type ReactionProjectionOptions,
} from './reactionProjection';
export {
  eventBridgePublisher,
  fileIntegrationPublisher,
  inMemoryIntegrationPublisher,
  putEventsEntries,
  type IntegrationEntry,
  type IntegrationPublisher,
  type PutEventsClient,
} from './integrationEvents';
