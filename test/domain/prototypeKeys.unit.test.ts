/**
 * Prototype keys in the domain (issue 22). On main the tags state was a plain object read as
 * `state.tags[tagId]`, so `constructor`, `toString` or `hasOwnProperty` were live tags: deleting,
 * renaming or tagging with them wrote events, renaming a built-in name went past the 100-tag
 * limit, and the tag counts folded `counts['constructor'] + 1` into a string. Here every action
 * of both aggregates meets ids and names like those, over states built from arbitrary histories
 * (the ids in them hostile too: the log may hold what an earlier edge let through), and a model
 * kept in `Map`s says what each must answer. The views' folds and contributions are checked after
 * every history: finite numbers, keyed only by real ids, never NaN or `undefined`.
 */
import fc from 'fast-check';
import type { CommandContext, CommitInfo } from '../../src/contracts';
import { contributionsOf, inMemoryCounterViewStore } from '../../src/projection/viewStore';
import { getOwn, hasOwn, ownRecord, withOwn, withoutOwn } from '../../src/records';
import {
  MAX_TAGS_PER_USER,
  createTag,
  deleteTag,
  evolveTagsView,
  initialTagsState,
  renameTag,
  tagsByName,
  tagsReducer,
  withTagNames,
  type TagsEvent,
  type TagsState,
} from '../../domain/tags';
import {
  MAX_TAGS_PER_TODO,
  addTodo,
  clearCompleted,
  completeTodo,
  createList,
  evolveListStats,
  evolveListTags,
  evolveListView,
  removeTodo,
  renameTodo,
  reopenTodo,
  statsContribution,
  statsContributions,
  tagCountContributions,
  tagTodo,
  todoListReducer,
  untagTodo,
  type ListStatsSource,
  type ListTagsSource,
  type ListView,
  type TodoListEvent,
  type TodoListState,
} from '../../domain/todoList';

const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  'prototype',
  'isPrototypeOf',
  'toLocaleString',
];
/** Ids: the names every object answers to, a few the kit would mint, and arbitrary strings. */
const anyId = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('6f1c2a9e-3b7d-4c51-8e2a-0d9b4f7a1c11', '0c7e4b1a-9d2f-4e63-a5b8-71f0c3d2e4a5', 'a'),
  },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
);
/** Names and titles: valid text, the prototype keys among them. */
const anyName = fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS, 'Home', 'home', 'Work'),
  fc.stringMatching(/^[a-zA-Z_]{1,10}$/),
);
const NOW = '2026-01-01T00:00:00.000Z';
const ctxOf = (userId: string): CommandContext => ({ userId, now: NOW });

/** What an action gave: its events, or the code of the error it threw. */
const outcomeOf = <E>(run: () => readonly E[]): { events: readonly E[] } | { code: string } => {
  try {
    return { events: run() };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string') throw error;
    return { code };
  }
};

const isFiniteCount = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;

describe('records keyed by caller-controlled strings (src/records.ts)', () => {
  it('reads, sets and removes prototype keys as keys, and never finds an inherited name', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(anyId, fc.integer()), { maxLength: 8 }),
        anyId,
        fc.integer(),
        (entries, key, value) => {
          const model = new Map(entries);
          const record = ownRecord(entries);
          expect(Object.keys(record).sort()).toEqual([...model.keys()].sort());
          expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
          expect(hasOwn(record, key)).toBe(model.has(key));
          expect(getOwn(record, key)).toBe(model.get(key));
          const set = withOwn(record, key, value);
          expect(getOwn(set, key)).toBe(value);
          expect(Object.getPrototypeOf(set)).toBe(Object.prototype);
          const removed = withoutOwn(set, key);
          expect(hasOwn(removed, key)).toBe(false);
          expect(Object.keys(removed).length).toBe(new Set([...model.keys(), key]).size - 1);
          // Serialised and read back (a snapshot, a view item), the record reads the same.
          expect(getOwn(JSON.parse(JSON.stringify(set)) as typeof set, key)).toBe(value);
          // The record given is not changed.
          expect(Object.keys(record).sort()).toEqual([...model.keys()].sort());
        },
      ),
    );
    for (const key of PROTOTYPE_KEYS) {
      expect([hasOwn({}, key), getOwn({}, key), getOwn(null, key), getOwn(undefined, key)]).toEqual([
        false,
        undefined,
        undefined,
        undefined,
      ]);
    }
  });
});

