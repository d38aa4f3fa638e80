import type { HttpMappableError } from '../../src/contracts';

export type TagsErrorCode = 'TAG_NOT_FOUND' | 'TAG_NAME_TAKEN' | 'TOO_MANY_TAGS' | 'VALIDATION_ERROR';

export class TagsError extends Error implements HttpMappableError {
  constructor(
    readonly code: TagsErrorCode,
    readonly httpStatus: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'TagsError';
  }
}

// Another user's tag is reported exactly like a missing one.
export const tagNotFound = (tagId: string) => new TagsError('TAG_NOT_FOUND', 404, `Tag ${tagId} was not found`);
export const tagNameTaken = (name: string) =>
  new TagsError('TAG_NAME_TAKEN', 409, `You already have a tag named ${name}`);
export const tooManyTags = (max: number) => new TagsError('TOO_MANY_TAGS', 409, `A user has at most ${max} tags`);
export const invalidTagName = (max: number) =>
  new TagsError('VALIDATION_ERROR', 400, `A tag name is 1 to ${max} characters once trimmed`, [
    { path: 'name', message: `must be 1 to ${max} characters once trimmed` },
  ]);
