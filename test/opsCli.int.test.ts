/**
 * `npm run rebuild|verify` (src/local/ops.cjs) as an operator runs them, against a DynamoDB Local
 * of their own on a free port given the way `npm start` takes it (DYNAMODB_PORT): they act on it
 * (before, they went to port 8000 whatever the port), say so first, and with one user's poisoned
 * streams among healthy ones rebuild every other stream, name the failed ones and exit 1. The
 * console's rebuild answers the same as a result, not a 500 with DynamoDB's error.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { app } from '../handlers/app';
import { dynamoDbDeadLetters, dynamoDbFromEnv } from '../src';
import { viewTableName } from '../src/app/definition';
import { serverlessReactionResources, viewTableId } from '../src/app/serverless';
import { startConsoleServer, type ConsoleServer } from '../src/local/console/server';
import { createTable } from './support/dynamoDb';

const { freePort, startDynamoDbLocal } = require('../src/local/dynamodbLocal.cjs') as {
  freePort: () => Promise<number>;
  startDynamoDbLocal: (o: { port: number }) => Promise<{ endpoint: string; stop: () => Promise<void> }>;
};

const ROOT = path.resolve(__dirname, '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'ops-cli-'));
let dynamo: { endpoint: string; stop: () => Promise<void> };
let port: number;
let clients: ReturnType<typeof dynamoDbFromEnv>;
const table = (suffix: string) => `todo-cqrs-local-${suffix}`;
const alice = { listId: randomUUID(), todoId: randomUUID(), tagId: randomUUID() };
const mallory = { listId: randomUUID(), todoId: randomUUID(), tagId: randomUUID() };

const put = (streamId: string, streamType: string, version: number, events: unknown[]) =>
  clients.client.send(
    new PutItemCommand({
      TableName: table('events'),
      Item: {
        streamId: { S: streamId },
        version: { N: String(version) },
        streamType: { S: streamType },
        commandId: { S: randomUUID() },
        at: { S: `2026-01-01T00:00:0${version}.000Z` },
        events: { S: JSON.stringify(events) },
      },
    }),
  );

/** `npm run <command>` with the environment an operator who ran `DYNAMODB_PORT=<port> npm start` has. */
const npmRun = (command: string, args: string[] = []) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DYNAMODB_PORT: String(port), DATA_DIR: dataDir };
    delete env.DYNAMODB_ENDPOINT;
    execFile(
      process.execPath,
      [path.join(ROOT, 'src', 'local', 'ops.cjs'), command, ...args],
      { cwd: ROOT, env, timeout: 120_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });

beforeAll(async () => {
  port = await freePort();
  dynamo = await startDynamoDbLocal({ port });
  clients = dynamoDbFromEnv({ DYNAMODB_ENDPOINT: dynamo.endpoint, AWS_REGION: 'us-east-1' });
  await createTable(clients.client, 'EventsTable', table('events'));
  await createTable(clients.client, 'DeadLettersTable', table('deadLetters'));
  for (const view of app.views) await createTable(clients.client, viewTableId(view), table(viewTableName(view)));
  // Every table the app's reactions add to the stack (their checkpoints), as the stack declares them.
  for (const [id, resource] of Object.entries(
    serverlessReactionResources(app, table('')) as Record<string, { Type: string; Properties: { TableName: string } }>,
  ))
    if (resource.Type === 'AWS::DynamoDB::Table') await createTable(clients.client, id, resource.Properties.TableName);
  for (const [user, ids] of [
    ['alice', alice],
    ['mallory', mallory],
  ] as const) {
    await put(`tags#${user}`, 'tags', 1, [{ type: 'TagCreated', data: { tagId: ids.tagId, name: 'home' } }]);
    await put(ids.listId, 'todoList', 1, [
      { type: 'ListCreated', data: { listId: ids.listId, ownerId: user, title: 'l' } },
      { type: 'TodoAdded', data: { todoId: ids.todoId, title: 't' } },
    ]);
    await put(ids.listId, 'todoList', 2, [{ type: 'TodoTagged', data: { todoId: ids.todoId, tagId: ids.tagId } }]);
  }
  // Written by an API that did not check ids yet, stored at version 2 (so the app's repair, which
  // drops such events at version 1, keeps them): the domain and the kit's document client keep
  // `constructor` as a key, so these alone are applied.
  await put('tags#mallory', 'tags', 2, [{ type: 'TagRenamed', data: { tagId: 'constructor', name: 'x' }, v: 2 }]);
  await put(mallory.listId, 'todoList', 3, [
    { type: 'TodoTagged', data: { todoId: mallory.todoId, tagId: 'constructor' }, v: 2 },
  ]);
  // Types this code does not know (a newer version, rolled back): no fold can apply these streams.
  await put('tags#mallory', 'tags', 3, [{ type: 'TagColored', data: { tagId: mallory.tagId, color: 'red' } }]);
  await put(mallory.listId, 'todoList', 4, [{ type: 'TodoPinned', data: { todoId: mallory.todoId } }]);
}, 120_000);

afterAll(async () => {
  clients?.client.destroy();
  await dynamo?.stop();
});

