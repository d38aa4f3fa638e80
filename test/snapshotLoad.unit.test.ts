/**
 * How `CommandPipeline.load` combines a snapshot with the stream's tail, and what a snapshot
 * it cannot trust costs. Every case compares with the plain fold of the whole stream: a load
 * from snapshots is an optimisation and must give exactly that state.
 */
import {
  addTodo,
  createList,
  initialTodoListState,
  todoListReducer,
  TODO_LIST_STREAM_TYPE,
  type TodoListEvent,
  type TodoListState,
} from '../domain/todoList';
import {
  CommandPipeline,
  InMemoryEventStore,
  InMemorySnapshotStore,
  type ReadStreamOptions,
  type Snapshot,
  type SnapshotStore,
} from '../src';

const ctx = { userId: 'alice', now: '2026-01-01T00:00:00.000Z' };
const aggregate = { streamType: TODO_LIST_STREAM_TYPE, initialState: initialTodoListState, reducer: todoListReducer };
const EVERY = 2; // the tail read is the last 2 × EVERY = 4 commits
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** A list with `commits` commits written without snapshots, and a spy on every read of it. */
const streamOf = async (commits: number) => {
  const store = new InMemoryEventStore();
  const plain = new CommandPipeline<TodoListState, TodoListEvent>({ store, aggregate });
  await plain.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
  for (let i = 2; i <= commits; i += 1) {
    await plain.run({
      streamId: 'l1',
      action: addTodo,
      payload: { listId: 'l1', todoId: `t${i}`, title: `todo ${i}` },
      ctx,
    });
  }
  const reads: ReadStreamOptions[] = [];
  const read = store.readStream.bind(store);
  jest.spyOn(store, 'readStream').mockImplementation((streamId, options = {}) => {
    reads.push(options);
    return read(streamId, options);
  });
  const foldTo = async (version: number) =>
    (await read<TodoListEvent>('l1', { toVersion: version }))
      .flatMap((c) => c.events)
      .reduce(todoListReducer, initialTodoListState);
  return { store, reads, foldTo, full: await foldTo(commits) };
};

const honestSnapshot = async (
  foldTo: (v: number) => Promise<TodoListState>,
  version: number,
): Promise<Snapshot<TodoListState>> => ({
  streamId: 'l1',
  version,
  reducerVersion: '1',
  state: await foldTo(version),
});

const pipelineWith = (store: InMemoryEventStore, snapshots: SnapshotStore, onError?: (error: unknown) => void) =>
  new CommandPipeline<TodoListState, TodoListEvent>({
    store,
    aggregate,
    snapshots: { store: snapshots, every: EVERY, onError },
  });

