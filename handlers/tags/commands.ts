/**
 * The tags aggregate's commands; the aggregate (one stream per user, `tags#<userId>`) and its
 * views are in ./views.ts, its answers in ./schemas.ts.
 */
import { tag } from '../../domain';
import { commandsOf } from '../../src';
import { route } from '../api';
import { nameBody, tagCommandAnswer } from './schemas';
import { tags } from '../views';

// Every user's tags are their own stream: the caller picks the stream, never the client.
const command = commandsOf(tags, { streamId: (_payload, { userId }) => userId });

export const tagCommands = {
  createTag: command({
    route: route.command({
      method: 'POST',
      path: '/tags',
      summary: 'Create a tag',
      request: { body: nameBody },
      status: 201,
      ok: 'Created',
      answer: tagCommandAnswer,
      errors: { 409: ['TAG_NAME_TAKEN', 'TOO_MANY_TAGS'] },
    }),
    action: tag.createTag,
    payload: ({ body, newId }) => ({ tagId: newId(), name: body.name }),
  }),
  renameTag: command(
    tag.renameTag,
    route.command({
      method: 'PATCH',
      path: '/tags/{tagId}',
      summary: 'Rename a tag',
      request: { body: nameBody },
      ok: 'Renamed (or already so named)',
      answer: tagCommandAnswer,
      errors: { 404: ['TAG_NOT_FOUND'], 409: ['TAG_NAME_TAKEN'] },
    }),
  ),
  deleteTag: command(
    tag.deleteTag,
    route.command({
      method: 'DELETE',
      path: '/tags/{tagId}',
      summary: 'Delete a tag; it leaves every todo',
      ok: 'Deleted',
      answer: tagCommandAnswer,
      errors: { 404: ['TAG_NOT_FOUND'] },
    }),
  ),
};
