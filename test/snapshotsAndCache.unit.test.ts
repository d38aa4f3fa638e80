import {
  addTodo,
  completeTodo,
  createList,
  initialTodoListState,
  removeTodo,
  reopenTodo,
  todoListReducer,
  TODO_LIST_STREAM_TYPE,
  type TodoListEvent,
  type TodoListState,
} from '../domain/todoList';
import {
  CommandPipeline,
  InMemoryEventStore,
  InMemorySnapshotStore,
  StateCache,
  type CommandPipelineOptions,
  type EventStore,
} from '../src';
import { rivalCommit, rivalWritesFirst } from './support/rivalWriter';
import { seededRandom } from './support/streamHarness';
import { runTodoWorkload } from './support/todoWorkload';

const ctx = { userId: 'alice', now: '2026-01-01T00:00:00.000Z' };
const aggregate = { streamType: TODO_LIST_STREAM_TYPE, initialState: initialTodoListState, reducer: todoListReducer };
type Options = Partial<CommandPipelineOptions<TodoListState, TodoListEvent>>;
const pipelineOn = (store: EventStore, options: Options = {}) =>
  new CommandPipeline<TodoListState, TodoListEvent>({ store, aggregate, ...options });
const flush = () => new Promise((resolve) => setImmediate(resolve));

const listWithTodos = async (pipeline: CommandPipeline<TodoListState, TodoListEvent>, n: number) => {
  await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
  for (let i = 0; i < n; i += 1) {
    await pipeline.run({
      streamId: 'l1',
      action: addTodo,
      payload: { listId: 'l1', todoId: `t${i}`, title: `t${i}` },
      ctx,
    });
  }
};

