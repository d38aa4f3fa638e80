/**
 * Regression tests for two defects the reliability suite's fuzzing found in the HTTP glue
 * (test/reliability/hostileInput.rel.test.ts):
 * - a JSON body of `false` or `0` answered 500: serverless-offline hands such a body to the
 *   function already parsed (not as a string), and Buffer.from threw on it;
 * - a request without a usable caller met the route's other middlewares (Idempotency-Key
 *   validation and records) before being refused, and got their 400 instead of a 401.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { httpRoute } from '../src';
import { bearerFor } from './support/bearer';

const event = (body: unknown, { sub }: { sub: unknown } = { sub: 'alice' }) =>
  ({
    version: '2.0',
    routeKey: 'POST /things',
    rawPath: '/things',
    rawQueryString: '',
    // Every request with a body says it is JSON (else 415, see the media type tests).
    headers: { 'content-type': 'application/json', authorization: bearerFor(sub) },
    body,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      authorizer: { jwt: { claims: { sub }, scopes: [] }, principalId: '', integrationLatency: 0 },
    },
  }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

const seen: string[] = [];
const recorder: MiddlewareObj = { before: async () => void seen.push('middleware ran') };
const route = httpRoute(
  { body: z.object({ title: z.string() }).strict() },
  async ({ body }) => ({ statusCode: 201, body }),
  recorder as never,
);
const call = async (e: APIGatewayProxyEventV2WithJWTAuthorizer) => {
  const result = (await route(e, {} as Context)) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode, code: JSON.parse(result.body ?? 'null')?.error?.code };
};

beforeEach(() => (seen.length = 0));

describe('httpRoute, hardened', () => {
  // Found by the fuzzing: a `null` body (4 bytes) reached the function as null, was taken for no
  // body, and skipped the media type check: 400 where API Gateway's "null" text gets 415.
  it('reads a null body the gateway passed already parsed as a body: its media type is checked, then the JSON', async () => {
    const nullBody = (contentType: string) =>
      ({
        ...event(null),
        headers: { 'content-type': contentType, 'content-length': '4', authorization: bearerFor('alice') },
      }) as APIGatewayProxyEventV2WithJWTAuthorizer;
    expect(await call(nullBody('application/json; charset=latin1'))).toEqual({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
    expect(await call(nullBody('application/json'))).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
    // Sent chunked (no length): still a body.
    const chunked = {
      ...event(null),
      headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked', authorization: bearerFor('alice') },
    } as APIGatewayProxyEventV2WithJWTAuthorizer;
    expect(await call(chunked)).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    // No declared length: no body, as before.
    expect(await call(event(null))).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
  });

  it.each([false, 0, true, 42])(
    'answers a body the gateway passed already parsed (%p) as the JSON it was: 400, not 500',
    async (body) => {
      expect(await call(event(body))).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
    },
  );

  it('still reads an object body the gateway passed already parsed', async () => {
    expect(await call(event({ title: 'x' }))).toEqual({ status: 201, code: undefined });
  });

  // `ab\xff\xfe\xc3cd` was stored as `ab\uFFFD\uFFFD\uFFFDcd` (201): the body was decoded leniently.
  it('refuses a body that is not UTF-8 (400 MALFORMED_JSON): raw bytes, or the U+FFFD a gateway put in their place', async () => {
    const bytes = Buffer.concat([Buffer.from('{"title":"ab'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('cd"}')]);
    const base64 = {
      ...event(bytes.toString('base64')),
      isBase64Encoded: true,
    } as APIGatewayProxyEventV2WithJWTAuthorizer;
    expect(await call(base64)).toEqual({ status: 400, code: 'MALFORMED_JSON' });
    // As API Gateway and serverless-offline pass it: a string, the bytes already replaced.
    expect(await call(event(bytes.toString('utf8')))).toEqual({ status: 400, code: 'MALFORMED_JSON' });
    // An overlong encoding and a lone surrogate encoded in UTF-8 are not UTF-8 either.
    for (const bad of [
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
    ]) {
      const body = Buffer.concat([Buffer.from('{"title":"'), Buffer.from(bad), Buffer.from('"}')]).toString('base64');
      expect(await call({ ...event(body), isBase64Encoded: true } as APIGatewayProxyEventV2WithJWTAuthorizer)).toEqual({
        status: 400,
        code: 'MALFORMED_JSON',
      });
    }
    const result = (await route(event(bytes.toString('utf8')), {} as Context)) as APIGatewayProxyStructuredResultV2;
    expect(JSON.parse(result.body ?? '')).toEqual({
      error: { code: 'MALFORMED_JSON', message: expect.stringContaining('not valid UTF-8') },
    });
  });

  // `\uFEFF{"title":"bom"}` was answered 201: the decoder dropped the byte order mark before JSON.parse saw it.
  it('refuses a body that starts with a byte order mark (400 MALFORMED_JSON), as JSON.parse does', async () => {
    const text = '\ufeff{"title":"bom"}';
    expect(await call(event(text))).toEqual({ status: 400, code: 'MALFORMED_JSON' });
    const base64 = Buffer.from(text).toString('base64');
    expect(await call({ ...event(base64), isBase64Encoded: true } as APIGatewayProxyEventV2WithJWTAuthorizer)).toEqual({
      status: 400,
      code: 'MALFORMED_JSON',
    });
  });

  it('reads valid UTF-8, base64 or not, and U+FFFD sent escaped', async () => {
    const text = '{"title":"caf\u00e9 \u{1F600} ok"}';
    expect(await call(event(text))).toEqual({ status: 201, code: undefined });
    expect(
      await call({
        ...event(Buffer.from(text).toString('base64')),
        isBase64Encoded: true,
      } as APIGatewayProxyEventV2WithJWTAuthorizer),
    ).toEqual({ status: 201, code: undefined });
    expect(await call(event('{"title":"\\ufffd \\ud83d\\ude00"}'))).toEqual({ status: 201, code: undefined });
  });

  it("refuses a request without a usable caller (401) before the route's other middlewares run", async () => {
    for (const sub of [undefined, '', 'x'.repeat(300)]) {
      expect(await call(event('{"title":"x"}', { sub }))).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    }
    expect(seen).toEqual([]);
    await call(event('{"title":"x"}'));
    expect(seen).toEqual(['middleware ran']);
  });
});
