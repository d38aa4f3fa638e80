/** The tags API's schemas (see handlers/todoLists/schemas.ts). */
import * as z from 'zod/mini';
import { tag } from '../../domain';
import { commandAnswer, textField } from '../../src';
import { count, id } from '../api';

export const nameBody = z.strictObject({ name: textField({ max: tag.TAG_NAME_MAX_LENGTH }) });
export const tagCommandAnswer = commandAnswer('TagCommandAnswer', ['tagId'], "Your tags' version after the command");
export const tagSummary = z.object({ tagId: id, name: z.string(), todoCount: count }).check(z.meta({ id: 'Tag' }));
export const tagsPage = z
  .object({ items: z.array(tagSummary) })
  .check(
    z.meta({ id: 'Tags', description: 'Your live tags by name, with how many of your todos in open lists carry each' }),
  );

export const tagRef = z
  .object({ tagId: id, name: z.string() })
  .check(z.meta({ id: 'TagRef', description: "A tag on a todo, with the tag's current name" }));
