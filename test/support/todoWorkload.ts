import { randomUUID } from 'node:crypto';
import {
  addTodo,
  archiveList,
  clearCompleted,
  completeTodo,
  createList,
  initialTodoListState,
  removeTodo,
  renameList,
  renameTodo,
  reopenTodo,
  todoListReducer,
  TODO_LIST_STREAM_TYPE,
  type TodoListEvent,
  type TodoListState,
} from '../../domain/todoList';
import { CommandPipeline, isHttpMappableError, type EventStore } from '../../src';

/**
 * Runs a random but reproducible mix of todo commands through the real pipeline:
 * several owners, several lists each, adds, completes, reopens, renames, removals,
 * clear-completed (many events in one commit) and archives. Returns the list ids.
 */
export const runTodoWorkload = async (
  store: EventStore,
  { owners = ['alice', 'bob'], listsPerOwner = 3, commands = 120, random = Math.random } = {},
): Promise<{ listIds: string[]; owners: string[] }> => {
  const pipeline = new CommandPipeline<TodoListState, TodoListEvent>({
    store,
    aggregate: { streamType: TODO_LIST_STREAM_TYPE, initialState: initialTodoListState, reducer: todoListReducer },
  });
  const lists: { listId: string; owner: string }[] = [];
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  const ctx = (userId: string) => {
    clock += 1000;
    return { userId, now: new Date(clock).toISOString() };
  };
  for (const owner of owners) {
    for (let i = 0; i < listsPerOwner; i += 1) {
      const listId = randomUUID();
      await pipeline.run({
        streamId: listId,
        action: createList,
        payload: { listId, title: `${owner} list ${i}` },
        ctx: ctx(owner),
      });
      lists.push({ listId, owner });
    }
  }
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
  for (let n = 0; n < commands; n += 1) {
    const target = pick(lists)!;
    const { state } = await pipeline.load(target.listId);
    const todo = pick(state?.todos ?? []);
    const roll = random();
    const base = { listId: target.listId };
    const run = <P>(action: Parameters<typeof pipeline.run<P>>[0]['action'], payload: P) =>
      pipeline.run({
        streamId: target.listId,
        action,
        payload,
        ctx: ctx(target.owner),
        metadata: { userId: target.owner },
      });
    try {
      if (roll < 0.4 || !todo) await run(addTodo, { ...base, todoId: randomUUID(), title: `todo ${n}` });
      else if (roll < 0.6) await run(completeTodo, { ...base, todoId: todo.todoId });
      else if (roll < 0.68) await run(reopenTodo, { ...base, todoId: todo.todoId });
      else if (roll < 0.76) await run(renameTodo, { ...base, todoId: todo.todoId, title: `renamed ${n}` });
      else if (roll < 0.84) await run(removeTodo, { ...base, todoId: todo.todoId });
      else if (roll < 0.92) await run(clearCompleted, base);
      else if (roll < 0.995) await run(renameList, { ...base, title: `list renamed ${n}` });
      else await run(archiveList, base);
    } catch (error) {
      // An archived list refuses changes: that is the domain working, not a test failure.
      if (!isHttpMappableError(error) || error.code !== 'LIST_ARCHIVED') throw error;
    }
  }
  return { listIds: lists.map((l) => l.listId), owners };
};
