/**
 * Regression tests for two defects the reliability suite found in how a route learns its
 * caller (test/reliability/hostileInput.rel.test.ts and isolation.rel.test.ts):
 * - a `sub` over 2 KB was accepted, committed, and then failed every projection forever;
 * - claims that did not come from the request's own bearer token (serverless-offline's
 *   `sls-offline-authorizer-override` header, or an event sent to its Lambda invoke port with
 *   claims and no token) made the caller whoever they named.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { MAX_CALLER_ID_LENGTH, httpRoute } from '../src';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const tokenFor = (sub: unknown) =>
  `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, iss: 'issuer', aud: 'audience' })}.c2lnbmF0dXJl`;

const event = ({ claimsSub, authorization }: { claimsSub: unknown; authorization?: string }) =>
  ({
    version: '2.0',
    routeKey: 'GET /me',
    rawPath: '/me',
    rawQueryString: '',
    headers: authorization === undefined ? {} : { authorization },
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      authorizer: { jwt: { claims: { sub: claimsSub }, scopes: [] }, principalId: '', integrationLatency: 0 },
    },
  }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

const route = httpRoute({}, async ({ userId }) => ({ statusCode: 200, body: { userId } }));
const call = async (e: APIGatewayProxyEventV2WithJWTAuthorizer) => {
  const result = (await route(e, {} as Context)) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode, body: JSON.parse(result.body ?? 'null') };
};

describe('the caller of a route', () => {
  it('is the sub of the bearer token the request carries', async () => {
    expect(await call(event({ claimsSub: 'alice', authorization: `Bearer ${tokenFor('alice')}` }))).toEqual({
      status: 200,
      body: { userId: 'alice' },
    });
    // API Gateway also accepts the token without the scheme.
    expect(await call(event({ claimsSub: 'alice', authorization: tokenFor('alice') }))).toEqual({
      status: 200,
      body: { userId: 'alice' },
    });
  });

  it('is refused (401) when the claims name someone other than the bearer token does', async () => {
    const response = await call(event({ claimsSub: 'bob', authorization: `Bearer ${tokenFor('alice')}` }));
    expect(response).toEqual({ status: 401, body: { error: { code: 'UNAUTHORIZED', message: expect.any(String) } } });
    expect((await call(event({ claimsSub: 'bob', authorization: `Bearer ${tokenFor({ id: 'bob' })}` }))).status).toBe(
      401,
    );
  });

  it('is refused (401) when the claims come without the bearer token they were read from (a hand-made event on the Lambda invoke port)', async () => {
    expect(await call(event({ claimsSub: 'alice' }))).toEqual({
      status: 401,
      body: { error: { code: 'UNAUTHORIZED', message: expect.any(String) } },
    });
    expect((await call(event({ claimsSub: 'alice', authorization: 'Bearer not-a-jwt' }))).status).toBe(401);
  });

  it(`is refused (401) with a sub over ${MAX_CALLER_ID_LENGTH} characters, and accepted at exactly that length`, async () => {
    const longest = 'u'.repeat(MAX_CALLER_ID_LENGTH);
    expect(await call(event({ claimsSub: longest, authorization: `Bearer ${tokenFor(longest)}` }))).toEqual({
      status: 200,
      body: { userId: longest },
    });
    const tooLong = `${longest}u`;
    expect((await call(event({ claimsSub: tooLong, authorization: `Bearer ${tokenFor(tooLong)}` }))).status).toBe(401);
    expect((await call(event({ claimsSub: 'x'.repeat(3000) }))).status).toBe(401);
  });

  it('is refused (401) when the token names its sub as neither text nor a number, even one that reads as the claims’ sub', async () => {
    // A JWT `sub` is a string; a numeric one is read as its text (see httpAnswers). A list is neither.
    expect((await call(event({ claimsSub: 'alice', authorization: `Bearer ${tokenFor(['alice'])}` }))).status).toBe(
      401,
    );
  });

  it.each([
    ['no headers at all', { headers: undefined }],
    ['no request context', { requestContext: undefined }],
    ['no authorizer', { requestContext: { requestId: 'req-1' } }],
    ['an authorizer without a JWT', { requestContext: { requestId: 'req-1', authorizer: {} } }],
    ['a JWT without claims', { requestContext: { requestId: 'req-1', authorizer: { jwt: { scopes: [] } } } }],
  ])('is refused (401, not a crash) for a hand-made event with %s', async (_name, change) => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const base = event({ claimsSub: 'alice', authorization: `Bearer ${tokenFor('alice')}` });
    const response = await call({ ...base, ...change } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer);
    errors.mockRestore();
    expect(response).toEqual({ status: 401, body: { error: { code: 'UNAUTHORIZED', message: expect.any(String) } } });
  });
});
