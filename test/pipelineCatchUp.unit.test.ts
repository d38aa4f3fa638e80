/**
 * Catching up reads only what was missed, and never folds a range onto the wrong state; a
 * load's need for a snapshot survives a lost race; the store and snapshot ports keep their
 * small promises (every commit listed, an older snapshot never replaces a newer one, only a
 * lost race is a ConcurrencyError).
 */
import {
  addTodo,
  completeTodo,
  createList,
  initialTodoListState,
  todoListReducer,
  TODO_LIST_STREAM_TYPE,
  type TodoListEvent,
  type TodoListState,
} from '../domain/todoList';
import {
  CommandPipeline,
  ConcurrencyError,
  InMemoryEventStore,
  InMemorySnapshotStore,
  isConcurrencyError,
  isKeyTakenError,
  isLiveKey,
  KeyTakenError,
  StateCache,
  type CommandPipelineOptions,
  type ReadStreamOptions,
} from '../src';
import { rivalCommit, rivalWritesFirst } from './support/rivalWriter';

const ctx = { userId: 'alice', now: '2026-01-01T00:00:00.000Z' };
const aggregate = { streamType: TODO_LIST_STREAM_TYPE, initialState: initialTodoListState, reducer: todoListReducer };
const flush = () => new Promise((resolve) => setImmediate(resolve));
type Options = Partial<CommandPipelineOptions<TodoListState, TodoListEvent>>;
const pipelineOn = (store: InMemoryEventStore, options: Options = {}) =>
  new CommandPipeline<TodoListState, TodoListEvent>({ store, aggregate, ...options });
const add = (todoId: string) => ({
  streamId: 'l1',
  action: addTodo,
  payload: { listId: 'l1', todoId, title: todoId },
  ctx,
});

const readsOf = (store: InMemoryEventStore) => {
  const reads: (ReadStreamOptions | 'the whole stream')[] = [];
  const read = store.readStream.bind(store);
  jest.spyOn(store, 'readStream').mockImplementation((streamId, options) => {
    reads.push(options ?? 'the whole stream');
    return read(streamId, options);
  });
  return reads;
};

describe('catching up a cached state', () => {
  it('reads nothing more than the commits after it when there are none: the refusal stands', async () => {
    const store = new InMemoryEventStore();
    const mine = pipelineOn(store, { cache: new StateCache(10) });
    await mine.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    const reads = readsOf(store);
    const error = await mine
      .run({ streamId: 'l1', action: completeTodo, payload: { listId: 'l1', todoId: 'nope' }, ctx })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TODO_NOT_FOUND' });
    expect(reads).toEqual([{ fromVersion: 2 }]);
  });

  it('reads only the commits it missed, once, when another container wrote some', async () => {
    const store = new InMemoryEventStore();
    const mine = pipelineOn(store, { cache: new StateCache(10) });
    await mine.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    await pipelineOn(store).run(add('t1'));
    const reads = readsOf(store);
    const result = await mine.run({
      streamId: 'l1',
      action: completeTodo,
      payload: { listId: 'l1', todoId: 't1' },
      ctx,
    });
    expect(result.version).toBe(3);
    expect(reads).toEqual([{ fromVersion: 2 }]);
  });

  it('folds a range that does not start right after its version only after a full reload', async () => {
    const store = new InMemoryEventStore();
    const mine = pipelineOn(store, { cache: new StateCache(10) });
    await mine.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    await mine.run(add('t1'));
    await pipelineOn(store).run(add('t2'));
    // A store that answers a catch-up from one commit too early: folding it would add t1 twice.
    const read = store.readStream.bind(store);
    jest
      .spyOn(store, 'readStream')
      .mockImplementation((streamId, options) =>
        read(streamId, options?.fromVersion ? { ...options, fromVersion: options.fromVersion - 1 } : options),
      );
    const result = await mine.run({
      streamId: 'l1',
      action: completeTodo,
      payload: { listId: 'l1', todoId: 't2' },
      ctx,
    });
    expect(result.version).toBe(4);
    expect(result.state?.todos.map((t) => [t.todoId, t.completed])).toEqual([
      ['t1', false],
      ['t2', true],
    ]);
  });
});

