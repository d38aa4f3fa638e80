import {
  STATS_COUNTERS,
  evolveListStats,
  evolveListView,
  statsContribution,
  statsOwnerOf,
  type OwnerStats,
  type TodoListEvent,
} from '../../domain/todoList';
import { foldCommits, type EventStore } from '../../src';

/** What the lists view item of a stream must be: a fresh fold of the event store. */
export const expectedListView = async (store: EventStore, listId: string, upToVersion?: number) => {
  const commits = await store.readStream<TodoListEvent>(listId, upToVersion === undefined ? {} : { toVersion: upToVersion });
  const last = commits.at(-1);
  if (!last) return undefined;
  return { ...foldCommits(null, commits, evolveListView), listId, version: last.version, updatedAt: last.at };
};

/** Per-owner stats as a fresh fold of every list stream. */
export const expectedStats = async (store: EventStore, listIds: readonly string[]) => {
  const totals = new Map<string, Record<string, number>>();
  for (const listId of listIds) {
    const source = foldCommits(null, await store.readStream<TodoListEvent>(listId), evolveListStats);
    if (!source) continue;
    const owner = statsOwnerOf(source);
    const total = totals.get(owner) ?? Object.fromEntries(STATS_COUNTERS.map((c) => [c, 0]));
    const contribution = statsContribution(source);
    for (const c of STATS_COUNTERS) total[c] = (total[c] ?? 0) + contribution[c];
    totals.set(owner, total);
  }
  return totals as Map<string, Record<keyof OwnerStats, number>>;
};
