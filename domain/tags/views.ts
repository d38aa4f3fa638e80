import { getOwn, ownRecord, type OwnRecord } from '../../src/records';
import type { TagsEvent } from './events';
import { tagsReducer, type TagsState } from './state';

/** The tags view of one user: their live tags with names (counts come from the lists). */
export type TagsView = TagsState;

export const evolveTagsView = (view: TagsView | null, event: TagsEvent): TagsView | null =>
  tagsReducer(view ?? { tags: ownRecord() }, event);

/**
 * A list as its owner sees it: each todo's live tags as `{ tagId, name }`, in the order they were
 * put on, with their names of now (a tag deleted meanwhile is left out). Joined at read time, so
 * a rename or delete shows on every todo without rewriting any list.
 */
export const withTagNames = <L extends { readonly todos: readonly { readonly tagIds?: readonly string[] }[] }>(
  list: L,
  view: TagsView | null,
): Omit<L, 'todos'> & {
  // The list's own todo type, so a caller keeps its fields.
  readonly todos: (L['todos'][number] & { readonly tags: { readonly tagId: string; readonly name: string }[] })[];
} => ({
  ...list,
  todos: list.todos.map((todo) => ({
    ...todo,
    tags: (todo.tagIds ?? []).flatMap((tagId) => {
      const tag = getOwn(view?.tags, tagId);
      return tag ? [{ tagId, name: tag.name }] : [];
    }),
  })),
});

/** A user's tags by name, ignoring case, with their todo counts. */
export const tagsByName = (view: TagsView | null, counts: OwnRecord<number>) =>
  Object.entries(view?.tags ?? {})
    .map(([tagId, { name }]) => ({ tagId, name, todoCount: getOwn(counts, tagId) ?? 0 }))
    .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.tagId.localeCompare(b.tagId));
