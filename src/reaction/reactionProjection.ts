/**
 * A reaction run as a projection of the events table's stream: per stream, from its checkpoint
 * (the last commit it reacted to), the commits after it in version order — duplicates skipped,
 * gaps healed from the event store — each event of the types it follows handed to its `run`, and
 * what that causes done: caused commands with keys derived from the cause, integration events
 * published with the causing commit's id. The checkpoint moves once the run's effects are done, so
 * a crash in between re-runs them: a caused command is then answered from its key's record (no
 * second effect), an integration event is published again (consumers deduplicate by its id).
 */
import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { QueryContext } from '../app/definition';
import { canonicalJson } from '../json';
import { isHttpMappableError } from '../errors';
import type { Commit, EventStore } from '../eventStore';
import { logger } from '../observability';
import { commitsAfter, type ApplyOutcome, type CommitProjection } from '../projection/commitProjection';
import type { IntegrationEntry, IntegrationPublisher } from './integrationEvents';
import { causationIdOf, reactionFunctionName, type CausedCommand, type CausingCommit, type Reaction } from './reaction';

/** Where a reaction stands on each stream: the last commit whose effects are done. */
export interface ReactionCheckpoints {
  read(streamId: string): Promise<number>;
  /** Moves the checkpoint from `seen` to `version`; throws if another run moved it meanwhile. */
  write(streamId: string, seen: number, version: number): Promise<void>;
}

/** What running a caused command takes: the app's command by name, its input, the derived key and the cause. */
export interface CausedCommandInput {
  readonly command: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly body: Readonly<Record<string, unknown>>;
  readonly userId: string;
  readonly correlationId?: string;
  readonly idempotencyKey: string;
  readonly causationId: string;
}

export type CausedCommandRunner = (input: CausedCommandInput) => Promise<unknown>;

export interface ReactionProjectionOptions {
  readonly reaction: Reaction;
  readonly checkpoints: ReactionCheckpoints;
  readonly runCommand: CausedCommandRunner;
  readonly store: EventStore;
  /** What `run` reads views with. */
  readonly context: QueryContext;
  /** Needed only if the reaction publishes. */
  readonly publisher?: IntegrationPublisher;
  /** EventBridge's `source` of its integration events (the app's service). */
  readonly source: string;
}

/**
 * The Idempotency-Key of a caused command: from the reaction, the causing stream and version, the
 * event's index in its commit and the command with its input. Not from the command's position in
 * `run`'s answer: a redelivery may read views that moved on (an item changed meanwhile drops out),
 * and positions would shift onto other commands; by content, each command keeps its key.
 */
export const causedKey = (
  reactionName: string,
  commit: Pick<Commit, 'streamId' | 'version'>,
  eventIndex: number,
  caused: CausedCommand,
) =>
  `reaction-${createHash('sha256')
    .update(
      canonicalJson([
        reactionName,
        commit.streamId,
        commit.version,
        eventIndex,
        caused.command,
        caused.params ?? {},
        caused.body ?? {},
      ]),
      'utf8',
    )
    .digest('base64url')}`;

/** Refusals a caused command may meet that are answers (its target was removed meanwhile), not failures. */
const isRefusal = (error: unknown) =>
  isHttpMappableError(error) &&
  error.httpStatus >= 400 &&
  error.httpStatus < 500 &&
  !['CONCURRENCY_CONFLICT', 'IDEMPOTENCY_KEY_REUSED'].includes(error.code);

const causingCommit = (reaction: Reaction, commit: Commit): CausingCommit => ({
  streamId: commit.streamId,
  id: reaction.on.idOf(commit.streamId),
  version: commit.version,
  at: commit.at,
  ...(commit.metadata.userId !== undefined ? { userId: commit.metadata.userId } : {}),
  ...(commit.metadata.correlationId !== undefined ? { correlationId: commit.metadata.correlationId } : {}),
});

