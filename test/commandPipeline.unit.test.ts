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
import { CommandPipeline, ConcurrencyError, InMemoryEventStore, type EventStore } from '../src';

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
    expect(commits[1]).toMatchObject({ version: 2, commandId: 'cmd-2', at: ctx.now, metadata: { userId: 'alice', correlationId: 'corr-1' } });
  });

  it('writes no commit when the action decides nothing changes, and answers the current version', async () => {
    const store = new InMemoryEventStore();
    const pipeline = pipelineOn(store);
    await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    await pipeline.run({ streamId: 'l1', action: addTodo, payload: { listId: 'l1', todoId: 't1', title: 'sweep' }, ctx });
    await pipeline.run({ streamId: 'l1', action: completeTodo, payload: { listId: 'l1', todoId: 't1' }, ctx });
    const again = await pipeline.run({ streamId: 'l1', action: completeTodo, payload: { listId: 'l1', todoId: 't1' }, ctx });
    expect(again).toMatchObject({ version: 3, events: [] });
    expect(await store.readStream('l1')).toHaveLength(3);
  });

  it('lets domain errors through untouched, without retrying', async () => {
    const store = new InMemoryEventStore();
    const reads = jest.spyOn(store, 'readStream');
    const error = await pipelineOn(store)
      .run({ streamId: 'nope', action: addTodo, payload: { listId: 'nope', todoId: 't', title: 'x' }, ctx })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LIST_NOT_FOUND', httpStatus: 404 });
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('reloads and retries after a lost race, deciding again on the new state', async () => {
    const store = new InMemoryEventStore();
    const pipeline = pipelineOn(store);
    await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    // A rival writer slips a commit in between our read and our append, once.
    const append = store.append.bind(store);
    let raced = false;
    jest.spyOn(store, 'append').mockImplementation(async (input) => {
      if (!raced) {
        raced = true;
        await append({ ...input, events: [{ type: 'TodoAdded', data: { todoId: 'rival', title: 'rival' } }], commandId: 'rival' });
      }
      return append(input);
    });
    const result = await pipeline.run({ streamId: 'l1', action: addTodo, payload: { listId: 'l1', todoId: 'mine', title: 'mine' }, ctx });
    expect(result.version).toBe(3);
    expect((await store.readStream('l1')).map((c) => c.version)).toEqual([1, 2, 3]);
    expect(result.state?.todos.map((t) => t.todoId)).toEqual(['rival', 'mine']);
  });

  it('answers 409 CONCURRENCY_CONFLICT after the bounded number of attempts', async () => {
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
    await expect(pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx })).rejects.toThrow('throttled');
    expect(appends).toHaveBeenCalledTimes(1);
  });

  it('serialises many racing commands on one stream in memory: nothing lost, no gaps', async () => {
    const store = new InMemoryEventStore();
    const pipeline = pipelineOn(store, 50);
    await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        pipeline.run({ streamId: 'l1', action: addTodo, payload: { listId: 'l1', todoId: `t${i}`, title: `t${i}` }, ctx }),
      ),
    );
    const commits = await store.readStream('l1');
    expect(commits.map((c) => c.version)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect((await pipeline.load('l1')).state?.todos).toHaveLength(20);
  });
});

describe('CommandPipeline metrics', () => {
  it('counts accepted, unchanged, rejected, conflicting and retried commands', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { metrics, flushMetrics } = require('../src/observability') as typeof import('../src/observability');
    flushMetrics();
    const added = jest.spyOn(metrics, 'addMetric');
    const store = new InMemoryEventStore();
    const pipeline = pipelineOn(store, 2);
    await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx }).catch(() => undefined);
    await pipeline.run({ streamId: 'l1', action: addTodo, payload: { listId: 'l1', todoId: 't', title: 't' }, ctx });
    await pipeline.run({ streamId: 'l1', action: completeTodo, payload: { listId: 'l1', todoId: 't' }, ctx });
    await pipeline.run({ streamId: 'l1', action: completeTodo, payload: { listId: 'l1', todoId: 't' }, ctx });
    jest.spyOn(store, 'append').mockRejectedValue(new ConcurrencyError('l1', 3));
    await pipeline.run({ streamId: 'l1', action: addTodo, payload: { listId: 'l1', todoId: 'u', title: 'u' }, ctx }).catch(() => undefined);
    flushMetrics();
    const counts: Record<string, number> = {};
    for (const [name, , value] of added.mock.calls) counts[name] = (counts[name] ?? 0) + Number(value);
    expect(counts).toEqual({ CommandAccepted: 3, CommandRejected: 2, CommandUnchanged: 1, CommandConflict: 2, CommandRetry: 1 });
    added.mockRestore();
  });
});
