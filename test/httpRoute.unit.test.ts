import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { z } from 'zod';
import { HttpError, MAX_BODY_BYTES, httpRoute } from '../src';
import { bearerFor } from './support/bearer';

const event = (overrides: Partial<APIGatewayProxyEventV2WithJWTAuthorizer> & { sub?: string | null } = {}) => {
  const { sub = 'alice', ...rest } = overrides;
  return {
    version: '2.0',
    routeKey: 'POST /things/{id}',
    rawPath: '/things/1',
    rawQueryString: '',
    // Every request with a body says it is JSON (else 415, see the media type tests).
    headers: { 'content-type': 'application/json', ...(sub === null ? {} : { authorization: bearerFor(sub) }) },
    isBase64Encoded: false,
    pathParameters: { id: 'abc' },
    requestContext: {
      requestId: 'req-1',
      authorizer:
        sub === null ? undefined : { jwt: { claims: { sub }, scopes: [] }, principalId: '', integrationLatency: 0 },
    },
    ...rest,
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
};

const seen: unknown[] = [];
const route = httpRoute(
  {
    body: z.object({ title: z.string().min(1) }).strict(),
    params: z.object({ id: z.string().regex(/^[a-z]+$/) }),
    query: z.object({ n: z.coerce.number().int().optional() }).strict(),
  },
  async (request) => {
    seen.push(request);
    if (request.body.title === 'boom') throw new Error('secret internal detail at /var/task/handler.js');
    if (request.body.title === 'teapot') throw new HttpError(418, 'TEAPOT', 'I am a teapot', { why: 'tea' });
    return {
      statusCode: 201,
      body: { ok: true, user: request.userId, id: request.params.id, n: request.query.n ?? null },
    };
  },
);
const invoke = async (e: APIGatewayProxyEventV2WithJWTAuthorizer) => {
  const result = (await route(e, {} as Context)) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode, body: JSON.parse(result.body ?? 'null'), headers: result.headers };
};

describe('httpRoute', () => {
  beforeEach(() => (seen.length = 0));

  it('passes validated input and the caller to the route and answers JSON', async () => {
    const response = await invoke(event({ body: '{"title":"hi"}', queryStringParameters: { n: '3' } }));
    expect(response).toEqual({
      status: 201,
      body: { ok: true, user: 'alice', id: 'abc', n: 3 },
      headers: { 'content-type': 'application/json' },
    });
    expect(seen[0]).toMatchObject({ correlationId: 'req-1' });
  });

  it('takes the correlation id from x-correlation-id when the client sends one', async () => {
    await invoke(
      event({
        body: '{"title":"hi"}',
        headers: {
          'content-type': 'application/json',
          authorization: bearerFor('alice'),
          'x-correlation-id': 'abc-123',
        },
      }),
    );
    expect(seen[0]).toMatchObject({ correlationId: 'abc-123' });
  });

  it('reads a base64-encoded body', async () => {
    const response = await invoke(
      event({ body: Buffer.from('{"title":"b64"}').toString('base64'), isBase64Encoded: true }),
    );
    expect(response.status).toBe(201);
  });

  it.each([
    ['malformed JSON', '{"title"', 400, 'MALFORMED_JSON'],
    ['an array', '["title"]', 400, 'VALIDATION_ERROR'],
    ['a wrong type', '{"title":1}', 400, 'VALIDATION_ERROR'],
    ['an unknown field', '{"title":"x","extra":true}', 400, 'VALIDATION_ERROR'],
    ['no body', undefined, 400, 'VALIDATION_ERROR'],
    [
      'a body one byte over the cap',
      JSON.stringify({ title: 'x'.repeat(MAX_BODY_BYTES - 11) }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ])('answers %s with %i %s and never calls the route', async (_name, body, status, code) => {
    const response = await invoke(event({ body }));
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(seen).toHaveLength(0);
  });

  it('accepts a body exactly at the cap', async () => {
    const body = JSON.stringify({ title: 'x'.repeat(MAX_BODY_BYTES - 12) });
    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
    expect((await invoke(event({ body }))).status).toBe(201);
  });

  it('names the offending fields in details', async () => {
    const response = await invoke(event({ body: '{"title":"x","extra":1,"more":2}' }));
    expect(response.body.error.details).toEqual([{ path: 'extra, more', message: expect.stringContaining('extra') }]);
  });

  it('validates path and query parameters', async () => {
    expect((await invoke(event({ body: '{"title":"x"}', pathParameters: { id: 'ABC' } }))).body.error.code).toBe(
      'VALIDATION_ERROR',
    );
    expect((await invoke(event({ body: '{"title":"x"}', queryStringParameters: { n: 'two' } }))).status).toBe(400);
    expect((await invoke(event({ body: '{"title":"x"}', queryStringParameters: { other: '1' } }))).status).toBe(400);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['no content type', undefined],
    ['form data', 'application/x-www-form-urlencoded'],
    ['JSON in another charset', 'application/json; charset=iso-8859-1'],
    ['a type that only starts like JSON', 'application/jsonx'],
    ['a type that only ends like JSON', 'x-application/json'],
    ['JSON in another charset, with spaces around =', 'application/json; charset = iso-8859-1'],
  ])(
    'answers a body sent as %s with 415 UNSUPPORTED_MEDIA_TYPE and never calls the route',
    async (_name, contentType) => {
      const response = await invoke(
        event({
          body: '{"title":"hi"}',
          headers: {
            authorization: bearerFor('alice'),
            ...(contentType === undefined ? {} : { 'content-type': contentType }),
          },
        }),
      );
      expect(response).toMatchObject({
        status: 415,
        body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('application/json') } },
      });
      expect(seen).toHaveLength(0);
    },
  );

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;charset="UTF-8"',
    'application/merge-patch+json',
    'application/vnd.api+json; charset=utf-8',
    'application/json; charset=utf8',
    'application/json ; charset=utf-8',
    'application/json; version=2',
  ])('reads a body sent as %s', async (contentType) => {
    expect(
      (
        await invoke(
          event({
            body: '{"title":"hi"}',
            headers: { authorization: bearerFor('alice'), 'content-type': contentType },
          }),
        )
      ).status,
    ).toBe(201);
  });

  it('needs no content type on a request without a body', async () => {
    const bodiless = httpRoute({}, async ({ userId }) => ({ statusCode: 200, body: { userId } }));
    for (const body of [undefined, '']) {
      const result = (await bodiless(
        event({ body, headers: { authorization: bearerFor('alice') } }),
        {} as Context,
      )) as APIGatewayProxyStructuredResultV2;
      expect(result.statusCode).toBe(200);
    }
  });

  it('answers 401 when no caller reached the handler', async () => {
    const response = await invoke(event({ body: '{"title":"x"}', sub: null }));
    expect(response).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
  });

  it('maps errors that carry an HTTP meaning to their status and body', async () => {
    const response = await invoke(event({ body: '{"title":"teapot"}' }));
    expect(response).toMatchObject({
      status: 418,
      body: { error: { code: 'TEAPOT', message: 'I am a teapot', details: { why: 'tea' } } },
    });
  });

  it('answers an unexpected error with a bare 500 that leaks nothing, and logs it', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await invoke(event({ body: '{"title":"boom"}' }));
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('secret internal detail'));
    errors.mockRestore();
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side' } });
  });
});
