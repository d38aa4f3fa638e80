import type { Commit } from '../eventStore';

/** What happened to a run of commits of one stream. */
export interface ApplyOutcome {
  /** Commits whose events changed the view (including those read back to heal a gap). */
  readonly applied: number;
  /** Commits the view had already seen: redeliveries, or old records arriving late. */
  readonly duplicates: number;
  /** Commits read from the event store because the stream skipped them. */
  readonly healed: number;
}

/**
 * A read model fed by commits. `applyCommits` receives commits of ONE stream in version
 * order and must give an exactly-once effect: the same commit twice, or commits after a
 * gap, still leave the view equal to a fold of the stream.
 */
export interface CommitProjection {
  readonly name: string;
  /** Only commits of this stream type reach the projection. */
  readonly streamType: string;
  applyCommits(streamId: string, commits: readonly Commit[]): Promise<ApplyOutcome>;
}

/**
 * The commits to fold on top of a view that has seen up to `seenVersion`: the new ones, with
 * any missing ones in between read from the event store — in ONE read, from the first missing
 * version to the last new one, however many gaps there are. At a ParallelizationFactor above 1
 * a batch holds every tenth commit of a stream or so, and reading gap by gap cost a request per
 * commit. Throws if the store cannot fill the gap (the view must never skip a commit).
 */
export const commitsAfter = async (
  seenVersion: number,
  incoming: readonly Commit[],
  readMissing: (fromVersion: number, toVersion: number) => Promise<readonly Commit[]>,
): Promise<{ commits: Commit[]; duplicates: number; healed: number }> => {
  const fresh = incoming.filter((c) => c.version > seenVersion).sort((a, b) => a.version - b.version);
  // The same commit twice in one batch counts as a duplicate.
  const unique = fresh.filter((c, i) => i === 0 || c.version !== fresh[i - 1]!.version);
  const duplicates = incoming.length - unique.length;
  const firstGap = unique.findIndex((c, i) => c.version !== seenVersion + 1 + i);
  let commits = unique;
  let healed = 0;
  if (firstGap !== -1) {
    const read = await readMissing(seenVersion + 1 + firstGap, unique.at(-1)!.version);
    const held = new Set(unique.map((c) => c.version));
    healed = read.filter((c) => !held.has(c.version)).length;
    commits = [...unique.slice(0, firstGap), ...read];
  }
  commits.forEach((commit, i) => {
    if (commit.version !== seenVersion + 1 + i) {
      throw new Error(`Stream ${commit.streamId}: commit ${seenVersion + 1 + i} is missing from the event store`);
    }
  });
  return { commits, duplicates, healed };
};
