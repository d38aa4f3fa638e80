/** The tags API's schemas (see handlers/todoLists/schemas.ts). */
import * as z from 'zod/mini';
import { tag } from '../../domain';
import { commandAnswer, itemsOf, named, textField } from '../../src';
import { count, id } from '../api';

export const nameBody = z.strictObject({ name: textField({ max: tag.TAG_NAME_MAX_LENGTH }) });
export const tagCommandAnswer = commandAnswer('TagCommandAnswer', ['tagId'], "Your tags' version after the command");
export const tagSummary = named('Tag', { tagId: id, name: z.string(), todoCount: count });
export const tagsPage = itemsOf(
  'Tags',
  tagSummary,
  'Your live tags by name, with how many of your todos in open lists carry each',
);

export const tagRef = named('TagRef', { tagId: id, name: z.string() }, "A tag on a todo, with the tag's current name");
