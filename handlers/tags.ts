/**
 * The tags aggregate's commands and answers; the aggregate (one stream per user, `tags#<userId>`)
 * and its view (one item per user) are in handlers/views.ts. The todo counts come from the lists
 * (`tagCountsView`).
 */
import * as z from 'zod/mini';
import { TAG_NAME_MAX_LENGTH, createTag, deleteTag, renameTag, type TagsErrorCode } from '../domain/tags';
import { commandsOf, routesFor } from '../src';
import { count, id } from './apiSchemas';
import { tags } from './views';

const nameBody = z.strictObject({ name: z.string().check(z.trim(), z.minLength(1), z.maxLength(TAG_NAME_MAX_LENGTH)) });
export const tagCommandAnswer = z.object({ tagId: id, version: count }).check(z.meta({ id: 'TagCommandAnswer', description: "Your tags' version after the command" }));
export const tagSummary = z.object({ tagId: id, name: z.string(), todoCount: count }).check(z.meta({ id: 'Tag' }));
export const tagsPage = z
  .object({ items: z.array(tagSummary) })
  .check(z.meta({ id: 'Tags', description: 'Your live tags by name, with how many of your todos in open lists carry each' }));

const route = routesFor<TagsErrorCode>({ pathParam: id });
// Every user's tags are their own stream: the caller picks the stream, never the client.
const command = commandsOf(tags, { streamId: (_payload, { userId }) => userId });

export const tagCommands = {
  createTag: command({
    route: route.command({ method: 'POST', path: '/tags', summary: 'Create a tag', request: { body: nameBody }, status: 201, ok: 'Created', answer: tagCommandAnswer, errors: { 409: ['TAG_NAME_TAKEN', 'TOO_MANY_TAGS'] } }),
    action: createTag,
    payload: ({ body, newId }) => ({ tagId: newId(), name: body.name }),
  }),
  renameTag: command({
    route: route.command({ method: 'PATCH', path: '/tags/{tagId}', summary: 'Rename a tag', request: { body: nameBody }, ok: 'Renamed (or already so named)', answer: tagCommandAnswer, errors: { 404: ['TAG_NOT_FOUND'], 409: ['TAG_NAME_TAKEN'] } }),
    action: renameTag,
  }),
  deleteTag: command({
    route: route.command({ method: 'DELETE', path: '/tags/{tagId}', summary: 'Delete a tag; it leaves every todo', ok: 'Deleted', answer: tagCommandAnswer, errors: { 404: ['TAG_NOT_FOUND'] } }),
    action: deleteTag,
  }),
};
