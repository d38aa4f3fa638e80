import type { CommandContext, CommitInfo } from '../../src/contracts';
import {
  MAX_TODOS_PER_LIST,
  TITLE_MAX_LENGTH,
  TodoListError,
  addTodo,
  archiveList,
  canReadList,
  clearCompleted,
  completeTodo,
  createList,
  evolveListStats,
  evolveListView,
  foldTodoList,
  initialTodoListState,
  invalidTitle,
  joinListView,
  removeTodo,
  renameList,
  renameTodo,
  reopenTodo,
  splitListView,
  statsContribution,
  statsContributions,
  todoAddedV1ToV2,
  todoListReducer,
  todoListUpcasters,
  versionNotFound,
  type ListStatsSource,
  type ListView,
  type TodoList,
  type TodoListEvent,
  type TodoListState,
} from '../../domain/todoList';
import { DEFAULT_CTX, type Then, type When } from '../../src/testing';
import { todoListSpec } from '../support/decider';

// ---- fixtures ---------------------------------------------------------------------------------

const LIST = 'list-1';

const listCreated = (title = 'Groceries', ownerId = 'alice', listId = LIST): TodoListEvent => ({
  type: 'ListCreated',
  data: { listId, ownerId, title },
});
const listRenamed = (title: string): TodoListEvent => ({ type: 'ListRenamed', data: { title } });
const listArchived = (): TodoListEvent => ({ type: 'ListArchived', data: {} });
const todoAdded = (todoId: string, title = `Todo ${todoId}`): TodoListEvent => ({
  type: 'TodoAdded',
  data: { todoId, title },
});
const todoRenamed = (todoId: string, title: string): TodoListEvent => ({
  type: 'TodoRenamed',
  data: { todoId, title },
});
const todoCompleted = (todoId: string): TodoListEvent => ({ type: 'TodoCompleted', data: { todoId } });
const todoReopened = (todoId: string): TodoListEvent => ({ type: 'TodoReopened', data: { todoId } });
const todoRemoved = (todoId: string): TodoListEvent => ({ type: 'TodoRemoved', data: { todoId } });

/** A list of alice's with an open todo `t1` and a completed todo `t2`. */
const aliceList: readonly TodoListEvent[] = [
  listCreated(),
  todoAdded('t1', 'Milk'),
  todoAdded('t2', 'Eggs'),
  todoCompleted('t2'),
];
/** The same list, owned by bob. */
const bobList: readonly TodoListEvent[] = [
  listCreated('Groceries', 'bob'),
  todoAdded('t1', 'Milk'),
  todoAdded('t2', 'Eggs'),
  todoCompleted('t2'),
];
const archivedAliceList: readonly TodoListEvent[] = [...aliceList, listArchived()];
const archivedBobList: readonly TodoListEvent[] = [...bobList, listArchived()];

const fullList = (n: number): TodoListEvent[] => [
  listCreated(),
  ...Array.from({ length: n }, (_, i) => todoAdded(`t${i}`)),
];

const given = (events: readonly TodoListEvent[]) => todoListSpec.given(events);

type Given = When<TodoListState, TodoListEvent>;
type Command = (g: Given, ctx?: Partial<CommandContext>) => Then<TodoListEvent>;

/** Every command on an existing list, with a payload that would succeed on alice's open `aliceList`. */
const listCommands: readonly (readonly [string, Command])[] = [
  ['renameList', (g, ctx) => g.when(renameList, { listId: LIST, title: 'Shopping' }, ctx)],
  ['archiveList', (g, ctx) => g.when(archiveList, { listId: LIST }, ctx)],
  ['addTodo', (g, ctx) => g.when(addTodo, { listId: LIST, todoId: 't3', title: 'Bread' }, ctx)],
  ['renameTodo', (g, ctx) => g.when(renameTodo, { listId: LIST, todoId: 't1', title: 'Oat milk' }, ctx)],
  ['completeTodo', (g, ctx) => g.when(completeTodo, { listId: LIST, todoId: 't1' }, ctx)],
  ['reopenTodo', (g, ctx) => g.when(reopenTodo, { listId: LIST, todoId: 't2' }, ctx)],
  ['removeTodo', (g, ctx) => g.when(removeTodo, { listId: LIST, todoId: 't1' }, ctx)],
  ['clearCompleted', (g, ctx) => g.when(clearCompleted, { listId: LIST }, ctx)],
];
/** The commands that change an open list (everything but archiveList, which is idempotent). */
const mutatingCommands = listCommands.filter(([name]) => name !== 'archiveList');

/** The commands on one todo, with a todo id that is not in the list. */
const unknownTodoCommands: readonly (readonly [string, Command])[] = [
  ['renameTodo', (g) => g.when(renameTodo, { listId: LIST, todoId: 'nope', title: 'Oat milk' })],
  ['completeTodo', (g) => g.when(completeTodo, { listId: LIST, todoId: 'nope' })],
  ['reopenTodo', (g) => g.when(reopenTodo, { listId: LIST, todoId: 'nope' })],
  ['removeTodo', (g) => g.when(removeTodo, { listId: LIST, todoId: 'nope' })],
];