// ── tags ────────────────────────────────────────────────────────────────────
type TagCommand = { kind: 'create' | 'rename'; tagId: string; name: string } | { kind: 'delete'; tagId: string };
const tagCommand: fc.Arbitrary<TagCommand> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), tagId: anyId, name: anyName }),
  fc.record({ kind: fc.constant('rename' as const), tagId: anyId, name: anyName }),
  fc.record({ kind: fc.constant('delete' as const), tagId: anyId }),
);

/** What the tags must answer, from a `Map` of id → name. */
const expectedTagOutcome = (model: Map<string, string>, command: TagCommand) => {
  const taken = (name: string, except?: string) =>
    [...model].some(([id, n]) => id !== except && n.toLowerCase() === name.toLowerCase());
  if (command.kind === 'create') {
    if (taken(command.name)) return { code: 'TAG_NAME_TAKEN' };
    if (model.size >= MAX_TAGS_PER_USER) return { code: 'TOO_MANY_TAGS' };
    return { events: [{ type: 'TagCreated', data: { tagId: command.tagId, name: command.name } }] };
  }
  if (!model.has(command.tagId)) return { code: 'TAG_NOT_FOUND' };
  if (command.kind === 'delete') return { events: [{ type: 'TagDeleted', data: { tagId: command.tagId } }] };
  if (model.get(command.tagId) === command.name) return { events: [] };
  if (taken(command.name, command.tagId)) return { code: 'TAG_NAME_TAKEN' };
  return { events: [{ type: 'TagRenamed', data: { tagId: command.tagId, name: command.name } }] };
};

const runTagCommand = (state: TagsState, command: TagCommand) =>
  outcomeOf<TagsEvent>(() =>
    command.kind === 'create'
      ? createTag(state, { tagId: command.tagId, name: command.name }, ctxOf('alice'))
      : command.kind === 'rename'
        ? renameTag(state, { tagId: command.tagId, name: command.name }, ctxOf('alice'))
        : deleteTag(state, { tagId: command.tagId }, ctxOf('alice')),
  );

describe('tags: prototype keys are no tags', () => {
  it('every command answers as a Map of the live tags says; state and view hold exactly the live tags', () => {
    fc.assert(
      fc.property(fc.array(tagCommand, { maxLength: 40 }), (commands) => {
        const model = new Map<string, string>();
        let state = initialTagsState;
        let view: TagsState | null = null;
        for (const command of commands) {
          // A new tag's id is minted by the kit: creating one whose id is live is not a command anyone can send.
          if (command.kind === 'create' && model.has(command.tagId)) continue;
          const outcome = runTagCommand(state, command);
          expect({ command, outcome }).toEqual({ command, outcome: expectedTagOutcome(model, command) });
          for (const event of 'events' in outcome ? outcome.events : []) {
            state = tagsReducer(state, event);
            view = evolveTagsView(view, event);
            if (event.type === 'TagDeleted') model.delete(event.data.tagId);
            else model.set(event.data.tagId, event.data.name);
          }
          expect(Object.keys(state.tags).length).toBeLessThanOrEqual(MAX_TAGS_PER_USER);
        }
        const live = Object.fromEntries([...model].map(([id, name]) => [id, { name }]));
        expect(Object.entries(state.tags).sort()).toEqual(Object.entries(live).sort());
        if (view) expect(Object.entries(view.tags).sort()).toEqual(Object.entries(live).sort());
        // Never-created ids, the prototype keys first: TAG_NOT_FOUND for rename and delete, whatever the history.
        for (const tagId of PROTOTYPE_KEYS.filter((id) => !model.has(id))) {
          expect(runTagCommand(state, { kind: 'delete', tagId })).toEqual({ code: 'TAG_NOT_FOUND' });
          expect(runTagCommand(state, { kind: 'rename', tagId, name: 'fresh name' })).toEqual({
            code: 'TAG_NOT_FOUND',
          });
        }
        // GET /tags: the live tags only, each with a finite count (counts keyed by hostile ids included).
        const counts = ownRecord(PROTOTYPE_KEYS.map((id, i) => [id, i]));
        const items = tagsByName(view, counts);
        expect(items.map((t) => t.tagId).sort()).toEqual([...model.keys()].sort());
        for (const item of items) {
          expect(item.name).toBe(model.get(item.tagId));
          expect(item.todoCount).toBe(getOwn(counts, item.tagId) ?? 0);
          expect(isFiniteCount(item.todoCount)).toBe(true);
        }
        // A todo's tags: only live ones, each with its name.
        const list = { todos: [{ tagIds: [...PROTOTYPE_KEYS, ...model.keys()] }] };
        expect(withTagNames(list, view).todos[0]!.tags).toEqual(
          [...PROTOTYPE_KEYS.filter((id) => model.has(id)), ...model.keys()].map((tagId) => ({
            tagId,
            name: model.get(tagId),
          })),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('a full set of tags takes no more, whatever the ids: renaming a built-in name does not add one', () => {
    fc.assert(
      fc.property(fc.subarray(PROTOTYPE_KEYS), fc.constantFrom(...PROTOTYPE_KEYS), (hostile, probe) => {
        // 100 live tags, some of them with prototype keys as ids (the log may hold such).
        const ids = [...hostile, ...Array.from({ length: MAX_TAGS_PER_USER - hostile.length }, (_, i) => `id-${i}`)];
        let state = initialTagsState;
        for (const [i, tagId] of ids.entries()) {
          state = tagsReducer(state, { type: 'TagCreated', data: { tagId, name: `tag ${i}` } });
        }
        expect(Object.keys(state.tags)).toHaveLength(MAX_TAGS_PER_USER);
        expect(runTagCommand(state, { kind: 'create', tagId: 'new', name: 'one more' })).toEqual({
          code: 'TOO_MANY_TAGS',
        });
        const renamed = runTagCommand(state, { kind: 'rename', tagId: probe, name: 'renamed' });
        if (ids.includes(probe))
          expect(renamed).toEqual({ events: [{ type: 'TagRenamed', data: { tagId: probe, name: 'renamed' } }] });
        else expect(renamed).toEqual({ code: 'TAG_NOT_FOUND' });
        for (const event of 'events' in renamed ? renamed.events : []) state = tagsReducer(state, event);
        expect(Object.keys(state.tags)).toHaveLength(MAX_TAGS_PER_USER);
      }),
      { numRuns: 100 },
    );
  });
});

// ── todo lists ─────────────────────────────────────────────────────────────
type ListCommand =
  | { kind: 'add' | 'rename'; todoId: string; title: string }
  | { kind: 'complete' | 'reopen' | 'remove'; todoId: string }
  | { kind: 'tag' | 'untag'; todoId: string; tagId: string }
  | { kind: 'clear' };
const listCommand: fc.Arbitrary<ListCommand> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), todoId: anyId, title: anyName }) },
  fc.record({ kind: fc.constant('rename' as const), todoId: anyId, title: anyName }),
  fc.record({ kind: fc.constantFrom('complete' as const, 'reopen' as const, 'remove' as const), todoId: anyId }),
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constantFrom('tag' as const, 'untag' as const), todoId: anyId, tagId: anyId }),
  },
  fc.record({ kind: fc.constant('clear' as const) }),
);
type TodoModel = { title: string; completed: boolean; tagIds: string[] };