describe('loading', () => {
  it('says where the state came from: the store', async () => {
    const store = new InMemoryEventStore();
    await pipelineOn(store).run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    expect(await pipelineOn(store).load('l1')).toMatchObject({ version: 1, snapshotVersion: 0, source: 'store' });
  });

  it('that needed a snapshot still takes one after losing a race and catching up', async () => {
    const store = new InMemoryEventStore();
    const plain = pipelineOn(store);
    await plain.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    for (let i = 2; i <= 22; i += 1) await plain.run(add(`t${i}`));
    const snapshots = new InMemorySnapshotStore();
    // No snapshot at all: the load reads from the start and asks for one.
    rivalWritesFirst(store, (write, ours) =>
      write(rivalCommit(ours, [{ type: 'TodoAdded', data: { todoId: 'rival', title: 'rival' } }], 'rival')),
    );
    const result = await pipelineOn(store, { snapshots: { store: snapshots, every: 5 } }).run(add('mine'));
    await flush();
    expect(result.version).toBe(24);
    expect(await snapshots.get('l1')).toMatchObject({ version: 24, state: result.state });
  });
});

describe('the ports', () => {
  it('InMemoryEventStore lists every commit of every stream', async () => {
    const store = new InMemoryEventStore();
    await pipelineOn(store).run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'One' }, ctx });
    await pipelineOn(store).run({ streamId: 'l2', action: createList, payload: { listId: 'l2', title: 'Two' }, ctx });
    await pipelineOn(store).run({ ...add('t'), streamId: 'l2', payload: { listId: 'l2', todoId: 't', title: 't' } });
    expect(store.allCommits().map((c) => [c.streamId, c.version])).toEqual([
      ['l1', 1],
      ['l2', 1],
      ['l2', 2],
    ]);
  });

  it('InMemorySnapshotStore never replaces a snapshot with an older one', async () => {
    const snapshots = new InMemorySnapshotStore();
    await snapshots.put({ streamId: 'l1', version: 5, reducerVersion: '1', state: 'five' });
    await snapshots.put({ streamId: 'l1', version: 3, reducerVersion: '1', state: 'three' });
    expect(await snapshots.get('l1')).toMatchObject({ version: 5, state: 'five' });
    await snapshots.put({ streamId: 'l1', version: 6, reducerVersion: '1', state: 'six' });
    expect(await snapshots.get('l1')).toMatchObject({ version: 6, state: 'six' });
  });

  it('isConcurrencyError is true for a lost race only, whatever else a store rejects with', () => {
    expect(isConcurrencyError(new ConcurrencyError('l1', 3))).toBe(true);
    for (const other of [
      undefined,
      null,
      'lost',
      0,
      new Error('Stream l1 is past version 3'),
      { isConcurrencyError: 'yes' },
    ]) {
      expect(isConcurrencyError(other)).toBe(false);
    }
  });

  it('isKeyTakenError is true for a recorded key only, whatever else a store rejects with', () => {
    expect(isKeyTakenError(new KeyTakenError('k1'))).toBe(true);
    for (const other of [
      undefined,
      null,
      'taken',
      0,
      new ConcurrencyError('l1', 3),
      new Error('Command key k1 is already recorded'),
      { isKeyTakenError: 'yes' },
    ]) {
      expect(isKeyTakenError(other)).toBe(false);
    }
  });

  it('a key stops counting at its expiry second', () => {
    expect(isLiveKey({ expiresAt: 100 }, 99.5)).toBe(true);
    expect(isLiveKey({ expiresAt: 100 }, 100)).toBe(false);
    expect(isLiveKey({ expiresAt: 100 }, 101)).toBe(false);
  });
});
