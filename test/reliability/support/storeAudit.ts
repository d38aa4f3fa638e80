/**
 * What the event store and the views of a running local stack hold, and how they compare
 * with what the clients were told: every acknowledged command in the store with its effect,
 * nothing doubled, versions without gaps, and every view equal to a fold of its stream.
 */
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { ScanCommand as DocumentScanCommand } from '@aws-sdk/lib-dynamodb';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  InMemoryEventStore,
  commitFromItem,
  counterViewOfItems,
  dynamoDbFromEnv,
  eventSchema,
  type Commit,
} from '../../../src';
import {
  TODO_LIST_STREAM_TYPE,
  todoListReducer,
  todoListUpcasters,
  type TodoListEvent,
  type TodoListState,
} from '../../../domain/todoList';
import { expectedListView, expectedStats, storedListViews } from '../../support/expectedViews';
import { LOCAL_TABLES } from './config';

export type CommandOp =
  | 'createList'
  | 'renameList'
  | 'archiveList'
  | 'addTodo'
  | 'renameTodo'
  | 'completeTodo'
  | 'reopenTodo'
  | 'removeTodo'
  | 'clearCompleted';

/** A command the API answered 2xx, as the client saw it. */
export interface Ack {
  readonly op: CommandOp;
  readonly user: string;
  readonly listId: string;
  readonly todoId?: string;
  /** The title the client sent (createList, renameList, addTodo, renameTodo). */
  readonly title?: string;
  readonly version: number;
  readonly correlationId: string;
}

export const clientsFor = (endpoint: string) =>
  dynamoDbFromEnv({ DYNAMODB_ENDPOINT: endpoint, AWS_REGION: 'us-east-1' });

/** Every commit of the events table, by stream, in version order. */
export interface StoreContents {
  readonly streams: Map<string, Commit<TodoListEvent>[]>;
  /** The same commits behind the event-store port, for the expected-view folds. */
  readonly store: InMemoryEventStore;
  readonly commitCount: number;
  /** Streams whose versions are not 1, 2, 3 … without holes. */
  readonly streamsWithGaps: string[];
  /** correlationId → commits carrying it. */
  readonly byCorrelationId: Map<string, Commit<TodoListEvent>[]>;
}

const scanAll = async (endpoint: string, tableName: string) => {
  const { client } = clientsFor(endpoint);
  const items: Record<string, AttributeValue>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  client.destroy();
  return items;
};

const schema = eventSchema(todoListUpcasters);

export const readStore = async (endpoint: string): Promise<StoreContents> => {
  const items = await scanAll(endpoint, LOCAL_TABLES.events);
  const streams = new Map<string, Commit<TodoListEvent>[]>();
  for (const item of items) {
    // Read through the upcasters, as the store and the projections do: old shapes fold as current ones.
    const commit = commitFromItem<TodoListEvent>(item, schema);
    const commits = streams.get(commit.streamId) ?? [];
    commits.push(commit);
    streams.set(commit.streamId, commits);
  }
  const store = new InMemoryEventStore();
  const streamsWithGaps: string[] = [];
  const byCorrelationId = new Map<string, Commit<TodoListEvent>[]>();
  for (const [streamId, commits] of streams) {
    commits.sort((a, b) => a.version - b.version);
    if (commits.some((c, i) => c.version !== i + 1)) {
      streamsWithGaps.push(streamId);
      continue;
    }
    for (const commit of commits) {
      await store.append({ ...commit, expectedVersion: commit.version - 1 });
      const id = commit.metadata.correlationId;
      if (id !== undefined) byCorrelationId.set(id, [...(byCorrelationId.get(id) ?? []), commit]);
    }
  }
  return { streams, store, commitCount: items.length, streamsWithGaps, byCorrelationId };
};

/**
 * Reads the store once no new commit has appeared for `quietMs`: requests still in flight
 * when a load stops (their clients gave up) may commit a little later.
 */
export const readSettledStore = async (
  endpoint: string,
  { quietMs = 7_000, timeoutMs = 60_000 } = {},
): Promise<StoreContents> => {
  const { client } = clientsFor(endpoint);
  const count = async () => {
    let total = 0;
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: LOCAL_TABLES.events, Select: 'COUNT', ExclusiveStartKey: startKey }),
      );
      total += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return total;
  };
  const deadline = Date.now() + timeoutMs;
  let last = await count();
  let quietSince = Date.now();
  while (Date.now() - quietSince < quietMs && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1_000));
    const now = await count();
    if (now !== last) quietSince = Date.now();
    last = now;
  }
  client.destroy();
  return readStore(endpoint);
};

const stateAt = (commits: readonly Commit<TodoListEvent>[], version: number): TodoListState =>
  commits
    .filter((c) => c.version <= version)
    .flatMap((c) => c.events)
    .reduce(todoListReducer, null as TodoListState);

/** Does the state at the acknowledged version show what the command asked for? */
const effectHolds = (ack: Ack, state: TodoListState): boolean => {
  if (state === null || state.ownerId !== ack.user) return false;
  const todo = ack.todoId === undefined ? undefined : state.todos.find((t) => t.todoId === ack.todoId);
  const title = ack.title?.trim();
  switch (ack.op) {
    case 'createList':
    case 'renameList':
      return state.title === title;
    case 'archiveList':
      return state.archived;
    case 'addTodo':
    case 'renameTodo':
      return todo !== undefined && todo.title === title;
    case 'completeTodo':
      return todo?.completed === true;
    case 'reopenTodo':
      return todo?.completed === false;
    case 'removeTodo':
      return todo === undefined;
    case 'clearCompleted':
      return state.todos.every((t) => !t.completed);
    default: {
      const exhaustive: never = ack.op;
      throw new Error(`unknown op ${String(exhaustive)}`);
    }
  }
};

