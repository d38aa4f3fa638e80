import type { TodoListEvent } from '../../domain/todoList';
import { listsView, statsView } from '../../handlers/views';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expectedCounterTotals, expectedStreamViewItem, storedStreamViews } from '../../src/ops/appOps';
import { getOwn, readCounterTotals, type EventStore } from '../../src';

/** An owner's stats as stored (a counter back at 0 is deleted: read as 0). */
export const storedStats = async (documentClient: DynamoDBDocumentClient, tableName: string, owner: string) => {
  const totals = await readCounterTotals(documentClient, tableName, owner);
  return {
    lists: getOwn(totals, 'lists') ?? 0,
    openTodos: getOwn(totals, 'openTodos') ?? 0,
    completedTodos: getOwn(totals, 'completedTodos') ?? 0,
  };
};

// The folds themselves live in the kit (src/ops/appOps.ts, shared with `npm run verify`); these read the store for them.

/** What the lists view item of a stream must be: a fresh fold of the event store. */
export const expectedListView = async (store: EventStore, listId: string, upToVersion?: number) =>
  expectedStreamViewItem(
    listsView,
    await store.readStream<TodoListEvent>(listId, upToVersion === undefined ? {} : { toVersion: upToVersion }),
  );

/** Per-owner stats as a fresh fold of every list stream (every counter, zeros included). */
export const expectedStats = async (store: EventStore, listIds: readonly string[]) => {
  const totals = expectedCounterTotals(
    statsView,
    await Promise.all(listIds.map((listId) => store.readStream<TodoListEvent>(listId))),
  );
  return new Map(
    [...totals].map(([owner, t]) => [
      owner,
      { lists: t.lists ?? 0, openTodos: t.openTodos ?? 0, completedTodos: t.completedTodos ?? 0 },
    ]),
  );
};

/**
 * The lists view as stored, one item per list as a reader sees it (its header and its todos
 * joined, in their order); a list whose large write is still under way is marked `claimed`.
 */
export const storedListViews = async (documentClient: DynamoDBDocumentClient, tableName: string) =>
  [...(await storedStreamViews(documentClient, tableName, listsView)).values()].map(({ view, claimed }) =>
    claimed ? { ...view, claimed } : view,
  );
