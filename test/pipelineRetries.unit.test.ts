/**
 * What `CommandPipeline` promises about retrying, giving up, group commits and what it remembers,
 * pinned without waiting on the machine's clock: waits are recorded (and return at once), the
 * clock is set by the test, and the jitter is fixed at half its range.
 *
 * - Backoff: full jitter, `random × min(capMs, baseMs × 2^(conflicts − 1))`, defaults 10 ms and 1 s.
 * - Time budget: 5 s by default, from the command's start (a group's: its earliest command's);
 *   a command whose budget is spent when it loses a race answers 409 at once.
 * - A group commit answers and counts each of its commands as it would alone.
 * - An instance remembers at most 10,000 long streams.
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
import {
  CommandPipeline,
  ConcurrencyError,
  InMemoryEventStore,
  InMemorySnapshotStore,
  StateCache,
  type AppendInput,
  type Commit,
  type CommandPipelineOptions,
  type DomainEvent,
  type EventStore,
  type ReadStreamOptions,
  type Snapshot,
  type SnapshotStore,
} from '../src';
import { rivalCommit } from './support/rivalWriter';

const ctx = { userId: 'alice', now: '2026-01-01T00:00:00.000Z' };
const aggregate = { streamType: TODO_LIST_STREAM_TYPE, initialState: initialTodoListState, reducer: todoListReducer };
type Pipeline = CommandPipeline<TodoListState, TodoListEvent>;
type Options = Partial<CommandPipelineOptions<TodoListState, TodoListEvent>>;
const pipelineOn = (store: EventStore, options: Options = {}): Pipeline =>
  new CommandPipeline<TodoListState, TodoListEvent>({ store, aggregate, ...options });
const add = (pipeline: Pipeline, todoId: string) =>
  pipeline.run({
    streamId: 'l1',
    action: addTodo,
    payload: { listId: 'l1', todoId, title: todoId },
    ctx,
    commandId: `add-${todoId}`,
  });
const complete = (pipeline: Pipeline, todoId: string) =>
  pipeline.run({ streamId: 'l1', action: completeTodo, payload: { listId: 'l1', todoId }, ctx });
const created = async (store: InMemoryEventStore, options: Options = {}) => {
  const pipeline = pipelineOn(store, options);
  await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
  return pipeline;
};
const outcome = (r: PromiseSettledResult<{ version: number }>) =>
  r.status === 'fulfilled' ? r.value.version : (r.reason as { code: string }).code;
const lostRace = (input: AppendInput) => new ConcurrencyError(input.streamId, input.expectedVersion);

/**
 * Every wait the pipeline asks for, in ms; each ends on the next turn of the event loop (not at
 * once: a pipeline that never stops retrying then still lets jest's test timeout fire).
 */
const recordWaits = () => {
  const waits: (number | undefined)[] = [];
  jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
    waits.push(ms);
    setImmediate(fn);
    return 0;
  }) as unknown as typeof setTimeout);
  return waits;
};

/** A clock the test sets. */
const clock = (start: number) => {
  const time = { now: start };
  jest.spyOn(Date, 'now').mockImplementation(() => time.now);
  return time;
};

/** What the kit counted while `body` ran (CommandAccepted, CommandConflict, …). */
const countsDuring = async (body: () => Promise<unknown>): Promise<Record<string, number>> => {
  const { metrics, flushMetrics } = require('../src/observability') as typeof import('../src/observability');
  flushMetrics();
  const added = jest.spyOn(metrics, 'addMetric');
  await body();
  flushMetrics();
  const counts: Record<string, number> = {};
  for (const [name, , value] of added.mock.calls) counts[name] = (counts[name] ?? 0) + Number(value);
  added.mockRestore();
  return counts;
};

afterEach(() => jest.restoreAllMocks());

