import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const { freePort, portIsFree } = require('../../src/local/dynamodbLocal.cjs') as {
  freePort: () => Promise<number>;
  portIsFree: (port: number) => Promise<boolean>;
};

/** How long DynamoDB Local outlives the app in a crash (see `kill`). */
const DATABASE_GRACE_MS = 250;

/** The processes of a process group, by pid and command name. */
const processGroup = (pgid: number): { pid: number; command: string }[] =>
  execFileSync('ps', ['-e', '-o', 'pid=,pgid=,comm='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, group]) => Number(group) === pgid)
    .map(([pid, , command]) => ({ pid: Number(pid), command: command ?? '' }));

const signal = (pid: number, name: NodeJS.Signals) => {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
};

export interface LocalStack {
  readonly baseUrl: string;
  /** The local console (src/local/console), e.g. http://127.0.0.1:3001/. */
  readonly consoleUrl: string;
  readonly dynamoDbEndpoint: string;
  readonly dataDir: string;
  /** Everything the stack printed so far. */
  output(): string;
  /** Ctrl-C, as a user would; resolves when the whole tree is gone. */
  stop(): Promise<void>;
  /**
   * A crash: SIGKILL to every process of the app (start script, serverless-offline, the Lambda
   * workers) at once, then, a moment later, to DynamoDB Local; resolves once the ports are free.
   * The moment stands for what AWS gives: a request that reached DynamoDB completes whatever
   * happens to the Lambda that sent it, and an acknowledged TransactWriteItems is durable.
   * DynamoDB Local answers a transaction a few milliseconds before its file holds it (measured
   * with 8 writers: SIGKILL at the answer lost the last acknowledged transaction in 3 runs of 4; 100 ms
   * later, none in 3 runs).
   */
  kill(): Promise<void>;
}

export interface StartOptions {
  readonly dataDir?: string;
  /** The console gets a free port of its own unless `console` is given. */
  readonly ports?: { http: number; dynamo: number; lambda: number; console?: number };
  /** Extra environment for the stack (after the defaults, so it can override LOG_LEVEL). */
  readonly env?: Record<string, string>;
}

/** Starts the local stack exactly as `npm start` does (src/local/start.cjs), on free ports. */
export const startLocalStack = async (
  options: StartOptions = {},
): Promise<LocalStack & { ports: { http: number; dynamo: number; lambda: number; console: number } }> => {
  const given = options.ports ?? { http: await freePort(), dynamo: await freePort(), lambda: await freePort() };
  // Never the default 3001: stacks of parallel test files would all want it.
  const ports = { ...given, console: given.console ?? (await freePort()) };
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'todo-cqrs-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(__dirname, '..', '..', 'src', 'local', 'start.cjs'),
      '--port',
      String(ports.http),
      '--dynamodb-port',
      String(ports.dynamo),
      '--lambda-port',
      String(ports.lambda),
      '--data-dir',
      dataDir,
      '--console-port',
      String(ports.console),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, LOG_LEVEL: 'INFO', ...options.env } },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 150_000;
  while (!output.includes('Ready: http://')) {
    if (child.exitCode !== null) throw new Error(`The local stack exited at start:\n${output}`);
    if (Date.now() > deadline) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`The local stack did not get ready in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const portsFreed = async () => {
    const deadline = Date.now() + 30_000;
    for (const port of [ports.http, ports.dynamo, ports.lambda, ports.console]) {
      while (!(await portIsFree(port))) {
        if (Date.now() > deadline) throw new Error(`Port ${port} still taken 30 s after the stack stopped`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  return {
    ports,
    baseUrl: `http://127.0.0.1:${ports.http}`,
    consoleUrl: `http://127.0.0.1:${ports.console}/`,
    dynamoDbEndpoint: `http://127.0.0.1:${ports.dynamo}`,
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGINT');
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 15_000);
      await exited;
      clearTimeout(timer);
      // The start script can exit before serverless-offline lets go of its ports: a restart on
      // the same ports must not race it.
      await portsFreed();
    },
    async kill() {
      const group = processGroup(child.pid!);
      for (const { pid } of group.filter((p) => p.command !== 'java')) signal(pid, 'SIGKILL');
      await exited;
      await new Promise((r) => setTimeout(r, DATABASE_GRACE_MS));
      signal(-child.pid!, 'SIGKILL');
      // The group's other processes (Java) die on their own schedule: wait for the ports.
      await portsFreed();
    },
  };
};
