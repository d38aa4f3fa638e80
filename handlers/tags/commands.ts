/**
 * The tags aggregate's commands; the aggregate (one stream per user, `tags#<userId>`) and its
 * views are in ./views.ts, its answers in ./schemas.ts.
 */
import { tag } from '../../domain';
import { byCaller, commandRoutes, commandsOf } from '../../src';
import { route } from '../api';
import { tags } from '../views';
import { nameBody, tagCommandAnswer } from './schemas';

// Every user's tags are their own stream: the caller picks the stream, never the client.
const command = commandRoutes(commandsOf(tags, { streamId: byCaller }), route.with({ answer: tagCommandAnswer }));
const notFound = { 404: ['TAG_NOT_FOUND'] } as const;

export const tagCommands = {
  createTag: command.post(tag.createTag, '/tags', 'Create a tag', {
    body: nameBody,
    creates: 'tagId',
    errors: { 409: ['TAG_NAME_TAKEN', 'TOO_MANY_TAGS'] },
  }),
  renameTag: command.patch(tag.renameTag, '/tags/{tagId}', 'Rename a tag', {
    body: nameBody,
    ok: 'Renamed (or already so named)',
    errors: { ...notFound, 409: ['TAG_NAME_TAKEN'] },
  }),
  deleteTag: command.delete(tag.deleteTag, '/tags/{tagId}', 'Delete a tag; it leaves every todo', { errors: notFound }),
};