describe('loading with snapshots', () => {
  it('reads a short stream in one request and never asks the snapshot store', async () => {
    const { store, reads, full, foldTo } = await streamOf(2 * EVERY);
    const snapshots = new InMemorySnapshotStore();
    // A snapshot is there, but the tail holds the whole stream: the fold starts from the beginning.
    await snapshots.put(await honestSnapshot(foldTo, EVERY));
    const get = jest.spyOn(snapshots, 'get');
    const pipeline = pipelineWith(store, snapshots);
    for (let i = 0; i < 2; i += 1) {
      expect(await pipeline.load('l1')).toEqual({
        state: full,
        version: 2 * EVERY,
        snapshotVersion: 0,
        source: 'store',
      });
    }
    expect(reads).toEqual([
      { last: 2 * EVERY, withSnapshots: true },
      { last: 2 * EVERY, withSnapshots: true },
    ]);
    expect(get).not.toHaveBeenCalled();
  });

  it('reads a stream it has seen long with its snapshot at once: the snapshot is asked for before the tail answers', async () => {
    const { store, full, foldTo } = await streamOf(3 * EVERY);
    const snapshots = new InMemorySnapshotStore();
    await snapshots.put(await honestSnapshot(foldTo, 2 * EVERY));
    const order: string[] = [];
    jest.spyOn(store, 'readStream').mockImplementation(async (streamId, options) => {
      order.push('tail asked');
      const commits = await InMemoryEventStore.prototype.readStream.call(store, streamId, options);
      order.push('tail answered');
      return commits;
    });
    const get = snapshots.get.bind(snapshots);
    jest.spyOn(snapshots, 'get').mockImplementation((streamId) => {
      order.push('snapshot asked');
      return get(streamId);
    });
    const pipeline = pipelineWith(store, snapshots);
    const expected = { state: full, version: 3 * EVERY, snapshotVersion: 2 * EVERY, source: 'store' };
    // First time: tail, then (the stream is long) the snapshot.
    expect(await pipeline.load('l1')).toEqual(expected);
    expect(order).toEqual(['tail asked', 'tail answered', 'snapshot asked']);
    order.length = 0;
    // Known long: both asked before either answers.
    expect(await pipeline.load('l1')).toEqual(expected);
    expect(order.indexOf('snapshot asked')).toBeLessThan(order.indexOf('tail answered'));
  });

  it('starts from a snapshot just before the tail with no third read, and does not ask for a new one', async () => {
    const { store, reads, foldTo, full } = await streamOf(10);
    const snapshots = new InMemorySnapshotStore();
    await snapshots.put(await honestSnapshot(foldTo, 6)); // the tail is versions 7 to 10
    const loaded = await pipelineWith(store, snapshots).load('l1');
    expect(loaded).toEqual({ state: full, version: 10, snapshotVersion: 6, source: 'store' });
    expect(reads).toHaveLength(1);
  });

  it('starts from a snapshot at the head of the stream', async () => {
    const { store, foldTo, full } = await streamOf(10);
    const snapshots = new InMemorySnapshotStore();
    await snapshots.put(await honestSnapshot(foldTo, 10));
    expect(await pipelineWith(store, snapshots).load('l1')).toEqual({
      state: full,
      version: 10,
      snapshotVersion: 10,
      source: 'store',
    });
  });

  it('reads the commits between an older snapshot and the tail, and asks for a new snapshot', async () => {
    const { store, reads, foldTo, full } = await streamOf(10);
    const snapshots = new InMemorySnapshotStore();
    await snapshots.put(await honestSnapshot(foldTo, 3)); // commits 4 to 6 lie between it and the tail
    const loaded = await pipelineWith(store, snapshots).load('l1');
    expect(loaded).toEqual({ state: full, version: 10, snapshotVersion: 3, source: 'store', needsSnapshot: true });
    expect(reads).toEqual([
      { last: 2 * EVERY, withSnapshots: true },
      { fromVersion: 4, toVersion: 6 },
    ]);
  });

  it('reads from the start when there is no snapshot', async () => {
    const { store, reads, full } = await streamOf(10);
    const loaded = await pipelineWith(store, new InMemorySnapshotStore()).load('l1');
    expect(loaded).toEqual({ state: full, version: 10, snapshotVersion: 0, source: 'store', needsSnapshot: true });
    expect(reads).toEqual([
      { last: 2 * EVERY, withSnapshots: true },
      { fromVersion: 1, toVersion: 6 },
    ]);
  });

  it('ignores a snapshot ahead of the stream (a restored events table, a recreated stream)', async () => {
    const { store, full } = await streamOf(10);
    const snapshots = new InMemorySnapshotStore();
    const bogus = { ...initialTodoListState, title: 'from the future' } as TodoListState;
    await snapshots.put({ streamId: 'l1', version: 11, reducerVersion: '1', state: bogus });
    const loaded = await pipelineWith(store, snapshots).load('l1');
    expect(loaded).toEqual({ state: full, version: 10, snapshotVersion: 0, source: 'store', needsSnapshot: true });
  });

  it('snapshots at once after a load that needed the middle read, at a version that is no multiple of every', async () => {
    const { store, foldTo } = await streamOf(10);
    const snapshots = new InMemorySnapshotStore();
    await snapshots.put(await honestSnapshot(foldTo, 3));
    await pipelineWith(store, snapshots).run({
      streamId: 'l1',
      action: addTodo,
      payload: { listId: 'l1', todoId: 'n', title: 'n' },
      ctx,
    });
    await flush();
    expect(await snapshots.get('l1')).toEqual(await honestSnapshot(foldTo, 11));
  });
});

