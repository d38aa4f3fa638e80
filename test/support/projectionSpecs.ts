/**
 * The todo app's projections specified like deciders: given the commits of some streams,
 * delivered the way Lambda may deliver them (twice, out of order, with gaps), then the view.
 * One suite, run against every view-store adapter: in memory (unit) and DynamoDB Local (int).
 */
import type { TodoListEvent } from '../../domain/todoList';
import { listsView, statsView, tagCountsView } from '../../handlers/views';
import {
  InMemoryEventStore,
  exactlyOnceProjection,
  foldCommits,
  type Commit,
  type CounterView,
  type StreamView,
  type ViewStore,
} from '../../src';

/** What a suite needs of an adapter: a fresh store for a view, and the totals of a counter view. */
export interface ViewStoreTarget {
  streamStore(view: StreamView<any, any>): Promise<ViewStore<any>>;
  counterStore(
    view: CounterView<any, any>,
  ): Promise<{ views: ViewStore<any>; totals(key: string): Promise<Record<string, number>> }>;
}

const T = '2026-06-01T00:00:00.000Z';

/** The commits of `events` on one stream, one commit per inner array, in an event store that can heal gaps. */
const given = async (store: InMemoryEventStore, streamId: string, commits: readonly (readonly TodoListEvent[])[]) => {
  const written: Commit[] = [];
  for (const [i, events] of commits.entries()) {
    written.push(
      await store.append({
        streamId,
        streamType: 'todoList',
        expectedVersion: i,
        events,
        commandId: `${streamId}-${i}`,
        at: T,
      }),
    );
  }
  return written;
};

const list = (listId: string, ownerId: string): TodoListEvent => ({
  type: 'ListCreated',
  data: { listId, ownerId, title: `list ${listId}` },
});
const added = (todoId: string): TodoListEvent => ({ type: 'TodoAdded', data: { todoId, title: todoId } });
const completed = (todoId: string): TodoListEvent => ({ type: 'TodoCompleted', data: { todoId } });
const tagged = (todoId: string, tagId: string): TodoListEvent => ({ type: 'TodoTagged', data: { todoId, tagId } });

/** Where a stream's view stands, without the store's own bookkeeping (its opaque read token). */
const checkpoint = async (views: ViewStore<unknown>, streamId: string) => {
  const { version, state } = await views.read(streamId);
  return { version, state };
};

