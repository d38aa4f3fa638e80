import { HttpError } from '../errors';
import { parse, type Schema } from '../http/schema';

/** A page token is opaque to clients: the key where the next page starts, base64url JSON. */
export const encodePageToken = (key: unknown) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

/** A token that does not decode to `schema`, or names someone else's data, is refused (400), never used. */
export const decodePageToken = <T>(
  token: string | undefined,
  schema: Schema<T>,
  isTheCallers: (key: T) => boolean,
): T | undefined => {
  if (token === undefined) return undefined;
  try {
    const key = parse(schema, JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    if (isTheCallers(key)) return key;
  } catch {
    // fall through to the 400 below
  }
  throw new HttpError(400, 'INVALID_NEXT_TOKEN', 'nextToken is not a token this API gave you');
};

/** `read` whose first call answers `first` (already read) instead of reading again. */
export const startingWith = <T>(first: T, read: () => Promise<T>) => {
  let pending: T | undefined = first;
  return async () => {
    if (pending === undefined) return read();
    const value = pending;
    pending = undefined;
    return value;
  };
};
