/**
 * How a route reads a request: the bearer token however it is spelled, a body only where one
 * was sent, errors that name the part of the request and the field at fault, a correlation id
 * for every request, and the metrics a request counted published with its answer.
 */
import { z } from 'zod';
import { httpRoute, type RouteRequest } from '../src';
import { count, logger, metrics } from '../src/observability';
import { apiEvent, callRoute } from './support/apiEvent';
import { bearerFor } from './support/bearer';

const seen: RouteRequest<object>[] = [];
const bodiless = httpRoute({}, async (request) => {
  seen.push(request);
  return { statusCode: 200, body: { userId: request.userId } };
});
beforeEach(() => (seen.length = 0));

describe('the bearer token', () => {
  const token = bearerFor('alice').replace(/^Bearer /, '');

  it.each([
    ['bearer (lower case)', `bearer ${token}`],
    ['BEARER and several spaces', `BEARER   ${token}`],
    ['surrounding spaces', `  Bearer ${token}  `],
    ['no scheme at all', token],
  ])('is read when written with %s', async (_name, authorization) => {
    expect(await callRoute(bodiless, apiEvent({ headers: { authorization } }))).toMatchObject({
      status: 200,
      body: { userId: 'alice' },
    });
  });

  it.each([
    ['a token without a payload part', 'Bearer abc'],
    ['a payload that is JSON null', `Bearer x.${Buffer.from('null').toString('base64url')}.y`],
    ['a payload that is not JSON', `Bearer x.${Buffer.from('{sub').toString('base64url')}.y`],
    ['a payload without sub', `Bearer x.${Buffer.from('{"iss":"i"}').toString('base64url')}.y`],
  ])('refuses %s with 401', async (_name, authorization) => {
    expect(await callRoute(bodiless, apiEvent({ headers: { authorization } }))).toMatchObject({
      status: 401,
      body: { error: { code: 'UNAUTHORIZED' } },
    });
    expect(seen).toEqual([]);
  });
});

describe('the body', () => {
  it.each([
    ['no body', undefined],
    ['an empty body', ''],
    ['a null body with no declared length', null],
  ])('is absent with %s: a route without a body schema needs no content type', async (_name, body) => {
    const event = apiEvent({ body: body as string });
    expect((await callRoute(bodiless, event)).status).toBe(200);
  });

  it('is present when a length is declared, even a null one: its media type is checked', async () => {
    const event = apiEvent({ body: null as unknown as string, headers: { 'content-length': '4' } });
    expect(await callRoute(bodiless, event)).toMatchObject({
      status: 415,
      body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } },
    });
  });

  it('is absent with a declared length of 0', async () => {
    const event = apiEvent({ body: null as unknown as string, headers: { 'content-length': '0' } });
    expect((await callRoute(bodiless, event)).status).toBe(200);
  });
});

describe('validation errors', () => {
  const strict = httpRoute(
    {
      body: z.object({ items: z.array(z.object({ title: z.string() })) }).strict(),
      params: z.object({ id: z.string().regex(/^[a-z]+$/) }),
      query: z.object({ n: z.string().optional() }).strict(),
    },
    async () => ({ statusCode: 200, body: {} }),
  );
  const json = { 'content-type': 'application/json' };

  it('name the part of the request at fault', async () => {
    const ok = {
      body: '{"items":[]}',
      pathParameters: { id: 'abc' },
      queryStringParameters: { n: '1' },
      headers: json,
    };
    const answers = await Promise.all([
      callRoute(strict, apiEvent({ ...ok, body: '{"items":1}' })),
      callRoute(strict, apiEvent({ ...ok, pathParameters: { id: 'ABC' } })),
      callRoute(strict, apiEvent({ ...ok, queryStringParameters: { m: '1' } })),
      callRoute(strict, apiEvent({ ...ok, pathParameters: undefined })),
    ]);
    expect(answers.map((a) => [a.status, (a.body as { error: { message: string } }).error.message])).toEqual([
      [400, 'The request body is not valid'],
      [400, 'The request path is not valid'],
      [400, 'The request query is not valid'],
      [400, 'The request path is not valid'],
    ]);
  });

  it('name a nested field by its dotted path', async () => {
    const answer = await callRoute(
      strict,
      apiEvent({ body: '{"items":[{"title":"a"},{"title":2}]}', pathParameters: { id: 'abc' }, headers: json }),
    );
    expect(answer.body).toMatchObject({ error: { code: 'VALIDATION_ERROR', details: [{ path: 'items.1.title' }] } });
  });

  it('read a request without query parameters as an empty query', async () => {
    const answer = await callRoute(
      strict,
      apiEvent({ body: '{"items":[]}', pathParameters: { id: 'abc' }, headers: json }),
    );
    expect(answer.status).toBe(200);
  });
});

describe('every request', () => {
  it('has a correlation id: a fresh UUID when the gateway sent no request id', async () => {
    await callRoute(bodiless, apiEvent({ requestContext: { ...apiEvent().requestContext, requestId: '' } }));
    expect(seen[0]?.correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('logs with its own keys: none left over from an earlier request to the same container', async () => {
    const keyed = httpRoute({}, async () => {
      logger.appendKeys({ listId: 'from-the-first-request' });
      return { statusCode: 200, body: {} };
    });
    const failing = httpRoute({}, async () => {
      throw new Error('boom');
    });
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await callRoute(keyed, apiEvent({ headers: { 'x-correlation-id': 'first' } }));
      await callRoute(failing, apiEvent({ headers: { 'x-correlation-id': 'second' } }));
      const lines = errors.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ message: 'Unhandled error', correlationId: 'second' });
      expect(lines[0]).not.toHaveProperty('listId');
    } finally {
      errors.mockRestore();
    }
  });

  it('publishes what it counted, whether it answered or failed', async () => {
    const publish = jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
    const counting = httpRoute({}, async () => {
      count('CommandAccepted');
      return { statusCode: 200, body: {} };
    });
    const failing = httpRoute({}, async () => {
      count('CommandRejected');
      throw new Error('boom');
    });
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await callRoute(counting, apiEvent());
      expect(publish).toHaveBeenCalledTimes(1);
      await callRoute(failing, apiEvent());
      expect(publish).toHaveBeenCalledTimes(2);
    } finally {
      publish.mockRestore();
      errors.mockRestore();
    }
  });
});
