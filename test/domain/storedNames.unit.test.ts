/**
 * The domain's stored names: every commit is written under its aggregate's stream type, and
 * every event under its type name, and read back by both. Renaming one in code does not rename
 * what is stored: every existing stream would be orphaned (routed nowhere, or its events decoded
 * as unknown). They may never change; a new name needs a migration, not an edit.
 * The kit's stored names (table keys, bookkeeping attributes) are pinned in test/storedNames.
 */
import { createTag, deleteTag, initialTagsState, renameTag, tagsReducer, TAGS_STREAM_TYPE } from '../../domain/tags';
import { TODO_LIST_EVENT_TYPES, TODO_LIST_STREAM_TYPE } from '../../domain/todoList';

const ctx = { userId: 'alice', now: '2026-01-01T00:00:00.000Z' };

describe('stored names of the domain never change', () => {
  it('stream types', () => {
    expect(TODO_LIST_STREAM_TYPE).toBe('todoList');
    expect(TAGS_STREAM_TYPE).toBe('tags');
  });

  it('todo list event types', () => {
    // prettier-ignore
    expect(TODO_LIST_EVENT_TYPES).toEqual([
      'ListCreated',
      'ListRenamed',
      'ListArchived',
      'TodoAdded',
      'TodoRenamed',
      'TodoCompleted',
      'TodoReopened',
      'TodoRemoved',
      'TodoTagged',
      'TodoUntagged',
      'TodoMovedOut',
      'TodoMovedIn',
    ]);
  });

  it('tag event types: the actions write them and the reducer reads them back', () => {
    const created = createTag(initialTagsState, { tagId: 'g1', name: 'home' }, ctx);
    const afterCreate = created.reduce(tagsReducer, initialTagsState);
    const renamed = renameTag(afterCreate, { tagId: 'g1', name: 'work' }, ctx);
    const deleted = deleteTag(renamed.reduce(tagsReducer, afterCreate), { tagId: 'g1' }, ctx);
    expect([...created, ...renamed, ...deleted].map((e) => e.type)).toEqual(['TagCreated', 'TagRenamed', 'TagDeleted']);
  });
});