/** Every command that takes a title, run on alice's open list with the given raw title. */
const titleCommands: readonly (readonly [
  string,
  (g: Given, title: string) => Then<TodoListEvent>,
  readonly TodoListEvent[],
  (title: string) => TodoListEvent,
])[] = [
  ['createList', (g, title) => g.when(createList, { listId: LIST, title }), [], (title) => listCreated(title)],
  ['renameList', (g, title) => g.when(renameList, { listId: LIST, title }), aliceList, (title) => listRenamed(title)],
  [
    'addTodo',
    (g, title) => g.when(addTodo, { listId: LIST, todoId: 't3', title }),
    aliceList,
    (title) => todoAdded('t3', title),
  ],
  [
    'renameTodo',
    (g, title) => g.when(renameTodo, { listId: LIST, todoId: 't1', title }),
    aliceList,
    (title) => todoRenamed('t1', title),
  ],
];

const commit = (version: number, at: string, streamId = LIST): CommitInfo => ({ streamId, version, at });

// ---- the decider helper itself ----------------------------------------------------------------

describe('decider helper', () => {
  it('fails then() when the action returned other events', () => {
    expect(() =>
      given([])
        .when(createList, { listId: LIST, title: 'Groceries' })
        .then([listCreated('Other')]),
    ).toThrow();
  });

  it('fails thenNothing() when the action returned events', () => {
    expect(() => given(aliceList).when(completeTodo, { listId: LIST, todoId: 't1' }).thenNothing()).toThrow();
  });

  it('fails then() when the action threw', () => {
    expect(() => given([]).when(archiveList, { listId: LIST }).then([listArchived()])).toThrow(
      /LIST_NOT_FOUND|was not found/,
    );
  });

  it('fails thenThrows() when the action did not throw', () => {
    expect(() =>
      given([]).when(createList, { listId: LIST, title: 'Groceries' }).thenThrows('LIST_NOT_FOUND', 404),
    ).toThrow(/Expected a LIST_NOT_FOUND error/);
  });

  it('fails thenThrows() on another code or status', () => {
    expect(() => given([]).when(archiveList, { listId: LIST }).thenThrows('TODO_NOT_FOUND', 404)).toThrow();
    expect(() => given([]).when(archiveList, { listId: LIST }).thenThrows('LIST_NOT_FOUND', 409)).toThrow();
  });

  it('uses alice as the default caller and merges a partial ctx over the defaults', () => {
    expect(DEFAULT_CTX).toStrictEqual({ userId: 'alice', now: '2026-01-01T00:00:00.000Z' });
    given([])
      .when(createList, { listId: LIST, title: 'Groceries' })
      .then([listCreated('Groceries', 'alice')]);
    given([])
      .when(createList, { listId: LIST, title: 'Groceries' }, { userId: 'bob' })
      .then([listCreated('Groceries', 'bob')]);
  });

  it('fails when an action mutates the state it was given', () => {
    const mutating = (state: TodoListState): readonly TodoListEvent[] => {
      (state as { title: string } | null)!.title = 'changed';
      return [];
    };
    expect(() => given(aliceList).when(mutating, {}).thenNothing()).toThrow();
  });
});

// ---- actions ----------------------------------------------------------------------------------

describe('createList', () => {
  it('creates the list owned by the caller', () => {
    given([])
      .when(createList, { listId: LIST, title: 'Groceries' })
      .then([listCreated('Groceries', 'alice')]);
  });

  it('takes the owner from the context, not the payload', () => {
    given([])
      .when(createList, { listId: 'list-9', title: 'Work' }, { userId: 'carol' })
      .then([listCreated('Work', 'carol', 'list-9')]);
  });

  it('answers LIST_ALREADY_EXISTS (409) when the list exists', () => {
    given([listCreated()]).when(createList, { listId: LIST, title: 'Again' }).thenThrows('LIST_ALREADY_EXISTS', 409);
  });

  it('answers LIST_ALREADY_EXISTS (409) when the list exists but is archived', () => {
    given(archivedAliceList).when(createList, { listId: LIST, title: 'Again' }).thenThrows('LIST_ALREADY_EXISTS', 409);
  });

  it('answers LIST_ALREADY_EXISTS (409) even when the existing list is someone else’s (the id is taken)', () => {
    given(bobList).when(createList, { listId: LIST, title: 'Mine' }).thenThrows('LIST_ALREADY_EXISTS', 409);
  });
});

describe('renameList', () => {
  it('renames the list', () => {
    given(aliceList)
      .when(renameList, { listId: LIST, title: 'Shopping' })
      .then([listRenamed('Shopping')]);
  });

  it('trims the new title', () => {
    given(aliceList)
      .when(renameList, { listId: LIST, title: '  Shopping \t' })
      .then([listRenamed('Shopping')]);
  });

  it('renaming to the same title changes nothing', () => {
    given(aliceList).when(renameList, { listId: LIST, title: 'Groceries' }).thenNothing();
  });

  it('renaming to the same title once trimmed changes nothing', () => {
    given(aliceList).when(renameList, { listId: LIST, title: '  Groceries  ' }).thenNothing();
  });

  it('compares against the latest title', () => {
    given([...aliceList, listRenamed('Shopping')])
      .when(renameList, { listId: LIST, title: 'Groceries' })
      .then([listRenamed('Groceries')]);
    given([...aliceList, listRenamed('Shopping')])
      .when(renameList, { listId: LIST, title: 'Shopping' })
      .thenNothing();
  });

  it('answers LIST_NOT_FOUND (404) for a missing list', () => {
    given([]).when(renameList, { listId: LIST, title: 'Shopping' }).thenThrows('LIST_NOT_FOUND', 404);
  });

  it('answers LIST_ARCHIVED (409) on an archived list, even for the same title', () => {
    given(archivedAliceList).when(renameList, { listId: LIST, title: 'Shopping' }).thenThrows('LIST_ARCHIVED', 409);
    given(archivedAliceList).when(renameList, { listId: LIST, title: 'Groceries' }).thenThrows('LIST_ARCHIVED', 409);
  });

  it('checks the list is open before the title', () => {
    given(archivedAliceList).when(renameList, { listId: LIST, title: '' }).thenThrows('LIST_ARCHIVED', 409);
  });
});

