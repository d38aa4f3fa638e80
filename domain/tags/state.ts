import { ownRecord, withOwn, withoutOwn, type OwnRecord } from '../../src/records';
import type { TagsEvent } from './events';

/** A user's live tags by id (a deleted tag is gone); read it with `getOwn`/`hasOwn`, never `tags[id]`. */
export interface TagsState {
  readonly tags: OwnRecord<{ readonly name: string }>;
}

export const initialTagsState: TagsState = { tags: ownRecord() };

export const tagsReducer = (state: TagsState, event: TagsEvent): TagsState => {
  switch (event.type) {
    case 'TagCreated':
    case 'TagRenamed':
      return { tags: withOwn(state.tags, event.data.tagId, { name: event.data.name }) };
    case 'TagDeleted':
      return { tags: withoutOwn(state.tags, event.data.tagId) };
    default: {
      const exhaustive: never = event;
      throw new Error(`Unknown event ${JSON.stringify(exhaustive)}`);
    }
  }
};

/** The ids of the live tags, for commands of other aggregates that need one (tagging a todo). */
export const liveTagIds = (state: TagsState): ReadonlySet<string> => new Set(Object.keys(state.tags));
