/**
 * What the projection functions run: every aggregate and view of the app, from each aggregate's
 * folder (handlers/<aggregate>/views.ts), with no route, schema or zod. The projection entries
 * import only this (projections/*.ts through handlers/entries/projections.ts), so their bundles
 * stay free of what commands and queries need; handlers/app.ts declares the same with the
 * commands and queries.
 */
import type { AppViews } from '../src';
import { taggedTodosView, tagCountsView, tags, tagsView } from './tags/views';
import { listsView, statsView, todoLists } from './todoLists/views';

export { taggedTodosView, tagCountsView, tags, tagsView } from './tags/views';
export { listsView, statsView, todoLists } from './todoLists/views';

export const appViews = {
  service: 'todo-cqrs',
  aggregates: [todoLists, tags],
  views: [listsView, statsView, tagCountsView, tagsView, taggedTodosView],
} satisfies AppViews;
