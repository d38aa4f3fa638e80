/**
 * Moving a todo to another of the caller's lists: one decision on two lists' states, whose events
 * (out of one, into the other) the kit writes atomically. Given / when / then on both streams.
 */
import {
  MAX_TODOS_PER_LIST,
  evolveListStats,
  evolveListTags,
  evolveListView,
  foldTodoList,
  initialTodoListState,
  moveTodo,
  statsContribution,
  tagCountContributions,
  todoListReducer,
  type ListStatsSource,
  type ListTagsSource,
  type ListView,
  type TodoListEvent,
} from '../../domain/todoList';
import { givenStreams } from '../../src/testing';

type Event = TodoListEvent;
const created = (listId: string, ownerId = 'alice'): Event => ({
  type: 'ListCreated',
  data: { listId, ownerId, title: `List ${listId}` },
});
const added = (todoId: string, title = `Todo ${todoId}`): Event => ({ type: 'TodoAdded', data: { todoId, title } });
const completed = (todoId: string): TodoListEvent => ({ type: 'TodoCompleted', data: { todoId } });
const tagged = (todoId: string, tagId: string): TodoListEvent => ({ type: 'TodoTagged', data: { todoId, tagId } });
const archived: TodoListEvent = { type: 'ListArchived', data: {} };
const movedOut = (todoId: string, toListId = 'B'): Event => ({ type: 'TodoMovedOut', data: { todoId, toListId } });
const movedIn = (todoId: string, title: string, done: boolean, tagIds: string[] = [], fromListId = 'A'): Event => ({
  type: 'TodoMovedIn',
  data: { todoId, title, completed: done, tagIds, fromListId },
});

const source = [
  created('A'),
  added('t1', 'Milk'),
  completed('t1'),
  tagged('t1', 'g1'),
  tagged('t1', 'g2'),
  added('t2', 'Eggs'),
];
const target = [created('B'), added('t9', 'Bread')];
const move = (todoId = 't1', toListId = 'B') => ({ listId: 'A', todoId, toListId });
const given = (from: readonly Event[], to: readonly Event[]) =>
  givenStreams(todoListReducer, initialTodoListState, { from, to });
/** What moving `t1` (open in `source`, completed, tagged g1 and g2) from A to B writes. */
const movesMilk = { from: [movedOut('t1')], to: [movedIn('t1', 'Milk', true, ['g1', 'g2'])] };

describe('moveTodo: one decision on two lists', () => {
  it('takes the todo out of its list and into the other, with its title, completed state and tags', () => {
    given(source, target).when(moveTodo, move()).then(movesMilk);
  });

  it('moves an open, untagged todo as it is', () => {
    given(source, target)
      .when(moveTodo, move('t2'))
      .then({ from: [movedOut('t2')], to: [movedIn('t2', 'Eggs', false)] });
  });

  it("refuses another user's source or target list as not found (no existence leak)", () => {
    given(source, target).when(moveTodo, move(), { userId: 'bob' }).thenThrows('LIST_NOT_FOUND', 404);
    given(source, [created('B', 'bob')])
      .when(moveTodo, move())
      .thenThrows('LIST_NOT_FOUND', 404);
  });

  it('refuses a target list that does not exist, and a todo that is not in the source', () => {
    given(source, []).when(moveTodo, move()).thenThrows('LIST_NOT_FOUND', 404);
    given(source, target).when(moveTodo, move('t9')).thenThrows('TODO_NOT_FOUND', 404);
  });

  it('refuses moving into an archived list, and out of one', () => {
    given(source, [...target, archived])
      .when(moveTodo, move())
      .thenThrows('LIST_ARCHIVED', 409);
    given([...source, archived], target)
      .when(moveTodo, move())
      .thenThrows('LIST_ARCHIVED', 409);
  });

  it('refuses moving into a full list', () => {
    const full = [created('B'), ...Array.from({ length: MAX_TODOS_PER_LIST }, (_, i) => added(`f${i}`))];
    given(source, full).when(moveTodo, move()).thenThrows('LIST_FULL', 409);
    // One short of full: it fits.
    given(source, full.slice(0, -1)).when(moveTodo, move()).then(movesMilk);
  });

  it('refuses moving to the list it is in, with a clear code', () => {
    given(source, source).when(moveTodo, move('t1', 'A')).thenThrows('SAME_LIST', 400);
  });

  it('refuses a target that already holds a todo with that id', () => {
    given(source, [...target, added('t1')])
      .when(moveTodo, move())
      .thenThrows('TODO_ALREADY_EXISTS', 409);
  });
});

describe('a move, folded', () => {
  const out = foldTodoList([...source, movedOut('t1')]);
  const into = foldTodoList([...target, movedIn('t1', 'Milk', true, ['g1', 'g2'])]);

  it('leaves the source without the todo and gives the target the todo as it was', () => {
    expect(out?.todos.map((t) => t.todoId)).toEqual(['t2']);
    expect(into?.todos).toEqual([
      { todoId: 't9', title: 'Bread', completed: false },
      { todoId: 't1', title: 'Milk', completed: true, tagIds: ['g1', 'g2'] },
    ]);
  });

  it('keeps a todo moved in without tags free of an empty tagIds (as an added one)', () => {
    const [, moved] = foldTodoList([...target, movedIn('t2', 'Eggs', false)])?.todos ?? [];
    expect(moved).toEqual({ todoId: 't2', title: 'Eggs', completed: false });
  });

  it('moves the todo between the lists views, counts included', () => {
    const commit = { streamId: 'x', version: 1, at: '2026-01-01T00:00:00.000Z' };
    const view = (events: readonly Event[]) =>
      events.reduce<ListView | null>((v, e) => evolveListView(v, e, commit), null);
    expect(view([...source, movedOut('t1')])).toMatchObject({ openCount: 1, completedCount: 0 });
    expect(view([...target, movedIn('t1', 'Milk', true, ['g1'])])).toMatchObject({ openCount: 1, completedCount: 1 });
  });

  it("moves the todo's count between its owner's stats: the totals do not change", () => {
    const stats = (events: readonly Event[]) =>
      statsContribution(events.reduce<ListStatsSource | null>(evolveListStats, null));
    const before = [stats(source), stats(target)];
    const after = [stats([...source, movedOut('t1')]), stats([...target, movedIn('t1', 'Milk', true, ['g1', 'g2'])])];
    const total = (parts: typeof before) =>
      parts.reduce((a, b) => ({
        lists: a.lists + b.lists,
        openTodos: a.openTodos + b.openTodos,
        completedTodos: a.completedTodos + b.completedTodos,
      }));
    expect(total(after)).toEqual(total(before));
    expect(after[1]).toEqual({ lists: 1, openTodos: 1, completedTodos: 1 });
  });

  it("moves the todo's tags between the tag counts", () => {
    const tags = (events: readonly Event[]) =>
      tagCountContributions(events.reduce<ListTagsSource | null>(evolveListTags, null)!);
    expect(tags([...source, movedOut('t1')])).toEqual({ alice: {} });
    expect(tags([...target, movedIn('t1', 'Milk', true, ['g1', 'g2'])])).toEqual({ alice: { g1: 1, g2: 1 } });
  });
});
