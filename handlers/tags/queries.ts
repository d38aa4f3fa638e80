/** The tags' queries (see handlers/todoLists/queries.ts). */
import { tag } from '../../domain';
import { GRAPHQL_COSTS } from '../../src';
import { get } from '../api';
import { tagsPage } from './schemas';
import { tagCountsView, tagsView } from './views';

/** A user's 100 tags are ~16 KB, read eventually consistent: 8 KB as a strongly consistent read counts. */
export const TAGS_ITEM_KB = 8;

export const tagQueries = {
  getTags: get('/tags', 'Your live tags by name, with their todo counts', {
    ok: 'Your tags',
    answer: tagsPage,
    read: { tags: [tagsView, 'userId'], counts: [tagCountsView, 'userId'] },
    graphqlCost: () => ({
      weight: GRAPHQL_COSTS.read(TAGS_ITEM_KB) + GRAPHQL_COSTS.read(),
      listSizes: { items: tag.MAX_TAGS_PER_USER },
    }),
    run: ({ read }) => ({ items: tag.tagsByName(read.tags, read.counts) }),
  }),
};
