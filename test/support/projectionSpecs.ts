/**
 * The todo app's projections specified like deciders: given the commits of some streams,
 * delivered the way Lambda may deliver them (twice, out of order, with gaps), then the view.
 * One suite, run against every view-store adapter: in memory (unit) and DynamoDB Local (int).
 */
import type { TodoListEvent } from '../../domain/todoList';
import { listsView, statsView, tagCountsView } from '../../handlers/todoLists';
import { InMemoryEventStore, exactlyOnceProjection, type Commit, type CounterView, type StreamView, type ViewStore } from '../../src';

/** What a suite needs of an adapter: a fresh store for a view, and the totals of a counter view. */
export interface ViewStoreTarget {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  streamStore(view: StreamView<any, any>): Promise<ViewStore<any>>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  counterStore(view: CounterView<any, any>): Promise<{ views: ViewStore<any>; totals(key: string): Promise<Record<string, number>> }>;
}

const T = '2026-06-01T00:00:00.000Z';

/** The commits of `events` on one stream, one commit per inner array, in an event store that can heal gaps. */
const given = async (store: InMemoryEventStore, streamId: string, commits: readonly (readonly TodoListEvent[])[]) => {
  const written: Commit[] = [];
  for (const [i, events] of commits.entries()) {
    written.push(await store.append({ streamId, streamType: 'todoList', expectedVersion: i, events, commandId: `${streamId}-${i}`, at: T }));
  }
  return written;
};

const list = (listId: string, ownerId: string): TodoListEvent => ({ type: 'ListCreated', data: { listId, ownerId, title: `list ${listId}` } });
const added = (todoId: string): TodoListEvent => ({ type: 'TodoAdded', data: { todoId, title: todoId } });
const completed = (todoId: string): TodoListEvent => ({ type: 'TodoCompleted', data: { todoId } });
const tagged = (todoId: string, tagId: string): TodoListEvent => ({ type: 'TodoTagged', data: { todoId, tagId } });

export const projectionSpecs = (target: ViewStoreTarget) => {
  const projection = (view: { name: string; aggregate: { streamType: string }; evolve: never }, views: ViewStore<unknown>, store: InMemoryEventStore) =>
    exactlyOnceProjection({ name: view.name, streamType: view.aggregate.streamType, store, views, evolve: view.evolve });

  it('lists: the same commits twice and backwards give the view of one in-order delivery', async () => {
    const store = new InMemoryEventStore();
    const commits = await given(store, 'L1', [[list('L1', 'alice')], [added('a'), added('b')], [completed('a')], [tagged('b', 'g')]]);
    const views = await target.streamStore(listsView);
    const apply = projection(listsView as never, views, store);
    expect(await apply.applyCommits('L1', [...commits].reverse())).toMatchObject({ applied: 4 });
    expect(await apply.applyCommits('L1', commits)).toEqual({ applied: 0, duplicates: 4, healed: 0 });
    expect(await views.read('L1')).toEqual({
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
    expect(await views.read('L2')).toMatchObject({ version: 4, state: { openCount: 1, completedCount: 1 } });
  });

  it('stats and tag counts: totals across streams, each commit counted once whatever the delivery', async () => {
    const store = new InMemoryEventStore();
    const one = await given(store, 'S1', [[list('S1', 'carol')], [added('a'), added('b')], [completed('a'), tagged('b', 'g1')]]);
    const two = await given(store, 'S2', [[list('S2', 'carol')], [added('c'), tagged('c', 'g1'), tagged('c', 'g2')], [{ type: 'ListArchived', data: {} }]]);
    for (const view of [statsView, tagCountsView]) {
      const { views, totals } = await target.counterStore(view);
      const apply = projection(view as never, views, store);
      for (const [streamId, commits] of [['S1', one], ['S2', two]] as const) {
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
    const openLists = { ...listsView, name: 'openLists', evolve: (v: unknown, e: TodoListEvent, c: never) => (e.type === 'ListArchived' ? null : listsView.evolve(v as never, e, c)) };
    const views = await target.streamStore(openLists as never);
    const apply = projection(openLists as never, views, store);
    await apply.applyCommits('D1', commits);
    expect(await views.read('D1')).toEqual({ version: 3, state: null });
    expect(await apply.applyCommits('D1', commits.slice(0, 2))).toEqual({ applied: 0, duplicates: 2, healed: 0 });
    expect(await views.read('D1')).toEqual({ version: 3, state: null });
  });
};