describe('npm run rebuild / verify on the stack npm start runs', () => {
  it('act on the DynamoDB Local of DYNAMODB_PORT, say so first, rebuild every healthy stream and exit 1 naming the poisoned ones', async () => {
    const rebuild = await npmRun('rebuild', ['--view', 'all']);
    expect(rebuild.stdout.split('\n')[0]).toBe(
      `rebuild on stage local, DynamoDB at http://127.0.0.1:${port}, tables todo-cqrs-local-…`,
    );
    expect(rebuild.code).toBe(1);
    // Every view fails on mallory's stream of its aggregate, and only on it.
    const failed = app.views.map(
      (v) => `${v.name} ${v.aggregate.streamType === 'tags' ? 'tags#mallory' : mallory.listId}`,
    );
    expect(failed).toEqual(expect.arrayContaining(['tags tags#mallory', `tagCounts ${mallory.listId}`]));
    expect(rebuild.stderr).toBe(
      `${failed.length} streams could not be applied (filed as dead letters; see npm run dead-letters): ${failed.join(', ')}\n`,
    );
    const aliceTags = await clients.documentClient.send(
      new GetCommand({ TableName: table('tags'), Key: { streamId: 'tags#alice' } }),
    );
    expect(aliceTags.Item).toMatchObject({ version: 1, tags: { [alice.tagId]: { name: 'home' } } });

    const verify = await npmRun('verify');
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/^tags: 2 streams, 1 difference$/m);
    expect(verify.stderr).toBe(
      `${failed.length} differences: ${failed.map((f) => f.replace(' ', ' unappliable ')).join(', ')}
`,
    );

    const letters = await npmRun('dead-letters');
    expect(letters.code).toBe(0);
    expect(letters.stdout).toContain(`${failed.length} dead letters`);
  }, 240_000);

  it('the console answers a rebuild that meets the poisoned stream with a result, not a 500', async () => {
    let server: ConsoleServer | undefined;
    try {
      const consolePort = await freePort();
      server = await startConsoleServer({
        port: consolePort,
        apiPort: await freePort(),
        dynamoDbEndpoint: dynamo.endpoint,
        dataDir,
        staticDir: dataDir,
        app,
      });
      const answer = await fetch(`http://127.0.0.1:${consolePort}/console/rebuild`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ view: 'tags' }),
      });
      expect(answer.status).toBe(200);
      const body = (await answer.json()) as {
        views: { view: string; streams: number; failed: { streamId: string; error: string }[] }[];
        log: string[];
      };
      expect(body.views.map((v) => [v.view, v.streams, v.failed.map((f) => f.streamId)])).toEqual([
        ['tags', 2, ['tags#mallory']],
      ]);
      expect(body.log.some((l) => l.includes('failed tags#mallory'))).toBe(true);
    } finally {
      await server?.close();
    }
  }, 60_000);
});

describe('npm run verify / dead-letters / redrive naming a reaction', () => {
  const bob = { listId: randomUUID(), todoId: randomUUID() };
  const reaction = 'publishTodoCompleted';
  beforeAll(async () => {
    await put(bob.listId, 'todoList', 1, [
      { type: 'ListCreated', data: { listId: bob.listId, ownerId: 'bob', title: 'l' } },
      { type: 'TodoAdded', data: { todoId: bob.todoId, title: 't' } },
    ]);
    await put(bob.listId, 'todoList', 2, [{ type: 'TodoCompleted', data: { todoId: bob.todoId } }]);
    // The reaction failed on bob's completion (its bus was down): Lambda filed the stream.
    await dynamoDbDeadLetters(clients.documentClient, table('deadLetters')).record(
      `${reaction}Reaction`,
      bob.listId,
      [2, 2],
      new Error('the bus was down'),
    );
  }, 60_000);

  it('lists, verifies and redrives only that reaction, by its name or its function name, and refuses to rebuild it', async () => {
    const letters = await npmRun('dead-letters', ['--view', reaction]);
    expect(letters.code).toBe(0);
    expect(letters.stdout.split('\n').slice(1)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${reaction}Reaction ${bob.listId} from version 2 \\(to 2\\), 1 failed deliveries, last at .*: the bus was down$`,
        ),
      ),
      '1 dead letters',
      '',
    ]);

    const verify = await npmRun('verify', ['--view', `${reaction}Reaction`]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(
      `${reaction} (reaction): 1 streams with events not yet reacted to, 1 dead-lettered`,
    );
    expect(verify.stderr).toBe(`1 differences: ${reaction}Reaction unappliable ${bob.listId}\n`);

    const rebuild = await npmRun('rebuild', ['--view', reaction]);
    expect(rebuild.code).toBe(1);
    expect(rebuild.stderr).toContain(
      `${reaction} is a reaction: it is not rebuilt; npm run redrive re-runs its dead letters`,
    );

    const redrive = await npmRun('redrive', ['--reaction', reaction]);
    expect(redrive.code).toBe(0);
    expect(redrive.stdout).toContain(`redrive ${reaction}: 1 streams redriven, 0 still failing`);
    expect(redrive.stdout).not.toMatch(/redrive (lists|tags|untagDeletedTag)/);
    const file = path.join(dataDir, 'integration-events.jsonl');
    expect(existsSync(file) ? readFileSync(file, 'utf8') : '').toContain(`"id":"${bob.listId}:2"`);

    expect((await npmRun('verify', ['--reaction', reaction])).code).toBe(0);
    expect((await npmRun('dead-letters', ['--view', reaction])).stdout).toContain('0 dead letters');
  }, 240_000);
});
