/**
 * Page tokens (`nextToken` of every paged route) and the first page read ahead: a token is
 * opaque to clients, round-trips the key it was made from, and is refused (400
 * INVALID_NEXT_TOKEN) whenever it is not one this API gave the caller.
 */
import * as z from 'zod';
import { HttpError, decodePageToken, encodePageToken, startingWith } from '../src';

const key = z.object({ ownerId: z.string(), createdAt: z.string() });
const alices = (k: z.infer<typeof key>) => k.ownerId === 'alice';

describe('page tokens', () => {
  it('round-trip the key they were made from, as base64url JSON (no padding, safe in a query string)', () => {
    const start = { ownerId: 'alice', createdAt: '2026-06-01T00:00:00.000Z' };
    const token = encodePageToken(start);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))).toEqual(start);
    expect(decodePageToken(token, key, alices)).toEqual(start);
  });

  it('no token: the first page', () => {
    expect(decodePageToken(undefined, key, alices)).toBeUndefined();
  });

  it.each([
    ['someone else’s key', encodePageToken({ ownerId: 'bob', createdAt: 'x' })],
    ['a key of another shape', encodePageToken({ owner: 'alice' })],
    ['not JSON', Buffer.from('{nope', 'utf8').toString('base64url')],
    ['not base64url JSON at all', '%%%'],
    ['an empty token', ''],
  ])('refuse %s with 400 INVALID_NEXT_TOKEN', (_name, token) => {
    let thrown: unknown;
    try {
      decodePageToken(token, key, alices);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpError);
    expect(thrown).toMatchObject({ httpStatus: 400, code: 'INVALID_NEXT_TOKEN' });
  });
});

describe('startingWith', () => {
  it('answers the page already read first, then reads', async () => {
    const read = jest.fn(async () => 'next');
    const pages = startingWith('first', read);
    expect(await pages()).toBe('first');
    expect(read).not.toHaveBeenCalled();
    expect(await pages()).toBe('next');
    expect(await pages()).toBe('next');
    expect(read).toHaveBeenCalledTimes(2);
  });
});
