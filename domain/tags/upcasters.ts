import type { Upcasters } from '../../src/contracts';
import { isMintedId } from '../mintedIds';
import type { TagDeleted, TagRenamed, TagsEvent } from './events';

/**
 * How stored tag events of older shapes become today's. Pure; applied on every read.
 *
 * Version 2 of TagRenamed and TagDeleted: the tag id is one the kit minted. Before the edge
 * checked ids, a client could send any path id (`constructor`, `hasOwnProperty`) and such
 * events reached the log, where they poisoned the user's tags view. A tag id that is not of the
 * minted shape never named a tag the user created (creates mint their ids), so the event had
 * no meaning: it is dropped on read (null). Events written since are stamped version 2.
 */
const withMintedTagId = <D extends { readonly tagId: string }>(data: D): D | null =>
  isMintedId(data.tagId) ? data : null;

export const tagsUpcasters: Upcasters<TagsEvent> = {
  TagRenamed: [withMintedTagId<TagRenamed['data']>],
  TagDeleted: [withMintedTagId<TagDeleted['data']>],
};
