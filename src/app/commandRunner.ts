/**
 * How an app's commands run, with no HTTP around them: one command pipeline per aggregate (snapshots,
 * a state cache), commands across streams, and the Idempotency-Key's exactly-once answers. The API
 * runtime (./apiRuntime) serves it over its routes; the reaction functions (./reactionRuntime) run
 * caused commands through it without loading routes, middy or the HTTP layer.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CommandPipeline } from '../commandPipeline';
import type { DomainEvent } from '../contracts';
import { isHttpMappableError } from '../errors';
import { isKeyTakenError, type EventStore } from '../eventStore';
import { keyExpiresAt, keyReused, keyedCommand, type KeyedCommand } from '../commandKeys';
import type { RouteRequest, RouteSchemas } from '../http/httpRoute';
import { newId } from '../ids';
import { logger } from '../observability';
import { DynamoDbSnapshotStore } from '../snapshots';
import { StateCache } from '../stateCache';
import { acrossRunner } from './acrossCommands';
import type { Aggregate, Command, CommandRequest } from './definition';

export type CommandInput<S extends RouteSchemas> = Pick<
  RouteRequest<S>,
  'body' | 'params' | 'userId' | 'correlationId'
> & {
  /** The request's `Idempotency-Key`, as sent. */
  readonly idempotencyKey?: unknown;
  /** What caused the command, when a reaction runs it (recorded in its commit beside the correlation id). */
  readonly causationId?: string;
};

// biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
type AnyAggregate = Aggregate<any, any>;

/** What commands run on: the event store, and the DynamoDB client and table names for snapshots. */
export interface CommandRunnerDeps {
  readonly client: DynamoDBClient;
  readonly eventStore: EventStore;
  readonly table: (name: string) => string;
}

export const commandRunner = ({ client, eventStore, table }: CommandRunnerDeps) => {
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
  return { pipelineOf, runCommand };
};
