/**
 * Regression tests for two defects of the local stack that the reliability suite found
 * (test/reliability/load.rel.test.ts and concurrency.rel.test.ts):
 * - 50 requests at once on a fresh stack started 50 serverless-offline worker threads, each
 *   loading its bundle and the AWS SDK: on two cores that took over 10 s, the Lambdas timed
 *   out, and the timeouts were answered 200 with serverless-offline's stack trace;
 * - the stack ran its handlers from the checkout's `.esbuild/`, which `serverless package`
 *   (npm test's template test, `npm run package`) deletes when done: every handler not yet
 *   loaded then failed with "Cannot find module", again answered 200 with a stack trace.
 * And one found by reading it as an attacker on the network would (issue 11): DynamoDB Local
 * listened on every interface, so anyone who could reach the machine could read and write the
 * event store.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { apiClient } from './support/apiClient';
import { startLocalStack, type LocalStack } from './support/localStack';

const { localToken } = require('../src/local/token.cjs') as { localToken: (sub: string) => string };

let stack: LocalStack & { ports: { http: number; dynamo: number; lambda: number } };
beforeAll(async () => {
  stack = await startLocalStack();
}, 180_000);
afterAll(async () => {
  await stack?.stop();
}, 60_000);

/** The local addresses listening on `port` (Linux: /proc/net/tcp and tcp6, in their hex form). */
const listeningOn = async (port: number): Promise<string[]> => {
  const addresses: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const table = await readFile(file, 'utf8');
    for (const row of table.split('\n').slice(1)) {
      const [, local = '', , state] = row.trim().split(/\s+/);
      const [address = '', hexPort = ''] = local.split(':');
      // 0A: LISTEN.
      if (state === '0A' && Number.parseInt(hexPort, 16) === port) addresses.push(address);
    }
  }
  return addresses;
};
// 127.0.0.1 (as IPv4, and IPv4-mapped in IPv6) and ::1, as /proc/net writes them.
const LOOPBACK = ['0100007F', '0000000000000000FFFF00000100007F', '00000000000000000000000001000000'];

describe('the local stack (npm start)', () => {
  it('runs on the Node major of the Lambda runtime in serverless.yml', async () => {
    const yaml = await readFile(path.join(__dirname, '..', 'serverless.yml'), 'utf8');
    const major = /^\s*runtime:\s*nodejs(\d+)\.x\s*$/m.exec(yaml)?.[1];
    expect(major).toMatch(/^\d+$/);
    expect(stack.output()).toMatch(new RegExp(`^Local stack on Node v${major}\\.`, 'm'));
  });

  it('listens on loopback only: the HTTP API, the Lambda invoke port and DynamoDB Local', async () => {
    for (const [what, port] of Object.entries(stack.ports)) {
      const addresses = await listeningOn(port);
      expect({
        what,
        listening: addresses.length > 0,
        notLoopback: addresses.filter((a) => !LOOPBACK.includes(a)),
      }).toEqual({ what, listening: true, notLoopback: [] });
    }
  });

  it('answers 50 requests at once on a cold stack, every one of them properly', async () => {
    const api = apiClient(stack.baseUrl);
    const token = localToken('cold-start');
    const answers = await Promise.all(Array.from({ length: 50 }, () => api.get('/stats', token)));
    expect(answers.map((a) => ({ status: a.status, body: a.body }))).toEqual(
      answers.map(() => ({ status: 200, body: { lists: 0, openTodos: 0, completedTodos: 0 } })),
    );
  }, 60_000);

  it('keeps serving while the checkout is packaged (serverless package deletes .esbuild/)', async () => {
    // As npm test's template test does (asynchronously here, so that this process's idle
    // keep-alive connections are still retired on time while it runs).
    const ROOT = path.join(__dirname, '..');
    await promisify(execFile)(
      process.execPath,
      [
        path.join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js'),
        'package',
        '--stage',
        'dev',
        '--package',
        mkdtempSync(path.join(tmpdir(), 'sls-package-dev-')),
      ],
      { cwd: ROOT, env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' } },
    );
    // createList has not run yet on this stack: its bundle is loaded now, after the packaging.
    const created = await apiClient(stack.baseUrl).post('/lists', localToken('after-package'), { title: 'still here' });
    expect({ status: created.status, version: created.body?.version }).toEqual({ status: 201, version: 1 });
  }, 180_000);
});
