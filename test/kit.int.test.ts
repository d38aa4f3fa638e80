/**
 * The kit as a kit: a tiny app of its own (no todo import) declared through the same
 * definition, run through the derived handlers against DynamoDB Local, with its own
 * serverless functions, OpenAPI document and GraphQL schema derived from it.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import {
  apiDocumentOf,
  commandsOf,
  counterView,
  createRuntime,
  defineAggregate,
  defineApp,
  reads,
  routesFor,
  streamView,
  query,
  type DomainEvent,
} from '../src';
import { graphqlSchemaOf } from '../src/app/graphql';
import { viewTableName } from '../src/app/definition';
import { serverlessFunctions, serverlessViewTables } from '../src/app/serverless';
import { readCounterTotals } from '../src/projection/counterViewProjection';
import { appOps } from '../src/ops/appOps';
import { createTable, testDynamoDb } from './support/dynamoDb';
import { bearerFor } from './support/bearer';
import { readStreamRecords, type Handler } from './support/streamHarness';

// ── a counter app: create a counter, bump it, delete it ─────────────────────
type CounterEvent =
  | DomainEvent<'Opened', { owner: string }>
  | DomainEvent<'Bumped', { by: number }>
  | DomainEvent<'Closed', Record<string, never>>;
type CounterState = { owner: string; value: number; closed: boolean } | null;
class CounterError extends Error {
  constructor(
    readonly code: 'COUNTER_NOT_FOUND',
    readonly httpStatus = 404,
  ) {
    super('No such counter');
  }
}
const own = (state: CounterState, userId: string) => {
  if (!state || state.closed || state.owner !== userId) throw new CounterError('COUNTER_NOT_FOUND');
  return state;
};
const counters = defineAggregate<CounterState, CounterEvent>({
  streamType: 'counter',
  streamPrefix: 'counter#',
  initialState: null,
  reducer: (state, event) => {
    if (event.type === 'Opened') return { owner: event.data.owner, value: 0, closed: false };
    if (!state) return state;
    return event.type === 'Bumped' ? { ...state, value: state.value + event.data.by } : { ...state, closed: true };
  },
});
const route = routesFor<'COUNTER_NOT_FOUND'>();
// Every command but openCounter runs on the counter its path names; openCounter names its new one.
const command = commandsOf(counters, { streamId: (payload: { counterId: string }) => payload.counterId });
const id = z.string().regex(/^[A-Za-z0-9-]+$/);
const answer = z.object({ counterId: id, version: z.number() }).meta({ id: 'CounterAnswer' });
const counterPath = z.object({ counterId: id });
const valueView = streamView({
  name: 'values',
  aggregate: counters,
  key: 'streamId',
  evolve: (view: { owner: string; value: number } | null, event: CounterEvent) =>
    event.type === 'Opened'
      ? { owner: event.data.owner, value: 0 }
      : event.type === 'Bumped' && view
        ? { ...view, value: view.value + event.data.by }
        : null,
});
const totalsView = counterView({
  name: 'totals',
  aggregate: counters,
  evolve: (source: { owner: string; value: number; closed?: boolean } | null, event: CounterEvent) =>
    event.type === 'Opened'
      ? { owner: event.data.owner, value: 0 }
      : !source
        ? null
        : event.type === 'Bumped'
          ? { ...source, value: source.value + event.data.by }
          : { ...source, closed: true },
  contributions: (source) => (source.closed ? {} : { [source.owner]: { counters: 1, sum: source.value } }),
});
// Its GraphQL field is `counter`: the query's name without `get`.
const getCounter = query({
  route: route.query({
    method: 'GET',
    path: '/counters/{counterId}',
    summary: 'A counter',
    request: { params: counterPath },
    answer: z.object({ value: z.number() }).meta({ id: 'CounterValue' }),
    errors: { 404: ['COUNTER_NOT_FOUND'] },
  }),
  reads: [reads.item(valueView)],
  run: async ({ params, userId }, ctx) => {
    const { Item } = await ctx.documentClient.send(
      new GetCommand({ TableName: ctx.tableOf(valueView), Key: { streamId: counters.streamIdOf(params.counterId) } }),
    );
    if (!Item || Item.deleted === true || Item.owner !== userId) throw new CounterError('COUNTER_NOT_FOUND');
    return { value: Item.value };
  },
});
const app = defineApp({
  service: 'kit-test',
  title: 'counters',
  version: '1',
  description: 'A kit test',
  aggregates: [counters],
  commands: {
    openCounter: command({
      route: route.command({ method: 'POST', path: '/counters', summary: 'Open', status: 201, answer }),
      action: (state, _payload: { counterId: string }, ctx) =>
        state ? [] : [{ type: 'Opened', data: { owner: ctx.userId } }],
      payload: ({ newId }) => ({ counterId: newId() }),
    }),
    bump: command({
      route: route.command({
        method: 'POST',
        path: '/counters/{counterId}/bump',
        summary: 'Bump',
        request: { params: counterPath, body: z.object({ by: z.number().int().min(1) }).strict() },
        answer,
        errors: { 404: ['COUNTER_NOT_FOUND'] },
      }),
      action: (state, payload: { counterId: string; by: number }, ctx) => {
        own(state, ctx.userId);
        return [{ type: 'Bumped', data: { by: payload.by } }];
      },
    }),
    closeCounter: command({
      route: route.command({
        method: 'DELETE',
        path: '/counters/{counterId}',
        summary: 'Close',
        request: { params: counterPath },
        answer,
        errors: { 404: ['COUNTER_NOT_FOUND'] },
      }),
      action: (state, _payload: { counterId: string }, ctx) => {
        own(state, ctx.userId);
        return [{ type: 'Closed', data: {} }];
      },
    }),
  },
  views: [valueView, totalsView],
  queries: { getCounter },
});

// ── the stage: tables named as serverless.yml would name them ─────────────────
const { client, documentClient } = testDynamoDb();
const stage = `k${randomUUID().slice(0, 8)}`;
const prefix = `kit-test-${stage}-`;
const runtime = createRuntime(
  app,
  { tablePrefix: prefix, graphqlIntrospection: false },
  { DYNAMODB_ENDPOINT: process.env.TEST_DYNAMODB_ENDPOINT, AWS_REGION: 'us-east-1' },
);
const context = { functionName: 'kit', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
const call = async (method: string, path: string, routePath: string, sub: string, body?: unknown) =>
  (await runtime.http(
    {
      version: '2.0',
      routeKey: `${method} ${routePath}`,
      rawPath: path,
      headers: { 'content-type': 'application/json', authorization: bearerFor(sub) },
      pathParameters: Object.fromEntries(
        [...routePath.matchAll(/\{(\w+)\}/g)].map((m, i) => [
          m[1],
          path.split('/')[routePath.split('/').indexOf(`{${m[1]}}`)] ?? String(i),
        ]),
      ),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      isBase64Encoded: false,
      requestContext: {
        requestId: randomUUID(),
        http: { method, path },
        authorizer: { jwt: { claims: { sub }, scopes: [] } },
      },
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer,
    context,
  )) as APIGatewayProxyStructuredResultV2;
const json = (r: APIGatewayProxyStructuredResultV2) => JSON.parse(String(r.body));

beforeAll(async () => {
  await createTable(client, 'EventsTable', `${prefix}events`);
  await createTable(client, 'SnapshotsTable', `${prefix}snapshots`);
  await createTable(client, 'IdempotencyTable', `${prefix}idempotency`);
  for (const [, table] of Object.entries(serverlessViewTables(app, prefix)) as [
    string,
    { Properties: { TableName: string } },
  ][]) {
    const { CreateTableCommand } = await import('@aws-sdk/client-dynamodb');
    await client.send(new CreateTableCommand(table.Properties as never));
  }
}, 60_000);

describe('a tiny app built from the kit alone', () => {
  it('derives its functions: one per command, query and view, each with only its own access', () => {
    const functions = serverlessFunctions(app) as Record<
      string,
      { handler: string; iamRoleStatements: { Action: string[]; Resource: unknown }[]; events: unknown[] }
    >;
    expect(Object.keys(functions).sort()).toEqual([
      'bump',
      'closeCounter',
      'defaultRoute',
      'getCounter',
      'graphql',
      'openCounter',
      'openapi',
      'totalsView',
      'valuesView',
    ]);
    expect(functions.getCounter!.iamRoleStatements).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: { 'Fn::GetAtt': ['ValuesTable', 'Arn'] } },
    ]);
    expect(functions.totalsView!.handler).toBe('projections/views.totalsView');
    const onTable = (fn: string, table: string) =>
      functions[fn]!.iamRoleStatements.find((s) => JSON.stringify(s.Resource).includes(table))?.Action;
    // Counter views: header, children and counters in one transaction (counters moved with UpdateItem ADD,
    // one back at 0 deleted), the stream's partition read with Query; a stream view only puts its items.
    expect(onTable('totalsView', 'TotalsTable')).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(onTable('valuesView', 'ValuesTable')).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    // Every projection files what it cannot apply, and reads the events table only to heal gaps.
    expect(onTable('valuesView', 'DeadLettersTable')).toEqual(['dynamodb:UpdateItem']);
    expect(onTable('valuesView', 'EventsTable')).toEqual(['dynamodb:Query']);
  });

  it('derives its OpenAPI document and GraphQL schema from the same declaration', () => {
    const document = apiDocumentOf(app);
    expect(Object.keys(document.paths).sort()).toEqual([
      '/counters',
      '/counters/{counterId}',
      '/counters/{counterId}/bump',
      '/graphql',
      '/openapi.json',
    ]);
    const bumpErrors = JSON.stringify(document.paths['/counters/{counterId}/bump']);
    for (const code of ['COUNTER_NOT_FOUND', 'CONCURRENCY_CONFLICT', 'IDEMPOTENCY_KEY_REUSED', 'VALIDATION_ERROR'])
      expect(bumpErrors).toContain(code);
    const schema = graphqlSchemaOf(runtime);
    expect(Object.keys(schema.getMutationType()!.getFields()).sort()).toEqual(['bump', 'closeCounter', 'openCounter']);
    expect(
      schema
        .getMutationType()!
        .getFields()
        .bump!.args.map((a) => a.name),
    ).toEqual(['counterId', 'by']);
    expect(Object.keys(schema.getQueryType()!.getFields())).toEqual(['counter']);
  });

  it('refuses declarations that would collide', () => {
    expect(() =>
      defineApp({ ...app, aggregates: [counters, defineAggregate({ ...counters, streamPrefix: 'other#' })] }),
    ).toThrow(/stream type/);
    expect(() => defineAggregate({ ...counters, streamPrefix: 'bad' })).toThrow(/streamPrefix/);
  });

  it('runs commands through the derived handler, projects them exactly once, reads them back, and deletes a view item', async () => {
    const opened = await call('POST', '/counters', '/counters', 'ann');
    expect(opened.statusCode).toBe(201);
    const { counterId } = json(opened) as { counterId: string };
    expect(
      json(await call('POST', `/counters/${counterId}/bump`, '/counters/{counterId}/bump', 'ann', { by: 3 })),
    ).toEqual({ counterId, version: 2 });
    // Another user's counter is not found; a bad body is a 400 that writes nothing.
    expect(
      (await call('POST', `/counters/${counterId}/bump`, '/counters/{counterId}/bump', 'bob', { by: 1 })).statusCode,
    ).toBe(404);
    expect(
      (await call('POST', `/counters/${counterId}/bump`, '/counters/{counterId}/bump', 'ann', { by: 0 })).statusCode,
    ).toBe(400);
    expect((await call('GET', '/nowhere', '$default', 'ann')).statusCode).toBe(404);
    // A known path with another method: 405, with the methods it takes.
    const wrongMethod = await call('PUT', `/counters/${counterId}`, '$default', 'ann');
    expect({
      status: wrongMethod.statusCode,
      allow: wrongMethod.headers?.allow,
      code: json(wrongMethod).error.code,
    }).toEqual({ status: 405, allow: 'DELETE, GET', code: 'METHOD_NOT_ALLOWED' });
    // The stream id carries the aggregate's prefix.
    const commits = await runtime.eventStore.readStream(counters.streamIdOf(counterId));
    expect(commits.map((c) => [c.streamId, c.version])).toEqual([
      [`counter#${counterId}`, 1],
      [`counter#${counterId}`, 2],
    ]);

    const project = async () => {
      const records = await readStreamRecords(client, process.env.TEST_DYNAMODB_ENDPOINT!, `${prefix}events`);
      for (const view of ['values', 'totals']) {
        // Every record twice: the second delivery must change nothing.
        const handler = runtime.projection(view) as Handler;
        expect((await handler({ Records: [...records, ...records] })).batchItemFailures).toEqual([]);
      }
    };
    await project();
    expect(json(await call('GET', `/counters/${counterId}`, '/counters/{counterId}', 'ann'))).toEqual({ value: 3 });
    // One item per total and counter: read through the kit's reader of a counter view's totals.
    const totals = await readCounterTotals(documentClient, `${prefix}${viewTableName(totalsView)}`, 'ann');
    expect(totals).toMatchObject({ counters: 1, sum: 3 });

    expect((await call('DELETE', `/counters/${counterId}`, '/counters/{counterId}', 'ann')).statusCode).toBe(200);
    await project();
    // The view item is gone for readers, kept as a tombstone that holds the version.
    expect((await call('GET', `/counters/${counterId}`, '/counters/{counterId}', 'ann')).statusCode).toBe(404);
    const item = await documentClient.send(
      new GetCommand({ TableName: `${prefix}values`, Key: { streamId: `counter#${counterId}` } }),
    );
    expect(item.Item).toEqual({
      streamId: `counter#${counterId}`,
      deleted: true,
      version: 3,
      updatedAt: expect.any(String),
    });
    // A counter back at 0 is deleted: the deleted view adds nothing to ann's totals any more.
    const after = await readCounterTotals(documentClient, `${prefix}${viewTableName(totalsView)}`, 'ann');
    expect({ counters: after.counters ?? 0, sum: after.sum ?? 0 }).toEqual({ counters: 0, sum: 0 });

    // Verify, from the declaration alone, finds every view equal to a fresh fold.
    const lines: string[] = [];
    const differences = await appOps(app, {
      stage,
      endpoint: process.env.TEST_DYNAMODB_ENDPOINT,
      dataDir: '/tmp',
      log: (l) => lines.push(l),
    }).verify();
    expect(differences).toEqual([]);
    expect(lines).toEqual(['values: 1 stream, 0 differences', 'totals: 1 stream, 0 differences']);
  });
});
