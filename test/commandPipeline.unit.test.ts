import {
  addTodo,
  archiveList,
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
  MAX_GROUP_COMMIT,
  StateCache,
  type EventStore,
} from '../src';
import { rivalCommit, rivalWritesFirst } from './support/rivalWriter';

const ctx = { userId: 'alice', now: '2026-01-01T00:00:00.000Z' };
const aggregate = { streamType: TODO_LIST_STREAM_TYPE, initialState: initialTodoListState, reducer: todoListReducer };
const pipelineOn = (store: EventStore, maxAttempts?: number) =>
  new CommandPipeline<TodoListState, TodoListEvent>({ store, aggregate, ...(maxAttempts ? { maxAttempts } : {}) });

describe('CommandPipeline', () => {
  it('loads, folds, runs the action and appends one commit with the metadata', async () => {
    const store = new InMemoryEventStore();
    const pipeline = pipelineOn(store);
    await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    const result = await pipeline.run({
      streamId: 'l1',
      action: addTodo,
      payload: { listId: 'l1', todoId: 't1', title: 'sweep' },
      ctx,
      metadata: { userId: 'alice', correlationId: 'corr-1' },
      commandId: 'cmd-2',
    });
    expect(result.version).toBe(2);
    expect(result.state?.todos).toEqual([{ todoId: 't1', title: 'sweep', completed: false }]);
    const commits = await store.readStream('l1');
    expect(commits[1]).toMatchObject({
      version: 2,
      commandId: 'cmd-2',
      at: ctx.now,
      metadata: { userId: 'alice', correlationId: 'corr-1' },
    });
  });

  it('writes no commit when the action decides nothing changes, and answers the current version', async () => {
    const store = new InMemoryEventStore();
    const pipeline = pipelineOn(store);
    await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    await pipeline.run({
      streamId: 'l1',
      action: addTodo,
      payload: { listId: 'l1', todoId: 't1', title: 'sweep' },
      ctx,
    });
    await pipeline.run({ streamId: 'l1', action: completeTodo, payload: { listId: 'l1', todoId: 't1' }, ctx });
    const again = await pipeline.run({
      streamId: 'l1',
      action: completeTodo,
      payload: { listId: 'l1', todoId: 't1' },
      ctx,
    });
    expect(again).toMatchObject({ version: 3, events: [] });
    expect(await store.readStream('l1')).toHaveLength(3);
  });

  it('lets domain errors through untouched, without retrying', async () => {
    const store = new InMemoryEventStore();
    const reads = jest.spyOn(store, 'readStream');
    const folds = jest.spyOn(store, 'foldStream');
    const error = await pipelineOn(store)
      .run({ streamId: 'nope', action: addTodo, payload: { listId: 'nope', todoId: 't', title: 'x' }, ctx })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LIST_NOT_FOUND', httpStatus: 404 });
    // One load (the in-memory store folds the stream itself), and no other read.
    expect(folds).toHaveBeenCalledTimes(1);
    expect(reads).not.toHaveBeenCalled();
  });

  it('reloads and retries after a lost race, deciding again on the new state', async () => {
    const store = new InMemoryEventStore();
    const pipeline = pipelineOn(store);
    await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    // A rival writer slips a commit in between our read and our append, once.
    rivalWritesFirst(store, (write, ours) =>
      write(rivalCommit(ours, [{ type: 'TodoAdded', data: { todoId: 'rival', title: 'rival' } }], 'rival')),
    );
    const result = await pipeline.run({
      streamId: 'l1',
      action: addTodo,
      payload: { listId: 'l1', todoId: 'mine', title: 'mine' },
      ctx,
    });
    expect(result.version).toBe(3);
    expect((await store.readStream('l1')).map((c) => c.version)).toEqual([1, 2, 3]);
    expect(result.state?.todos.map((t) => t.todoId)).toEqual(['rival', 'mine']);
  });

  it('after a lost race reads only the commits after the version it had, then decides again', async () => {
    const store = new InMemoryEventStore();
    const pipeline = pipelineOn(store);
    await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    for (const id of ['a', 'b'])
      await pipeline.run({ streamId: 'l1', action: addTodo, payload: { listId: 'l1', todoId: id, title: id }, ctx });
    // Two rivals slip their commits in between our load (version 3) and our append.
    rivalWritesFirst(store, async (write, ours) => {
      for (const [i, id] of ['r1', 'r2'].entries())
        await write(rivalCommit(ours, [{ type: 'TodoAdded', data: { todoId: id, title: id } }], id, i));
    });
    const reads = jest.spyOn(store, 'readStream');
    const folds = jest.spyOn(store, 'foldStream');
    const result = await pipeline.run({
      streamId: 'l1',
      action: addTodo,
      payload: { listId: 'l1', todoId: 'mine', title: 'mine' },
      ctx,
    });
    // One full load (folded in the store, at version 3), then one catch-up read that starts
    // after version 3 and returns only the rivals' commits.
    expect(folds).toHaveBeenCalledTimes(1);
    expect((await folds.mock.results[0]!.value).version).toBe(3);
    expect(reads.mock.calls.map(([, options]) => options)).toEqual([{ fromVersion: 4 }]);
    expect((await reads.mock.results[0]!.value).map((c: { version: number }) => c.version)).toEqual([4, 5]);
    expect(result.version).toBe(6);
    expect(result.state?.todos.map((t) => t.todoId)).toEqual(['a', 'b', 'r1', 'r2', 'mine']);
    expect((await pipeline.load('l1')).state).toEqual(result.state);
  });

  it('refuses with the domain error when what it catches up on forbids the command', async () => {
    const store = new InMemoryEventStore();
    const pipeline = pipelineOn(store);
    await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    // A rival archives the list between our load and our append: adding to it is now a real conflict.
    const appends = rivalWritesFirst(store, async (write, ours) => {
      const { state } = await pipeline.load('l1');
      await write(rivalCommit(ours, archiveList(state, { listId: 'l1' }, ctx), 'rival'));
    });
    const error = await pipeline
      .run({ streamId: 'l1', action: addTodo, payload: { listId: 'l1', todoId: 't', title: 't' }, ctx })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LIST_ARCHIVED', httpStatus: 409 });
    expect(appends).toHaveBeenCalledTimes(1);
    expect((await store.readStream('l1')).map((c) => c.commandId)).toEqual([expect.any(String), 'rival']);
  });

  it('gives up with 409 CONCURRENCY_CONFLICT when its time budget runs out, backing off between attempts', async () => {
    const store = new InMemoryEventStore();
    // A budget many times the longest wait, so even a machine busy enough to stall a few attempts makes more than two.
    const pipeline = new CommandPipeline<TodoListState, TodoListEvent>({
      store,
      aggregate,
      timeBudgetMs: 400,
      backoff: { baseMs: 1, capMs: 4 },
    });
    await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    const appends = jest.spyOn(store, 'append').mockRejectedValue(new ConcurrencyError('l1', 1));
    const reads = jest.spyOn(store, 'readStream');
    const folds = jest.spyOn(store, 'foldStream');
    const started = Date.now();
    const error = await pipeline
      .run({ streamId: 'l1', action: addTodo, payload: { listId: 'l1', todoId: 't', title: 'x' }, ctx })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ httpStatus: 409, code: 'CONCURRENCY_CONFLICT' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    // Many attempts (not a fixed count): one load, then each retry after a catch-up read from the version it had.
    expect(appends.mock.calls.length).toBeGreaterThan(2);
    expect(folds).toHaveBeenCalledTimes(1);
    expect(reads).toHaveBeenCalledTimes(appends.mock.calls.length - 1);
    expect(reads.mock.calls.every(([, options]) => options?.fromVersion === 2)).toBe(true);
    expect(await store.readStream('l1')).toHaveLength(1);
  });

  it('answers 409 CONCURRENCY_CONFLICT after maxAttempts when one is set', async () => {
    const store = new InMemoryEventStore();
    const pipeline = pipelineOn(store, 3);
    await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    const appends = jest.spyOn(store, 'append').mockRejectedValue(new ConcurrencyError('l1', 1));
    const error = await pipeline
      .run({ streamId: 'l1', action: addTodo, payload: { listId: 'l1', todoId: 't', title: 'x' }, ctx })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ httpStatus: 409, code: 'CONCURRENCY_CONFLICT' });
    expect(appends).toHaveBeenCalledTimes(3);
  });

  it('does not retry on other store errors', async () => {
    const store = new InMemoryEventStore();
    const pipeline = pipelineOn(store);
    const appends = jest.spyOn(store, 'append').mockRejectedValue(new Error('throttled'));
    await expect(
      pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx }),
    ).rejects.toThrow('throttled');
    expect(appends).toHaveBeenCalledTimes(1);
  });

  it('serialises many racing commands on one stream in memory: nothing lost, no gaps', async () => {
    const store = new InMemoryEventStore();
    const pipeline = pipelineOn(store, 50);
    await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        pipeline.run({
          streamId: 'l1',
          action: addTodo,
          payload: { listId: 'l1', todoId: `t${i}`, title: `t${i}` },
          ctx,
        }),
      ),
    );
    const commits = await store.readStream('l1');
    expect(commits.map((c) => c.version)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect((await pipeline.load('l1')).state?.todos).toHaveLength(20);
  });
});