export const reactionProjection = (options: ReactionProjectionOptions): CommitProjection => {
  const { reaction } = options;
  const follows = new Set<string>(reaction.events);

  /** Every effect of one commit, in order: commands first (each its own key), then the integration events. */
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one commit's effects in order; their order is the exactly-once argument
  const reactTo = async (commit: Commit) => {
    const causing = causingCommit(reaction, commit);
    const published: IntegrationEntry[] = [];
    let caused = 0;
    let refused = 0;
    for (const [index, event] of commit.events.entries()) {
      if (!follows.has(event.type)) continue;
      for (const effect of await reaction.run(event, causing, options.context)) {
        if (effect.kind === 'publish') {
          const n = published.length;
          published.push({
            id: n === 0 ? `${commit.streamId}:${commit.version}` : `${commit.streamId}:${commit.version}#${n}`,
            source: options.source,
            type: effect.type,
            detail: effect.detail,
            time: commit.at,
          });
          continue;
        }
        const userId = effect.userId ?? commit.metadata.userId;
        if (userId === undefined)
          throw new Error(
            `Reaction ${reaction.name}: ${commit.streamId}:${commit.version} has no user to run ${effect.command} as`,
          );
        try {
          await options.runCommand({
            command: effect.command,
            params: effect.params ?? {},
            body: effect.body ?? {},
            userId,
            ...(commit.metadata.correlationId !== undefined ? { correlationId: commit.metadata.correlationId } : {}),
            idempotencyKey: causedKey(reaction.name, commit, index, effect),
            causationId: causationIdOf(reaction.name, commit.streamId, commit.version),
          });
          caused += 1;
        } catch (error) {
          if (!isRefusal(error)) throw error;
          // The domain's answer to a caused command (its target is gone or closed): done, not failed.
          refused += 1;
          logger.info('Caused command refused', {
            reaction: reaction.name,
            streamId: commit.streamId,
            version: commit.version,
            command: effect.command,
            error: String((error as Error).message),
          });
        }
      }
    }
    if (published.length > 0) {
      if (!options.publisher)
        throw new Error(`Reaction ${reaction.name} publishes, but no integration publisher is configured`);
      await options.publisher.send(published);
    }
    return { caused, refused, published: published.length };
  };

  return {
    name: reactionFunctionName(reaction),
    streamType: reaction.on.streamType,
    async applyCommits(streamId, incoming): Promise<ApplyOutcome> {
      const seen = await options.checkpoints.read(streamId);
      const { commits, duplicates, healed } = await commitsAfter(seen, incoming, (from, to) =>
        options.store.readStream(streamId, { fromVersion: from, toVersion: to }),
      );
      const last = commits.at(-1);
      if (!last) return { applied: 0, duplicates, healed };
      for (const commit of commits) await reactTo(commit);
      await options.checkpoints.write(streamId, seen, last.version);
      return { applied: commits.length, duplicates, healed };
    },
  };
};

// ── checkpoints ──
/** The kit's table of reaction checkpoints (`<service>-<stage>-reactions`): `reaction` + `streamId` → `version`. */
export const REACTIONS_TABLE = 'reactions';

/** Checkpoints of one reaction on DynamoDB; a write is conditional on the version it moves on from. */
export const dynamoDbReactionCheckpoints = (
  client: DynamoDBDocumentClient,
  tableName: string,
  reaction: string,
): ReactionCheckpoints => ({
  async read(streamId) {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: { reaction, streamId }, ConsistentRead: true }),
    );
    return typeof Item?.version === 'number' ? Item.version : 0;
  },
  async write(streamId, seen, version) {
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { reaction, streamId, version, updatedAt: new Date().toISOString() },
          // Two runs of one stream (a retry beside a late delivery) never move it backwards.
          ConditionExpression: seen === 0 ? 'attribute_not_exists(streamId)' : 'version = :seen',
          ...(seen === 0 ? {} : { ExpressionAttributeValues: { ':seen': seen } }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new Error(`Reaction ${reaction}: the checkpoint of ${streamId} moved past ${seen} meanwhile`);
      throw error;
    }
  },
});

/** Checkpoints in memory (tests). */
export const inMemoryReactionCheckpoints = (): ReactionCheckpoints & { readonly versions: Map<string, number> } => {
  const versions = new Map<string, number>();
  return {
    versions,
    read: async (streamId) => versions.get(streamId) ?? 0,
    write: async (streamId, seen, version) => {
      if ((versions.get(streamId) ?? 0) !== seen)
        throw new Error(`The checkpoint of ${streamId} moved past ${seen} meanwhile`);
      versions.set(streamId, version);
    },
  };
};
