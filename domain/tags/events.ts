import type { DomainEvent } from '../../src/contracts';

export type TagCreated = DomainEvent<'TagCreated', { tagId: string; name: string }>;
export type TagRenamed = DomainEvent<'TagRenamed', { tagId: string; name: string }>;
export type TagDeleted = DomainEvent<'TagDeleted', { tagId: string }>;

/** A user's tags are one stream: names unique per user and the tag limit are its invariants. */
export type TagsEvent = TagCreated | TagRenamed | TagDeleted;

/** The stored stream type of a user's tags; never rename it once data exists. */
export const TAGS_STREAM_TYPE = 'tags';
