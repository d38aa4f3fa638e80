import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { httpRoute, idempotentRequests } from '../src';
import { bearerFor } from './support/bearer';
import { createTable, testDynamoDb } from './support/dynamoDb';

const { client } = testDynamoDb();
let tableName: string;
beforeAll(async () => {
  tableName = await createTable(client, 'IdempotencyTable');
});

const event = (sub: string, key: string | undefined, body: unknown) =>
  ({
    version: '2.0',
    routeKey: 'POST /things',
    rawPath: '/things',
    headers: { 'content-type': 'application/json', authorization: bearerFor(sub), ...(key === undefined ? {} : { 'idempotency-key': key }) },
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { requestId: randomUUID(), authorizer: { jwt: { claims: { sub }, scopes: [] } } },
  }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
const context = { functionName: 'things', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

/** A command route whose every real execution is counted (and takes a little while, like a real one). */
const makeRoute = (expiresAfterSeconds = 3600) => {
  const executions: string[] = [];
  const handler = httpRoute(
    { body: z.object({ title: z.string() }).strict() },
    async ({ body, userId }) => {
      const id = randomUUID();
      executions.push(`${userId}:${body.title}:${id}`);
      await new Promise((r) => setTimeout(r, 50));
      if (body.title === 'missing') return { statusCode: 404, body: { error: { code: 'LIST_NOT_FOUND', message: 'no' } } };
      return { statusCode: 201, body: { id, title: body.title } };
    },
    idempotentRequests({ client, tableName, expiresAfterSeconds }),
  );
  const call = async (e: APIGatewayProxyEventV2WithJWTAuthorizer) => {
    const result = (await handler(e, context)) as APIGatewayProxyStructuredResultV2;
    return { status: result.statusCode, body: JSON.parse(result.body ?? 'null'), retryAfter: result.headers?.['retry-after'] };
  };
  return { executions, call };
};

describe('Idempotency-Key on DynamoDB Local (Powertools idempotency)', () => {
  it('answers a retry with the first answer and does not run the command again', async () => {
    const { executions, call } = makeRoute();
    const key = randomUUID();
    const first = await call(event('alice', key, { title: 'a' }));
    const again = await call(event('alice', key, { title: 'a' }));
    expect(first.status).toBe(201);
    expect(again).toEqual(first);
    expect(executions).toHaveLength(1);
  });

  it('answers 422 when the key comes back with another body, and keeps the first answer', async () => {
    const { executions, call } = makeRoute();
    const key = randomUUID();
    const first = await call(event('alice', key, { title: 'a' }));
    const other = await call(event('alice', key, { title: 'b' }));
    expect(other).toMatchObject({ status: 422, body: { error: { code: 'IDEMPOTENCY_KEY_REUSED' } } });
    expect(await call(event('alice', key, { title: 'a' }))).toEqual(first);
    expect(executions).toHaveLength(1);
  });

  it('scopes keys per user', async () => {
    const { executions, call } = makeRoute();
    const key = randomUUID();
    const alice = await call(event('alice', key, { title: 'a' }));
    const bob = await call(event('bob', key, { title: 'a' }));
    expect(bob.status).toBe(201);
    expect(bob.body.id).not.toBe(alice.body.id);
    expect(executions).toHaveLength(2);
  });

  it('runs requests without a key every time, and refuses a malformed key', async () => {
    const { executions, call } = makeRoute();
    await call(event('alice', undefined, { title: 'a' }));
    await call(event('alice', undefined, { title: 'a' }));
    expect(executions).toHaveLength(2);
    expect(await call(event('alice', 'x'.repeat(129), { title: 'a' }))).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR' } } });
    expect(await call(event('alice', 'has space', { title: 'a' }))).toMatchObject({ status: 400 });
    expect(executions).toHaveLength(2);
  });

  it('lets exactly one of many concurrent retries run; the others get the answer or 409 IN_PROGRESS', async () => {
    const { executions, call } = makeRoute();
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 12 }, () => call(event('alice', key, { title: 'race' }))));
    expect(executions).toHaveLength(1);
    const ok = answers.filter((a) => a.status === 201);
    const busy = answers.filter((a) => a.status === 409);
    expect(ok.length + busy.length).toBe(answers.length);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((a) => a.body.id)).size).toBe(1);
    for (const b of busy) expect(b).toMatchObject({ body: { error: { code: 'IDEMPOTENCY_IN_PROGRESS' } }, retryAfter: '1' });
    // Once the first has finished, a retry gets its answer.
    expect((await call(event('alice', key, { title: 'race' }))).body.id).toBe(ok[0]!.body.id);
    expect(executions).toHaveLength(1);
  });

  it('forgets keys once they expire', async () => {
    const { executions, call } = makeRoute(1);
    const key = randomUUID();
    await call(event('alice', key, { title: 'a' }));
    await new Promise((r) => setTimeout(r, 2100));
    await call(event('alice', key, { title: 'a' }));
    expect(executions).toHaveLength(2);
  });
});