const expectedListOutcome = (todos: Map<string, TodoModel>, live: ReadonlySet<string>, command: ListCommand) => {
  if (command.kind === 'clear')
    return {
      events: [...todos].filter(([, t]) => t.completed).map(([todoId]) => ({ type: 'TodoRemoved', data: { todoId } })),
    };
  const todo = todos.get(command.todoId);
  if (command.kind === 'add')
    return todo
      ? { code: 'TODO_ALREADY_EXISTS' }
      : { events: [{ type: 'TodoAdded', data: { todoId: command.todoId, title: command.title } }] };
  if (!todo) return { code: 'TODO_NOT_FOUND' };
  const data = { todoId: command.todoId };
  switch (command.kind) {
    case 'rename':
      return {
        events: todo.title === command.title ? [] : [{ type: 'TodoRenamed', data: { ...data, title: command.title } }],
      };
    case 'complete':
      return { events: todo.completed ? [] : [{ type: 'TodoCompleted', data }] };
    case 'reopen':
      return { events: todo.completed ? [{ type: 'TodoReopened', data }] : [] };
    case 'remove':
      return { events: [{ type: 'TodoRemoved', data }] };
    case 'tag':
      if (!live.has(command.tagId)) return { code: 'TAG_NOT_FOUND' };
      if (todo.tagIds.includes(command.tagId)) return { events: [] };
      if (todo.tagIds.filter((id) => live.has(id)).length >= MAX_TAGS_PER_TODO) return { code: 'TOO_MANY_TAGS' };
      return { events: [{ type: 'TodoTagged', data: { ...data, tagId: command.tagId } }] };
    case 'untag':
      return {
        events: todo.tagIds.includes(command.tagId)
          ? [{ type: 'TodoUntagged', data: { ...data, tagId: command.tagId } }]
          : [],
      };
  }
};

