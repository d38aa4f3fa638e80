/**
 * The views of the todo app, for operations (rebuild, verify, redrive) and tests: how to
 * build each projection and what each view must hold — a fresh fold of the event store.
 */
import { GetCommand, ScanCommand, type DynamoDBDocumentClient, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import {
  STATS_COUNTERS,
  evolveListStats,
  evolveListView,
  statsContribution,
  statsOwnerOf,
  todoListUpcasters,
  type OwnerStats,
  type TodoListEvent,
} from '../domain/todoList';
import { COUNTER_TABLE_KEY, counterTotalKey, eventSchema, foldCommits, type Commit, type CommitProjection, type ProjectionDeps } from '../src';
import { listsView } from './listsView';
import { statsView } from './statsView';

/** The schema every reader and writer of todo-list streams uses. */
export const todoListSchema = eventSchema(todoListUpcasters);

/** What the lists view item of a stream must be. */
export const expectedListItem = (commits: readonly Commit[]) => {
  const last = commits.at(-1);
  if (!last) return undefined;
  return { ...foldCommits(null, commits, evolveListView), listId: last.streamId, version: last.version, updatedAt: last.at };
};

/** Per-owner stats as a fresh fold of the given streams. */
export const expectedOwnerStats = (streams: Iterable<readonly Commit<TodoListEvent>[]>) => {
  const totals = new Map<string, Record<keyof OwnerStats, number>>();
  for (const commits of streams) {
    const source = foldCommits(null, commits, evolveListStats);
    if (!source) continue;
    const owner = statsOwnerOf(source);
    const total = totals.get(owner) ?? { lists: 0, openTodos: 0, completedTodos: 0 };
    const contribution = statsContribution(source);
    for (const c of STATS_COUNTERS) total[c] += contribution[c];
    totals.set(owner, total);
  }
  return totals;
};

export interface Difference {
  readonly view: string;
  readonly key: string;
  readonly kind: 'missing' | 'differs' | 'extra' | 'behind';
  readonly expected?: unknown;
  readonly actual?: unknown;
}

const scanAll = async (documentClient: DynamoDBDocumentClient, tableName: string) => {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: ScanCommandOutput = await documentClient.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};

/** JSON with object keys sorted at every depth: DynamoDB does not keep a map's key order. */
const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(',')}]`
    : value !== null && typeof value === 'object'
      ? `{${Object.keys(value as object).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`
      : JSON.stringify(value);
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** Compares every lists view item with a fold of its stream ("behind" = the stream has newer commits). */
export const verifyLists = async (documentClient: DynamoDBDocumentClient, tableName: string, streams: Map<string, Commit[]>): Promise<Difference[]> => {
  const differences: Difference[] = [];
  const items = new Map((await scanAll(documentClient, tableName)).map((i) => [String(i.listId), i]));
  for (const [streamId, commits] of streams) {
    const item = items.get(streamId);
    if (!item) {
      differences.push({ view: 'lists', key: streamId, kind: 'missing', expected: expectedListItem(commits) });
      continue;
    }
    const version = Number(item.version);
    const expected = expectedListItem(commits.filter((c) => c.version <= version));
    if (!same(item, expected)) differences.push({ view: 'lists', key: streamId, kind: 'differs', expected, actual: item });
    else if (version < (commits.at(-1)?.version ?? 0)) differences.push({ view: 'lists', key: streamId, kind: 'behind', expected: commits.at(-1)?.version, actual: version });
  }
  for (const key of items.keys()) if (!streams.has(key)) differences.push({ view: 'lists', key, kind: 'extra', actual: items.get(key) });
  return differences;
};

/** Compares every owner's totals with the folds; totals are only judged once every checkpoint has caught up. */
export const verifyStats = async (documentClient: DynamoDBDocumentClient, tableName: string, streams: Map<string, Commit[]>): Promise<Difference[]> => {
  const differences: Difference[] = [];
  for (const [streamId, commits] of streams) {
    const { Item } = await documentClient.send(new GetCommand({ TableName: tableName, Key: { [COUNTER_TABLE_KEY]: `stream#${streamId}` }, ConsistentRead: true }));
    const seen = Number(Item?.version ?? 0);
    if (seen < (commits.at(-1)?.version ?? 0)) differences.push({ view: 'stats', key: streamId, kind: 'behind', expected: commits.at(-1)?.version, actual: seen });
  }
  if (differences.length > 0) return differences;
  for (const [owner, expected] of expectedOwnerStats(streams.values() as Iterable<Commit<TodoListEvent>[]>)) {
    const { Item } = await documentClient.send(new GetCommand({ TableName: tableName, Key: { [COUNTER_TABLE_KEY]: counterTotalKey(owner) }, ConsistentRead: true }));
    const actual = Object.fromEntries(STATS_COUNTERS.map((c) => [c, Number(Item?.[c] ?? 0)]));
    if (!same(actual, expected)) differences.push({ view: 'stats', key: owner, kind: 'differs', expected, actual });
  }
  return differences;
};

export interface ViewDefinition {
  /** The serverless.yml table suffix: todo-cqrs-<stage>-<suffix>. */
  readonly tableSuffix: string;
  /** The projection Lambda's name in serverless.yml (dead letters are kept per function). */
  readonly functionName: string;
  readonly build: (deps: ProjectionDeps) => CommitProjection;
  readonly verify: (documentClient: DynamoDBDocumentClient, tableName: string, streams: Map<string, Commit[]>) => Promise<Difference[]>;
}

export const VIEWS: Record<'lists' | 'stats', ViewDefinition> = {
  lists: { tableSuffix: 'lists', functionName: 'listsView', build: listsView, verify: verifyLists },
  stats: { tableSuffix: 'stats', functionName: 'statsView', build: statsView, verify: verifyStats },
};
