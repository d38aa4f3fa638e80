/**
 * A command that first decided on a stale cached state has not spent an attempt: catching up
 * on a warm stream is not a lost race, so `maxAttempts` still allows as many races as without
 * a cache. And the cache itself never grows on a miss and forgets what it is told to.
 */
import {
  addTodo,
  completeTodo,
  createList,
  initialTodoListState,
  reopenTodo,
  todoListReducer,
  TODO_LIST_STREAM_TYPE,
  type TodoListEvent,
  type TodoListState,
} from '../domain/todoList';
import { CommandPipeline, InMemoryEventStore, StateCache, type Action } from '../src';
import { rivalCommit, rivalWritesFirst } from './support/rivalWriter';

const ctx = { userId: 'alice', now: '2026-01-01T00:00:00.000Z' };
const aggregate = { streamType: TODO_LIST_STREAM_TYPE, initialState: initialTodoListState, reducer: todoListReducer };
const rivalTodo = { type: 'TodoAdded', data: { todoId: 'rival', title: 'rival' } } as const;

/** My container (cache, at most 2 attempts) has list l1 with todo t1 cached at version 2; another wrote version 3. */
const staleWarmStream = async (elsewhere: Action<TodoListState, { listId: string; todoId: string }, TodoListEvent>) => {
  const store = new InMemoryEventStore();
  const mine = new CommandPipeline<TodoListState, TodoListEvent>({
    store,
    aggregate,
    cache: new StateCache(10),
    maxAttempts: 2,
  });
  await mine.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
  await mine.run({ streamId: 'l1', action: addTodo, payload: { listId: 'l1', todoId: 't1', title: 't1' }, ctx });
  await new CommandPipeline<TodoListState, TodoListEvent>({ store, aggregate }).run({
    streamId: 'l1',
    action: elsewhere,
    payload: { listId: 'l1', todoId: 't1' },
    ctx,
  });
  // My next append loses one race as well.
  rivalWritesFirst(store, (write, ours) => write(rivalCommit(ours, [rivalTodo], 'rival')));
  return mine;
};

describe('a command on a stale cached state', () => {
  it('that the stale state refused still has all its attempts for a lost race', async () => {
    // Elsewhere t1 was completed: my cache says open, so reopening looks like "nothing changes".
    const mine = await staleWarmStream(completeTodo);
    const result = await mine.run({ streamId: 'l1', action: reopenTodo, payload: { listId: 'l1', todoId: 't1' }, ctx });
    expect(result.version).toBe(5);
    expect(result.state?.todos.map((t) => [t.todoId, t.completed])).toEqual([
      ['t1', false],
      ['rival', false],
    ]);
  });

  it('that a stale state made throw still has all its attempts for a lost race', async () => {
    const addsT2AfterT1Completed: Action<TodoListState, { listId: string; todoId: string }, TodoListEvent> = (
      state,
      payload,
      c,
    ) => {
      if (!state?.todos.find((t) => t.todoId === payload.todoId)?.completed) throw new Error('t1 is not completed yet');
      return addTodo(state, { listId: payload.listId, todoId: 't2', title: 't2' }, c);
    };
    const mine = await staleWarmStream(completeTodo);
    const result = await mine.run({
      streamId: 'l1',
      action: addsT2AfterT1Completed,
      payload: { listId: 'l1', todoId: 't1' },
      ctx,
    });
    expect(result.version).toBe(5);
    expect(result.state?.todos.map((t) => t.todoId)).toEqual(['t1', 'rival', 't2']);
  });
});

describe('StateCache', () => {
  it('stores nothing on a miss, so a miss never pushes a cached stream out', () => {
    const cache = new StateCache<number>(1);
    cache.set('a', { state: 1, version: 1 });
    expect(cache.get('b')).toBeUndefined();
    expect(cache.size).toBe(1);
    expect(cache.get('a')).toEqual({ state: 1, version: 1 });
  });

  it('forgets a deleted stream', () => {
    const cache = new StateCache<number>(10);
    cache.set('a', { state: 1, version: 1 });
    cache.set('b', { state: 2, version: 1 });
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toEqual({ state: 2, version: 1 });
    expect(cache.size).toBe(1);
  });

  it('keeps the latest entry of a stream set twice', () => {
    const cache = new StateCache<number>(2);
    cache.set('a', { state: 1, version: 1 });
    cache.set('a', { state: 2, version: 2 });
    expect(cache.size).toBe(1);
    expect(cache.get('a')).toEqual({ state: 2, version: 2 });
  });
});
