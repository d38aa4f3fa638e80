/**
 * Idempotency-Key is exactly-once, on DynamoDB Local, through the todo app's own handlers:
 * a keyed command takes effect once whatever fails between the client and the table — the
 * function dying after its write, a write that fails, an answer lost and retried by the SDK,
 * racing retries, a cold retry in another process — and every retry gets the first answer.
 * Failures are injected into the runtime's real DynamoDB client.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { app } from '../handlers/app';
import { createRuntime, type AppRuntime } from '../src';
import { graphqlHandler } from '../src/app/graphql';
import { todoLists } from '../handlers/views';
import { bearerFor } from './support/bearer';
import { createTable, testDynamoDb } from './support/dynamoDb';

const { client } = testDynamoDb();
const prefix = `key-test-${randomUUID().slice(0, 8)}-`;
const env = { DYNAMODB_ENDPOINT: process.env.TEST_DYNAMODB_ENDPOINT, AWS_REGION: 'us-east-1' };
/** A fresh runtime is a fresh process: a cold container retrying, with nothing cached. */
const freshRuntime = () => createRuntime(app, { tablePrefix: prefix, graphqlIntrospection: false }, env);
const context = { functionName: 'keys', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

beforeAll(async () => {
  for (const [id, name] of [
    ['EventsTable', 'events'],
    ['SnapshotsTable', 'snapshots'],
    ['IdempotencyTable', 'idempotency'],
  ] as const) {
    await createTable(client, id, `${prefix}${name}`);
  }
}, 60_000);

interface Call {
  readonly method: string;
  readonly route: string;
  readonly path: string;
  readonly sub?: string;
  readonly key?: string;
  /** The raw body text, so tests can vary its spacing. */
  readonly body?: string;
}

const send = async (runtime: AppRuntime, call: Call) => {
  const sub = call.sub ?? 'alice';
  const params = Object.fromEntries(
    call.route
      .split('/')
      .flatMap((part, i) => (part.startsWith('{') ? [[part.slice(1, -1), call.path.split('/')[i]!]] : [])),
  );
  const result = (await runtime.http(
    {
      version: '2.0',
      routeKey: `${call.method} ${call.route}`,
      rawPath: call.path,
      headers: {
        'content-type': 'application/json',
        authorization: bearerFor(sub),
        ...(call.key ? { 'idempotency-key': call.key } : {}),
      },
      pathParameters: params,
      ...(call.body === undefined ? {} : { body: call.body }),
      isBase64Encoded: false,
      requestContext: { requestId: randomUUID(), authorizer: { jwt: { claims: { sub }, scopes: [] } } },
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer,
    context,
  )) as APIGatewayProxyStructuredResultV2;
  return {
    status: result.statusCode,
    body: JSON.parse(String(result.body)) as Record<string, unknown> & { error?: { code: string } },
  };
};

const createList = (key: string | undefined, title = 'Groceries', extra: Partial<Call> = {}): Call => ({
  method: 'POST',
  route: '/lists',
  path: '/lists',
  key,
  body: JSON.stringify({ title }),
  ...extra,
});
const addTodo = (listId: string, key: string | undefined, title = 'milk'): Call => ({
  method: 'POST',
  route: '/lists/{listId}/todos',
  path: `/lists/${listId}/todos`,
  key,
  body: JSON.stringify({ title }),
});
const commitsOf = async (runtime: AppRuntime, listId: string) =>
  runtime.eventStore.readStream(todoLists.streamIdOf(listId));

type Step = 'initialize' | 'finalizeRequest';
/**
 * Makes the client's next `command` fail once: before it reaches the table ('before'), or
 * after the table applied it, losing the answer ('after'). `step: 'finalizeRequest'` places the
 * fault inside the SDK's retry loop, so the SDK retries it as it would a dropped connection.
 */
const failNext = (target: DynamoDBClient, command: string, when: 'before' | 'after', step: Step = 'initialize') => {
  const name = `fault-${randomUUID()}`;
  let armed = true;
  const fault = () =>
    Object.assign(new Error(step === 'initialize' ? 'Injected failure' : 'Injected: connection reset'), {
      name: step === 'initialize' ? 'InjectedFailure' : 'TimeoutError',
      $metadata: {},
    });
  const middleware =
    <A, R>(next: (args: A) => Promise<R>, ctx: { commandName?: string }) =>
    async (args: A): Promise<R> => {
      if (!armed || ctx.commandName !== command) return next(args);
      armed = false;
      if (when === 'before') throw fault();
      await next(args);
      throw fault();
    };
  if (step === 'initialize') target.middlewareStack.add(middleware, { step, name });
  else target.middlewareStack.add(middleware, { step, name, priority: 'low' });
  return { fired: () => !armed, remove: () => target.middlewareStack.remove(name) };
};

describe('Idempotency-Key: exactly once on DynamoDB Local', () => {
  it('answers a retry with the first answer and writes nothing; JSON is compared as JSON, not as bytes', async () => {
    const runtime = freshRuntime();
    const key = randomUUID();
    const first = await send(runtime, createList(key, 'Groceries'));
    expect(first.status).toBe(201);
    const listId = String(first.body.listId);
    // Same JSON, other spacing: the same request.
    const spaced = await send(runtime, createList(key, undefined, { body: '{ "title" :  "Groceries" }\n' }));
    expect(spaced).toEqual(first);
    // Another body under the same key: 422, nothing written.
    expect(await send(runtime, createList(key, 'Other'))).toMatchObject({
      status: 422,
      body: { error: { code: 'IDEMPOTENCY_KEY_REUSED' } },
    });
    expect(await commitsOf(runtime, listId)).toHaveLength(1);
    // The key belongs to its caller and its command: bob's same key is bob's own list.
    const bobs = await send(runtime, createList(key, 'Groceries', { sub: 'bob' }));
    expect(bobs.status).toBe(201);
    expect(bobs.body.listId).not.toBe(listId);
  });

  it('a command whose function died after its write is answered on retry, in another process, with the same ids', async () => {
    const dying = freshRuntime();
    const key = randomUUID();
    const fault = failNext(dying.client, 'TransactWriteItemsCommand', 'after');
    const lost = await send(dying, createList(key));
    expect(fault.fired()).toBe(true);
    expect(lost.status).toBe(500);
    const retry = await send(freshRuntime(), createList(key));
    expect(retry.status).toBe(201);
    const listId = String(retry.body.listId);
    expect(await commitsOf(dying, listId)).toHaveLength(1);
    // The same for a todo: one TodoAdded, and the retry names its todoId.
    const todoKey = randomUUID();
    const fault2 = failNext(dying.client, 'TransactWriteItemsCommand', 'after');
    expect((await send(dying, addTodo(listId, todoKey))).status).toBe(500);
    expect(fault2.fired()).toBe(true);
    const added = await send(freshRuntime(), addTodo(listId, todoKey));
    expect(added).toMatchObject({ status: 201, body: { listId, version: 2 } });
    const commits = await commitsOf(dying, listId);
    expect(commits.map((c) => c.events.map((e) => e.type))).toEqual([['ListCreated'], ['TodoAdded']]);
    expect((commits[1]!.events[0]!.data as { todoId: string }).todoId).toBe(added.body.todoId);
  });

  it('a write that failed (a throttle) commits nothing; the retry commits once', async () => {
    const runtime = freshRuntime();
    const key = randomUUID();
    const fault = failNext(runtime.client, 'TransactWriteItemsCommand', 'before');
    expect((await send(runtime, createList(key))).status).toBe(500);
    expect(fault.fired()).toBe(true);
    const retry = await send(runtime, createList(key));
    expect(retry.status).toBe(201);
    expect(await send(runtime, createList(key))).toEqual(retry);
    expect(await commitsOf(runtime, String(retry.body.listId))).toHaveLength(1);
  });

  it('an answer lost on the way back and retried by the SDK is one commit and a 2xx, keyed or not', async () => {
    const runtime = freshRuntime();
    const list = await send(runtime, createList(undefined));
    const listId = String(list.body.listId);
    // Keyed: the transaction is retried with the same request token.
    const keyed = failNext(runtime.client, 'TransactWriteItemsCommand', 'after', 'finalizeRequest');
    const first = await send(runtime, addTodo(listId, randomUUID(), 'keyed'));
    keyed.remove();
    expect(keyed.fired()).toBe(true);
    expect(first).toMatchObject({ status: 201, body: { version: 2 } });
    // Without a key: the retried PutItem finds its own commit in the slot, and says so.
    const plain = failNext(runtime.client, 'PutItemCommand', 'after', 'finalizeRequest');
    const second = await send(runtime, addTodo(listId, undefined, 'plain'));
    plain.remove();
    expect(plain.fired()).toBe(true);
    expect(second).toMatchObject({ status: 201, body: { version: 3 } });
    expect((await commitsOf(runtime, listId)).map((c) => c.version)).toEqual([1, 2, 3]);
  });

  it('racing retries of one key take effect once and all get the same answer', async () => {
    const key = randomUUID();
    const list = await send(freshRuntime(), createList(undefined));
    const listId = String(list.body.listId);
    // Twelve processes at once, each with its own cache: no "in progress" refusals, one commit.
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => send(freshRuntime(), addTodo(listId, key, 'race'))),
    );
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ status: 201, body: { version: 2 } });
    expect(await commitsOf(freshRuntime(), listId)).toHaveLength(2);
  });

  it('a no-op or a domain refusal is not recorded: only effects are', async () => {
    const runtime = freshRuntime();
    const listId = String((await send(runtime, createList(undefined))).body.listId);
    const archive = (key: string): Call => ({
      method: 'DELETE',
      route: '/lists/{listId}',
      path: `/lists/${listId}`,
      key,
    });
    const key = randomUUID();
    expect(await send(runtime, archive(key))).toMatchObject({ status: 200, body: { version: 2 } });
    // Archived: adding is refused, and the refusal is not remembered as the key's answer.
    const refusedKey = randomUUID();
    expect(await send(runtime, addTodo(listId, refusedKey))).toMatchObject({
      status: 409,
      body: { error: { code: 'LIST_ARCHIVED' } },
    });
    expect(await send(runtime, addTodo(listId, refusedKey))).toMatchObject({
      status: 409,
      body: { error: { code: 'LIST_ARCHIVED' } },
    });
    // The archive's retry is its first answer, though archiving again would change nothing now.
    expect(await send(runtime, archive(key))).toMatchObject({ status: 200, body: { version: 2 } });
    expect(await commitsOf(runtime, listId)).toHaveLength(2);
  });

  it('works the same for a GraphQL mutation, and one key means one command whichever way it comes', async () => {
    const runtime = freshRuntime();
    const graphql = graphqlHandler(runtime);
    const key = randomUUID();
    const mutate = async (query: string, sub = 'alice') => {
      const result = (await graphql(
        {
          version: '2.0',
          routeKey: 'POST /graphql',
          rawPath: '/graphql',
          headers: { 'content-type': 'application/json', authorization: bearerFor(sub), 'idempotency-key': key },
          body: JSON.stringify({ query }),
          isBase64Encoded: false,
          requestContext: { requestId: randomUUID(), authorizer: { jwt: { claims: { sub }, scopes: [] } } },
        } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer,
        context,
      )) as APIGatewayProxyStructuredResultV2;
      return JSON.parse(String(result.body)) as {
        data?: { createList?: { listId: string; version: number } };
        errors?: { extensions?: { code?: string } }[];
      };
    };
    const first = await mutate('mutation { createList(title: "Books") { listId version } }');
    const again = await mutate('mutation {\n  createList( title : "Books" ) { listId version }\n}');
    expect(first.data?.createList?.version).toBe(1);
    expect(again).toEqual(first);
    const listId = first.data!.createList!.listId;
    // The same key over REST with the same request: the same command, answered, not run again.
    expect(await send(runtime, createList(key, 'Books'))).toEqual({ status: 201, body: { listId, version: 1 } });
    const other = await mutate('mutation { createList(title: "Films") { listId version } }');
    expect(other.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await commitsOf(runtime, listId)).toHaveLength(1);
  });

  it('a command that reads another stream keeps only its answer in the key record, not the state it read', async () => {
    const runtime = freshRuntime();
    const tagIds: string[] = [];
    for (const name of ['home', 'work']) {
      const created = await send(runtime, {
        method: 'POST',
        route: '/tags',
        path: '/tags',
        key: undefined,
        body: JSON.stringify({ name }),
      });
      tagIds.push(String(created.body.tagId));
    }
    const listId = String((await send(runtime, createList(undefined))).body.listId);
    const todoId = String((await send(runtime, addTodo(listId, undefined))).body.todoId);
    const tag: Call = {
      method: 'PUT',
      route: '/lists/{listId}/todos/{todoId}/tags/{tagId}',
      path: `/lists/${listId}/todos/${todoId}/tags/${tagIds[1]}`,
      key: randomUUID(),
    };
    const first = await send(runtime, tag);
    expect(first).toEqual({ status: 200, body: { listId, todoId, version: 3 } });
    expect(await send(freshRuntime(), tag)).toEqual(first);
    const { Items = [] } = await client.send(
      new ScanCommand({ TableName: `${prefix}idempotency`, ConsistentRead: true }),
    );
    const record = Items.find((item) => item.streamId?.S === listId && item.version?.N === '3');
    // The payload held the caller's tags (both of them); the record holds the answer's fields only.
    expect(JSON.parse(record!.result!.S!)).toEqual({ listId, todoId, tagId: tagIds[1] });
  });

  it('refuses a malformed key before anything runs', async () => {
    const runtime = freshRuntime();
    expect(await send(runtime, createList('x'.repeat(129)))).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_ERROR' } },
    });
    expect(await send(runtime, createList('has space'))).toMatchObject({ status: 400 });
  });

  it('forgets a key once it expires (a TTL deletes it only eventually, so an expired record no longer counts)', async () => {
    const runtime = freshRuntime();
    const streamId = todoLists.streamIdOf(randomUUID());
    const key = {
      id: `test#${randomUUID()}`,
      fingerprint: 'f',
      result: '{}',
      expiresAt: Math.floor(Date.now() / 1000) - 1,
    };
    const append = (version: number, k: typeof key) =>
      runtime.eventStore.append({
        streamId,
        streamType: todoLists.streamType,
        expectedVersion: version,
        events: [{ type: 'ListRenamed', data: { title: 't' } }],
        commandId: randomUUID(),
        at: new Date().toISOString(),
        key: k,
      });
    await append(0, key);
    expect(await runtime.eventStore.readKey(key.id)).toBeUndefined();
    const live = { ...key, expiresAt: key.expiresAt + 3600 };
    await append(1, live);
    expect(await runtime.eventStore.readKey(key.id)).toMatchObject({ streamId, version: 2 });
    await expect(append(2, live)).rejects.toMatchObject({ name: 'KeyTakenError' });
  });
});

