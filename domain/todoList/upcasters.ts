import type { Upcasters } from '../../src/contracts';
import { isMintedId } from '../mintedIds';
import type { TodoAdded, TodoListEvent, TodoTagged, TodoUntagged } from './events';

/**
 * How stored todo-list events of older shapes become today's. Pure; applied on every
 * read (commands, projections, the events route), so nothing else sees an old shape.
 */

/** The first release called a todo's title `text`. */
export interface TodoAddedV1 {
  readonly todoId: string;
  readonly text: string;
}

export const todoAddedV1ToV2 = (v1: TodoAddedV1): TodoAdded['data'] => ({ todoId: v1.todoId, title: v1.text });

/**
 * Version 2 of TodoTagged and TodoUntagged: the todo and tag ids are ones the kit minted. Before
 * the edge checked ids, a tag id such as `constructor` could be stored (the tags state read it
 * off Object.prototype as a live tag) and poisoned the tag counts of the list's owner. Such an
 * id never named a tag the user created, so the event meant nothing: it is dropped on read.
 */
export const withMintedTodoTagIds = <D extends { readonly todoId: string; readonly tagId: string }>(
  data: D,
): D | null => (isMintedId(data.todoId) && isMintedId(data.tagId) ? data : null);

export const todoListUpcasters: Upcasters<TodoListEvent> = {
  TodoAdded: [todoAddedV1ToV2],
  TodoTagged: [withMintedTodoTagIds<TodoTagged['data']>],
  TodoUntagged: [withMintedTodoTagIds<TodoUntagged['data']>],
};
