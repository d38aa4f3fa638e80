import type { DomainEvent } from '../../src/contracts';

export type ListCreated = DomainEvent<'ListCreated', { listId: string; ownerId: string; title: string }>;
export type ListRenamed = DomainEvent<'ListRenamed', { title: string }>;
export type ListArchived = DomainEvent<'ListArchived', Record<string, never>>;
export type TodoAdded = DomainEvent<'TodoAdded', { todoId: string; title: string }>;
export type TodoRenamed = DomainEvent<'TodoRenamed', { todoId: string; title: string }>;
export type TodoCompleted = DomainEvent<'TodoCompleted', { todoId: string }>;
export type TodoReopened = DomainEvent<'TodoReopened', { todoId: string }>;
export type TodoRemoved = DomainEvent<'TodoRemoved', { todoId: string }>;
export type TodoTagged = DomainEvent<'TodoTagged', { todoId: string; tagId: string }>;
export type TodoUntagged = DomainEvent<'TodoUntagged', { todoId: string; tagId: string }>;
/** The todo left this list for another of its owner's (the same command added it there). */
export type TodoMovedOut = DomainEvent<'TodoMovedOut', { todoId: string; toListId: string }>;
/** A todo arrived from another of the owner's lists, as it was there. */
export type TodoMovedIn = DomainEvent<
  'TodoMovedIn',
  { todoId: string; title: string; completed: boolean; tagIds: readonly string[]; fromListId: string }
>;

export type TodoListEvent =
  | ListCreated
  | ListRenamed
  | ListArchived
  | TodoAdded
  | TodoRenamed
  | TodoCompleted
  | TodoReopened
  | TodoRemoved
  | TodoTagged
  | TodoUntagged
  | TodoMovedOut
  | TodoMovedIn;

export type TodoListEventType = TodoListEvent['type'];

export const TODO_LIST_EVENT_TYPES: readonly TodoListEventType[] = [
  'ListCreated',
  'ListRenamed',
  'ListArchived',
  'TodoAdded',
  'TodoRenamed',
  'TodoCompleted',
  'TodoReopened',
  'TodoRemoved',
  'TodoTagged',
  'TodoUntagged',
  'TodoMovedOut',
  'TodoMovedIn',
];

/** The stream type under which todo lists are stored. */
export const TODO_LIST_STREAM_TYPE = 'todoList';