describe('CommandPipeline on one stream within one instance', () => {
  const add = (pipeline: CommandPipeline<TodoListState, TodoListEvent>, todoId: string) =>
    pipeline.run({
      streamId: 'l1',
      action: addTodo,
      payload: { listId: 'l1', todoId, title: todoId },
      ctx,
      commandId: `add-${todoId}`,
    });
  const created = async (store: InMemoryEventStore, cache = true) => {
    const pipeline = new CommandPipeline<TodoListState, TodoListEvent>({
      store,
      aggregate,
      ...(cache ? { cache: new StateCache<TodoListState>(10) } : {}),
    });
    await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    return pipeline;
  };

  it('queues racing commands instead of letting them collide: the first alone, those that waited in group commits of at most 25, in call order', async () => {
    const store = new InMemoryEventStore();
    const pipeline = await created(store);
    const appends = jest.spyOn(store, 'append');
    const groups = jest.spyOn(store, 'appendMany');
    const ids = Array.from({ length: 30 }, (_, i) => `t${i}`);
    const results = await Promise.all(ids.map((id) => add(pipeline, id)));
    expect(appends).toHaveBeenCalledTimes(1);
    expect(groups.mock.calls.map(([inputs]) => inputs.length)).toEqual([MAX_GROUP_COMMIT, 29 - MAX_GROUP_COMMIT]);
    expect(results.map((r) => r.version)).toEqual(ids.map((_, i) => i + 2));
    // Each answer carries the state its own commit left, and each command is its own commit.
    expect(results.map((r) => r.state?.todos.length)).toEqual(ids.map((_, i) => i + 1));
    expect((await store.readStream('l1')).slice(1).map((c) => c.commandId)).toEqual(ids.map((id) => `add-${id}`));
    expect((await pipeline.load('l1')).state?.todos.map((t) => t.todoId)).toEqual(ids);
  });

  it('keeps a bounded number of idle lanes however many streams it serves, and still queues on a stream after a sweep', async () => {
    const store = new InMemoryEventStore();
    const pipeline = pipelineOn(store);
    const lanes = () => (pipeline as unknown as { lanes: { size: number } }).lanes.size;
    const create = (streamId: string) =>
      pipeline.run({ streamId, action: createList, payload: { listId: streamId, title: 'Home' }, ctx });
    for (let i = 0; i < 2500; i += 1) await create(`s${i}`);
    expect(lanes()).toBeGreaterThan(0);
    expect(lanes()).toBeLessThanOrEqual(1000);
    // A stream whose lane was swept: racing commands on it still queue (one append, then a group), none collides.
    const appends = jest.spyOn(store, 'append');
    const groups = jest.spyOn(store, 'appendMany');
    const results = await Promise.all(
      ['a', 'b', 'c'].map((todoId) =>
        pipeline.run({ streamId: 's0', action: addTodo, payload: { listId: 's0', todoId, title: todoId }, ctx }),
      ),
    );
    expect(results.map((r) => r.version)).toEqual([2, 3, 4]);
    expect([appends.mock.calls.length, groups.mock.calls.map(([inputs]) => inputs.length)]).toEqual([1, [2]]);
  });

  it('answers each command of a group as alone: a domain error and a "nothing changed" in the middle, the others committed', async () => {
    const store = new InMemoryEventStore();
    const pipeline = await created(store);
    const first = add(pipeline, 'a');
    const rest = [
      add(pipeline, 'b'),
      pipeline.run({ streamId: 'l1', action: completeTodo, payload: { listId: 'l1', todoId: 'nope' }, ctx }),
      add(pipeline, 'b'), // the same todo again: refused, decided on the state 'b' before it left
      pipeline.run({ streamId: 'l1', action: completeTodo, payload: { listId: 'l1', todoId: 'b' }, ctx }),
      pipeline.run({ streamId: 'l1', action: completeTodo, payload: { listId: 'l1', todoId: 'b' }, ctx }), // already done: unchanged
      add(pipeline, 'c'),
    ];
    const settled = await Promise.allSettled([first, ...rest]);
    expect(
      settled.map((r) => (r.status === 'fulfilled' ? r.value.version : (r.reason as { code: string }).code)),
    ).toEqual([2, 3, 'TODO_NOT_FOUND', 'TODO_ALREADY_EXISTS', 4, 4, 5]);
    expect((await store.readStream('l1')).map((c) => c.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it('catches up a stale cached state before a group refuses a command on it', async () => {
    const store = new InMemoryEventStore();
    const pipeline = await created(store);
    // Right after this instance's first append, another process adds 'x': the cache is now behind.
    const append = store.append.bind(store);
    jest.spyOn(store, 'append').mockImplementationOnce(async (input) => {
      const commit = await append(input);
      await append(
        rivalCommit(input, [{ type: 'TodoAdded', data: { listId: 'l1', todoId: 'x', title: 'x' } }], 'rival', 1),
      );
      return commit;
    });
    const settled = await Promise.allSettled([
      add(pipeline, 'a'),
      pipeline.run({ streamId: 'l1', action: completeTodo, payload: { listId: 'l1', todoId: 'x' }, ctx }),
      add(pipeline, 'b'),
    ]);
    expect(settled.map((r) => r.status === 'fulfilled' && r.value.version)).toEqual([2, 4, 5]);
    expect((await store.readStream('l1')).map((c) => c.commandId)).toEqual([
      expect.any(String),
      'add-a',
      'rival',
      expect.any(String),
      'add-b',
    ]);
  });

  it('decides a group again after a rival wins the race, and still refuses what truly conflicts', async () => {
    const store = new InMemoryEventStore();
    const pipeline = await created(store);
    const appendMany = store.appendMany.bind(store);
    let raced = false;
    jest.spyOn(store, 'appendMany').mockImplementation(async (inputs) => {
      if (!raced) {
        raced = true;
        // A rival in another process adds 'b' first.
        await store.append(
          rivalCommit(
            inputs[0]!,
            [{ type: 'TodoAdded', data: { listId: 'l1', todoId: 'b', title: 'rival' } }],
            'rival',
          ),
        );
      }
      return appendMany(inputs);
    });
    const settled = await Promise.allSettled(['a', 'b', 'c', 'd'].map((id) => add(pipeline, id)));
    expect(
      settled.map((r) => (r.status === 'fulfilled' ? r.value.version : (r.reason as { code: string }).code)),
    ).toEqual([2, 'TODO_ALREADY_EXISTS', 4, 5]);
    expect((await store.readStream('l1')).map((c) => c.commandId)).toEqual([
      expect.any(String),
      'add-a',
      'rival',
      'add-c',
      'add-d',
    ]);
  });

  it('answers a group whose write landed but whose answer was lost as decided, without writing it twice', async () => {
    const store = new InMemoryEventStore();
    const pipeline = await created(store);
    const appendMany = store.appendMany.bind(store);
    let lost = false;
    jest.spyOn(store, 'appendMany').mockImplementation(async (inputs) => {
      const written = await appendMany(inputs);
      if (lost) return written;
      lost = true;
      throw new ConcurrencyError('l1', inputs[0]!.expectedVersion); // the SDK's retry found its own slots taken
    });
    const results = await Promise.all(['a', 'b', 'c'].map((id) => add(pipeline, id)));
    expect(results.map((r) => r.version)).toEqual([2, 3, 4]);
    expect((await store.readStream('l1')).map((c) => c.commandId)).toEqual([
      expect.any(String),
      'add-a',
      'add-b',
      'add-c',
    ]);
  });

  it("gives every command of a group the store's failure, then runs the next commands", async () => {
    const store = new InMemoryEventStore();
    const pipeline = await created(store);
    jest.spyOn(store, 'appendMany').mockRejectedValueOnce(new Error('throttled'));
    const settled = await Promise.allSettled(['a', 'b', 'c'].map((id) => add(pipeline, id)));
    expect(settled.map((r) => (r.status === 'fulfilled' ? r.value.version : String(r.reason)))).toEqual([
      2,
      'Error: throttled',
      'Error: throttled',
    ]);
    expect((await add(pipeline, 'd')).version).toBe(3);
  });

  it('writes none of a group that fails to be stored: no command answered with an error has its commit kept', async () => {
    const store = new InMemoryEventStore();
    const pipeline = await created(store, false);
    // An event JSON cannot write (a BigInt): the group's write throws, and so must write nothing.
    const unstorable = () =>
      [{ type: 'TodoAdded', data: { todoId: 'x', title: BigInt(1) } }] as unknown as TodoListEvent[];
    const first = add(pipeline, 'a');
    const group = [add(pipeline, 'b'), pipeline.run({ streamId: 'l1', action: unstorable, payload: {}, ctx })];
    expect((await first).version).toBe(2);
    const settled = await Promise.allSettled(group);
    expect(settled.map((r) => (r.status === 'rejected' ? (r.reason as Error).name : r.value.version))).toEqual([
      'TypeError',
      'TypeError',
    ]);
    expect((await store.readStream('l1')).map((c) => c.commandId).slice(1)).toEqual(['add-a']);
    expect((await add(pipeline, 'c')).version).toBe(3);
    expect((await pipeline.load('l1')).state?.todos.map((t) => t.todoId)).toEqual(['a', 'c']);
  });

  it('runs a keyed command alone, and groups only with a store that can (one append each otherwise)', async () => {
    const store = new InMemoryEventStore();
    const pipeline = await created(store);
    const groups = jest.spyOn(store, 'appendMany');
    const key = { id: 'k1', fingerprint: 'f', result: '{}', expiresAt: Math.floor(Date.now() / 1000) + 60 };
    await Promise.all([
      add(pipeline, 'a'),
      add(pipeline, 'b'),
      pipeline.run({ streamId: 'l1', action: addTodo, payload: { listId: 'l1', todoId: 'k', title: 'k' }, ctx, key }),
      add(pipeline, 'c'),
      add(pipeline, 'd'),
    ]);
    expect(groups.mock.calls.map(([inputs]) => inputs.map((i) => i.commandId))).toEqual([['add-c', 'add-d']]);
    expect(await store.readKey('k1')).toMatchObject({ version: 4 });

    const plain = new InMemoryEventStore();
    const withoutGroups: EventStore = {
      readStream: (id, options) => plain.readStream(id, options),
      append: (input) => plain.append(input),
      readKey: (id) => plain.readKey(id),
    };
    const single = pipelineOn(withoutGroups);
    await single.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    const appends = jest.spyOn(plain, 'append');
    expect((await Promise.all(['a', 'b', 'c'].map((id) => add(single, id)))).map((r) => r.version)).toEqual([2, 3, 4]);
    expect(appends).toHaveBeenCalledTimes(3);
  });

  it('lets the next command run when the one before it failed', async () => {
    const store = new InMemoryEventStore();
    const pipeline = pipelineOn(store);
    await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    const [refused, added] = await Promise.allSettled([
      pipeline.run({ streamId: 'l1', action: completeTodo, payload: { listId: 'l1', todoId: 'nope' }, ctx }),
      pipeline.run({ streamId: 'l1', action: addTodo, payload: { listId: 'l1', todoId: 't', title: 't' }, ctx }),
    ]);
    expect(refused).toMatchObject({ status: 'rejected', reason: { code: 'TODO_NOT_FOUND' } });
    expect(added).toMatchObject({ status: 'fulfilled', value: { version: 2 } });
  });

  it('does not queue commands on different streams behind each other', async () => {
    const store = new InMemoryEventStore();
    const pipeline = pipelineOn(store);
    // A slow append on l1 must not hold back the command on l2.
    const append = store.append.bind(store);
    let releaseL1: () => void = () => undefined;
    jest.spyOn(store, 'append').mockImplementation(async (input) => {
      if (input.streamId === 'l1') await new Promise<void>((resolve) => (releaseL1 = resolve));
      return append(input);
    });
    const slow = pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'One' }, ctx });
    await pipeline.run({ streamId: 'l2', action: createList, payload: { listId: 'l2', title: 'Two' }, ctx });
    releaseL1();
    expect((await slow).version).toBe(1);
  });
});

describe('CommandPipeline metrics', () => {
  it('counts accepted, unchanged, rejected, conflicting and retried commands', async () => {
    const { metrics, flushMetrics } = require('../src/observability') as typeof import('../src/observability');
    flushMetrics();
    const added = jest.spyOn(metrics, 'addMetric');
    const store = new InMemoryEventStore();
    const pipeline = pipelineOn(store, 2);
    await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    await pipeline
      .run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx })
      .catch(() => undefined);
    await pipeline.run({ streamId: 'l1', action: addTodo, payload: { listId: 'l1', todoId: 't', title: 't' }, ctx });
    await pipeline.run({ streamId: 'l1', action: completeTodo, payload: { listId: 'l1', todoId: 't' }, ctx });
    await pipeline.run({ streamId: 'l1', action: completeTodo, payload: { listId: 'l1', todoId: 't' }, ctx });
    jest.spyOn(store, 'append').mockRejectedValue(new ConcurrencyError('l1', 3));
    await pipeline
      .run({ streamId: 'l1', action: addTodo, payload: { listId: 'l1', todoId: 'u', title: 'u' }, ctx })
      .catch(() => undefined);
    flushMetrics();
    const counts: Record<string, number> = {};
    for (const [name, , value] of added.mock.calls) counts[name] = (counts[name] ?? 0) + Number(value);
    expect(counts).toEqual({
      CommandAccepted: 3,
      CommandRejected: 2,
      CommandUnchanged: 1,
      CommandConflict: 2,
      CommandRetry: 1,
    });
    added.mockRestore();
  });
});
