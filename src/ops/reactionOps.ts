/**
 * Operations on an app's reactions: `verify` reports every stream with events a reaction follows
 * that it has not yet reacted to (its checkpoint is behind them), and `redrive` re-runs its
 * dead-lettered streams from the events table through the app's runtime — each caused command
 * with the same derived Idempotency-Key as the first time, so what already happened is answered
 * from its record, never done twice.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppDefinition } from '../app/definition';
import type { Commit, EventStore } from '../eventStore';
import type { CommitProjection } from '../projection/commitProjection';
import { dynamoDbDeadLetters, type DeadLetter } from '../projection/deadLetters';
import { reactionFunctionName, type Reaction } from '../reaction/reaction';

/** A stream whose newest followed event the reaction has not reacted to. */
export interface ReactionLag {
  readonly reaction: string;
  readonly streamId: string;
  /** The reaction's checkpoint (0: none). */
  readonly reactedTo: number;
  /** The last commit with an event it follows. */
  readonly pendingTo: number;
  /** How many commits after the checkpoint hold events it follows. */
  readonly pendingCommits: number;
  /** When the first of them was written. */
  readonly pendingSince: string;
}

const follows = (reaction: Reaction, commit: Commit) => commit.events.some((e) => reaction.events.includes(e.type));

/** What each reaction has not yet reacted to, from every commit of the events table (by stream, in version order). */
export const reactionLags = async (
  reactions: readonly Reaction[],
  streams: ReadonlyMap<string, readonly Commit[]>,
  checkpointOf: (reaction: Reaction, streamId: string) => Promise<number>,
): Promise<ReactionLag[]> => {
  const lags: ReactionLag[] = [];
  for (const reaction of reactions) {
    for (const [streamId, commits] of streams) {
      if (commits[0]?.streamType !== reaction.on.streamType) continue;
      const followed = commits.filter((c) => follows(reaction, c));
      if (followed.length === 0) continue;
      const reactedTo = await checkpointOf(reaction, streamId);
      const pending = followed.filter((c) => c.version > reactedTo);
      if (pending.length === 0) continue;
      lags.push({
        reaction: reaction.name,
        streamId,
        reactedTo,
        pendingTo: pending.at(-1)!.version,
        pendingCommits: pending.length,
        pendingSince: pending[0]!.at,
      });
    }
  }
  return lags;
};

/** A reaction's checkpoint as its function keeps it (src/reaction/reactionProjection.ts). */
export const storedCheckpoint =
  (documentClient: DynamoDBDocumentClient, tableName: string) => async (reaction: Reaction, streamId: string) => {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: { reaction: reaction.name, streamId }, ConsistentRead: true }),
    );
    return typeof Item?.version === 'number' ? Item.version : 0;
  };

/** Every reaction's dead letters (they share the views' table, under `<name>Reaction`). */
export const reactionDeadLetters = async (
  app: Pick<AppDefinition, 'reactions'>,
  documentClient: DynamoDBDocumentClient,
  tableName: string,
): Promise<DeadLetter[]> => {
  const journal = dynamoDbDeadLetters(documentClient, tableName);
  return (await Promise.all((app.reactions ?? []).map((r) => journal.list(reactionFunctionName(r))))).flat();
};

/** Re-runs each reaction's dead-lettered streams from their first failed version; removes the letters that now pass. */
export const redriveReactions = async (options: {
  readonly app: Pick<AppDefinition, 'reactions'>;
  readonly documentClient: DynamoDBDocumentClient;
  readonly deadLettersTable: string;
  readonly store: EventStore;
  /** The reaction's projection as its function runs it (the app's runtime behind it). */
  readonly projectionOf: (reaction: Reaction) => CommitProjection;
  readonly log: (line: string) => void;
}) => {
  const journal = dynamoDbDeadLetters(options.documentClient, options.deadLettersTable);
  type Failed = { streamId: string; fromVersion: number; error: string };
  const summary: { reaction: string; redriven: number; stillFailing: number; failed: Failed[] }[] = [];
  for (const reaction of options.app.reactions ?? []) {
    const apply = options.projectionOf(reaction);
    let redriven = 0;
    const failed: Failed[] = [];
    for (const letter of await journal.list(reactionFunctionName(reaction))) {
      try {
        await apply.applyCommits(
          letter.streamId,
          await options.store.readStream(letter.streamId, { fromVersion: letter.fromVersion }),
        );
        if (await journal.remove(letter)) redriven += 1;
        else
          failed.push({ streamId: letter.streamId, fromVersion: letter.fromVersion, error: 'failed again meanwhile' });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        failed.push({ streamId: letter.streamId, fromVersion: letter.fromVersion, error: message });
        options.log(`  ${letter.streamId} from version ${letter.fromVersion} still fails: ${message}`);
        // The letter stays, with this attempt's error; the other letters are still tried.
        await journal
          .record(reactionFunctionName(reaction), letter.streamId, [letter.fromVersion, letter.toVersion], error)
          .catch(() => undefined);
      }
    }
    summary.push({ reaction: reaction.name, redriven, stillFailing: failed.length, failed });
    options.log(`redrive ${reaction.name}: ${redriven} streams redriven, ${failed.length} still failing`);
  }
  return summary;
};