describe('backing off after a lost race', () => {
  beforeEach(() => jest.spyOn(Math, 'random').mockReturnValue(0.5));

  it('waits random × min(1 s, 10 ms × 2^(conflicts − 1)) by default before each new attempt', async () => {
    const store = new InMemoryEventStore();
    const pipeline = await created(store, { maxAttempts: 10 });
    const waits = recordWaits();
    jest.spyOn(store, 'append').mockImplementation(async (input) => Promise.reject(lostRace(input)));
    await expect(add(pipeline, 'a')).rejects.toMatchObject({ httpStatus: 409, code: 'CONCURRENCY_CONFLICT' });
    expect(waits).toEqual([5, 10, 20, 40, 80, 160, 320, 500, 500]);
  });

  it('waits as configured: baseMs doubling up to capMs', async () => {
    const store = new InMemoryEventStore();
    const pipeline = await created(store, { maxAttempts: 5, backoff: { baseMs: 4, capMs: 20 } });
    const waits = recordWaits();
    jest.spyOn(store, 'append').mockImplementation(async (input) => Promise.reject(lostRace(input)));
    await expect(add(pipeline, 'a')).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
    expect(waits).toEqual([2, 4, 8, 10]);
  });

  it('waits the same way between the attempts of a group, and a group too gives up after maxAttempts, every command with 409', async () => {
    const store = new InMemoryEventStore();
    const pipeline = await created(store, { maxAttempts: 4, cache: new StateCache(10) });
    const waits = recordWaits();
    const groups = jest
      .spyOn(store, 'appendMany')
      .mockImplementation(async (inputs) => Promise.reject(lostRace(inputs[0]!)));
    let settled: PromiseSettledResult<{ version: number }>[] = [];
    const counts = await countsDuring(async () => {
      settled = await Promise.allSettled(['a', 'b', 'c'].map((id) => add(pipeline, id)));
    });
    // 'a' ran alone; 'b' and 'c' waited, and lost every race as one group.
    expect(settled.map(outcome)).toEqual([2, 'CONCURRENCY_CONFLICT', 'CONCURRENCY_CONFLICT']);
    expect(groups).toHaveBeenCalledTimes(4);
    expect(waits).toEqual([5, 10, 20]);
    // Each command of the group counts as it would alone: a conflict per lost race, a retry per wait.
    expect(counts).toEqual({ CommandAccepted: 1, CommandConflict: 8, CommandRetry: 6, CommandRejected: 2 });
    expect((await store.readStream('l1')).map((c) => c.commandId)).toEqual([expect.any(String), 'add-a']);
  });
});

describe('the time budget', () => {
  const T = 1_000_000;

  it("is 5 s from the command's start by default: a race lost at 5 s is answered 409 at once, one lost at 4.999 s is retried", async () => {
    recordWaits();
    const time = clock(T);
    const store = new InMemoryEventStore();
    const pipeline = await created(store);
    const append = store.append.bind(store);
    const appends = jest.spyOn(store, 'append').mockImplementationOnce(async (input) => {
      time.now = T + 5000;
      throw lostRace(input);
    });
    await expect(add(pipeline, 'a')).rejects.toMatchObject({ httpStatus: 409, code: 'CONCURRENCY_CONFLICT' });
    expect(appends).toHaveBeenCalledTimes(1);

    time.now = T;
    appends.mockClear().mockImplementationOnce(async (input) => {
      time.now = T + 4999;
      throw lostRace(input);
    });
    appends.mockImplementation((input) => append(input));
    expect((await add(pipeline, 'b')).version).toBe(2);
    expect(appends).toHaveBeenCalledTimes(2);
  });

  it("of a group runs from its earliest command's start", async () => {
    recordWaits();
    const time = clock(T);
    const store = new InMemoryEventStore();
    const pipeline = await created(store, { cache: new StateCache(10) });
    const appendMany = store.appendMany.bind(store);
    const groups = jest.spyOn(store, 'appendMany').mockImplementationOnce(async (inputs) => {
      time.now = T + 5000;
      throw lostRace(inputs[0]!);
    });
    groups.mockImplementation((inputs) => appendMany(inputs));
    const first = add(pipeline, 'a');
    const early = add(pipeline, 'b'); // started at T
    time.now = T + 3000;
    const late = add(pipeline, 'c'); // started at T + 3 s: the group still gives up at T + 5 s
    const settled = await Promise.allSettled([first, early, late]);
    expect(settled.map(outcome)).toEqual([2, 'CONCURRENCY_CONFLICT', 'CONCURRENCY_CONFLICT']);
    expect(groups).toHaveBeenCalledTimes(1);
  });
});