export interface AckAudit {
  readonly acknowledged: number;
  /** Acks whose commit is at the version the client was told, with the command's effect. */
  readonly found: number;
  readonly problems: string[];
}

/**
 * Checks each acknowledged command against the store: the stream has a commit at the
 * acknowledged version; the state folded up to it shows the command's effect; if a
 * commit carries the command's correlation id it is that very version and there is only
 * one (nothing doubled); a command with no commit of its own was a no-op. Commands that
 * were refused (`refusedIds`) must have no commit at all.
 */
export const auditAcks = (
  contents: StoreContents,
  acks: readonly Ack[],
  refusedIds: Iterable<string> = [],
): AckAudit => {
  const problems: string[] = [];
  let found = 0;
  for (const ack of acks) {
    const commits = contents.streams.get(ack.listId) ?? [];
    const atVersion = commits.find((c) => c.version === ack.version);
    const own = contents.byCorrelationId.get(ack.correlationId) ?? [];
    const describe = `${ack.op} ${ack.listId}@${ack.version} (${ack.correlationId})`;
    if (!atVersion) problems.push(`${describe}: no commit at that version`);
    else if (own.length > 1) problems.push(`${describe}: ${own.length} commits carry its correlation id`);
    else if (own.length === 1 && (own[0]!.streamId !== ack.listId || own[0]!.version !== ack.version)) {
      problems.push(`${describe}: its commit is at ${own[0]!.streamId}@${own[0]!.version}`);
    } else if (ack.op === 'createList' && own.length !== 1)
      problems.push(`${describe}: the creating commit is not its own`);
    else if (!effectHolds(ack, stateAt(commits, ack.version)))
      problems.push(`${describe}: its effect is not in the store at that version`);
    else found += 1;
  }
  for (const id of refusedIds) {
    const commits = contents.byCorrelationId.get(id) ?? [];
    if (commits.length > 0) problems.push(`refused command ${id} has ${commits.length} commit(s)`);
  }
  return { acknowledged: acks.length, found, problems };
};

/** Commits with a correlation id of this run (`prefix`) that no acknowledgement accounts for. */
export const unacknowledgedCommits = (contents: StoreContents, acks: readonly Ack[], prefix: string) => {
  const acked = new Set(acks.map((a) => a.correlationId));
  return [...contents.byCorrelationId.entries()]
    .filter(([id]) => id.startsWith(prefix) && !acked.has(id))
    .map(([id]) => id);
};

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

export interface ViewAudit {
  /** View items that differ from the fold (lists view items, stats totals, stats checkpoints). */
  readonly differences: number;
  readonly details: string[];
}

/** Compares every lists-view item and every owner's stats with a fresh fold of the store. */
export const auditViews = async (endpoint: string, contents: StoreContents): Promise<ViewAudit> => {
  const { documentClient } = clientsFor(endpoint);
  const scan = async (tableName: string) => {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documentClient.send(
        new DocumentScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  };
  const details: string[] = [];
  const listIds = [...contents.streams.keys()].filter(
    (id) => contents.streams.get(id)![0]?.streamType === TODO_LIST_STREAM_TYPE,
  );
  const views = new Map(
    (await storedListViews(documentClient, LOCAL_TABLES.lists)).map((item) => [item?.listId as string, item]),
  );
  for (const listId of listIds) {
    const expected = await expectedListView(contents.store, listId);
    const actual = views.get(listId);
    if (canonical(actual) !== canonical(expected)) {
      details.push(
        `lists view ${listId}: ${actual ? `version ${String(actual.version)}` : 'missing'}, fold at version ${expected?.version}`,
      );
    }
    views.delete(listId);
  }
  for (const listId of views.keys()) details.push(`lists view ${listId} has no stream`);

  const { totals: statsTotals, headers } = counterViewOfItems(await scan(LOCAL_TABLES.stats));
  const expected = await expectedStats(contents.store, listIds);
  for (const [owner, totals] of expected) {
    const item = statsTotals.get(owner);
    const actual = {
      lists: item?.get('lists') ?? 0,
      openTodos: item?.get('openTodos') ?? 0,
      completedTodos: item?.get('completedTodos') ?? 0,
    };
    if (canonical(actual) !== canonical(totals))
      details.push(`stats of ${owner}: ${canonical(actual)}, fold ${canonical(totals)}`);
    statsTotals.delete(owner);
  }
  for (const listId of listIds) {
    const checkpoint = headers.get(listId);
    const last = contents.streams.get(listId)!.at(-1)!.version;
    if (checkpoint?.version !== last || checkpoint.pending)
      details.push(`stats checkpoint of ${listId}: ${String(checkpoint?.version)}, stream at ${last}`);
  }
  for (const [owner, counts] of statsTotals) {
    if ([...counts.values()].some((n) => n !== 0))
      details.push(`stats total#${owner} counts lists that have no stream`);
  }
  documentClient.destroy();
  return { differences: details.length, details };
};

/**
 * Waits until every view equals the fold of the store (the projections caught up), or the
 * deadline passes; answers the last audit either way. The store must not change meanwhile.
 */
export const waitForViews = async (
  endpoint: string,
  contents: StoreContents,
  timeoutMs: number,
): Promise<ViewAudit> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const audit = await auditViews(endpoint, contents);
    if (audit.differences === 0 || Date.now() > deadline) return audit;
    await new Promise((r) => setTimeout(r, 500));
  }
};

/** Records the local stream runner gave up on (its stand-in for the on-failure queue). */
export const deadLetters = (dataDir: string): string[] => {
  const dir = path.join(dataDir, 'dead-letters');
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  return files.flatMap((file) =>
    readFileSync(path.join(dir, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => `${file}: ${line.slice(0, 300)}`),
  );
};
