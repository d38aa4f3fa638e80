import type { Action } from '../../src/contracts';
import { getOwn } from '../../src/records';
import { invalidTagName, tagNameTaken, tagNotFound, tooManyTags } from './errors';
import type { TagsEvent } from './events';
import type { TagsState } from './state';

export const TAG_NAME_MAX_LENGTH = 40;
export const MAX_TAGS_PER_USER = 100;

type TagsAction<P> = Action<TagsState, P, TagsEvent>;

const tagName = (raw: string): string => {
  const trimmed = raw.trim();
  if (trimmed.length < 1 || trimmed.length > TAG_NAME_MAX_LENGTH) throw invalidTagName(TAG_NAME_MAX_LENGTH);
  return trimmed;
};

/** Names are unique per user, ignoring case; `except` is the tag being renamed. */
const assertNameFree = (state: TagsState, name: string, except?: string) => {
  const lower = name.toLowerCase();
  const taken = Object.entries(state.tags).some(([id, tag]) => id !== except && tag.name.toLowerCase() === lower);
  if (taken) throw tagNameTaken(name);
};

/** Own keys only: `constructor` or `toString` is no tag of anyone's. */
const liveTag = (state: TagsState, tagId: string) => {
  const tag = getOwn(state.tags, tagId);
  if (!tag) throw tagNotFound(tagId);
  return tag;
};

export const createTag: TagsAction<{ tagId: string; name: string }> = (state, payload) => {
  const name = tagName(payload.name);
  assertNameFree(state, name);
  if (Object.keys(state.tags).length >= MAX_TAGS_PER_USER) throw tooManyTags(MAX_TAGS_PER_USER);
  return [{ type: 'TagCreated', data: { tagId: payload.tagId, name } }];
};

export const renameTag: TagsAction<{ tagId: string; name: string }> = (state, payload) => {
  const tag = liveTag(state, payload.tagId);
  const name = tagName(payload.name);
  if (name === tag.name) return [];
  assertNameFree(state, name, payload.tagId);
  return [{ type: 'TagRenamed', data: { tagId: payload.tagId, name } }];
};

export const deleteTag: TagsAction<{ tagId: string }> = (state, payload) => {
  liveTag(state, payload.tagId);
  return [{ type: 'TagDeleted', data: { tagId: payload.tagId } }];
};