describe('archiveList', () => {
  it('archives an open list', () => {
    given(aliceList)
      .when(archiveList, { listId: LIST })
      .then([{ type: 'ListArchived', data: {} }]);
  });

  it('archives an empty list', () => {
    given([listCreated()]).when(archiveList, { listId: LIST }).then([listArchived()]);
  });

  it('archiving an archived list changes nothing (a retried DELETE is harmless)', () => {
    given(archivedAliceList).when(archiveList, { listId: LIST }).thenNothing();
  });

  it('answers LIST_NOT_FOUND (404) for a missing list', () => {
    given([]).when(archiveList, { listId: LIST }).thenThrows('LIST_NOT_FOUND', 404);
  });

  it('answers LIST_NOT_FOUND (404) for someone else’s archived list, not an empty success', () => {
    given(archivedBobList).when(archiveList, { listId: LIST }).thenThrows('LIST_NOT_FOUND', 404);
  });
});

describe('addTodo', () => {
  it('adds a todo', () => {
    given(aliceList)
      .when(addTodo, { listId: LIST, todoId: 't3', title: 'Bread' })
      .then([todoAdded('t3', 'Bread')]);
  });

  it('adds the first todo to an empty list', () => {
    given([listCreated()])
      .when(addTodo, { listId: LIST, todoId: 't1', title: 'Milk' })
      .then([todoAdded('t1', 'Milk')]);
  });

  it('trims the title', () => {
    given(aliceList)
      .when(addTodo, { listId: LIST, todoId: 't3', title: '\n Bread  ' })
      .then([todoAdded('t3', 'Bread')]);
  });

  it('allows two todos with the same title', () => {
    given(aliceList)
      .when(addTodo, { listId: LIST, todoId: 't3', title: 'Milk' })
      .then([todoAdded('t3', 'Milk')]);
  });

  it('answers TODO_ALREADY_EXISTS (409) for a todo id already in the list, open or completed', () => {
    given(aliceList)
      .when(addTodo, { listId: LIST, todoId: 't1', title: 'Bread' })
      .thenThrows('TODO_ALREADY_EXISTS', 409);
    given(aliceList)
      .when(addTodo, { listId: LIST, todoId: 't2', title: 'Bread' })
      .thenThrows('TODO_ALREADY_EXISTS', 409);
  });

  it(`accepts the ${MAX_TODOS_PER_LIST}th todo`, () => {
    expect(MAX_TODOS_PER_LIST).toBe(500);
    given(fullList(MAX_TODOS_PER_LIST - 1))
      .when(addTodo, { listId: LIST, todoId: 'last', title: 'Last' })
      .then([todoAdded('last', 'Last')]);
  });

  it(`answers LIST_FULL (409) once the list holds ${MAX_TODOS_PER_LIST} todos`, () => {
    given(fullList(MAX_TODOS_PER_LIST))
      .when(addTodo, { listId: LIST, todoId: 'one-more', title: 'One more' })
      .thenThrows('LIST_FULL', 409);
  });

  it('counts completed todos towards the limit', () => {
    const events = [...fullList(MAX_TODOS_PER_LIST), todoCompleted('t0'), todoCompleted('t1')];
    given(events).when(addTodo, { listId: LIST, todoId: 'one-more', title: 'One more' }).thenThrows('LIST_FULL', 409);
  });

  it('takes a todo again once one is removed from a full list', () => {
    given([...fullList(MAX_TODOS_PER_LIST), todoRemoved('t7')])
      .when(addTodo, { listId: LIST, todoId: 'one-more', title: 'One more' })
      .then([todoAdded('one-more', 'One more')]);
  });

  it('reports a duplicate id before a full list', () => {
    given(fullList(MAX_TODOS_PER_LIST))
      .when(addTodo, { listId: LIST, todoId: 't0', title: 'Again' })
      .thenThrows('TODO_ALREADY_EXISTS', 409);
  });

  it('reports an invalid title before a duplicate id', () => {
    given(aliceList).when(addTodo, { listId: LIST, todoId: 't1', title: '   ' }).thenThrows('VALIDATION_ERROR', 400);
  });

  it('answers LIST_NOT_FOUND (404) for a missing list', () => {
    given([]).when(addTodo, { listId: LIST, todoId: 't1', title: 'Milk' }).thenThrows('LIST_NOT_FOUND', 404);
  });

  it('answers LIST_ARCHIVED (409) on an archived list', () => {
    given(archivedAliceList)
      .when(addTodo, { listId: LIST, todoId: 't3', title: 'Bread' })
      .thenThrows('LIST_ARCHIVED', 409);
  });
});