describe('a group commit', () => {
  it('writes nothing when none of its commands changes anything', async () => {
    const store = new InMemoryEventStore();
    const pipeline = await created(store);
    const groups = jest.spyOn(store, 'appendMany');
    // 'a' runs alone; the three that waited are one group: two refused, one with nothing to change.
    let settled: PromiseSettledResult<{ version: number }>[] = [];
    const counts = await countsDuring(async () => {
      settled = await Promise.allSettled([
        add(pipeline, 'a'),
        complete(pipeline, 'nope'),
        add(pipeline, 'a'),
        pipeline.run({ streamId: 'l1', action: reopenTodo, payload: { listId: 'l1', todoId: 'a' }, ctx }),
      ]);
    });
    expect(settled.map(outcome)).toEqual([2, 'TODO_NOT_FOUND', 'TODO_ALREADY_EXISTS', 2]);
    expect(groups).not.toHaveBeenCalled();
    expect(counts).toEqual({ CommandAccepted: 1, CommandRejected: 2, CommandUnchanged: 1 });
    expect(await store.readStream('l1')).toHaveLength(2);
  });

  it('leaves its last state in the cache: the next command reads nothing', async () => {
    const store = new InMemoryEventStore();
    const pipeline = await created(store, { cache: new StateCache(10) });
    const counts = await countsDuring(() => Promise.all(['a', 'b', 'c'].map((id) => add(pipeline, id))));
    expect(counts).toEqual({ CommandAccepted: 3 });
    const reads = jest.spyOn(store, 'readStream');
    // The in-memory store loads a stream by folding it itself: no fold either.
    const folds = jest.spyOn(store, 'foldStream');
    const next = await add(pipeline, 'd');
    expect(next.version).toBe(5);
    expect(next.state?.todos.map((t) => t.todoId)).toEqual(['a', 'b', 'c', 'd']);
    expect(reads).not.toHaveBeenCalled();
    expect(folds).not.toHaveBeenCalled();
  });

  it('without a cache, decides again after a rival wins the race', async () => {
    const store = new InMemoryEventStore();
    const pipeline = await created(store);
    const appendMany = store.appendMany.bind(store);
    jest.spyOn(store, 'appendMany').mockImplementationOnce(async (inputs) => {
      await store.append(
        rivalCommit(inputs[0]!, [{ type: 'TodoAdded', data: { todoId: 'r', title: 'rival' } }], 'rival'),
      );
      return appendMany(inputs);
    });
    const settled = await Promise.allSettled(['a', 'b', 'c'].map((id) => add(pipeline, id)));
    expect(settled.map(outcome)).toEqual([2, 4, 5]);
    expect((await store.readStream('l1')).map((c) => c.commandId)).toEqual([
      expect.any(String),
      'add-a',
      'rival',
      'add-b',
      'add-c',
    ]);
  });

  it('whose write landed but whose answer was lost is answered as decided even when a rival wrote right after it', async () => {
    const store = new InMemoryEventStore();
    const pipeline = await created(store);
    const appendMany = store.appendMany.bind(store);
    jest.spyOn(store, 'appendMany').mockImplementationOnce(async (inputs) => {
      const written = await appendMany(inputs);
      await store.append(
        rivalCommit(inputs.at(-1)!, [{ type: 'TodoAdded', data: { todoId: 'r', title: 'rival' } }], 'rival', 1),
      );
      throw new ConcurrencyError('l1', written[0]!.version - 1);
    });
    const settled = await Promise.allSettled(['a', 'b', 'c'].map((id) => add(pipeline, id)));
    expect(settled.map(outcome)).toEqual([2, 3, 4]);
    expect((await store.readStream('l1')).map((c) => c.commandId)).toEqual([
      expect.any(String),
      'add-a',
      'add-b',
      'add-c',
      'rival',
    ]);
  });

  it('on a stale cached state decides "nothing changes" only after catching up, and that catch-up spends no attempt', async () => {
    const store = new InMemoryEventStore();
    // My container caches the list with 'a' open (version 2), at most 2 attempts.
    const mine = await created(store, { cache: new StateCache(10), maxAttempts: 2 });
    await add(mine, 'a');
    // Elsewhere 'a' is completed (version 3): my cache is behind.
    await complete(pipelineOn(store), 'a');
    const appendMany = store.appendMany.bind(store);
    const groups = jest.spyOn(store, 'appendMany').mockImplementationOnce(async (inputs) => {
      // And my group's first write loses a race as well.
      await store.append(
        rivalCommit(inputs[0]!, [{ type: 'TodoAdded', data: { todoId: 'r', title: 'rival' } }], 'rival'),
      );
      return appendMany(inputs);
    });
    const settled = await Promise.allSettled([
      complete(mine, 'nope'), // alone: refused after catching up, the cache stays behind
      mine.run({ streamId: 'l1', action: reopenTodo, payload: { listId: 'l1', todoId: 'a' }, ctx }), // "nothing changes" on my stale state
      add(mine, 'b'),
    ]);
    expect(settled.map(outcome)).toEqual(['TODO_NOT_FOUND', 5, 6]);
    expect(groups).toHaveBeenCalledTimes(2);
    const state = (await mine.load('l1')).state;
    expect(state?.todos.map((t) => [t.todoId, t.completed])).toEqual([
      ['a', false],
      ['r', false],
      ['b', false],
    ]);
  });
});

