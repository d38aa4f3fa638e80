import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { count, flushMetrics, logger } from '../observability';
import { commitFromItem, type Commit, type EventSchema, type EventStore } from '../eventStore';
import type { CommitProjection } from './commitProjection';
import type { DeadLetterJournal } from './deadLetters';

interface StreamRun {
  readonly streamId: string;
  readonly commits: Commit[];
  /** Sequence numbers of the records behind `commits`, in the same order. */
  readonly sequenceNumbers: string[];
}

const log = (level: 'INFO' | 'ERROR', message: string, fields: Record<string, unknown>) => {
  if (level === 'ERROR') logger.error(message, fields);
  else logger.info(message, fields);
};

/**
 * A Lambda handler for the events table's stream (`ReportBatchItemFailures` on).
 * Records are grouped by stream; streams are applied in parallel, each in order. A
 * stream that fails reports its first failed record and every later one of the same
 * stream, so Lambda retries them (and AWS sends them to the dead-letter queue after the
 * retry limit); other streams of the batch are not held back. Nothing is swallowed.
 */
export const createProjectionHandler =
  (projection: CommitProjection, options: { schema?: EventSchema; deadLetters?: DeadLetterJournal } = {}) =>
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one batch loop: apply, dead-letter or report each record in order
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const runs = new Map<string, StreamRun>();
    const failures: string[] = [];
    for (const record of event.Records ?? []) {
      const sequenceNumber = record.dynamodb?.SequenceNumber ?? record.eventID ?? '';
      // Commits are immutable: only inserts carry news (MODIFY/REMOVE are ignored).
      if (record.eventName !== 'INSERT') continue;
      // Routed by stream type before anything is decoded: another aggregate's events (and
      // their schema versions) are none of this projection's business.
      const streamType = record.dynamodb?.NewImage?.streamType?.S;
      if (streamType !== undefined && streamType !== projection.streamType) continue;
      let commit: Commit;
      try {
        commit = commitOf(record, options.schema);
      } catch (error) {
        log('ERROR', 'Unreadable stream record', { projection: projection.name, sequenceNumber, error: String(error) });
        failures.push(sequenceNumber);
        // Filed by its key when the key is readable: a redrive re-reads it from the events table.
        const streamId = record.dynamodb?.NewImage?.streamId?.S ?? record.dynamodb?.Keys?.streamId?.S;
        const version = Number(record.dynamodb?.NewImage?.version?.N ?? record.dynamodb?.Keys?.version?.N);
        if (streamId !== undefined && Number.isInteger(version)) {
          await options.deadLetters
            ?.record(projection.name, streamId, [version], error)
            .catch((journalError: unknown) =>
              log('ERROR', 'Dead letter not filed', {
                projection: projection.name,
                streamId,
                error: String(journalError),
              }),
            );
        }
        continue;
      }
      const run = runs.get(commit.streamId) ?? { streamId: commit.streamId, commits: [], sequenceNumbers: [] };
      run.commits.push(commit);
      run.sequenceNumbers.push(sequenceNumber);
      runs.set(commit.streamId, run);
    }
    const totals = { applied: 0, duplicates: 0, healed: 0, failedStreams: 0 };
    await Promise.all(
      [...runs.values()].map(async (run) => {
        try {
          const outcome = await projection.applyCommits(run.streamId, run.commits);
          totals.applied += outcome.applied;
          totals.duplicates += outcome.duplicates;
          totals.healed += outcome.healed;
        } catch (error) {
          totals.failedStreams += 1;
          log('ERROR', 'Projection failed', {
            projection: projection.name,
            streamId: run.streamId,
            versions: run.commits.map((c) => c.version),
            // The correlation ids of the requests that wrote these commits, to follow one request end to end.
            correlationIds: [...new Set(run.commits.map((c) => c.metadata.correlationId).filter(Boolean))],
            error: error instanceof Error ? error.message : String(error),
          });
          failures.push(...run.sequenceNumbers);
          // Filed by stream and version, so it can be redriven from the events table after the
          // stream's 24 hours; a journal that cannot be written does not hide the failure above.
          await options.deadLetters
            ?.record(
              projection.name,
              run.streamId,
              run.commits.map((c) => c.version),
              error,
            )
            .catch((journalError: unknown) =>
              log('ERROR', 'Dead letter not filed', {
                projection: projection.name,
                streamId: run.streamId,
                error: String(journalError),
              }),
            );
        }
      }),
    );
    log('INFO', 'Projection batch', { projection: projection.name, records: event.Records?.length ?? 0, ...totals });
    count('ProjectionApplied', totals.applied);
    count('ProjectionDuplicate', totals.duplicates);
    count('ProjectionGapHealed', totals.healed);
    count('ProjectionFailure', failures.length);
    flushMetrics({ projection: projection.name });
    // In the batch's order (streams fail concurrently, in any order): Lambda restarts from the lowest
    // sequence number reported, and a reader taking the first one finds the earliest too.
    const failed = new Set(failures);
    const ordered = [
      ...new Set((event.Records ?? []).map((r) => r.dynamodb?.SequenceNumber ?? r.eventID ?? '')),
    ].filter((sequenceNumber) => failed.has(sequenceNumber));
    return { batchItemFailures: ordered.map((itemIdentifier) => ({ itemIdentifier })) };
  };

/** A stream record's new image as a commit; throws on anything that is not a well-formed commit. */
export const commitOf = (record: DynamoDBRecord, schema?: EventSchema): Commit => {
  const image = record.dynamodb?.NewImage;
  if (!image) throw new Error('Stream record has no NewImage (the stream must be NEW_IMAGE)');
  return commitFromItem(image as Record<string, AttributeValue>, schema);
};

/** What a projection needs from the outside world. */
export interface ProjectionDeps {
  readonly documentClient: DynamoDBDocumentClient;
  /** Read to heal gaps. */
  readonly store: EventStore;
  /** The view's table. */
  readonly tableName: string;
}