describe('renameTodo', () => {
  it('renames a todo', () => {
    given(aliceList)
      .when(renameTodo, { listId: LIST, todoId: 't1', title: 'Oat milk' })
      .then([todoRenamed('t1', 'Oat milk')]);
  });

  it('renames a completed todo', () => {
    given(aliceList)
      .when(renameTodo, { listId: LIST, todoId: 't2', title: 'Free-range eggs' })
      .then([todoRenamed('t2', 'Free-range eggs')]);
  });

  it('trims the title', () => {
    given(aliceList)
      .when(renameTodo, { listId: LIST, todoId: 't1', title: ' Oat milk ' })
      .then([todoRenamed('t1', 'Oat milk')]);
  });

  it('renaming to the same title changes nothing, also once trimmed', () => {
    given(aliceList).when(renameTodo, { listId: LIST, todoId: 't1', title: 'Milk' }).thenNothing();
    given(aliceList).when(renameTodo, { listId: LIST, todoId: 't1', title: '  Milk ' }).thenNothing();
  });

  it('compares against that todo’s own latest title', () => {
    // t2 is called 'Eggs'; renaming t1 to 'Eggs' is a change.
    given(aliceList)
      .when(renameTodo, { listId: LIST, todoId: 't1', title: 'Eggs' })
      .then([todoRenamed('t1', 'Eggs')]);
    given([...aliceList, todoRenamed('t1', 'Oat milk')])
      .when(renameTodo, { listId: LIST, todoId: 't1', title: 'Oat milk' })
      .thenNothing();
  });

  it('answers TODO_NOT_FOUND (404) for a todo that was removed', () => {
    given([...aliceList, todoRemoved('t1')])
      .when(renameTodo, { listId: LIST, todoId: 't1', title: 'Oat milk' })
      .thenThrows('TODO_NOT_FOUND', 404);
  });

  it('reports an unknown todo before an invalid title', () => {
    given(aliceList).when(renameTodo, { listId: LIST, todoId: 'nope', title: '' }).thenThrows('TODO_NOT_FOUND', 404);
  });

  it('answers LIST_ARCHIVED (409) on an archived list', () => {
    given(archivedAliceList)
      .when(renameTodo, { listId: LIST, todoId: 't1', title: 'Oat milk' })
      .thenThrows('LIST_ARCHIVED', 409);
  });
});

describe('completeTodo', () => {
  it('completes an open todo', () => {
    given(aliceList)
      .when(completeTodo, { listId: LIST, todoId: 't1' })
      .then([todoCompleted('t1')]);
  });

  it('completing a completed todo changes nothing', () => {
    given(aliceList).when(completeTodo, { listId: LIST, todoId: 't2' }).thenNothing();
  });

  it('completes a todo that was reopened', () => {
    given([...aliceList, todoReopened('t2')])
      .when(completeTodo, { listId: LIST, todoId: 't2' })
      .then([todoCompleted('t2')]);
  });

  it('answers TODO_NOT_FOUND (404) for a todo that was removed', () => {
    given([...aliceList, todoRemoved('t2')])
      .when(completeTodo, { listId: LIST, todoId: 't2' })
      .thenThrows('TODO_NOT_FOUND', 404);
  });

  it('answers LIST_ARCHIVED (409) on an archived list, even for a completed todo', () => {
    given(archivedAliceList).when(completeTodo, { listId: LIST, todoId: 't1' }).thenThrows('LIST_ARCHIVED', 409);
    given(archivedAliceList).when(completeTodo, { listId: LIST, todoId: 't2' }).thenThrows('LIST_ARCHIVED', 409);
  });
});

describe('reopenTodo', () => {
  it('reopens a completed todo', () => {
    given(aliceList)
      .when(reopenTodo, { listId: LIST, todoId: 't2' })
      .then([todoReopened('t2')]);
  });

  it('reopening an open todo changes nothing', () => {
    given(aliceList).when(reopenTodo, { listId: LIST, todoId: 't1' }).thenNothing();
  });

  it('reopening a reopened todo changes nothing', () => {
    given([...aliceList, todoReopened('t2')])
      .when(reopenTodo, { listId: LIST, todoId: 't2' })
      .thenNothing();
  });

  it('answers TODO_NOT_FOUND (404) for a todo that was removed', () => {
    given([...aliceList, todoRemoved('t2')])
      .when(reopenTodo, { listId: LIST, todoId: 't2' })
      .thenThrows('TODO_NOT_FOUND', 404);
  });

  it('answers LIST_ARCHIVED (409) on an archived list, even for an open todo', () => {
    given(archivedAliceList).when(reopenTodo, { listId: LIST, todoId: 't2' }).thenThrows('LIST_ARCHIVED', 409);
    given(archivedAliceList).when(reopenTodo, { listId: LIST, todoId: 't1' }).thenThrows('LIST_ARCHIVED', 409);
  });
});

describe('removeTodo', () => {
  it('removes an open todo', () => {
    given(aliceList)
      .when(removeTodo, { listId: LIST, todoId: 't1' })
      .then([todoRemoved('t1')]);
  });

  it('removes a completed todo', () => {
    given(aliceList)
      .when(removeTodo, { listId: LIST, todoId: 't2' })
      .then([todoRemoved('t2')]);
  });

  it('answers TODO_NOT_FOUND (404) for a todo already removed', () => {
    given([...aliceList, todoRemoved('t1')])
      .when(removeTodo, { listId: LIST, todoId: 't1' })
      .thenThrows('TODO_NOT_FOUND', 404);
  });

  it('answers LIST_ARCHIVED (409) on an archived list', () => {
    given(archivedAliceList).when(removeTodo, { listId: LIST, todoId: 't1' }).thenThrows('LIST_ARCHIVED', 409);
  });
});