describe('a group commit after a load that found no usable snapshot', () => {
  it('has its last commit take the snapshot (kept with the commit and in the snapshot store), and only that one', async () => {
    const store = new InMemoryEventStore();
    // A long stream (25 commits, tail 2 × 10) written without snapshots.
    const plain = await created(store);
    for (let i = 2; i <= 25; i += 1) await add(plain, `t${i}`);
    const snapshots = new InMemorySnapshotStore();
    const puts = jest.spyOn(snapshots, 'put');
    const pipeline = pipelineOn(store, { snapshots: { store: snapshots, every: 10 } });
    // The first command (refused, alone) writes nothing; the three that waited load as a group.
    const settled = await Promise.allSettled([
      complete(pipeline, 'nope'),
      add(pipeline, 'a'),
      add(pipeline, 'b'),
      add(pipeline, 'c'),
    ]);
    expect(settled.map(outcome)).toEqual(['TODO_NOT_FOUND', 26, 27, 28]);
    const full = (await store.readStream<TodoListEvent>('l1'))
      .flatMap((c) => c.events)
      .reduce(todoListReducer, initialTodoListState);
    const kept = (await store.readStream('l1', { fromVersion: 26, withSnapshots: true })).map((c) => c.snapshot);
    expect(kept).toEqual([undefined, undefined, { reducerVersion: '1', state: full }]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(puts.mock.calls.map(([snapshot]) => snapshot)).toEqual([
      { streamId: 'l1', version: 28, reducerVersion: '1', state: full },
    ]);
  });
});

describe('a command whose append landed but whose answer was lost', () => {
  it("answers the state its own commit left, not a rival's after it, and counts as accepted", async () => {
    const store = new InMemoryEventStore();
    const pipeline = await created(store);
    recordWaits();
    const append = store.append.bind(store);
    jest.spyOn(store, 'append').mockImplementationOnce(async <E extends DomainEvent>(input: AppendInput<E>) => {
      await append(input);
      await append(
        rivalCommit(input as AppendInput, [{ type: 'TodoAdded', data: { todoId: 'r', title: 'rival' } }], 'rival', 1),
      );
      throw lostRace(input as AppendInput);
    });
    let result: Awaited<ReturnType<typeof add>> | undefined;
    const counts = await countsDuring(async () => {
      result = await add(pipeline, 'a');
    });
    expect(result?.version).toBe(2);
    expect(result?.state?.todos.map((t) => t.todoId)).toEqual(['a']);
    expect(counts).toEqual({ CommandAccepted: 1, CommandConflict: 1, CommandRetry: 1 });
  });
});

describe('what an instance remembers of long streams', () => {
  const EVERY = 1; // tails of 2 commits for a stream not known long, 1 for one known long with its snapshot elsewhere
  const tail = (last: number): Commit[] =>
    Array.from({ length: last }, (_, i) => ({
      streamId: 's',
      version: 100 - last + 1 + i,
      streamType: 'thing',
      commandId: `c${i}`,
      at: ctx.now,
      events: [],
      metadata: {},
    }));
  const tails = [tail(0), tail(1), tail(2)];

  /** A store of streams of 100 commits each, and a snapshot store holding each at version 100. */
  const longStreams = () => {
    const lasts = new Map<string, number | undefined>();
    const store: EventStore = {
      readStream: async <TEvent extends DomainEvent>(streamId: string, options: ReadStreamOptions = {}) => {
        lasts.set(streamId, options.last);
        return tails[options.last ?? 0] as Commit<TEvent>[];
      },
      append: async () => Promise.reject(new Error('read only')),
      readKey: async () => undefined,
    };
    const snapshots: SnapshotStore = {
      get: async <TState>(streamId: string) =>
        ({ streamId, version: 100, reducerVersion: '1', state: initialTodoListState }) as Snapshot<TState>,
      put: async () => undefined,
    };
    return { pipeline: pipelineOn(store, { snapshots: { store: snapshots, every: EVERY } }), lasts };
  };

  it('are the 10,000 most recently loaded: the one before them is read as a stream not known long again', async () => {
    const { pipeline, lasts } = longStreams();
    for (let i = 0; i <= 10_000; i += 1) await pipeline.load(`s${i}`);
    await pipeline.load('s1');
    expect(lasts.get('s1')).toBe(EVERY);
    await pipeline.load('s0');
    expect(lasts.get('s0')).toBe(2 * EVERY);
  });

  it('never include a short stream, even one whose tail held its snapshot', async () => {
    const store = new InMemoryEventStore();
    const snapshots = new InMemorySnapshotStore();
    const writer = await created(store, { snapshots: { store: snapshots, every: 2 } });
    await add(writer, 'a');
    await add(writer, 'b');
    expect((await store.readStream('l1', { withSnapshots: true }))[1]?.snapshot).toBeDefined();
    const reads: (ReadStreamOptions | undefined)[] = [];
    const read = store.readStream.bind(store);
    jest.spyOn(store, 'readStream').mockImplementation((streamId, options) => {
      reads.push(options);
      return read(streamId, options);
    });
    const pipeline = pipelineOn(store, { snapshots: { store: snapshots, every: 2 } });
    await pipeline.load('l1');
    await pipeline.load('l1');
    expect(reads).toEqual([
      { last: 4, withSnapshots: true },
      { last: 4, withSnapshots: true },
    ]);
  });
});
