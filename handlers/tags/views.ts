/**
 * The tags aggregate (one stream per user) and the views of the tags feature: the tags themselves,
 * and what the lists' stream says about them (counts, the todos carrying each). Pure declarations,
 * with no route, schema or zod (handlers/views.ts).
 */
// The aggregates' modules, not the domain's index (see handlers/todoLists/views.ts).
import * as tag from '../../domain/tags';
import * as todoList from '../../domain/todoList';
import { counterView, defineAggregate, streamView } from '../../src';
import { todoLists } from '../todoLists/views';

/** One stream per user (`tags#<userId>`), so names unique per user and the tag limit are rules of one stream. */
export const tags = defineAggregate({
  streamType: tag.TAGS_STREAM_TYPE,
  initialState: tag.initialTagsState,
  reducer: tag.tagsReducer,
  // Tag events with ids the kit never minted are dropped on read; snapshots folded with them are not used.
  upcasters: tag.tagsUpcasters,
  reducerVersion: '2',
});

/** One item per user: their live tags with names. */
export const tagsView = streamView({ name: 'tags', aggregate: tags, evolve: tag.evolveTagsView });

/** Per-owner, per-tag todo counts (the `todoCount` of GET /tags); archived lists do not count. */
export const tagCountsView = counterView({
  name: 'tagCounts',
  aggregate: todoLists,
  evolve: todoList.evolveListTags,
  contributions: todoList.tagCountContributions,
  children: { split: todoList.splitListTags, join: todoList.joinListTags },
});

/** Per tag, the todos of open lists carrying it: what the reaction to a deleted tag reads (handlers/reactions.ts). */
export const taggedTodosView = counterView({
  name: 'taggedTodos',
  aggregate: todoLists,
  evolve: todoList.evolveTaggedTodos,
  contributions: todoList.taggedTodoContributions,
  children: { split: todoList.splitListTags, join: todoList.joinListTags },
});
