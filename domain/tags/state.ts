import type { TagsEvent } from './events';

/** A user's live tags by id (a deleted tag is gone). */
export interface TagsState {
  readonly tags: Readonly<Record<string, { readonly name: string }>>;
}

export const initialTagsState: TagsState = { tags: {} };

export const tagsReducer = (state: TagsState, event: TagsEvent): TagsState => {
  switch (event.type) {
    case 'TagCreated':
    case 'TagRenamed':
      return { tags: { ...state.tags, [event.data.tagId]: { name: event.data.name } } };
    case 'TagDeleted': {
      const { [event.data.tagId]: _deleted, ...tags } = state.tags;
      return { tags };
    }
    default: {
      const exhaustive: never = event;
      throw new Error(`Unknown event ${JSON.stringify(exhaustive)}`);
    }
  }
};

/** The ids of the live tags, for commands of other aggregates that need one (tagging a todo). */
export const liveTagIds = (state: TagsState): ReadonlySet<string> => new Set(Object.keys(state.tags));