export const projectionSpecs = (target: ViewStoreTarget) => {
  const projection = (
    view: { name: string; aggregate: { streamType: string }; evolve: never },
    views: ViewStore<unknown>,
    store: InMemoryEventStore,
  ) =>
    exactlyOnceProjection({
      name: view.name,
      streamType: view.aggregate.streamType,
      store,
      views,
      evolve: view.evolve,
    });

  it('lists: the same commits twice and backwards give the view of one in-order delivery', async () => {
    const store = new InMemoryEventStore();
    const commits = await given(store, 'L1', [
      [list('L1', 'alice')],
      [added('a'), added('b')],
      [completed('a')],
      [tagged('b', 'g')],
    ]);
    const views = await target.streamStore(listsView);
    const apply = projection(listsView as never, views, store);
    expect(await apply.applyCommits('L1', [...commits].reverse())).toMatchObject({ applied: 4 });
    expect(await apply.applyCommits('L1', commits)).toEqual({ applied: 0, duplicates: 4, healed: 0 });
    expect(await checkpoint(views, 'L1')).toEqual({
      version: 4,
      state: {
        listId: 'L1',
        ownerId: 'alice',
        title: 'list L1',
        archived: false,
        createdAt: T,
        openCount: 1,
        completedCount: 1,
        todos: [
          { todoId: 'a', title: 'a', completed: true },
          { todoId: 'b', title: 'b', completed: false, tagIds: ['g'] },
        ],
      },
    });
  });

  it('lists: a commit that arrives before the ones it follows heals the gap from the event store', async () => {
    const store = new InMemoryEventStore();
    const commits = await given(store, 'L2', [[list('L2', 'bob')], [added('a')], [added('b')], [completed('b')]]);
    const views = await target.streamStore(listsView);
    const apply = projection(listsView as never, views, store);
    expect(await apply.applyCommits('L2', [commits[0]!])).toMatchObject({ applied: 1 });
    expect(await apply.applyCommits('L2', [commits[3]!])).toEqual({ applied: 3, duplicates: 0, healed: 2 });
    expect(await checkpoint(views, 'L2')).toMatchObject({ version: 4, state: { openCount: 1, completedCount: 1 } });
  });

  it('stats and tag counts: totals across streams, each commit counted once whatever the delivery', async () => {
    const store = new InMemoryEventStore();
    const one = await given(store, 'S1', [
      [list('S1', 'carol')],
      [added('a'), added('b')],
      [completed('a'), tagged('b', 'g1')],
    ]);
    const two = await given(store, 'S2', [
      [list('S2', 'carol')],
      [added('c'), tagged('c', 'g1'), tagged('c', 'g2')],
      [{ type: 'ListArchived', data: {} }],
    ]);
    for (const view of [statsView, tagCountsView]) {
      const { views, totals } = await target.counterStore(view);
      const apply = projection(view as never, views, store);
      for (const [streamId, commits] of [
        ['S1', one],
        ['S2', two],
      ] as const) {
        await apply.applyCommits(streamId, [...commits, ...commits]);
        await apply.applyCommits(streamId, commits.slice(1));
      }
      // The archived list no longer counts, in either view.
      const expected = view === statsView ? { lists: 1, openTodos: 1, completedTodos: 1 } : { g1: 1 };
      const counted = Object.fromEntries(Object.entries(await totals('carol')).filter(([, n]) => n !== 0));
      expect({ view: view.name, totals: counted }).toEqual({ view: view.name, totals: expected });
    }
  });

  it('a view deleted by its evolve stays deleted, and keeps its version against late commits', async () => {
    const store = new InMemoryEventStore();
    const commits = await given(store, 'D1', [[list('D1', 'dan')], [added('a')], [{ type: 'ListArchived', data: {} }]]);
    // A view of open lists only: archiving deletes it.
    const openLists = {
      ...listsView,
      name: 'openLists',
      evolve: (v: unknown, e: TodoListEvent, c: never) =>
        e.type === 'ListArchived' ? null : listsView.evolve(v as never, e, c),
    };
    const views = await target.streamStore(openLists as never);
    const apply = projection(openLists as never, views, store);
    await apply.applyCommits('D1', commits);
    expect(await checkpoint(views, 'D1')).toEqual({ version: 3, state: null });
    expect(await apply.applyCommits('D1', commits.slice(0, 2))).toEqual({ applied: 0, duplicates: 2, healed: 0 });
    expect(await checkpoint(views, 'D1')).toEqual({ version: 3, state: null });
  });

  it('lists: 150 todos added, completed and cleared in one commit each (more than one transaction) give the fold', async () => {
    const store = new InMemoryEventStore();
    const ids = Array.from({ length: 150 }, (_, i) => `t${i}`);
    const commits = await given(store, 'B1', [
      [list('B1', 'erin')],
      ids.map(added),
      ids.slice(0, 140).map(completed),
      [added('last')],
      ids.slice(0, 140).map((todoId): TodoListEvent => ({ type: 'TodoRemoved', data: { todoId } })),
    ]);
    const expected = (upTo: number) => ({
      version: upTo,
      state: foldCommits(null, commits.slice(0, upTo), listsView.evolve),
    });
    // Commit by commit, as the stream delivers them, and all at once, as a rebuild does.
    const stepwise = await target.streamStore(listsView);
    const apply = projection(listsView as never, stepwise, store);
    for (const [i, commit] of commits.entries()) {
      await apply.applyCommits('B1', [commit]);
      expect(await checkpoint(stepwise, 'B1')).toEqual(expected(i + 1));
    }
    const atOnce = await target.streamStore(listsView);
    await projection(listsView as never, atOnce, store).applyCommits('B1', commits.slice(0, 4));
    expect(await checkpoint(atOnce, 'B1')).toEqual(expected(4));
    expect((await checkpoint(atOnce, 'B1')).state).toMatchObject({ openCount: 11, completedCount: 140 });
  });

  it('lists: concurrent appliers of overlapping commit ranges, large ones included, leave the fold', async () => {
    const store = new InMemoryEventStore();
    const ids = Array.from({ length: 120 }, (_, i) => `c${i}`);
    const commits = await given(store, 'C1', [
      [list('C1', 'fay')],
      ids.slice(0, 60).map(added),
      [added('x'), completed('x')],
      ids.slice(60).map(added),
      ids.map(completed),
      [tagged('x', 'g')],
      ids.slice(0, 110).map((todoId): TodoListEvent => ({ type: 'TodoRemoved', data: { todoId } })),
      [added('y')],
    ]);
    const views = await target.streamStore(listsView);
    // Eight invocations at once, as redelivery and ParallelizationFactor > 1 allow: each with its own range.
    const ranges = [
      [0, 3],
      [1, 5],
      [0, 8],
      [3, 7],
      [5, 8],
      [2, 4],
      [6, 8],
      [0, 1],
    ] as const;
    await Promise.all(
      ranges.map(([from, to]) =>
        exactlyOnceProjection({
          name: 'lists',
          streamType: 'todoList',
          store,
          views,
          evolve: listsView.evolve,
          maxAttempts: 50,
        }).applyCommits('C1', commits.slice(from, to)),
      ),
    );
    expect(await checkpoint(views, 'C1')).toEqual({ version: 8, state: foldCommits(null, commits, listsView.evolve) });
  });
};
