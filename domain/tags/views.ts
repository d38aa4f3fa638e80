import type { TagsEvent } from './events';
import { tagsReducer, type TagsState } from './state';

/** The tags view of one user: their live tags with names (counts come from the lists). */
export type TagsView = TagsState;

export const evolveTagsView = (view: TagsView | null, event: TagsEvent): TagsView | null => tagsReducer(view ?? { tags: {} }, event);

/** A user's tags by name, ignoring case, with their todo counts. */
export const tagsByName = (view: TagsView | null, counts: Readonly<Record<string, number>>) =>
  Object.entries(view?.tags ?? {})
    .map(([tagId, { name }]) => ({ tagId, name, todoCount: counts[tagId] ?? 0 }))
    .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.tagId.localeCompare(b.tagId));
