/**
 * An app's reactions as stream handlers: each a projection of the events table's stream (the
 * same batch failures and dead letters as a view's) that runs the commands it carries, as the
 * causing commit's user, through the runtime's `runCommand` (Idempotency-Key and all). Caused
 * input is checked with the command's route schemas: a reaction that causes a malformed command
 * fails (and dead-letters its stream) instead of writing it.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { optionalEnv } from '../config';
import type { EventSchema, EventStore } from '../eventStore';
import { parse } from '../http/schema';
import { createProjectionHandler } from '../projection/projectionHandler';
import { DEAD_LETTERS_TABLE, dynamoDbDeadLetters } from '../projection/deadLetters';
import {
  eventBridgePublisher,
  fileIntegrationPublisher,
  type IntegrationPublisher,
  type PutEventsClient,
} from '../reaction/integrationEvents';
import { reactionFunctionName, type Reaction } from '../reaction/reaction';
import {
  REACTIONS_TABLE,
  dynamoDbReactionCheckpoints,
  reactionProjection,
  type CausedCommandInput,
} from '../reaction/reactionProjection';
import type { AppDefinition, Command, QueryContext } from './definition';

/** The environment variable naming the bus (AWS) or the JSON-lines file (local) integration events go to. */
export const INTEGRATION_BUS_ENV = 'INTEGRATION_BUS_NAME';
export const INTEGRATION_FILE_ENV = 'INTEGRATION_EVENTS_FILE';

export interface ReactionDeps {
  readonly documentClient: DynamoDBDocumentClient;
  readonly eventStore: EventStore;
  readonly schema: EventSchema;
  readonly table: (name: string) => string;
  readonly queryContext: QueryContext;
  // biome-ignore lint/suspicious/noExplicitAny: any command of the app; its schema checks the input
  readonly runCommand: (command: Command<any, any, any, any>, input: any) => Promise<unknown>;
  readonly env: NodeJS.ProcessEnv;
}

/** The local file when one is set, else the stack's bus; none when neither is (a reaction that publishes fails). */
export const integrationPublisherFromEnv = (env: NodeJS.ProcessEnv): IntegrationPublisher | undefined => {
  const file = optionalEnv(env, INTEGRATION_FILE_ENV);
  if (file) return fileIntegrationPublisher(file);
  const bus = optionalEnv(env, INTEGRATION_BUS_ENV);
  if (!bus) return undefined;
  // Required on the first publish, not at init: most invocations publish nothing, and the
  // EventBridge client costs tens of ms of CPU to require. `require`, not `import()`: Lambda's
  // runtime provides the SDK on NODE_PATH, which only CommonJS resolution reads.
  let client: PutEventsClient | undefined;
  const eventBridge = (): PutEventsClient => {
    const { EventBridgeClient, PutEventsCommand } =
      require('@aws-sdk/client-eventbridge') as typeof import('@aws-sdk/client-eventbridge');
    const sdk = new EventBridgeClient({});
    return { putEvents: (Entries) => sdk.send(new PutEventsCommand({ Entries })) };
  };
  return eventBridgePublisher(
    {
      putEvents: (entries) => {
        client ??= eventBridge();
        return client.putEvents(entries);
      },
    },
    bus,
  );
};

/** Runs a caused command: one of `commands` by name, its input checked by its route's schemas. */
export const causedCommandRunner =
  (app: Pick<AppDefinition, 'commands'>, runCommand: ReactionDeps['runCommand'], who = 'A reaction') =>
  (input: CausedCommandInput) => {
    const command = Object.hasOwn(app.commands, input.command) ? app.commands[input.command] : undefined;
    if (!command) throw new Error(`${who} caused ${input.command}, which it does not list in \`causes\``);
    const { params, body } = command.route.request;
    return runCommand(command, {
      params: params ? parse(params, input.params) : undefined,
      body: body ? parse(body, input.body) : undefined,
      userId: input.userId,
      correlationId: input.correlationId ?? input.causationId,
      idempotencyKey: input.idempotencyKey,
      causationId: input.causationId,
    });
  };

/** What the reaction functions need of an app: its reactions, each carrying the commands it causes (`causes`). */
export type AppReactions = Pick<AppDefinition, 'service' | 'reactions'>;

/**
 * Each reaction's projection as its function runs it: the commands it carries, its checkpoints, the
 * publisher. Its own commands only, never the app's by name: its function loads no other (so the whole
 * runtime, in tests and redrives, runs what the function runs), and two reactions may each cause a
 * command of their own under one name.
 */
export const reactionProjections = (app: AppReactions, deps: ReactionDeps) => {
  let publisher: IntegrationPublisher | undefined;
  return (reaction: Reaction) => {
    const runCaused = causedCommandRunner(
      { commands: reaction.causes ?? {} },
      deps.runCommand,
      `Reaction ${reaction.name}`,
    );
    const checkpoints = dynamoDbReactionCheckpoints(deps.documentClient, deps.table(REACTIONS_TABLE), reaction.name);
    publisher ??= integrationPublisherFromEnv(deps.env);
    return reactionProjection({
      reaction,
      checkpoints,
      runCommand: runCaused,
      store: deps.eventStore,
      context: deps.queryContext,
      publisher,
      source: app.service,
    });
  };
};

/** Every reaction's stream handler by its function name (`<name>Reaction`), each built on first use. */
export const appReactions = (app: AppReactions, deps: ReactionDeps) => {
  const projectionOf = reactionProjections(app, deps);
  const handlerOf = (reaction: Reaction) => {
    let handler: ((event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>) | undefined;
    return (event: DynamoDBStreamEvent) => {
      handler ??= createProjectionHandler(projectionOf(reaction), {
        schema: deps.schema,
        deadLetters: dynamoDbDeadLetters(deps.documentClient, deps.table(DEAD_LETTERS_TABLE)),
      });
      return handler(event);
    };
  };
  return Object.fromEntries(
    (app.reactions ?? []).map((reaction) => [reactionFunctionName(reaction), handlerOf(reaction)]),
  );
};
