/**
 * One write across several streams: a commit on each stream a command changed, a check on
 * each stream it only read, and its command key — all or nothing (DynamoDB: one
 * `TransactWriteItems`). Kept apart from `appendMany` (group commit: consecutive commits of
 * one stream): the two never mix in one write.
 */
import type { DomainEvent } from '../contracts';
import type { AppendInput, CommandKey } from './eventStore';

/** A stream a command read but does not write: the write fails unless the stream is still at `version`. */
export interface StreamCheck {
  readonly streamId: string;
  /** The version the command read (0: the stream did not exist). */
  readonly version: number;
}

export interface MultiStreamAppendInput<TEvent extends DomainEvent = DomainEvent> {
  /** One commit per stream written, each at its own `expectedVersion`; none carries a key of its own. */
  readonly commits: readonly AppendInput<TEvent>[];
  /** The streams only read; each must still be at the version read. */
  readonly checks?: readonly StreamCheck[];
  /** The command's Idempotency-Key, recorded in the same write. */
  readonly key?: CommandKey;
  /** Where the key record points (its stream and version). Default: the first commit's. */
  readonly keyAt?: { readonly streamId: string; readonly version: number };
}

/** DynamoDB takes at most 100 items in one transaction. */
export const MAX_TRANSACTION_ITEMS = 100;
/** …and at most 4 MB in all. */
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

/** Refuses what no store could write atomically: no commit, a keyed commit, a stream twice, too many items. */
export const assertMultiStream = (input: MultiStreamAppendInput): void => {
  if (input.commits.length === 0) throw new RangeError('A multi-stream append writes at least one commit');
  if (input.commits.some((commit) => commit.key)) {
    throw new RangeError('A multi-stream append takes its key in `key`, not in a commit');
  }
  const ids = [...input.commits.map((c) => c.streamId), ...(input.checks ?? []).map((c) => c.streamId)];
  if (new Set(ids).size !== ids.length) {
    throw new RangeError(`A multi-stream append names a stream twice (${ids.join(', ')})`);
  }
  const items = ids.length + (input.key ? 1 : 0);
  if (items > MAX_TRANSACTION_ITEMS) {
    throw new RangeError(`A multi-stream append of ${items} items is over ${MAX_TRANSACTION_ITEMS}`);
  }
  for (const check of input.checks ?? []) {
    if (!Number.isInteger(check.version) || check.version < 0) {
      throw new RangeError('A checked version must be a non-negative integer');
    }
  }
};