describe('clearCompleted', () => {
  it('removes the one completed todo', () => {
    given(aliceList)
      .when(clearCompleted, { listId: LIST })
      .then([todoRemoved('t2')]);
  });

  it('emits one TodoRemoved per completed todo, in list order (not completion order)', () => {
    const events = [
      listCreated(),
      todoAdded('a'),
      todoAdded('b'),
      todoAdded('c'),
      todoAdded('d'),
      todoAdded('e'),
      todoCompleted('e'),
      todoCompleted('c'),
      todoCompleted('a'),
    ];
    given(events)
      .when(clearCompleted, { listId: LIST })
      .then([todoRemoved('a'), todoRemoved('c'), todoRemoved('e')]);
  });

  it('leaves out todos that were completed then reopened, and removed ones', () => {
    const events = [
      listCreated(),
      todoAdded('a'),
      todoAdded('b'),
      todoAdded('c'),
      todoCompleted('a'),
      todoCompleted('b'),
      todoCompleted('c'),
      todoReopened('b'),
      todoRemoved('c'),
    ];
    given(events)
      .when(clearCompleted, { listId: LIST })
      .then([todoRemoved('a')]);
  });

  it('with nothing completed changes nothing', () => {
    given([listCreated(), todoAdded('a'), todoAdded('b')])
      .when(clearCompleted, { listId: LIST })
      .thenNothing();
    given([...aliceList, todoReopened('t2')])
      .when(clearCompleted, { listId: LIST })
      .thenNothing();
  });

  it('on an empty list changes nothing', () => {
    given([listCreated()]).when(clearCompleted, { listId: LIST }).thenNothing();
  });

  it('answers LIST_ARCHIVED (409) on an archived list, even with nothing completed', () => {
    given(archivedAliceList).when(clearCompleted, { listId: LIST }).thenThrows('LIST_ARCHIVED', 409);
    given([listCreated(), listArchived()]).when(clearCompleted, { listId: LIST }).thenThrows('LIST_ARCHIVED', 409);
  });

  it('answers LIST_NOT_FOUND (404) for a missing list', () => {
    given([]).when(clearCompleted, { listId: LIST }).thenThrows('LIST_NOT_FOUND', 404);
  });
});

describe('canReadList', () => {
  it('lets the owner read their list, archived or not', () => {
    expect(canReadList(foldTodoList(aliceList), 'alice')).toBe(true);
    expect(canReadList(foldTodoList(archivedAliceList), 'alice')).toBe(true);
    expect(canReadList(foldTodoList(bobList), 'bob')).toBe(true);
  });

  it('lets nobody read a missing list, nor someone else’s (the query answers both with the same 404)', () => {
    expect(canReadList(initialTodoListState, 'alice')).toBe(false);
    expect(canReadList(foldTodoList(bobList), 'alice')).toBe(false);
    expect(canReadList(foldTodoList(archivedBobList), 'alice')).toBe(false);
  });
});

// ---- rules shared by every action ---------------------------------------------------------------

