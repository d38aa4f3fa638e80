/**
 * Regression tests for two defects of the local stack that the reliability suite found
 * (test/reliability/load.rel.test.ts and concurrency.rel.test.ts):
 * - 50 requests at once on a fresh stack started 50 serverless-offline worker threads, each
 *   loading its bundle and the AWS SDK: on two cores that took over 10 s, the Lambdas timed
 *   out, and the timeouts were answered 200 with serverless-offline's stack trace;
 * - the stack ran its handlers from the checkout's `.esbuild/`, which `serverless package`
 *   (npm test's template test, `npm run package`) deletes when done: every handler not yet
 *   loaded then failed with "Cannot find module", again answered 200 with a stack trace.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { apiClient } from './support/apiClient';
import { startLocalStack, type LocalStack } from './support/localStack';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { localToken } = require('../src/local/token.cjs') as { localToken: (sub: string) => string };

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
}, 180_000);
afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe('the local stack (npm start)', () => {
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
      [path.join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js'), 'package', '--stage', 'dev', '--package', mkdtempSync(path.join(tmpdir(), 'sls-package-dev-'))],
      { cwd: ROOT, env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' } },
    );
    // createList has not run yet on this stack: its bundle is loaded now, after the packaging.
    const created = await apiClient(stack.baseUrl).post('/lists', localToken('after-package'), { title: 'still here' });
    expect({ status: created.status, version: created.body?.version }).toEqual({ status: 201, version: 1 });
  }, 180_000);
});
