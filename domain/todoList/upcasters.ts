import type { Upcasters } from '../../src/contracts';
import type { TodoAdded, TodoListEvent } from './events';

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

export const todoListUpcasters: Upcasters<TodoListEvent> = {
  TodoAdded: [todoAddedV1ToV2],
};