describe('every command on a list', () => {
  it.each(listCommands)('%s succeeds on the caller’s open list (the payloads below are valid)', (_name, run) => {
    // Sanity check for the table: each command returns (does not throw) some events on aliceList.
    const outcome = run(given(aliceList));
    expect(() => outcome.thenThrows('ANY', 0)).toThrow(/Expected a ANY error but the action returned \[\{/);
    expect(() => outcome.thenNothing()).toThrow();
  });

  it.each(listCommands)('%s answers LIST_NOT_FOUND (404) when the list does not exist', (_name, run) => {
    run(given([])).thenThrows('LIST_NOT_FOUND', 404);
  });

  it.each(listCommands)(
    '%s answers LIST_NOT_FOUND (404) when the stream has events but no ListCreated',
    (_name, run) => {
      run(given([todoAdded('t1'), todoCompleted('t1')])).thenThrows('LIST_NOT_FOUND', 404);
    },
  );

  it.each(listCommands)('%s answers LIST_NOT_FOUND (404), not another error, on someone else’s list', (_name, run) => {
    run(given(bobList)).thenThrows('LIST_NOT_FOUND', 404);
  });

  it.each(listCommands)(
    '%s answers LIST_NOT_FOUND (404), not LIST_ARCHIVED, on someone else’s archived list',
    (_name, run) => {
      run(given(archivedBobList)).thenThrows('LIST_NOT_FOUND', 404);
    },
  );

  it.each(listCommands)('%s works for the owner of someone else’s list, i.e. bob on his own', (_name, run) => {
    expect(() => run(given(bobList), { userId: 'bob' }).thenThrows('ANY', 0)).toThrow(
      /Expected a ANY error but the action returned \[\{/,
    );
  });

  it.each(mutatingCommands)('%s answers LIST_ARCHIVED (409) on the caller’s archived list', (_name, run) => {
    run(given(archivedAliceList)).thenThrows('LIST_ARCHIVED', 409);
  });

  it('archiveList on the caller’s archived list is the one exception: nothing changes', () => {
    expect(mutatingCommands.map(([name]) => name)).not.toContain('archiveList');
    given(archivedAliceList).when(archiveList, { listId: LIST }).thenNothing();
  });
});

describe('every command on a todo', () => {
  it.each(unknownTodoCommands)('%s answers TODO_NOT_FOUND (404) for an unknown todo', (_name, run) => {
    run(given(aliceList)).thenThrows('TODO_NOT_FOUND', 404);
  });

  it.each(unknownTodoCommands)('%s answers TODO_NOT_FOUND (404) on an empty list', (_name, run) => {
    run(given([listCreated()])).thenThrows('TODO_NOT_FOUND', 404);
  });

  it.each(unknownTodoCommands)(
    '%s answers LIST_NOT_FOUND, not TODO_NOT_FOUND, on someone else’s list',
    (_name, run) => {
      run(given(bobList)).thenThrows('LIST_NOT_FOUND', 404);
    },
  );

  it.each(unknownTodoCommands)('%s answers LIST_ARCHIVED before TODO_NOT_FOUND on an archived list', (_name, run) => {
    run(given(archivedAliceList)).thenThrows('LIST_ARCHIVED', 409);
  });
});

describe('titles', () => {
  const justRight = 'x'.repeat(TITLE_MAX_LENGTH);
  const tooLong = 'x'.repeat(TITLE_MAX_LENGTH + 1);

  it('the limit is 200 characters', () => {
    expect(TITLE_MAX_LENGTH).toBe(200);
  });

  it.each(titleCommands)('%s rejects an empty title with VALIDATION_ERROR (400)', (_name, run, history) => {
    run(given(history), '').thenThrows('VALIDATION_ERROR', 400);
  });

  it.each(titleCommands)('%s rejects a whitespace-only title with VALIDATION_ERROR (400)', (_name, run, history) => {
    run(given(history), ' ').thenThrows('VALIDATION_ERROR', 400);
    run(given(history), ' \t\n  ').thenThrows('VALIDATION_ERROR', 400);
  });

  it.each(titleCommands)('%s rejects a 201-character title with VALIDATION_ERROR (400)', (_name, run, history) => {
    run(given(history), tooLong).thenThrows('VALIDATION_ERROR', 400);
    run(given(history), `  ${tooLong}  `).thenThrows('VALIDATION_ERROR', 400);
  });

  it.each(titleCommands)('%s accepts a 200-character title', (_name, run, history, event) => {
    run(given(history), justRight).then([event(justRight)]);
  });

  it.each(titleCommands)(
    '%s accepts a title of 200 characters once trimmed, and stores it trimmed',
    (_name, run, history, event) => {
      run(given(history), `   ${justRight}\t `).then([event(justRight)]);
    },
  );

  it.each(titleCommands)('%s accepts a 1-character title', (_name, run, history, event) => {
    run(given(history), ' a ').then([event('a')]);
  });

  it.each(titleCommands)('%s keeps inner whitespace', (_name, run, history, event) => {
    run(given(history), '  two  words ').then([event('two  words')]);
  });

  it('describes the rule in the error details', () => {
    const error = invalidTitle(TITLE_MAX_LENGTH);
    expect(error).toBeInstanceOf(TodoListError);
    expect(error.name).toBe('TodoListError');
    expect(error.details).toStrictEqual([{ path: 'title', message: 'must be 1 to 200 characters once trimmed' }]);
  });
});

// ---- reducer ----------------------------------------------------------------------------------

describe('todoListReducer / foldTodoList', () => {
  it('starts from null', () => {
    expect(initialTodoListState).toBeNull();
    expect(foldTodoList([])).toBeNull();
  });

  it('creates an open, empty list', () => {
    expect(todoListReducer(null, listCreated('Groceries', 'alice'))).toStrictEqual<TodoList>({
      listId: LIST,
      ownerId: 'alice',
      title: 'Groceries',
      archived: false,
      todos: [],
    });
  });

  it('ignores events that come before ListCreated', () => {
    expect(foldTodoList([todoAdded('t1'), listRenamed('x'), listArchived()])).toBeNull();
  });

  it('folds a whole history', () => {
    const state = foldTodoList([
      listCreated('Groceries'),
      todoAdded('t1', 'Milk'),
      todoAdded('t2', 'Eggs'),
      todoAdded('t3', 'Bread'),
      todoCompleted('t1'),
      todoCompleted('t2'),
      todoReopened('t1'),
      todoRenamed('t3', 'Rye bread'),
      todoRemoved('t2'),
      listRenamed('Shopping'),
      listArchived(),
    ]);
    expect(state).toStrictEqual<TodoList>({
      listId: LIST,
      ownerId: 'alice',
      title: 'Shopping',
      archived: true,
      todos: [
        { todoId: 't1', title: 'Milk', completed: false },
        { todoId: 't3', title: 'Rye bread', completed: false },
      ],
    });
  });

  it('keeps todos in the order they were added and changes only the named todo', () => {
    const state = foldTodoList([
      listCreated(),
      todoAdded('b'),
      todoAdded('a'),
      todoAdded('c'),
      todoCompleted('a'),
      todoRenamed('c', 'C'),
    ]);
    expect(state?.todos).toStrictEqual([
      { todoId: 'b', title: 'Todo b', completed: false },
      { todoId: 'a', title: 'Todo a', completed: true },
      { todoId: 'c', title: 'C', completed: false },
    ]);
  });

  it('folds on from a given state', () => {
    const from = foldTodoList(aliceList);
    expect(foldTodoList([todoRemoved('t2'), todoCompleted('t1')], from)?.todos).toStrictEqual([
      { todoId: 't1', title: 'Milk', completed: true },
    ]);
  });

  it('does not change the state it is given', () => {
    const state = foldTodoList(aliceList);
    const before = structuredClone(state);
    for (const event of [
      listRenamed('x'),
      listArchived(),
      todoAdded('t9'),
      todoRenamed('t1', 'x'),
      todoCompleted('t1'),
      todoReopened('t2'),
      todoRemoved('t1'),
    ]) {
      const next = todoListReducer(state, event);
      expect(next).not.toBe(state);
    }
    expect(state).toStrictEqual(before);
  });

  it('folds what the actions decide into the state the actions read', () => {
    let state = foldTodoList([]);
    const decide = (events: readonly TodoListEvent[]) => {
      state = foldTodoList(events, state);
    };
    decide(createList(state, { listId: LIST, title: ' Groceries ' }, DEFAULT_CTX));
    decide(addTodo(state, { listId: LIST, todoId: 'a', title: 'Milk' }, DEFAULT_CTX));
    decide(addTodo(state, { listId: LIST, todoId: 'b', title: 'Eggs' }, DEFAULT_CTX));
    decide(completeTodo(state, { listId: LIST, todoId: 'a' }, DEFAULT_CTX));
    decide(clearCompleted(state, { listId: LIST }, DEFAULT_CTX));
    expect(state).toStrictEqual<TodoList>({
      listId: LIST,
      ownerId: 'alice',
      title: 'Groceries',
      archived: false,
      todos: [{ todoId: 'b', title: 'Eggs', completed: false }],
    });
    expect(clearCompleted(state, { listId: LIST }, DEFAULT_CTX)).toStrictEqual([]);
  });

  it('reads a TodoAdded stored by the first release (title as text) as today’s', () => {
    // Schema version 1 is upcast by every step of the chain, in order.
    const upcast = (todoListUpcasters.TodoAdded ?? []).reduce<unknown>((data, step) => step(data), {
      todoId: 't1',
      text: 'Milk',
    });
    expect(upcast).toStrictEqual({ todoId: 't1', title: 'Milk' });
    expect(todoAddedV1ToV2({ todoId: 't2', text: 'Eggs' })).toStrictEqual({ todoId: 't2', title: 'Eggs' });
  });

  it('throws on an unknown event type once the list exists', () => {
    const unknown = { type: 'ListExploded', data: {} } as unknown as TodoListEvent;
    expect(() => todoListReducer(foldTodoList(aliceList), unknown)).toThrow(/Unknown event/);
  });
});

// ---- views ------------------------------------------------------------------------------------

describe('evolveListView', () => {
  const T1 = '2026-01-01T10:00:00.000Z';
  const T2 = '2026-01-02T10:00:00.000Z';
  const T3 = '2026-01-03T10:00:00.000Z';

  /** Folds commits of events, each commit with its own version and time. */
  const viewOf = (commits: readonly (readonly [at: string, events: readonly TodoListEvent[]])[]): ListView | null => {
    let view: ListView | null = null;
    commits.forEach(([at, events], i) => {
      for (const event of events) view = evolveListView(view, event, commit(i + 1, at));
    });
    return view;
  };

  it('creates the view from ListCreated with zero counts and createdAt from the commit', () => {
    expect(evolveListView(null, listCreated(), commit(1, T1))).toStrictEqual<ListView>({
      listId: LIST,
      ownerId: 'alice',
      title: 'Groceries',
      archived: false,
      todos: [],
      openCount: 0,
      completedCount: 0,
      createdAt: T1,
    });
  });

  it('takes createdAt from the first commit and keeps it through later commits', () => {
    const view = viewOf([
      [T1, [listCreated(), todoAdded('a')]],
      [T2, [todoAdded('b'), listRenamed('Shopping')]],
      [T3, [todoCompleted('a'), listArchived()]],
    ]);
    expect(view?.createdAt).toBe(T1);
    expect(view?.title).toBe('Shopping');
    expect(view?.archived).toBe(true);
  });

  it('keeps createdAt when a later event is applied with a later commit time', () => {
    const created = evolveListView(null, listCreated(), commit(1, T1));
    const later = evolveListView(created, todoAdded('a'), commit(2, T2));
    expect(later?.createdAt).toBe(T1);
    expect(later?.todos).toHaveLength(1);
  });

  it('counts open and completed todos as they are added, completed, reopened and removed', () => {
    let view = viewOf([[T1, [listCreated(), todoAdded('a'), todoAdded('b'), todoAdded('c')]]]);
    expect(view).toMatchObject({ openCount: 3, completedCount: 0 });

    view = evolveListView(view, todoCompleted('a'), commit(2, T2));
    view = evolveListView(view, todoCompleted('b'), commit(2, T2));
    expect(view).toMatchObject({ openCount: 1, completedCount: 2 });

    view = evolveListView(view, todoReopened('b'), commit(3, T3));
    expect(view).toMatchObject({ openCount: 2, completedCount: 1 });

    view = evolveListView(view, todoRemoved('a'), commit(4, T3));
    expect(view).toMatchObject({ openCount: 2, completedCount: 0 });

    view = evolveListView(view, todoRemoved('c'), commit(5, T3));
    expect(view).toMatchObject({ openCount: 1, completedCount: 0 });
    expect(view?.todos).toStrictEqual([{ todoId: 'b', title: 'Todo b', completed: false }]);
  });

  it('is the folded list plus its counts', () => {
    const events = [...aliceList, todoAdded('t3', 'Bread'), todoRenamed('t1', 'Oat milk')];
    const view = viewOf([[T1, events]]);
    const list = foldTodoList(events)!;
    expect(view).toStrictEqual<ListView>({ ...list, openCount: 2, completedCount: 1, createdAt: T1 });
  });

  it('stays null for events before ListCreated', () => {
    expect(evolveListView(null, todoAdded('a'), commit(1, T1))).toBeNull();
    expect(evolveListView(null, listArchived(), commit(1, T1))).toBeNull();
  });

  it('does not change the view it is given', () => {
    const view = viewOf([[T1, aliceList]])!;
    const before = structuredClone(view);
    evolveListView(view, todoCompleted('t1'), commit(2, T2));
    evolveListView(view, todoRemoved('t2'), commit(2, T2));
    expect(view).toStrictEqual(before);
  });
});

describe('splitListView / joinListView (the lists view as stored)', () => {
  it('stores the header apart from the todos, each todo under its id, in order; joining gives the view back', () => {
    const view = [...aliceList].reduce<ListView | null>(
      (v, e) => evolveListView(v, e, commit(1, '2026-01-01T00:00:00.000Z')),
      null,
    )!;
    const { header, children } = splitListView(view);
    const { todos, ...rest } = view;
    expect(header).toStrictEqual(rest);
    expect(children).toStrictEqual([
      ['t1', { todoId: 't1', title: 'Milk', completed: false }],
      ['t2', { todoId: 't2', title: 'Eggs', completed: true }],
    ]);
    expect(joinListView(header, todos)).toStrictEqual(view);
  });
});

describe('versionNotFound', () => {
  it('answers VERSION_NOT_FOUND (404)', () => {
    expect(versionNotFound(LIST, 9)).toMatchObject({ code: 'VERSION_NOT_FOUND', httpStatus: 404 });
  });
});

describe('evolveListStats / statsContribution', () => {
  const ZERO = { lists: 0, openTodos: 0, completedTodos: 0 };
  const sourceOf = (events: readonly TodoListEvent[], from: ListStatsSource | null = null) =>
    events.reduce(evolveListStats, from);

  it('creates the source from ListCreated, counting one empty list for its owner', () => {
    const source = evolveListStats(null, listCreated('Groceries', 'bob'));
    expect(source).toStrictEqual<ListStatsSource>({ ownerId: 'bob', archived: false, todos: {} });
    expect(statsContributions(source!)).toStrictEqual({ bob: { lists: 1, openTodos: 0, completedTodos: 0 } });
    expect(statsContribution(source)).toStrictEqual({ lists: 1, openTodos: 0, completedTodos: 0 });
  });

  it('counts nothing for no list', () => {
    expect(statsContribution(null)).toStrictEqual(ZERO);
  });

  it('stays null for events before ListCreated', () => {
    expect(sourceOf([todoAdded('a'), todoCompleted('a')])).toBeNull();
  });

  it('counts the todos of an open list', () => {
    const source = sourceOf(aliceList);
    expect(source).toStrictEqual<ListStatsSource>({
      ownerId: 'alice',
      archived: false,
      todos: { t1: false, t2: true },
    });
    expect(statsContribution(source)).toStrictEqual({ lists: 1, openTodos: 1, completedTodos: 1 });
  });

  it('moves counts as todos are completed, reopened and removed', () => {
    let source = sourceOf([listCreated(), todoAdded('a'), todoAdded('b'), todoAdded('c')]);
    expect(statsContribution(source)).toStrictEqual({ lists: 1, openTodos: 3, completedTodos: 0 });

    source = sourceOf([todoCompleted('a'), todoCompleted('b')], source);
    expect(statsContribution(source)).toStrictEqual({ lists: 1, openTodos: 1, completedTodos: 2 });

    source = sourceOf([todoReopened('a')], source);
    expect(statsContribution(source)).toStrictEqual({ lists: 1, openTodos: 2, completedTodos: 1 });

    source = sourceOf([todoRemoved('b')], source);
    expect(statsContribution(source)).toStrictEqual({ lists: 1, openTodos: 2, completedTodos: 0 });

    source = sourceOf([todoRemoved('a')], source);
    expect(statsContribution(source)).toStrictEqual({ lists: 1, openTodos: 1, completedTodos: 0 });
  });

  it('counts an archived list and its todos as zero', () => {
    const source = sourceOf(archivedAliceList);
    expect(source?.archived).toBe(true);
    expect(statsContribution(source)).toStrictEqual(ZERO);
    expect(statsContribution(sourceOf([listCreated(), listArchived()]))).toStrictEqual(ZERO);
  });

  it('ignores renames', () => {
    const source = sourceOf(aliceList)!;
    expect(evolveListStats(source, listRenamed('Shopping'))).toBe(source);
    expect(evolveListStats(source, todoRenamed('t1', 'Oat milk'))).toBe(source);
  });

  it('ignores tags', () => {
    const source = sourceOf(aliceList)!;
    expect(evolveListStats(source, { type: 'TodoTagged', data: { todoId: 't1', tagId: 'g' } })).toBe(source);
    expect(evolveListStats(source, { type: 'TodoUntagged', data: { todoId: 't1', tagId: 'g' } })).toBe(source);
  });

  it('throws on an unknown event type once the list exists', () => {
    const unknown = { type: 'ListExploded', data: {} } as unknown as TodoListEvent;
    expect(() => evolveListStats(sourceOf(aliceList), unknown)).toThrow(/Unknown event/);
  });

  it('does not change the source it is given', () => {
    const source = sourceOf(aliceList)!;
    const before = structuredClone(source);
    evolveListStats(source, todoRemoved('t1'));
    evolveListStats(source, todoCompleted('t1'));
    evolveListStats(source, todoAdded('t3'));
    evolveListStats(source, listArchived());
    expect(source).toStrictEqual(before);
  });

  it('agrees with the list view’s counts for an open list', () => {
    const events = [
      listCreated(),
      todoAdded('a'),
      todoAdded('b'),
      todoAdded('c'),
      todoCompleted('c'),
      todoCompleted('a'),
      todoReopened('c'),
      todoRemoved('b'),
    ];
    const view = events.reduce<ListView | null>(
      (v, e) => evolveListView(v, e, commit(1, '2026-01-01T00:00:00.000Z')),
      null,
    )!;
    expect(statsContribution(sourceOf(events))).toStrictEqual({
      lists: 1,
      openTodos: view.openCount,
      completedTodos: view.completedCount,
    });
  });
});
