import {
  MAX_TAGS_PER_USER,
  TAG_NAME_MAX_LENGTH,
  TagsError,
  createTag,
  deleteTag,
  evolveTagsView,
  initialTagsState,
  invalidTagName,
  liveTagIds,
  renameTag,
  tagsByName,
  withTagNames,
  tagsReducer,
  type TagsEvent,
} from '../../domain/tags';
import {
  MAX_TAGS_PER_TODO,
  evolveListTags,
  initialTodoListState,
  tagCountContributions,
  tagTodo,
  todoListReducer,
  untagTodo,
  type ListTagsSource,
  type TodoListEvent,
} from '../../domain/todoList';
import { decider } from '../../src/testing';

const tags = decider(tagsReducer, initialTagsState);
const lists = decider(todoListReducer, initialTodoListState);

const created = (tagId: string, name: string): TagsEvent => ({ type: 'TagCreated', data: { tagId, name } });
const renamed = (tagId: string, name: string): TagsEvent => ({ type: 'TagRenamed', data: { tagId, name } });
const deleted = (tagId: string): TagsEvent => ({ type: 'TagDeleted', data: { tagId } });

describe('tags (one stream per user)', () => {
  it('creates a tag with its trimmed name', () => {
    tags
      .given([])
      .when(createTag, { tagId: 'g1', name: '  home ' })
      .then([created('g1', 'home')]);
  });

  it('refuses a name used by another live tag, ignoring case (409 TAG_NAME_TAKEN)', () => {
    tags
      .given([created('g1', 'Home')])
      .when(createTag, { tagId: 'g2', name: 'hOME' })
      .thenThrows('TAG_NAME_TAKEN', 409);
    tags
      .given([created('g1', 'Home'), created('g2', 'work')])
      .when(renameTag, { tagId: 'g2', name: 'home' })
      .thenThrows('TAG_NAME_TAKEN', 409);
  });

  it('frees the name of a deleted tag, and lets a tag change the case of its own name', () => {
    tags
      .given([created('g1', 'home'), deleted('g1')])
      .when(createTag, { tagId: 'g2', name: 'Home' })
      .then([created('g2', 'Home')]);
    tags
      .given([created('g1', 'home')])
      .when(renameTag, { tagId: 'g1', name: 'Home' })
      .then([renamed('g1', 'Home')]);
  });

  it(`refuses a name of 0 or more than ${TAG_NAME_MAX_LENGTH} characters once trimmed (400)`, () => {
    tags.given([]).when(createTag, { tagId: 'g1', name: '   ' }).thenThrows('VALIDATION_ERROR', 400);
    tags
      .given([])
      .when(createTag, { tagId: 'g1', name: 'x'.repeat(TAG_NAME_MAX_LENGTH + 1) })
      .thenThrows('VALIDATION_ERROR', 400);
    tags
      .given([])
      .when(createTag, { tagId: 'g1', name: 'x'.repeat(TAG_NAME_MAX_LENGTH) })
      .then([created('g1', 'x'.repeat(TAG_NAME_MAX_LENGTH))]);
  });

  it(`holds at most ${MAX_TAGS_PER_USER} live tags (409 TOO_MANY_TAGS); a deleted one makes room`, () => {
    const full = Array.from({ length: MAX_TAGS_PER_USER }, (_, i) => created(`g${i}`, `tag ${i}`));
    tags.given(full).when(createTag, { tagId: 'x', name: 'one more' }).thenThrows('TOO_MANY_TAGS', 409);
    tags
      .given([...full, deleted('g0')])
      .when(createTag, { tagId: 'x', name: 'one more' })
      .then([created('x', 'one more')]);
  });

  it('renames and deletes only live tags (404 TAG_NOT_FOUND otherwise); the same name changes nothing', () => {
    tags.given([]).when(renameTag, { tagId: 'g1', name: 'x' }).thenThrows('TAG_NOT_FOUND', 404);
    tags
      .given([created('g1', 'a'), deleted('g1')])
      .when(deleteTag, { tagId: 'g1' })
      .thenThrows('TAG_NOT_FOUND', 404);
    tags
      .given([created('g1', 'a')])
      .when(renameTag, { tagId: 'g1', name: ' a ' })
      .thenNothing();
    tags
      .given([created('g1', 'a')])
      .when(deleteTag, { tagId: 'g1' })
      .then([deleted('g1')]);
  });

  it('views the live tags by name, ignoring case, with their counts (0 when none)', () => {
    const view = [
      created('g1', 'work'),
      created('g2', 'Home'),
      created('g3', 'gone'),
      renamed('g1', 'Errands'),
      deleted('g3'),
    ].reduce(evolveTagsView, null);
    expect(tagsByName(view, { g1: 2 })).toStrictEqual([
      { tagId: 'g1', name: 'Errands', todoCount: 2 },
      { tagId: 'g2', name: 'Home', todoCount: 0 },
    ]);
    expect(liveTagIds(view!)).toStrictEqual(new Set(['g1', 'g2']));
  });

  it("shows each todo's live tags with their current names, in the order they were put on", () => {
    const view = [
      created('g1', 'work'),
      created('g2', 'home'),
      created('g3', 'gone'),
      renamed('g1', 'Errands'),
      deleted('g3'),
    ].reduce(evolveTagsView, null);
    const list = { listId: 'l1', todos: [{ todoId: 't1', tagIds: ['g2', 'g3', 'g1'] }, { todoId: 't2' }] };
    expect(withTagNames(list, view)).toStrictEqual({
      listId: 'l1',
      todos: [
        {
          todoId: 't1',
          tagIds: ['g2', 'g3', 'g1'],
          tags: [
            { tagId: 'g2', name: 'home' },
            { tagId: 'g1', name: 'Errands' },
          ],
        },
        { todoId: 't2', tags: [] },
      ],
    });
    // Before the user's tags view exists, no tag shows.
    expect(withTagNames(list, null).todos.map((t) => t.tags)).toStrictEqual([[], []]);
  });

  it('sorts the view whatever order the tags were created in; no view yet lists no tags', () => {
    const view = [created('g1', 'work'), created('g2', 'home'), created('g3', 'Errands')].reduce(evolveTagsView, null);
    expect(tagsByName(view, {}).map((t) => t.name)).toStrictEqual(['Errands', 'home', 'work']);
    expect(tagsByName(null, { g1: 1 })).toStrictEqual([]);
  });

  it('orders names that read the same, ignoring case, by tag id, in whatever order they were created', () => {
    // Two names the uniqueness rule tells apart (their code points differ) that sort as equal:
    // "Café" with a composed é and "café" with e + a combining accent. Their order is still fixed.
    const composed = 'Caf\u00e9';
    const decomposed = 'cafe\u0301';
    for (const events of [
      [created('g1', composed), created('g2', decomposed)],
      [created('g2', decomposed), created('g1', composed)],
    ]) {
      expect(tagsByName(events.reduce(evolveTagsView, null), {}).map((t) => t.tagId)).toStrictEqual(['g1', 'g2']);
    }
    for (const events of [
      [created('g1', decomposed), created('g2', composed)],
      [created('g2', composed), created('g1', decomposed)],
    ]) {
      expect(tagsByName(events.reduce(evolveTagsView, null), {}).map((t) => t.tagId)).toStrictEqual(['g1', 'g2']);
    }
  });

  it('describes the name rule in the error details (400 VALIDATION_ERROR)', () => {
    const error = invalidTagName(TAG_NAME_MAX_LENGTH);
    expect(error).toBeInstanceOf(TagsError);
    expect(error.name).toBe('TagsError');
    expect(error.details).toStrictEqual([{ path: 'name', message: 'must be 1 to 40 characters once trimmed' }]);
  });

  it('throws on an unknown event type', () => {
    const unknown = { type: 'TagExploded', data: {} } as unknown as TagsEvent;
    expect(() => tagsReducer(initialTagsState, unknown)).toThrow(/Unknown event/);
  });
});

