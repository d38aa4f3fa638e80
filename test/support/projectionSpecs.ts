/**
 * The todo app's projections, specified with the kit's projection specs (src/testing) as a user of
 * the kit would: given the commits of some streams, delivered the way Lambda may deliver them
 * (twice, out of order, with gaps), then the view. One suite, run against every view-store
 * adapter: in memory (unit) and DynamoDB Local (int).
 */
import type { TodoListEvent } from '../../domain/todoList';
import { listsView, statsView, tagCountsView, todoLists } from '../../handlers/views';
import { foldCommits, streamView } from '../../src';
import { deliveries, givenCommits, type ViewStoreTarget } from '../../src/testing';

const T = '2026-06-01T00:00:00.000Z';

const list = (listId: string, ownerId: string): TodoListEvent => ({
  type: 'ListCreated',
  data: { listId, ownerId, title: `list ${listId}` },
});
const added = (todoId: string): TodoListEvent => ({ type: 'TodoAdded', data: { todoId, title: todoId } });
const completed = (todoId: string): TodoListEvent => ({ type: 'TodoCompleted', data: { todoId } });
const tagged = (todoId: string, tagId: string): TodoListEvent => ({ type: 'TodoTagged', data: { todoId, tagId } });

export const projectionSpecs = (target: ViewStoreTarget) => {
  it('lists: the same commits twice and backwards give the view of one in-order delivery', async () => {
    const given = givenCommits(todoLists, {
      L1: [[list('L1', 'alice')], [added('a'), added('b')], [completed('a')], [tagged('b', 'g')]],
    });
    const lists = await (await given).project(listsView, target);
    expect(await lists.deliver('L1', deliveries.reversed)).toMatchObject([{ applied: 4 }]);
    expect(await lists.deliver('L1')).toEqual([{ applied: 0, duplicates: 4, healed: 0 }]);
    await lists.thenView('L1', {
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
    const given = await givenCommits(todoLists, {
      L2: [[list('L2', 'bob')], [added('a')], [added('b')], [completed('b')]],
    });
    const lists = await given.project(listsView, target);
    expect(await lists.deliver('L2', deliveries.gap)).toEqual([
      { applied: 1, duplicates: 0, healed: 0 },
      { applied: 3, duplicates: 0, healed: 2 },
      { applied: 0, duplicates: 4, healed: 0 },
    ]);
    expect(await lists.view('L2')).toMatchObject({ version: 4, state: { openCount: 1, completedCount: 1 } });
  });

  it('stats and tag counts: totals across streams, each commit counted once whatever the delivery', async () => {
    const given = await givenCommits(todoLists, {
      S1: [[list('S1', 'carol')], [added('a'), added('b')], [completed('a'), tagged('b', 'g1')]],
      S2: [
        [list('S2', 'carol')],
        [added('c'), tagged('c', 'g1'), tagged('c', 'g2')],
        [{ type: 'ListArchived', data: {} }],
      ],
    });
    const redelivered = (commits: Parameters<typeof deliveries.twice>[0]) => [
      [...commits, ...commits],
      commits.slice(1),
    ];
    for (const [view, expected] of [
      [statsView, { lists: 1, openTodos: 1, completedTodos: 1 }],
      [tagCountsView, { g1: 1 }],
    ] as const) {
      const counted = await given.project(view, target);
      await counted.deliver('S1', redelivered);
      await counted.deliver('S2', redelivered);
      // The archived list no longer counts, in either view.
      await counted.thenTotals('carol', expected);
    }
  });

  it('a view deleted by its evolve stays deleted, and keeps its version against late commits', async () => {
    const given = await givenCommits(todoLists, {
      D1: [[list('D1', 'dan')], [added('a')], [{ type: 'ListArchived', data: {} }]],
    });
    // A view of open lists only: archiving deletes it.
    const openLists = streamView({
      ...listsView,
      name: 'openLists',
      evolve: (v, e, c) => (e.type === 'ListArchived' ? null : listsView.evolve(v, e, c)),
    });
    const open = await given.project(openLists, target);
    await open.deliver('D1');
    await open.thenView('D1', { version: 3, state: null });
    expect(await open.deliver('D1', [given.commits.D1!.slice(0, 2)])).toEqual([
      { applied: 0, duplicates: 2, healed: 0 },
    ]);
    await open.thenView('D1', { version: 3, state: null });
  });

  it('lists: 150 todos added, completed and cleared in one commit each (more than one transaction) give the fold', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `t${i}`);
    const given = await givenCommits(todoLists, {
      B1: [
        [list('B1', 'erin')],
        ids.map(added),
        ids.slice(0, 140).map(completed),
        [added('last')],
        ids.slice(0, 140).map((todoId): TodoListEvent => ({ type: 'TodoRemoved', data: { todoId } })),
      ],
    });
    const commits = given.commits.B1!;
    const expected = (upTo: number) => ({
      version: upTo,
      state: foldCommits(null, commits.slice(0, upTo), listsView.evolve),
    });
    // Commit by commit, as the stream delivers them, and all at once, as a rebuild does.
    const stepwise = await given.project(listsView, target);
    for (const [i, commit] of commits.entries()) {
      await stepwise.deliver('B1', [[commit]]);
      await stepwise.thenView('B1', expected(i + 1));
    }
    const atOnce = await given.project(listsView, target);
    await atOnce.deliver('B1', [commits.slice(0, 4)]);
    await atOnce.thenView('B1', expected(4));
    expect((await atOnce.view('B1')).state).toMatchObject({ openCount: 11, completedCount: 140 });
  });

  it('lists: concurrent appliers of overlapping commit ranges, large ones included, leave the fold', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `c${i}`);
    const given = await givenCommits(todoLists, {
      C1: [
        [list('C1', 'fay')],
        ids.slice(0, 60).map(added),
        [added('x'), completed('x')],
        ids.slice(60).map(added),
        ids.map(completed),
        [tagged('x', 'g')],
        ids.slice(0, 110).map((todoId): TodoListEvent => ({ type: 'TodoRemoved', data: { todoId } })),
        [added('y')],
      ],
    });
    const commits = given.commits.C1!;
    const lists = await given.project(listsView, target, { maxAttempts: 50 });
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
    await Promise.all(ranges.map(([from, to]) => lists.deliver('C1', [commits.slice(from, to)])));
    await lists.thenView('C1', { version: 8, state: foldCommits(null, commits, listsView.evolve) });
  });
};
