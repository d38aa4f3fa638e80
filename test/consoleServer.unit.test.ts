/**
 * The local console's server without a stack: its token endpoint, the /api passage, the
 * guards that keep it local (Host header, JSON-only POSTs), and how it reads the stream
 * runner's dead-letter and checkpoint files.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { app } from '../handlers/app';
import {
  parseDeadLetter,
  readCheckpoints,
  readDeadLetters,
  startConsoleServer,
  type ConsoleServer,
} from '../src/local/console/server';
import { appMetadataOf, type AppMetadata } from '../src/local/console/appMetadata';

const { freePort } = require('../src/local/dynamodbLocal.cjs') as { freePort: () => Promise<number> };

const dataDir = mkdtempSync(path.join(tmpdir(), 'console-unit-'));
const staticDir = mkdtempSync(path.join(tmpdir(), 'console-static-'));
writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>console</title>');
let api: http.Server;
let server: ConsoleServer;
let base: string;
const seen: { method?: string; url?: string; authorization?: string; host?: string }[] = [];

beforeAll(async () => {
  // Stands in for serverless-offline: echoes what it received.
  api = http.createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization, host: req.headers.host });
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ listId: 'l1', version: 1 }));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  const port = await freePort();
  server = await startConsoleServer({
    port,
    apiPort: (api.address() as AddressInfo).port,
    dynamoDbEndpoint: 'http://127.0.0.1:1',
    dataDir,
    staticDir,
    app,
  });
  base = server.url;
});
afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => api?.close(resolve));
});

const post = (url: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(new URL(url, base), { method: 'POST', headers, body: JSON.stringify(body) });

describe('the console server', () => {
  it('mints a local token for a valid user name and refuses others', async () => {
    const answer = await post('/console/token', { user: 'alice' });
    const { user, token } = (await answer.json()) as { user: string; token: string };
    expect(user).toBe('alice');
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ sub: 'alice', iss: 'urn:todo-cqrs:local-issuer', aud: 'todo-cqrs-local' });
    expect((await post('/console/token', { user: 'not a name' })).status).toBe(400);
  });

  it('passes /api/* to the API unchanged but for the prefix', async () => {
    const answer = await post(
      '/api/lists?x=1',
      { title: 'A' },
      { 'content-type': 'application/json', authorization: 'Bearer t' },
    );
    expect(answer.status).toBe(201);
    expect(await answer.json()).toEqual({ listId: 'l1', version: 1 });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/lists?x=1', authorization: 'Bearer t' });
  });

  it("answers only to this machine's names, and a POST only as JSON", async () => {
    const port = new URL(base).port;
    const status = await new Promise<number>((resolve) => {
      http
        .get({ host: '127.0.0.1', port, path: '/', headers: { host: `evil.example:${port}` } }, (res) =>
          resolve(res.statusCode ?? 0),
        )
        .end();
    });
    expect(status).toBe(403);
    expect((await post('/console/token', { user: 'alice' }, { 'content-type': 'text/plain' })).status).toBe(415);
  });

  // `GET /%E0%A4%A` answered 500 naming URIError: the static path was decoded unguarded.
  it("says in words why an operation failed, the SDK's own text kept in the details", async () => {
    // Nothing listens on DynamoDB's port here: the rebuild cannot reach it.
    const answer = await post('/console/rebuild', { view: 'lists' });
    expect(answer.status).toBe(503);
    const { error } = (await answer.json()) as { error: { code: string; message: string; details?: unknown } };
    expect(error.code).toBe('DYNAMODB_UNREACHABLE');
    expect(error.message).toBe(
      'DynamoDB at http://127.0.0.1:1 does not answer: is the local stack running (npm start)?',
    );
    expect(error.details).toEqual({ cause: expect.stringMatching(/ECONNREFUSED|connect/) });
  }, 30_000);

  it('answers a malformed request target 400 in the JSON error shape, never 500', async () => {
    const port = Number(new URL(base).port);
    const rawGet = (target: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () =>
          socket.write(`GET ${target} HTTP/1.0\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`),
        );
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString('latin1')));
        socket.on('error', reject);
        socket.on('end', () =>
          resolve({ status: Number(text.split(' ')[1]), body: text.slice(text.indexOf('\r\n\r\n') + 4) }),
        );
      });
    for (const target of [
      '/%E0%A4%A',
      '/%',
      '/assets/%ZZ.js',
      '/%C0%AF',
      '/%ED%A0%80',
      '//[',
      '/api/%',
      '/console/%E0',
    ]) {
      const answer = await rawGet(target);
      expect({ target, status: answer.status }).toEqual({ target, status: expect.any(Number) });
      expect({ target, status: answer.status < 500 }).toEqual({ target, status: true });
      if (answer.status === 400)
        expect(JSON.parse(answer.body)).toEqual({ error: { code: 'BAD_REQUEST', message: expect.any(String) } });
    }
    expect((await rawGet('/%E0%A4%A')).status).toBe(400);
    // Passed to the API as they are: the API answers them.
    expect(await rawGet('/api/lists%20x?q=%')).toMatchObject({ status: 201, body: '{"listId":"l1","version":1}' });
    // A well-formed escape still finds its file (or the page).
    expect((await rawGet('/%69ndex.html')).status).toBe(200);
  });

  it('serves the built page for any path, gzipped when asked, with a same-origin-only policy', async () => {
    const answer = await fetch(new URL('/some/route', base), { headers: { 'accept-encoding': 'gzip' } });
    expect(await answer.text()).toContain('<title>console</title>');
    expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});

describe('the console renders any app from its declaration', () => {
  it('GET /console/app describes every command and query of the app, with path parameters and body schemas', async () => {
    const answer = await fetch(new URL('/console/app', base));
    expect(answer.status).toBe(200);
    const metadata = (await answer.json()) as AppMetadata;
    const declared = [...Object.keys(app.commands), ...Object.keys(app.queries)].sort();
    expect(metadata.operations.map((o) => o.name).sort()).toEqual(declared);
    for (const operation of metadata.operations) {
      const route = (app.commands[operation.name] ?? app.queries[operation.name])!.route;
      expect({ name: operation.name, method: operation.method, path: operation.path }).toEqual({
        name: operation.name,
        method: route.method,
        path: route.path,
      });
      expect(operation.pathParams).toEqual([...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]));
      expect(operation.destructive).toBe(route.method === 'DELETE');
    }
    // A body's schema is inline (no $ref left), so the page can build a form from it.
    const withBody = metadata.operations.filter((o) => o.body);
    expect(withBody.length).toBeGreaterThan(0);
    for (const o of withBody) expect(JSON.stringify(o.body)).not.toContain('$ref');
    expect(metadata.aggregates.map((a) => a.streamType)).toEqual(app.aggregates.map((a) => a.streamType));
    expect(metadata.views.map((v) => v.name)).toEqual(app.views.map((v) => v.name));
    // Each history is a query answering events, and its state query takes atVersion.
    expect(metadata.histories.length).toBeGreaterThan(0);
    for (const h of metadata.histories) {
      const state = metadata.operations.find((o) => o.name === h.state);
      expect(state?.queryParams.map((p) => p.name)).toContain('atVersion');
    }
  });

  it('a new command appears in the metadata with no console code', () => {
    const [name, command] = Object.entries(app.commands)[0]!;
    const extended = {
      ...app,
      commands: {
        ...app.commands,
        [`${name}Again`]: { ...command, route: { ...command.route, path: `${command.route.path}/again/{againId}` } },
      },
    };
    const operation = appMetadataOf(extended).operations.find((o) => o.name === `${name}Again`);
    expect(operation?.pathParams.at(-1)).toBe('againId');
    expect(operation?.kind).toBe('command');
  });

  it("the console's pages name no app: no route, field or word of the reference app", () => {
    const dir = path.join(__dirname, '..', 'src', 'local', 'console', 'app', 'src');
    const found = readdirSync(dir).flatMap((file) =>
      readFileSync(path.join(dir, file), 'utf8')
        .split('\n')
        .map((line, i) => ({ where: `${file}:${i + 1}`, line }))
        .filter(({ line }) => /\/lists\b|\/tags\b|todo|listId|tagId|\btags?\b/i.test(line)),
    );
    expect(found).toEqual([]);
  });
});

describe("the stream runner's files", () => {
  it('reads dead letters with their stream, version and event types; an unreadable line is shown', () => {
    mkdirSync(path.join(dataDir, 'dead-letters'), { recursive: true });
    const record = {
      dynamodb: {
        SequenceNumber: '42',
        NewImage: {
          streamId: { S: 's1' },
          version: { N: '3' },
          events: { S: JSON.stringify([{ type: 'TodoAdded' }, { type: 'TodoCompleted' }]) },
        },
      },
    };
    writeFileSync(
      path.join(dataDir, 'dead-letters', 'listsView.jsonl'),
      `${JSON.stringify({ at: 't', reason: 'boom', record })}\n{oops\n`,
    );
    expect(readDeadLetters(dataDir)).toEqual([
      {
        functionName: 'listsView',
        view: 'lists',
        at: 't',
        reason: 'boom',
        sequenceNumber: '42',
        streamId: 's1',
        version: 3,
        eventTypes: ['TodoAdded', 'TodoCompleted'],
      },
      { functionName: 'listsView', view: 'lists', at: '', reason: 'unreadable line: {oops', eventTypes: [] },
    ]);
    expect(parseDeadLetter('other', '{}')).toEqual({ functionName: 'other', at: '', reason: '', eventTypes: [] });
  });

  it('reads the checkpoint per projection and shard', () => {
    writeFileSync(
      path.join(dataDir, 'streams-checkpoint.json'),
      JSON.stringify({ 'listsView|arn:stream|shard-1': '000123' }),
    );
    expect(readCheckpoints(dataDir)).toEqual({
      checkpoints: [{ functionName: 'listsView', shardId: 'shard-1', sequenceNumber: '000123' }],
      updatedAt: expect.any(String),
    });
  });
});
