/**
 * The todo app's decider spec, built with the kit's given / when / then (src/testing).
 */
import { initialTodoListState, todoListReducer, type TodoListEvent, type TodoListState } from '../../domain/todoList';
import { decider, type DeciderSpec } from '../../src/testing';

/** The todo-list decider: events folded with `todoListReducer` from `initialTodoListState`. */
export const todoListSpec: DeciderSpec<TodoListState, TodoListEvent> = decider(todoListReducer, initialTodoListState);
