/**
 * The local stack keeps to its callers (src/local/offlineEdge.cjs). Before: from a page on another
 * local origin, Chromium read and wrote alice's data through the API port with a self-made token
 * (any signature, `alg: none` too), since serverless-offline's JWT authorizer only decodes it, and
 * both the API and the Lambda invoke port reflected any Origin in Access-Control-Allow-Origin.
 */
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import { startLocalStack, type LocalStack } from './support/localStack';

const { localToken } = require('../src/local/token.cjs') as {
  localToken: (sub: string, overrides?: Record<string, unknown>, options?: Record<string, unknown>) => string;
};

let stack: LocalStack & { ports: { http: number; lambda: number; console: number } };

beforeAll(async () => {
  stack = await startLocalStack();
}, 180_000);
afterAll(() => stack?.stop(), 60_000);

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: any;
}

/** A request with exactly these headers (fetch would not send a Host or Origin of our choosing). */
const send = (port: number, method: string, path: string, headers: Record<string, string>, body?: Buffer | string) =>
  new Promise<Answer>((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: kept as text
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: parsed });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });

const api = (
  method: string,
  path: string,
  token: string | undefined,
  headers: Record<string, string> = {},
  body?: Buffer | string,
) =>
  send(
    stack.ports.http,
    method,
    path,
    {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body,
  );

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = (sub: string) => ({
  iss: 'urn:todo-cqrs:local-issuer',
  aud: 'todo-cqrs-local',
  sub,
  exp: Math.floor(Date.now() / 1000) + 600,
});
const titlesOf = async (token: string) =>
  ((await api('GET', '/lists', token)).body.items as { title: string }[]).map((l) => l.title).sort();
/** The caller's list titles once the lists view shows `expected` (it follows the commits within ms). */
const eventuallyTitles = async (token: string, expected: string[]) => {
  for (let i = 0; i < 50 && JSON.stringify(await titlesOf(token)) !== JSON.stringify(expected); i += 1)
    await new Promise((r) => setTimeout(r, 100));
  return titlesOf(token);
};

describe('the local edge', () => {
  it('accepts only tokens signed by the local issuer: a forged, unsigned (alg none) or foreign-key token is 401 and writes nothing', async () => {
    const alice = localToken('edge-alice');
    expect((await api('POST', '/lists', alice, {}, JSON.stringify({ title: 'mine' }))).status).toBe(201);
    const valid = alice.split('.');
    const forged = [
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims('edge-alice'))}.`,
      localToken('edge-alice', {}, { header: { alg: 'none', typ: 'JWT' } }),
      localToken('edge-alice', {}, { header: { alg: 'HS256', typ: 'JWT' }, secret: 'guessed' }),
      localToken('edge-alice', {}, { privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey }),
      // alice's real signature on other claims.
      `${valid[0]}.${b64(claims('edge-alice'))}.${valid[2]}`,
      `${valid[0]}.${valid[1]}.${valid[2]!.slice(0, -4)}AAAA`,
      `${valid[0]}.${valid[1]}`,
    ];
    for (const token of forged) {
      expect({ token, ...(await api('GET', '/lists', token)) }).toMatchObject({
        token,
        status: 401,
        body: { error: { code: 'UNAUTHORIZED' } },
      });
      expect((await api('POST', '/lists', token, {}, JSON.stringify({ title: 'forged' }))).status).toBe(401);
      // The $default route and GraphQL too.
      expect((await api('GET', '/nowhere', token)).status).toBe(401);
      expect(
        (await api('POST', '/graphql', token, {}, JSON.stringify({ query: '{ lists { items { title } } }' }))).status,
      ).toBe(401);
    }
    expect(await eventuallyTitles(alice, ['mine'])).toEqual(['mine']);
  });

  it("refuses the emulator's authorizer override header, which would replace the claims", async () => {
    const mallory = localToken('edge-mallory');
    const override = JSON.stringify({ jwt: { claims: { sub: 'edge-alice' }, scopes: [] } });
    const answer = await api('GET', '/lists', mallory, { 'sls-offline-authorizer-override': override });
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
  });

  it("lets only the console's origin call the API from a browser, and reflects no other", async () => {
    const token = localToken('edge-origin');
    for (const origin of ['http://127.0.0.1:9', 'http://localhost:5173', 'null', 'http://evil.example']) {
      for (const [method, path, body] of [
        ['GET', '/lists', undefined],
        ['POST', '/lists', JSON.stringify({ title: 'from a page' })],
        ['OPTIONS', '/lists', undefined],
      ] as const) {
        const answer = await api(method, path, token, { origin, 'access-control-request-method': 'POST' }, body);
        expect({
          origin,
          method,
          status: answer.status,
          allowOrigin: answer.headers['access-control-allow-origin'],
        }).toEqual({ origin, method, status: 403, allowOrigin: undefined });
      }
    }
    expect(await titlesOf(token)).toEqual([]);
    const consoleOrigin = stack.consoleUrl.replace(/\/$/, '');
    const allowed = await api(
      'POST',
      '/lists',
      token,
      { origin: consoleOrigin },
      JSON.stringify({ title: 'from the console' }),
    );
    expect({ status: allowed.status, allowOrigin: allowed.headers['access-control-allow-origin'] }).toEqual({
      status: 201,
      allowOrigin: consoleOrigin,
    });
    // curl and other clients send no Origin.
    expect(await eventuallyTitles(token, ['from the console'])).toEqual(['from the console']);
  });

  it('keeps web pages and other host names off the Lambda invoke port, and reflects no origin there', async () => {
    const path = '/2015-03-31/functions/todo-cqrs-local-defaultRoute/invocations';
    const event = JSON.stringify({ rawPath: '/nowhere', requestContext: { http: { method: 'GET' } } });
    for (const origin of ['http://127.0.0.1:9', stack.consoleUrl.replace(/\/$/, '')]) {
      const fromPage = await send(stack.ports.lambda, 'POST', path, { origin, 'content-type': 'text/plain' }, event);
      expect({ origin, status: fromPage.status, allowOrigin: fromPage.headers['access-control-allow-origin'] }).toEqual(
        { origin, status: 403, allowOrigin: undefined },
      );
    }
    const rebound = await send(stack.ports.lambda, 'POST', path, { host: `evil.example:${stack.ports.lambda}` }, event);
    expect(rebound.status).toBe(403);
    // The port still serves a local SDK client (no Origin, a loopback Host).
    const sdk = await send(stack.ports.lambda, 'POST', path, {}, event);
    expect(sdk.status).toBe(200);
    expect(JSON.parse(sdk.body.body ?? sdk.body)).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('refuses a body that is not UTF-8 (400) and stores nothing, as sent through the gateway', async () => {
    const token = localToken('edge-utf8');
    const bytes = Buffer.concat([Buffer.from('{"title":"ab'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('cd"}')]);
    expect(await api('POST', '/lists', token, {}, bytes)).toMatchObject({
      status: 400,
      body: { error: { code: 'MALFORMED_JSON', message: expect.stringContaining('UTF-8') } },
    });
    expect(await titlesOf(token)).toEqual([]);
    expect((await api('POST', '/lists', token, {}, Buffer.from('{"title":"café \\ufffd"}'))).status).toBe(201);
    expect(await eventuallyTitles(token, ['café \ufffd'])).toEqual(['café \ufffd']);
  });
});
