import type { TodoListEvent } from '../../domain/todoList';
import { expectedListItem, expectedOwnerStats } from '../../projections/views';
import type { EventStore } from '../../src';

// The folds themselves live in projections/views.ts (shared with `npm run verify`); these read the store for them.

/** What the lists view item of a stream must be: a fresh fold of the event store. */
export const expectedListView = async (store: EventStore, listId: string, upToVersion?: number) =>
  expectedListItem(await store.readStream<TodoListEvent>(listId, upToVersion === undefined ? {} : { toVersion: upToVersion }));

/** Per-owner stats as a fresh fold of every list stream. */
export const expectedStats = async (store: EventStore, listIds: readonly string[]) =>
  expectedOwnerStats(await Promise.all(listIds.map((listId) => store.readStream<TodoListEvent>(listId))));
