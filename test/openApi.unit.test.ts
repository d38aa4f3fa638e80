import * as z from 'zod';
import { app } from '../handlers/app';
import { titleBody } from '../handlers/todoLists/schemas';
import { apiDocumentOf, apiRoute, openApiDocument, routesOf } from '../src';
import { openApiHandler } from '../src/app/openApi';
import { serverlessYml } from './support/dynamoDb';
import { checkAnswers, documentRoutes, serverlessRoutes, type Document } from './support/openApiContract';

const document = apiDocumentOf(app);
const apiRoutes = routesOf(app);
const doc = document as unknown as Document & { components: { schemas: Record<string, unknown> } };
const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ path, method, op: op as Record<string, any> })),
);
const call = (method: string, path: string, status: number, body: unknown) => ({
  method,
  path,
  status,
  body,
  text: JSON.stringify(body),
});

describe('the OpenAPI document (GET /openapi.json)', () => {
  it('is served as JSON that caches for five minutes, the same document on every call', async () => {
    const handler = openApiHandler(app) as unknown as (
      event: unknown,
      context: unknown,
    ) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;
    for (let i = 0; i < 2; i += 1) {
      const answer = await handler({}, {});
      expect(answer.statusCode).toBe(200);
      expect(answer.headers).toEqual({ 'content-type': 'application/json', 'cache-control': 'public, max-age=300' });
      expect(JSON.parse(answer.body)).toEqual(JSON.parse(JSON.stringify(document)));
    }
  });

  it('documents exactly the HTTP routes of serverless.yml, with the same auth', () => {
    const byRoute = (a: { route: string }, b: { route: string }) => a.route.localeCompare(b.route);
    const all = serverlessRoutes().sort(byRoute);
    // API Gateway's catch-all `$default` route answers only 404 / 405 for what no route declares: not
    // an API route, but a function all the same, so behind the authorizer.
    expect(all.filter((r) => r.route === '*')).toEqual([{ route: '*', auth: true }]);
    const inYml = all.filter((r) => r.route !== '*');
    expect(inYml.length).toBeGreaterThanOrEqual(15);
    expect(documentRoutes(doc).sort(byRoute)).toEqual(inYml);
    expect(inYml.filter((r) => !r.auth).map((r) => r.route)).toEqual(['GET /openapi.json']);
  });

  it('is OpenAPI 3.1 with bearer JWT auth and unique operation ids', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(Object.keys(apiRoutes).sort());
  });

  it('declares every path parameter of a path, and only those', () => {
    for (const { path, op } of operations) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? [])
        .filter((p: { in: string }) => p.in === 'path')
        .map((p: { name: string }) => p.name);
      expect({ path, declared }).toEqual({ path, declared: inPath });
    }
  });

  it('lists every status a route can answer: 400/401/413/500 everywhere behind the token, 404 where a list is named, 503 with Retry-After for minVersion', () => {
    for (const { path, method, op } of operations) {
      const statuses = Object.keys(op.responses).map(Number);
      const route = `${method.toUpperCase()} ${path}`;
      expect({ route, has500: statuses.includes(500) }).toEqual({ route, has500: true });
      expect({ route, successes: statuses.filter((s) => s < 300).length }).toEqual({ route, successes: 1 });
      if (op.security.length > 0)
        expect({ route, statuses }).toEqual({ route, statuses: expect.arrayContaining([400, 401, 413, 500]) });
      if (path.includes('{listId}'))
        expect({ route, statuses }).toEqual({ route, statuses: expect.arrayContaining([404]) });
      const takesMinVersion = (op.parameters ?? []).some((p: { name: string }) => p.name === 'minVersion');
      expect({ route, has503: statuses.includes(503) }).toEqual({ route, has503: takesMinVersion });
      if (takesMinVersion) expect(op.responses[503].headers['Retry-After']).toBeDefined();
    }
  });

  it('spells out one route in full: its parameters (path ones required), auth, tag and the Retry-After of its 503', () => {
    const getList = doc.paths['/lists/{listId}'] as Record<string, any>;
    expect(
      getList.get.parameters.map(({ name, in: where, required, $ref }: Record<string, unknown>) =>
        $ref ? { $ref } : { name, in: where, required },
      ),
    ).toEqual([
      { name: 'listId', in: 'path', required: true },
      { name: 'minVersion', in: 'query', required: false },
      { name: 'atVersion', in: 'query', required: false },
      { $ref: '#/components/parameters/CorrelationId' },
    ]);
    expect(getList.get.parameters[1].description).toMatch(/^Read-your-writes/);
    expect(getList.get.security).toEqual([{ bearerAuth: [] }]);
    expect(getList.get.tags).toEqual(['queries']);
    expect(getList.patch.tags).toEqual(['commands']);
    expect(getList.get.responses[503].headers).toEqual({
      'Retry-After': {
        description: 'Seconds to wait before retrying',
        schema: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
      },
    });
    const openapi = (doc.paths['/openapi.json'] as Record<string, any>).get;
    expect({ security: openapi.security, tags: openapi.tags }).toEqual({ security: [], tags: ['meta'] });
  });

  it('documents the request headers where they are honoured: Idempotency-Key on commands and GraphQL, X-Correlation-Id behind the token', () => {
    const components = (document.components as unknown as { parameters: Record<string, any> }).parameters;
    expect(components.IdempotencyKey).toMatchObject({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,128}$' },
    });
    expect(components.CorrelationId).toMatchObject({
      name: 'X-Correlation-Id',
      in: 'header',
      required: false,
      schema: { type: 'string', minLength: 1, maxLength: 128 },
    });
    const headersOf = (op: Record<string, any>) =>
      (op.parameters ?? []).flatMap((p: { $ref?: string }) => (p.$ref ? [p.$ref.split('/').pop()] : []));
    for (const { path, method, op } of operations) {
      const route = `${method.toUpperCase()} ${path}`;
      const expected =
        op.security.length === 0
          ? []
          : op.tags.includes('commands') || path === '/graphql'
            ? ['IdempotencyKey', 'CorrelationId']
            : ['CorrelationId'];
      expect({ route, headers: headersOf(op) }).toEqual({ route, headers: expected });
    }
    // The pattern is the one a command checks (src/commandKeys.ts).
    const pattern = new RegExp(components.IdempotencyKey.schema.pattern);
    expect(['a', '~'.repeat(128)].every((key) => pattern.test(key))).toBe(true);
    expect(['', ' a', 'é', 'x'.repeat(129)].some((key) => pattern.test(key))).toBe(false);
  });

  it("describes the gateway's own {message} bodies: 429 and 5XX on every route (reusable), and beside the app's 401 and 500", () => {
    const responses = (document.components as unknown as { responses: Record<string, any> }).responses;
    const gatewayError = { $ref: '#/components/schemas/GatewayError' };
    for (const id of ['GatewayThrottled', 'GatewayFailure'])
      expect(responses[id].content['application/json'].schema).toEqual(gatewayError);
    expect(doc.components.schemas.GatewayError).toMatchObject({
      type: 'object',
      properties: { message: { type: 'string' } },
      required: ['message'],
    });
    for (const { path, method, op } of operations) {
      const route = `${method.toUpperCase()} ${path}`;
      expect({ route, 429: op.responses[429], '5XX': op.responses['5XX'] }).toEqual({
        route,
        429: { $ref: '#/components/responses/GatewayThrottled' },
        '5XX': { $ref: '#/components/responses/GatewayFailure' },
      });
      expect({ route, 500: op.responses[500].content['application/json'].schema.anyOf?.[1] }).toEqual({
        route,
        500: gatewayError,
      });
      if (op.security.length > 0)
        expect({ route, 401: op.responses[401].content['application/json'].schema.anyOf?.[1] }).toEqual({
          route,
          401: gatewayError,
        });
    }
  });

  it('is generated from the very schemas that validate requests', () => {
    expect(apiRoutes.createList!.request.body).toBe(titleBody);
    const { $schema: _dialect, ...expected } = z.toJSONSchema(titleBody, { io: 'input' });
    expect(doc.paths['/lists']!.post!).toMatchObject({
      requestBody: { required: true, content: { 'application/json': { schema: expected } } },
    });
    expect(expected).toEqual({
      type: 'object',
      properties: { title: { type: 'string', minLength: 1, maxLength: 200 } },
      required: ['title'],
      additionalProperties: false,
    });
  });

  it('accepts the answers the routes give and refuses others (extra or missing fields, undocumented codes and statuses)', () => {
    const listId = 'b6a3c1c2-7f3e-4d2b-9c59-3f0f3a7c1e11';
    const ok = checkAnswers(doc, [
      call('POST', '/lists', 201, { listId, version: 1 }),
      call('GET', `/lists/${listId}?minVersion=2`, 200, {
        listId,
        title: 't',
        archived: false,
        todos: [
          {
            todoId: '0c7e4b1a-9d2f-4e63-a5b8-71f0c3d2e4a5',
            title: 'y',
            completed: true,
            tags: [{ tagId: '5a0d3e2c-6b1f-4a97-8c4e-2f9b0a7d6e13', name: 'home' }],
          },
        ],
        version: 2,
      }),
      call('GET', `/lists/${listId}/events`, 200, {
        items: [{ version: 1, type: 'ListCreated', data: { title: 't' }, at: '2026-01-01T00:00:00.000Z' }],
      }),
      call('GET', '/lists', 401, { message: 'Unauthorized' }),
      call('GET', `/lists/${listId}`, 503, {
        error: { code: 'VIEW_BEHIND', message: 'later', details: { minVersion: 9 } },
      }),
    ]);
    expect(ok.violations).toEqual([]);
    expect([...ok.seen]).toContain('GET /lists/{listId} 503');

    const bad = checkAnswers(doc, [
      call('POST', '/lists', 201, { listId, version: 1, ownerId: 'alice' }),
      call('POST', '/lists', 201, { listId }),
      call('POST', '/lists', 409, { error: { code: 'LIST_NOT_FOUND', message: 'no' } }),
      call('POST', '/lists', 418, { error: { code: 'TEAPOT', message: 'no' } }),
      call('GET', `/lists/${listId}/events`, 200, { items: [{ version: 1, type: 'Nope', data: {}, at: 'yesterday' }] }),
      call('GET', '/nowhere', 200, {}),
    ]);
    expect(bad.violations).toHaveLength(6);
  });

  it('follows a response given by $ref to components.responses, as tools may rewrite the document', () => {
    const listId = 'b6a3c1c2-7f3e-4d2b-9c59-3f0f3a7c1e11';
    const created = doc.paths['/lists']!.post!.responses['201']!;
    const refDoc: Document = {
      ...doc,
      paths: {
        ...doc.paths,
        '/lists': {
          post: { ...doc.paths['/lists']!.post!, responses: { 201: { $ref: '#/components/responses/Created~1List' } } },
        },
      },
      components: { ...doc.components, responses: { 'Created/List': created } },
    };
    expect(checkAnswers(refDoc, [call('POST', '/lists', 201, { listId, version: 1 })]).violations).toEqual([]);
    const bad = checkAnswers(refDoc, [call('POST', '/lists', 201, { listId, version: 1, ownerId: 'alice' })]);
    expect(bad.violations).toEqual([expect.stringContaining('POST /lists 201')]);
  });

  it('refuses one name for two different schemas', () => {
    const named = z.object({ a: z.string() }).meta({ id: 'Clash' });
    const other = z.object({ b: z.number() }).meta({ id: 'Clash' });
    const route = (schema: z.ZodType) =>
      apiRoute({
        method: 'GET',
        path: '/x',
        summary: 'x',
        auth: 'none',
        request: {},
        responses: { 200: { description: 'x', schema } },
      });
    expect(() =>
      openApiDocument({ info: { title: 't', version: '1' }, routes: { one: route(named), two: route(other) } }),
    ).toThrow(/Clash/);
  });

  it('has introspection on in the local stage only, through serverless.yml params', () => {
    const yml = serverlessYml() as {
      params: Record<string, Record<string, unknown>>;
      provider: { environment: Record<string, string> };
    };
    // biome-ignore lint/suspicious/noTemplateCurlyInString: serverless.yml's own ${param:…} variable, taken literally
    expect(yml.provider.environment.GRAPHQL_INTROSPECTION).toBe('${param:graphqlIntrospection}');
    expect(yml.params.local!.graphqlIntrospection).toBe('true');
    expect(yml.params.default!.graphqlIntrospection).toBe('false');
  });
});