describe('snapshots', () => {
  it('are taken every N commits and loading from them gives the same state as a full fold', async () => {
    const store = new InMemoryEventStore();
    const snapshots = new InMemorySnapshotStore();
    const pipeline = pipelineOn(store, { snapshots: { store: snapshots, every: 5 } });
    await listWithTodos(pipeline, 22);
    await flush();
    expect((await snapshots.get('l1'))?.version).toBe(20);
    const plain = await pipelineOn(store).load('l1');
    const fromSnapshot = await pipeline.load('l1');
    expect(fromSnapshot.snapshotVersion).toBe(20);
    expect(fromSnapshot.state).toEqual(plain.state);
    expect(fromSnapshot.version).toBe(23);
  });

  it('keep the fold equal to the plain fold over a random workload', async () => {
    const store = new InMemoryEventStore();
    const snapshots = new InMemorySnapshotStore();
    // The workload drives the plain pipeline; the snapshotting one reads the same streams.
    const { listIds } = await runTodoWorkload(store, { commands: 150, random: seededRandom(3) });
    const snapshotting = pipelineOn(store, { snapshots: { store: snapshots, every: 3 } });
    // Honest snapshots two commits behind the head of every stream.
    for (const listId of listIds) {
      const commits = await store.readStream<TodoListEvent>(listId);
      const at = Math.max(1, commits.length - 2);
      const state = commits
        .slice(0, at)
        .flatMap((c) => c.events)
        .reduce(todoListReducer, initialTodoListState);
      await snapshots.put({ streamId: listId, version: at, reducerVersion: '1', state });
    }
    let fromSnapshots = 0;
    for (const listId of listIds) {
      const loaded = await snapshotting.load(listId);
      if (loaded.snapshotVersion > 0) fromSnapshots += 1;
      expect(loaded.state).toEqual((await pipelineOn(store).load(listId)).state);
    }
    expect(fromSnapshots).toBe(listIds.length);
  });

  it('from another reducer version are ignored', async () => {
    const store = new InMemoryEventStore();
    const snapshots = new InMemorySnapshotStore();
    await listWithTodos(pipelineOn(store), 5);
    await snapshots.put({
      streamId: 'l1',
      version: 5,
      reducerVersion: 'old',
      state: { bogus: true } as unknown as TodoListState,
    });
    const pipeline = pipelineOn(store, { snapshots: { store: snapshots, every: 2 } });
    // The tail read (2 × every = 4 commits) does not reach the start, so the pipeline must read the rest.
    const loaded = await pipeline.load('l1');
    expect(loaded.snapshotVersion).toBe(0);
    expect(loaded.state?.todos).toHaveLength(5);
  });

  it('are taken at once by a command on a long stream that has none (an old stream, or a new reducer version)', async () => {
    const store = new InMemoryEventStore();
    await listWithTodos(pipelineOn(store), 12);
    const snapshots = new InMemorySnapshotStore();
    const pipeline = pipelineOn(store, { snapshots: { store: snapshots, every: 3 } });
    const reads = jest.spyOn(store, 'readStream');
    await pipeline.run({ streamId: 'l1', action: addTodo, payload: { listId: 'l1', todoId: 'x', title: 'x' }, ctx });
    await flush();
    expect((await snapshots.get('l1'))?.version).toBe(14);
    // The next load reads the tail and the snapshot only.
    reads.mockClear();
    expect((await pipeline.load('l1')).snapshotVersion).toBe(14);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('taken by a command that lost a race and caught up hold the full fold of the stream', async () => {
    const store = new InMemoryEventStore();
    const snapshots = new InMemorySnapshotStore();
    const pipeline = pipelineOn(store, { snapshots: { store: snapshots, every: 3 } });
    await listWithTodos(pipeline, 0);
    // A rival writes version 2 between our load (version 1) and our append: ours lands on 3, a multiple of every.
    rivalWritesFirst(store, (write, ours) =>
      write(rivalCommit(ours, [{ type: 'TodoAdded', data: { todoId: 'rival', title: 'rival' } }], 'rival')),
    );
    const result = await pipeline.run({
      streamId: 'l1',
      action: addTodo,
      payload: { listId: 'l1', todoId: 'mine', title: 'mine' },
      ctx,
    });
    await flush();
    expect(result.version).toBe(3);
    const snapshot = await snapshots.get<TodoListState>('l1');
    expect(snapshot?.version).toBe(3);
    expect(snapshot?.state).toEqual((await pipelineOn(store).load('l1')).state);
    expect(snapshot?.state?.todos.map((t) => t.todoId)).toEqual(['rival', 'mine']);
  });

  it('never fail or block the command when taking one fails', async () => {
    const store = new InMemoryEventStore();
    const snapshots = new InMemorySnapshotStore();
    jest.spyOn(snapshots, 'put').mockRejectedValue(new Error('snapshot table down'));
    const errors: unknown[] = [];
    const pipeline = pipelineOn(store, { snapshots: { store: snapshots, every: 1, onError: (e) => errors.push(e) } });
    await listWithTodos(pipeline, 3);
    await flush();
    expect(await store.readStream('l1')).toHaveLength(4);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('still load correctly when the snapshot store cannot be read', async () => {
    const store = new InMemoryEventStore();
    const snapshots = new InMemorySnapshotStore();
    const pipeline = pipelineOn(store, { snapshots: { store: snapshots, every: 2 } });
    await listWithTodos(pipeline, 9);
    jest.spyOn(snapshots, 'get').mockRejectedValue(new Error('down'));
    expect((await pipeline.load('l1')).state?.todos).toHaveLength(9);
  });
});

describe('warm state cache', () => {
  it('skips the read on a warm stream', async () => {
    const store = new InMemoryEventStore();
    const pipeline = pipelineOn(store, { cache: new StateCache(10) });
    await listWithTodos(pipeline, 1);
    const reads = jest.spyOn(store, 'readStream');
    // The in-memory store loads a stream by folding it itself: no fold either.
    const folds = jest.spyOn(store, 'foldStream');
    await pipeline.run({ streamId: 'l1', action: addTodo, payload: { listId: 'l1', todoId: 'x', title: 'x' }, ctx });
    expect(reads).not.toHaveBeenCalled();
    expect(folds).not.toHaveBeenCalled();
    expect((await pipelineOn(store).load('l1')).state?.todos.map((t) => t.todoId)).toEqual(['t0', 'x']);
  });

  it('recovers when another container wrote in between: the append fails, the pipeline reloads', async () => {
    const store = new InMemoryEventStore();
    const mine = pipelineOn(store, { cache: new StateCache(10) });
    const theirs = pipelineOn(store, { cache: new StateCache(10) });
    await listWithTodos(mine, 1);
    await theirs.run({
      streamId: 'l1',
      action: addTodo,
      payload: { listId: 'l1', todoId: 'theirs', title: 'theirs' },
      ctx,
    });
    const result = await mine.run({
      streamId: 'l1',
      action: addTodo,
      payload: { listId: 'l1', todoId: 'mine', title: 'mine' },
      ctx,
    });
    expect(result.version).toBe(4);
    expect(result.state?.todos.map((t) => t.todoId)).toEqual(['t0', 'theirs', 'mine']);
  });

  it('never refuses a command on a stale state: a domain error is re-checked on a fresh read', async () => {
    const store = new InMemoryEventStore();
    const mine = pipelineOn(store, { cache: new StateCache(10) });
    await listWithTodos(mine, 0);
    // Another container adds a todo my cache has never seen.
    await pipelineOn(store).run({
      streamId: 'l1',
      action: addTodo,
      payload: { listId: 'l1', todoId: 'new', title: 'new' },
      ctx,
    });
    const reads = jest.spyOn(store, 'readStream');
    const result = await mine.run({
      streamId: 'l1',
      action: completeTodo,
      payload: { listId: 'l1', todoId: 'new' },
      ctx,
    });
    expect(result.version).toBe(3);
    // It caught up from the cached version (1): one read of the commits it had not seen.
    expect(reads.mock.calls.map(([, options]) => options)).toEqual([{ fromVersion: 2 }]);
  });

  it('refuses on a cached state only after catching up shows the refusal stands', async () => {
    const store = new InMemoryEventStore();
    const mine = pipelineOn(store, { cache: new StateCache(10) });
    await listWithTodos(mine, 1);
    // Elsewhere the todo is removed; my cache still has it, so only the catch-up can tell.
    await pipelineOn(store).run({ streamId: 'l1', action: removeTodo, payload: { listId: 'l1', todoId: 't0' }, ctx });
    const error = await mine
      .run({ streamId: 'l1', action: completeTodo, payload: { listId: 'l1', todoId: 't0' }, ctx })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TODO_NOT_FOUND', httpStatus: 404 });
    expect(await store.readStream('l1')).toHaveLength(3);
  });

  it('never answers "nothing changed" from a stale state', async () => {
    const store = new InMemoryEventStore();
    const mine = pipelineOn(store, { cache: new StateCache(10) });
    await listWithTodos(mine, 1);
    await mine.run({ streamId: 'l1', action: completeTodo, payload: { listId: 'l1', todoId: 't0' }, ctx });
    // Elsewhere the todo is reopened; my cache still says completed.
    await pipelineOn(store).run({ streamId: 'l1', action: reopenTodo, payload: { listId: 'l1', todoId: 't0' }, ctx });
    const result = await mine.run({
      streamId: 'l1',
      action: completeTodo,
      payload: { listId: 'l1', todoId: 't0' },
      ctx,
    });
    expect(result.events).toHaveLength(1);
    expect(result.version).toBe(5);
  });

  it('is bounded: the least recently used stream is evicted', () => {
    const cache = new StateCache<number>(2);
    cache.set('a', { state: 1, version: 1 });
    cache.set('b', { state: 2, version: 1 });
    cache.get('a');
    cache.set('c', { state: 3, version: 1 });
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.state).toBe(1);
  });
});