describe('what a key costs', () => {
  it('one strongly consistent GetItem of the key, and the commit and key in one transaction: no other request', async () => {
    const runtime = freshRuntime();
    const used: { command: string; units: number }[] = [];
    runtime.client.middlewareStack.add(
      (next, ctx) => async (args) => {
        (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        const consumed = (
          result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }
        ).ConsumedCapacity;
        const units = [consumed ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        used.push({ command: (ctx as { commandName: string }).commandName, units });
        return result;
      },
      { step: 'initialize', name: 'capacity' },
    );
    const listId = String((await send(runtime, createList(undefined))).body.listId);
    used.length = 0;
    await send(runtime, addTodo(listId, undefined, 'plain'));
    const plain = [...used];
    used.length = 0;
    await send(runtime, addTodo(listId, randomUUID(), 'keyed'));
    const keyed = [...used];
    // On a warm stream: the plain command is one PutItem; the keyed one reads its key and writes once.
    expect(plain.map((u) => u.command)).toEqual(['PutItemCommand']);
    expect(keyed.map((u) => u.command)).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    expect(plain[0]!.units).toBe(1);
    expect(keyed[0]!.units).toBe(1);
    // A transaction costs more than the plain write (AWS: 2 units per KB per item; DynamoDB Local reports more).
    expect(keyed[1]!.units).toBeGreaterThan(plain[0]!.units);
    console.info(`capacity units: plain ${JSON.stringify(plain)}, keyed ${JSON.stringify(keyed)}`);
  });
});