describe('tagging a todo (a list command that reads the caller’s tags)', () => {
  const list: TodoListEvent[] = [
    { type: 'ListCreated', data: { listId: 'l', ownerId: 'alice', title: 'L' } },
    { type: 'TodoAdded', data: { todoId: 't', title: 'T' } },
  ];
  const tagged = (tagId: string): TodoListEvent => ({ type: 'TodoTagged', data: { todoId: 't', tagId } });
  const untagged = (tagId: string): TodoListEvent => ({ type: 'TodoUntagged', data: { todoId: 't', tagId } });
  // The caller's tags as tagging reads them: their tags stream's state.
  const live = (...ids: string[]) =>
    ids.reduce(
      (state, tagId) => tagsReducer(state, { type: 'TagCreated', data: { tagId, name: tagId } }),
      initialTagsState,
    );

  it('puts a live tag of the caller on the todo, once', () => {
    lists
      .given(list)
      .when(tagTodo, { listId: 'l', todoId: 't', tagId: 'g', tags: live('g') })
      .then([tagged('g')]);
    lists
      .given([...list, tagged('g')])
      .when(tagTodo, { listId: 'l', todoId: 't', tagId: 'g', tags: live('g') })
      .thenNothing();
  });

  it('refuses a tag that is not a live tag of the caller (404 TAG_NOT_FOUND), and another user’s list (404)', () => {
    lists
      .given(list)
      .when(tagTodo, { listId: 'l', todoId: 't', tagId: 'g', tags: live() })
      .thenThrows('TAG_NOT_FOUND', 404);
    lists
      .given(list)
      .when(tagTodo, { listId: 'l', todoId: 't', tagId: 'g', tags: live('g') }, { userId: 'bob' })
      .thenThrows('LIST_NOT_FOUND', 404);
  });

  it(`carries at most ${MAX_TAGS_PER_TODO} live tags on a todo; deleted tags do not count`, () => {
    const ids = Array.from({ length: MAX_TAGS_PER_TODO }, (_, i) => `g${i}`);
    const full = [...list, ...ids.map(tagged)];
    lists
      .given(full)
      .when(tagTodo, { listId: 'l', todoId: 't', tagId: 'x', tags: live(...ids, 'x') })
      .thenThrows('TOO_MANY_TAGS', 409);
    lists
      .given(full)
      .when(tagTodo, { listId: 'l', todoId: 't', tagId: 'x', tags: live(...ids.slice(1), 'x') })
      .then([tagged('x')]);
  });

  it('untags a tagged todo; a todo without the tag changes nothing', () => {
    lists
      .given([...list, tagged('g')])
      .when(untagTodo, { listId: 'l', todoId: 't', tagId: 'g' })
      .then([untagged('g')]);
    lists.given(list).when(untagTodo, { listId: 'l', todoId: 't', tagId: 'g' }).thenNothing();
  });

  it('folds tags onto the todo and off again, leaving no empty list behind', () => {
    const state = [...list, tagged('g1'), tagged('g2'), untagged('g1')].reduce(todoListReducer, initialTodoListState);
    expect(state!.todos).toStrictEqual([{ todoId: 't', title: 'T', completed: false, tagIds: ['g2'] }]);
    const cleared = [...list, tagged('g1'), untagged('g1')].reduce(todoListReducer, initialTodoListState);
    expect(cleared!.todos).toStrictEqual([{ todoId: 't', title: 'T', completed: false }]);
  });

  it('counts, per owner and tag, the todos carrying it in open lists', () => {
    const more: TodoListEvent[] = [
      ...list,
      { type: 'TodoAdded', data: { todoId: 'u', title: 'U' } },
      tagged('g'),
      { type: 'TodoTagged', data: { todoId: 'u', tagId: 'g' } },
    ];
    const source = more.reduce<ListTagsSource | null>(evolveListTags, null)!;
    expect(tagCountContributions(source)).toStrictEqual({ alice: { g: 2 } });
    const removed = evolveListTags(source, { type: 'TodoRemoved', data: { todoId: 'u' } })!;
    expect(tagCountContributions(removed)).toStrictEqual({ alice: { g: 1 } });
    expect(tagCountContributions(evolveListTags(source, { type: 'ListArchived', data: {} })!)).toStrictEqual({});
  });

  it('tags only the named todo', () => {
    const two: TodoListEvent[] = [...list, { type: 'TodoAdded', data: { todoId: 'u', title: 'U' } }, tagged('g')];
    expect(two.reduce(todoListReducer, initialTodoListState)!.todos).toStrictEqual([
      { todoId: 't', title: 'T', completed: false, tagIds: ['g'] },
      { todoId: 'u', title: 'U', completed: false },
    ]);
  });

  it('counts tags taken off again, and nothing for a list not yet created or a todo it does not hold', () => {
    const source = [...list, tagged('g1'), tagged('g2'), untagged('g1')].reduce<ListTagsSource | null>(
      evolveListTags,
      null,
    )!;
    expect(tagCountContributions(source)).toStrictEqual({ alice: { g2: 1 } });
    expect(evolveListTags(null, tagged('g1'))).toBeNull();
    const removed = evolveListTags(source, { type: 'TodoRemoved', data: { todoId: 't' } })!;
    expect(evolveListTags(removed, tagged('g3'))).toBe(removed);
    expect(evolveListTags(removed, untagged('g2'))).toBe(removed);
  });

  it('keeps the tag counts through events that move no tag', () => {
    const source = [...list, tagged('g')].reduce<ListTagsSource | null>(evolveListTags, null)!;
    const unchanged: TodoListEvent[] = [
      { type: 'ListRenamed', data: { title: 'M' } },
      { type: 'TodoRenamed', data: { todoId: 't', title: 'U' } },
      { type: 'TodoCompleted', data: { todoId: 't' } },
      { type: 'TodoReopened', data: { todoId: 't' } },
    ];
    for (const event of unchanged) expect(evolveListTags(source, event)).toBe(source);
    const unknown = { type: 'ListExploded', data: {} } as unknown as TodoListEvent;
    expect(() => evolveListTags(source, unknown)).toThrow(/Unknown event/);
  });
});