const runListCommand = (state: TodoListState, command: ListCommand, tags: TagsState, ctx: CommandContext) => {
  const listId = 'list';
  return outcomeOf<TodoListEvent>(() => {
    switch (command.kind) {
      case 'add':
        return addTodo(state, { listId, todoId: command.todoId, title: command.title }, ctx);
      case 'rename':
        return renameTodo(state, { listId, todoId: command.todoId, title: command.title }, ctx);
      case 'complete':
        return completeTodo(state, { listId, todoId: command.todoId }, ctx);
      case 'reopen':
        return reopenTodo(state, { listId, todoId: command.todoId }, ctx);
      case 'remove':
        return removeTodo(state, { listId, todoId: command.todoId }, ctx);
      case 'tag':
        return tagTodo(state, { listId, todoId: command.todoId, tagId: command.tagId, tags }, ctx);
      case 'untag':
        return untagTodo(state, { listId, todoId: command.todoId, tagId: command.tagId }, ctx);
      case 'clear':
        return clearCompleted(state, { listId }, ctx);
    }
  });
};

/** Every value of a fold that reaches a view item or a total: no NaN, no `undefined`, no empty key. */
const expectPlainValues = (value: unknown, at = '$'): void => {
  if (typeof value === 'number') expect({ at, finite: Number.isFinite(value) }).toEqual({ at, finite: true });
  else if (value === undefined) throw new Error(`undefined at ${at}`);
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) expectPlainValues(item, `${at}[${i}]`);
  else if (typeof value === 'object' && value !== null) {
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    for (const [key, item] of Object.entries(value)) expectPlainValues(item, `${at}.${key}`);
  }
};