describe('a snapshot kept with its commit', () => {
  /** A list of `commits` commits written by a pipeline that snapshots every EVERY: the store keeps each snapshot with its commit. */
  const snapshottedStream = async (commits: number, reducerVersion = '1') => {
    const store = new InMemoryEventStore();
    const snapshots = new InMemorySnapshotStore();
    const writer = new CommandPipeline<TodoListState, TodoListEvent>({
      store,
      aggregate: { ...aggregate, reducerVersion },
      snapshots: { store: snapshots, every: EVERY },
    });
    await writer.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    for (let i = 2; i <= commits; i += 1) {
      await writer.run({
        streamId: 'l1',
        action: addTodo,
        payload: { listId: 'l1', todoId: `t${i}`, title: `todo ${i}` },
        ctx,
      });
    }
    await flush();
    const reads: ReadStreamOptions[] = [];
    const read = store.readStream.bind(store);
    jest.spyOn(store, 'readStream').mockImplementation((streamId, options = {}) => {
      reads.push(options);
      return read(streamId, options);
    });
    const full = (await read<TodoListEvent>('l1'))
      .flatMap((c) => c.events)
      .reduce(todoListReducer, initialTodoListState);
    return { store, snapshots, reads, full };
  };

  it('lets a long stream load in one read, the tail, without asking the snapshot store, the first time and after', async () => {
    const { store, snapshots, reads, full } = await snapshottedStream(11);
    const get = jest.spyOn(snapshots, 'get');
    const pipeline = pipelineWith(store, snapshots);
    // The snapshot at version 10 is in the tail (versions 8 to 11): the fold starts there.
    expect(await pipeline.load('l1')).toEqual({ state: full, version: 11, snapshotVersion: 10, source: 'store' });
    // Known long, and its snapshot found in its tail: the next tail is only the last EVERY commits.
    expect(await pipeline.load('l1')).toEqual({ state: full, version: 11, snapshotVersion: 10, source: 'store' });
    expect(reads).toEqual([
      { last: 2 * EVERY, withSnapshots: true },
      { last: EVERY, withSnapshots: true },
    ]);
    expect(get).not.toHaveBeenCalled();
  });

  it('is also kept in the snapshot store, for loads whose tail misses it', async () => {
    const { snapshots } = await snapshottedStream(11);
    expect(await snapshots.get('l1')).toMatchObject({ version: 10, reducerVersion: '1' });
  });

  it('is ignored when another reducer version took it: the load falls back to the snapshot store and the events', async () => {
    const { store, reads, full } = await snapshottedStream(11, 'old');
    const snapshots = new InMemorySnapshotStore();
    const get = jest.spyOn(snapshots, 'get');
    expect(await pipelineWith(store, snapshots).load('l1')).toEqual({
      state: full,
      version: 11,
      snapshotVersion: 0,
      source: 'store',
      needsSnapshot: true,
    });
    expect(get).toHaveBeenCalledTimes(1);
    expect(reads).toEqual([
      { last: 2 * EVERY, withSnapshots: true },
      { fromVersion: 1, toVersion: 7 },
    ]);
  });

  it('does not change what a command decides: the same states as the plain fold, commit after commit', async () => {
    const { store, snapshots } = await snapshottedStream(3);
    const pipeline = pipelineWith(store, snapshots);
    for (let i = 4; i <= 12; i += 1) {
      const result = await pipeline.run({
        streamId: 'l1',
        action: addTodo,
        payload: { listId: 'l1', todoId: `u${i}`, title: `u ${i}` },
        ctx,
      });
      const fold = (await InMemoryEventStore.prototype.readStream.call(store, 'l1'))
        .flatMap((c) => c.events as TodoListEvent[])
        .reduce(todoListReducer, initialTodoListState);
      expect(result.state).toEqual(fold);
      expect((await pipeline.load('l1')).state).toEqual(fold);
    }
  });
});

describe('a snapshot that cannot be stored', () => {
  const failingStore = (): SnapshotStore => ({
    get: async () => undefined,
    put: async () => Promise.reject(new Error('snapshot table unavailable')),
  });

  it('goes to onError, and the command still succeeds', async () => {
    const { store } = await streamOf(1);
    const errors: unknown[] = [];
    const result = await pipelineWith(store, failingStore(), (error) => errors.push(error)).run({
      streamId: 'l1',
      action: addTodo,
      payload: { listId: 'l1', todoId: 'n', title: 'n' },
      ctx,
    });
    await flush();
    expect(result.version).toBe(2);
    expect(errors).toEqual([new Error('snapshot table unavailable')]);
  });

  it('without an onError handler is dropped: no unhandled rejection', async () => {
    const { store } = await streamOf(1);
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      const result = await pipelineWith(store, failingStore()).run({
        streamId: 'l1',
        action: addTodo,
        payload: { listId: 'l1', todoId: 'n', title: 'n' },
        ctx,
      });
      await flush();
      await flush();
      expect(result.version).toBe(2);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });
});
