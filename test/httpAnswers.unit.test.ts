/**
 * What every HTTP answer promises a client beyond its body: the JSON media type, `Retry-After`
 * on an answer that asks to come back later, the caller as the token names it, and a
 * correlation id the client chose when it is a usable one (1 to 128 characters).
 */
import { HttpError, httpRoute, type RouteRequest } from '../src';
import { apiEvent, callRoute } from './support/apiEvent';
import { bearerFor } from './support/bearer';

const seen: RouteRequest<object>[] = [];
let fails: { thrown: unknown } | undefined;
const route = httpRoute({}, async (request) => {
  seen.push(request);
  if (fails !== undefined) throw fails.thrown;
  return { statusCode: 200, body: { userId: request.userId }, headers: { 'cache-control': 'no-store' } };
});
const call = (event = apiEvent()) => callRoute(route, event);

beforeEach(() => {
  seen.length = 0;
  fails = undefined;
});

describe('correlation id', () => {
  const withCorrelationId = (id: string) => apiEvent({ headers: { 'x-correlation-id': id } });

  it('keeps one of 1 and of 128 characters', async () => {
    await call(withCorrelationId('a'));
    await call(withCorrelationId('c'.repeat(128)));
    expect(seen.map((r) => r.correlationId)).toEqual(['a', 'c'.repeat(128)]);
  });

  it('uses the request id instead of an empty one or one over 128 characters', async () => {
    await call(withCorrelationId(''));
    await call(withCorrelationId('c'.repeat(129)));
    expect(seen.map((r) => r.correlationId)).toEqual(['req-1', 'req-1']);
  });
});

describe('caller', () => {
  it('accepts a token whose sub is a number, as the authorizer passes it on as text', async () => {
    const response = await call(apiEvent({ sub: '42', headers: { authorization: bearerFor(42) } }));
    expect(response).toMatchObject({ status: 200, body: { userId: '42' } });
  });

  it('refuses a numeric sub that is not the one in the claims', async () => {
    const response = await call(apiEvent({ sub: '42', headers: { authorization: bearerFor(43) } }));
    expect(response).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    expect(seen).toEqual([]);
  });
});

describe('answers', () => {
  it('are JSON, with the headers the route adds', async () => {
    expect((await call()).headers).toEqual({ 'content-type': 'application/json', 'cache-control': 'no-store' });
  });

  it('to an error that asks to come back later carry Retry-After', async () => {
    fails = { thrown: new HttpError(503, 'VIEW_BEHIND', 'The view has not caught up yet', undefined, 2) };
    expect(await call()).toEqual({
      status: 503,
      headers: { 'content-type': 'application/json', 'retry-after': '2' },
      body: { error: { code: 'VIEW_BEHIND', message: 'The view has not caught up yet' } },
    });
  });

  it('to any other error are JSON without Retry-After, and without details when there are none', async () => {
    fails = { thrown: new HttpError(409, 'CONFLICT', 'No') };
    const response = await call();
    expect(response.headers).toEqual({ 'content-type': 'application/json' });
    expect(response.body).toStrictEqual({ error: { code: 'CONFLICT', message: 'No' } });
  });

  it.each([
    [400, 400],
    [599, 599],
    [399, 500],
    [600, 500],
  ])('to an error with a code and an httpStatus of %i answer %i', async (httpStatus, status) => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    fails = { thrown: Object.assign(new Error('meaning'), { code: 'SOME_CODE', httpStatus }) };
    const response = await call();
    errors.mockRestore();
    expect(response.status).toBe(status);
    expect(response.headers).toEqual({ 'content-type': 'application/json' });
  });

  it.each([
    ['a thrown string', 'boom'],
    ['an error without a code', Object.assign(new Error('x'), { httpStatus: 404 })],
    ['an error with a numeric code', Object.assign(new Error('x'), { httpStatus: 404, code: 404 })],
    ['an object without a message', { code: 'NOT_FOUND', httpStatus: 404 }],
    ['an error whose httpStatus is text', Object.assign(new Error('x'), { httpStatus: '404', code: 'NOT_FOUND' })],
    ['null', null],
    ['undefined', undefined],
  ])('to %s are a bare 500', async (_name, thrown) => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    fails = { thrown };
    const response = await call();
    errors.mockRestore();
    expect(response).toEqual({
      status: 500,
      headers: { 'content-type': 'application/json' },
      body: { error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side' } },
    });
  });
});
