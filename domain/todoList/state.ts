import type { TodoListEvent } from './events';

export interface Todo {
  readonly todoId: string;
  readonly title: string;
  readonly completed: boolean;
  /** The ids of the tags on the todo, in the order they were put on; absent when none. */
  readonly tagIds?: readonly string[];
}

export interface TodoList {
  readonly listId: string;
  readonly ownerId: string;
  readonly title: string;
  readonly archived: boolean;
  /** In the order they were added. */
  readonly todos: readonly Todo[];
}

/** `null` until the list is created. */
export type TodoListState = TodoList | null;

export const initialTodoListState: TodoListState = null;

const updateTodo = (list: TodoList, todoId: string, change: Partial<Todo>): TodoList => ({
  ...list,
  todos: list.todos.map((todo) => (todo.todoId === todoId ? { ...todo, ...change } : todo)),
});

const withTagIds = (todo: Todo, tagIds: readonly string[]): Todo => {
  const { tagIds: _old, ...rest } = todo;
  return tagIds.length === 0 ? rest : { ...rest, tagIds };
};

const retagTodo = (
  list: TodoList,
  todoId: string,
  change: (tagIds: readonly string[]) => readonly string[],
): TodoList => ({
  ...list,
  todos: list.todos.map((todo) => (todo.todoId === todoId ? withTagIds(todo, change(todo.tagIds ?? [])) : todo)),
});

/** Folds one event into a list. Pure; events arrive already validated by the actions. */
export const todoListReducer = (state: TodoListState, event: TodoListEvent): TodoListState => {
  if (event.type === 'ListCreated') {
    const { listId, ownerId, title } = event.data;
    return { listId, ownerId, title, archived: false, todos: [] };
  }
  if (state === null) return state;
  switch (event.type) {
    case 'ListRenamed':
      return { ...state, title: event.data.title };
    case 'ListArchived':
      return { ...state, archived: true };
    case 'TodoAdded':
      return {
        ...state,
        todos: [...state.todos, { todoId: event.data.todoId, title: event.data.title, completed: false }],
      };
    case 'TodoRenamed':
      return updateTodo(state, event.data.todoId, { title: event.data.title });
    case 'TodoCompleted':
      return updateTodo(state, event.data.todoId, { completed: true });
    case 'TodoReopened':
      return updateTodo(state, event.data.todoId, { completed: false });
    case 'TodoRemoved':
    case 'TodoMovedOut':
      return { ...state, todos: state.todos.filter((todo) => todo.todoId !== event.data.todoId) };
    case 'TodoMovedIn': {
      const { todoId, title, completed, tagIds } = event.data;
      return { ...state, todos: [...state.todos, withTagIds({ todoId, title, completed }, tagIds)] };
    }
    case 'TodoTagged':
      return retagTodo(state, event.data.todoId, (ids) => [...ids, event.data.tagId]);
    case 'TodoUntagged':
      return retagTodo(state, event.data.todoId, (ids) => ids.filter((id) => id !== event.data.tagId));
    default: {
      const exhaustive: never = event;
      throw new Error(`Unknown event ${JSON.stringify(exhaustive)}`);
    }
  }
};

/** Folds a sequence of events from a starting state. */
export const foldTodoList = (events: readonly TodoListEvent[], from: TodoListState = initialTodoListState) =>
  events.reduce(todoListReducer, from);