describe('todo lists: prototype keys as todo, tag and owner ids', () => {
  it('every action answers as Maps of the todos and live tags say; the views and their contributions count only real todos and tags', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('alice', ...PROTOTYPE_KEYS),
        fc.uniqueArray(anyId, { maxLength: 6 }),
        fc.array(listCommand, { maxLength: 40 }),
        fc.boolean(),
        // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one model-based property: a reference model beside the reducer
        (owner, liveTagIds, commands, archive) => {
          const ctx = ctxOf(owner);
          const tags = liveTagIds.reduce(
            (s, tagId, i) => tagsReducer(s, { type: 'TagCreated', data: { tagId, name: `t${i}` } }),
            initialTagsState,
          );
          const live = new Set(liveTagIds);
          const created = createList(null, { listId: 'list', title: 'L' }, ctx);
          let state = created.reduce(todoListReducer, null as TodoListState);
          const history: TodoListEvent[] = [...created];
          const todos = new Map<string, TodoModel>();
          for (const command of commands) {
            const outcome = runListCommand(state, command, tags, ctx);
            expect({ command, outcome }).toEqual({ command, outcome: expectedListOutcome(todos, live, command) });
            for (const event of 'events' in outcome ? outcome.events : []) {
              state = todoListReducer(state, event);
              history.push(event);
              const data = event.data as { todoId: string; title?: string; tagId?: string };
              const todo = todos.get(data.todoId);
              if (event.type === 'TodoAdded')
                todos.set(data.todoId, { title: data.title!, completed: false, tagIds: [] });
              else if (event.type === 'TodoRemoved') todos.delete(data.todoId);
              else if (event.type === 'TodoRenamed') todo!.title = data.title!;
              else if (event.type === 'TodoCompleted' || event.type === 'TodoReopened')
                todo!.completed = event.type === 'TodoCompleted';
              else if (event.type === 'TodoTagged') todo!.tagIds.push(data.tagId!);
              else if (event.type === 'TodoUntagged') todo!.tagIds = todo!.tagIds.filter((id) => id !== data.tagId);
            }
          }
          // Another user's list is none of theirs, whatever their id.
          for (const other of ['bob', ...PROTOTYPE_KEYS].filter((id) => id !== owner)) {
            expect(
              runListCommand(state, { kind: 'complete', todoId: [...todos.keys()][0] ?? 'x' }, tags, ctxOf(other)),
            ).toEqual({ code: 'LIST_NOT_FOUND' });
          }
          if (archive) history.push({ type: 'ListArchived', data: {} });
          // Never-added todo ids (the prototype keys first): TODO_NOT_FOUND for every todo action.
          for (const todoId of PROTOTYPE_KEYS.filter((id) => !todos.has(id))) {
            expect(runListCommand(state, { kind: 'complete', todoId }, tags, ctx)).toEqual({ code: 'TODO_NOT_FOUND' });
            expect(runListCommand(state, { kind: 'tag', todoId, tagId: liveTagIds[0] ?? 'x' }, tags, ctx)).toEqual({
              code: 'TODO_NOT_FOUND',
            });
          }

          // The views, folded from the same history.
          const commit = (i: number): CommitInfo => ({ streamId: 'list', version: i + 1, at: NOW });
          let listView: ListView | null = null;
          let stats: ListStatsSource | null = null;
          let tagged: ListTagsSource | null = null;
          history.forEach((event, i) => {
            listView = evolveListView(listView, event, commit(i));
            stats = evolveListStats(stats, event);
            tagged = evolveListTags(tagged, event);
          });
          for (const folded of [listView, stats, tagged, state]) expectPlainValues(folded);
          const finalView = listView as ListView | null;
          expect(finalView?.todos.map((t) => t.todoId)).toEqual([...todos.keys()]);
          const completed = [...todos.values()].filter((t) => t.completed).length;
          expect([finalView?.openCount, finalView?.completedCount]).toEqual([todos.size - completed, completed]);

          const expectedStats = archive
            ? { lists: 0, openTodos: 0, completedTodos: 0 }
            : { lists: 1, openTodos: todos.size - completed, completedTodos: completed };
          expect(statsContribution(stats)).toEqual(expectedStats);
          const statsByOwner = statsContributions(stats!);
          expect(Object.keys(statsByOwner)).toEqual([owner]);
          expect(getOwn(statsByOwner, owner)).toEqual(expectedStats);

          // Tag counts: per tag id put on a todo still in the list, one per todo; keyed by the owner only.
          const expectedCounts = new Map<string, number>();
          for (const todo of todos.values())
            for (const id of todo.tagIds) expectedCounts.set(id, (expectedCounts.get(id) ?? 0) + 1);
          const byOwner = tagCountContributions(tagged!);
          expect(Object.keys(byOwner)).toEqual(archive ? [] : [owner]);
          if (!archive) expect(Object.entries(getOwn(byOwner, owner)!).sort()).toEqual([...expectedCounts].sort());
          for (const [key, counter, amount] of contributionsOf(byOwner)) {
            expect(key).toBe(owner);
            expect(expectedCounts.has(counter)).toBe(true);
            expect(isFiniteCount(amount) && amount > 0).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("the kit's counter view with prototype keys as total keys and counters", () => {
  it('adds up, per owner and counter, exactly what the contributions say, and refuses an amount that is not a finite number', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            stream: fc.constantFrom('s1', 's2', 's3'),
            owner: anyId,
            counter: anyId,
            amount: fc.integer({ min: -5, max: 5 }),
          }),
          { maxLength: 20 },
        ),
        async (steps) => {
          type Source = { owner: string; counts: [string, number][] };
          const contributions = (source: Source) => ownRecord([[source.owner, ownRecord(source.counts)]]);
          const store = inMemoryCounterViewStore(contributions);
          const sources = new Map<string, Source>();
          const versions = new Map<string, number>();
          for (const { stream, owner, counter, amount } of steps) {
            const before = sources.get(stream) ?? null;
            const after: Source = {
              owner,
              counts: [...new Map([...(before?.owner === owner ? before.counts : []), [counter, amount]])],
            };
            const seen = versions.get(stream) ?? 0;
            await store.write(stream, { seen, before, after, version: seen + 1, at: NOW } as never);
            sources.set(stream, after);
            versions.set(stream, seen + 1);
          }
          // The totals are the sum of what each stream's last source contributes.
          const expected = new Map<string, Map<string, number>>();
          for (const source of sources.values()) {
            const total = expected.get(source.owner) ?? new Map<string, number>();
            for (const [counter, amount] of source.counts) total.set(counter, (total.get(counter) ?? 0) + amount);
            expected.set(source.owner, total);
          }
          for (const owner of new Set([...expected.keys(), ...PROTOTYPE_KEYS])) {
            const totals = store.totals(owner);
            const nonZero = Object.entries(totals)
              .filter(([, n]) => n !== 0)
              .sort();
            expect({ owner, totals: nonZero }).toEqual({
              owner,
              totals: [...(expected.get(owner) ?? [])].filter(([, n]) => n !== 0).sort(),
            });
            for (const key of PROTOTYPE_KEYS)
              expect(getOwn(totals, key)).toBe(expected.get(owner)?.get(key) ?? (hasOwn(totals, key) ? 0 : undefined));
          }
        },
      ),
      { numRuns: 200 },
    );
    for (const amount of [Number.NaN, Infinity, '1', undefined]) {
      expect(() => contributionsOf(ownRecord([['constructor', ownRecord([['toString', amount as number]])]]))).toThrow(
        'amounts are finite numbers',
      );
    }
  });
});
