/**
 * The kit's route builders (`routesFor`) and route rows as an app declares them: what the kit
 * adds to every route's answers in the OpenAPI document, the defaults of a row, and a route
 * served from its row (`apiHandler`) without building the error answers only the document reads.
 * The todo app's own rows are pinned whole by test/openApiDocument.unit.test.ts.
 */
import * as z from 'zod';
import { KIT_ID_PATTERN, apiHandler, apiRoute, openApiDocument, routesFor, successOf, type ApiRoute } from '../src';
import { uuidFrom } from '../src/commandKeys';
import { newId } from '../src/ids';
import { apiEvent, callRoute } from './support/apiEvent';

type Operation = {
  summary: string;
  description?: string;
  tags: string[];
  security: unknown[];
  parameters?: unknown[];
  responses: Record<string, { description: string; content: { 'application/json': { schema: Record<string, any> } } }>;
};
const operationOf = (route: ApiRoute): Operation => {
  const document = openApiDocument({ info: { title: 't', version: '1' }, routes: { it: route } }) as unknown as {
    paths: Record<string, Record<string, Operation>>;
  };
  return document.paths[route.path]![route.method.toLowerCase()]!;
};
/** Each status with its description and the codes its body can carry (the 401 and 5xx also take the gateway's own body). */
const answersOf = (route: ApiRoute) =>
  Object.fromEntries(
    Object.entries(operationOf(route).responses).map(([status, { description, content }]) => {
      const schema = content['application/json'].schema;
      const errorBody = status === '401' || status.startsWith('5') ? schema.anyOf[0] : schema;
      return [status, { description, codes: errorBody.properties?.error?.properties.code.enum }];
    }),
  );

const route = routesFor<'THING_NOT_FOUND' | 'THING_LOCKED' | 'SLOW_DOWN'>();
const answer = z.object({ id: z.string() });

describe('routesFor', () => {
  it('a command: 200 "OK" by default, the kit’s errors of every route and every command, the app’s codes after the kit’s, each once', () => {
    const command = route.command({
      method: 'POST',
      path: '/things/{id}/lock',
      summary: 'Lock a thing',
      description: 'Locks it for everyone else',
      request: { params: z.object({ id: z.string() }) },
      answer,
      errors: { 404: ['THING_NOT_FOUND'], 409: ['THING_LOCKED', 'CONCURRENCY_CONFLICT'], 429: ['SLOW_DOWN'] },
    });
    expect(operationOf(command)).toMatchObject({
      summary: 'Lock a thing',
      description: 'Locks it for everyone else',
      tags: ['commands'],
      security: [{ bearerAuth: [] }],
    });
    expect(answersOf(command)).toEqual({
      200: { description: 'OK', codes: undefined },
      400: {
        description: 'The request is not valid: MALFORMED_JSON, VALIDATION_ERROR',
        codes: ['MALFORMED_JSON', 'VALIDATION_ERROR'],
      },
      401: { description: 'No valid bearer token: UNAUTHORIZED', codes: ['UNAUTHORIZED'] },
      404: {
        description: "Not found (another user's data is not found either): THING_NOT_FOUND",
        codes: ['THING_NOT_FOUND'],
      },
      409: {
        description: 'Refused by the current state: CONCURRENCY_CONFLICT, THING_LOCKED',
        codes: ['CONCURRENCY_CONFLICT', 'THING_LOCKED'],
      },
      413: { description: 'The body is over 64 KB: PAYLOAD_TOO_LARGE', codes: ['PAYLOAD_TOO_LARGE'] },
      415: {
        description: 'The body is not JSON (Content-Type must be application/json): UNSUPPORTED_MEDIA_TYPE',
        codes: ['UNSUPPORTED_MEDIA_TYPE'],
      },
      422: {
        description: 'This Idempotency-Key was used with a different request: IDEMPOTENCY_KEY_REUSED',
        codes: ['IDEMPOTENCY_KEY_REUSED'],
      },
      // A status the kit has no words for is described by its codes alone.
      429: { description: 'Error: SLOW_DOWN', codes: ['SLOW_DOWN'] },
      500: { description: 'Something went wrong on our side: INTERNAL_ERROR', codes: ['INTERNAL_ERROR'] },
    });
  });

  it('a query: no command errors (409, 422), no request parts unless declared (but X-Correlation-Id), its own success status and words', () => {
    const query = route.query({
      method: 'GET',
      path: '/things',
      summary: 'Things',
      status: 201,
      ok: 'Some things',
      answer,
    });
    expect(operationOf(query)).toMatchObject({ tags: ['queries'], security: [{ bearerAuth: [] }] });
    // No Idempotency-Key: only commands honour it.
    expect(operationOf(query).parameters).toEqual([{ $ref: '#/components/parameters/CorrelationId' }]);
    // No description declared: the kit's words for every query.
    expect(operationOf(query).description).toMatch(/^A query, answered from the views/);
    expect(Object.keys(answersOf(query))).toEqual(['201', '400', '401', '413', '415', '500']);
    expect(answersOf(query)[201]).toEqual({ description: 'Some things', codes: undefined });
  });
});

describe('routesFor: path parameters from the path', () => {
  const params = (route: ApiRoute) => route.request.params!;
  const idOnly = routesFor<'THING_NOT_FOUND'>({
    pathParam: z
      .string()
      .regex(/^[a-z0-9]+$/)
      .meta({ id: 'ThingId' }),
  });

  it('a route that declares no params gets one per `{name}` in its path, each the app’s path parameter', () => {
    const lock = idOnly.command({
      method: 'POST',
      path: '/things/{thingId}/parts/{partId}/lock',
      summary: 'Lock',
      answer,
    });
    expect(z.safeParse(params(lock), { thingId: 't1', partId: 'p2' })).toEqual({
      success: true,
      data: { thingId: 't1', partId: 'p2' },
    });
    expect(z.safeParse(params(lock), { thingId: 'T-1', partId: 'p2' }).success).toBe(false);
    expect(z.safeParse(params(lock), { thingId: 't1' }).success).toBe(false);
    // In the document: both required path parameters, each the app's id schema.
    expect(operationOf(lock).parameters).toEqual([
      expect.objectContaining({ name: 'thingId', in: 'path', required: true }),
      expect.objectContaining({ name: 'partId', in: 'path', required: true }),
      { $ref: '#/components/parameters/IdempotencyKey' },
      { $ref: '#/components/parameters/CorrelationId' },
    ]);
    // Typed from the path: `thingId` and `partId` are strings (a typo would not compile).
    const typed: { thingId: string; partId: string } = z.parse(lock.request.params, { thingId: 'a', partId: 'b' });
    expect(typed.partId).toBe('b');
  });

  it('without an app schema a path parameter is an id the kit mints (a lower-case UUID); a path without parameters gets none', () => {
    const get = route.query({ method: 'GET', path: '/things/{thingId}', summary: 'A thing', answer });
    // Both kinds the kit mints: a random UUID v4 (newId) and a v8 derived from an Idempotency-Key (uuidFrom).
    expect(z.safeParse(params(get), { thingId: newId() }).success).toBe(true);
    expect(z.safeParse(params(get), { thingId: uuidFrom('seed') }).success).toBe(true);
    // Anything else: made-up names, prototype keys, an upper-case spelling, other UUID versions.
    for (const thingId of [
      'x'.repeat(128),
      'x'.repeat(129),
      '',
      '__proto__',
      'constructor',
      'hasOwnProperty',
      newId().toUpperCase(),
      '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
    ]) {
      expect({ thingId, ok: z.safeParse(params(get), { thingId }).success }).toEqual({ thingId, ok: false });
    }
    // In the document: the shared `ID` component, a UUID with the kit's pattern.
    const document = openApiDocument({ info: { title: 't', version: '1' }, routes: { it: get } }) as unknown as {
      components: { schemas: Record<string, unknown> };
    };
    expect(operationOf(get).parameters).toEqual([
      { name: 'thingId', in: 'path', required: true, schema: { $ref: '#/components/schemas/ID' } },
      { $ref: '#/components/parameters/CorrelationId' },
    ]);
    expect(document.components.schemas.ID).toEqual(
      expect.objectContaining({ type: 'string', format: 'uuid', pattern: KIT_ID_PATTERN.source }),
    );
    expect(route.query({ method: 'GET', path: '/things', summary: 'Things', answer }).request.params).toBeUndefined();
  });

  it('keeps params the route declares, and refuses ones whose names are not its path’s', () => {
    // In any order: a schema's fields need not follow the path's.
    for (const both of [
      z.object({ thingId: z.string(), partId: z.string() }),
      z.object({ partId: z.string(), thingId: z.string() }),
    ]) {
      expect(
        route.command({
          method: 'POST',
          path: '/things/{thingId}/parts/{partId}',
          summary: 'Add',
          request: { params: both },
          answer,
        }).request.params,
      ).toBe(both);
    }
    const declared = z.object({ thingId: z.uuid() });
    expect(
      route.command({
        method: 'DELETE',
        path: '/things/{thingId}',
        summary: 'Drop',
        request: { params: declared },
        answer,
      }).request.params,
    ).toBe(declared);
    expect(() =>
      route.command({ method: 'DELETE', path: '/things/{id}', summary: 'Drop', request: { params: declared }, answer }),
    ).toThrow('DELETE /things/{id}: its params schema names thingId, its path id');
    expect(() =>
      route.query({ method: 'GET', path: '/things', summary: 'Things', request: { params: declared }, answer }),
    ).toThrow('GET /things: its params schema names thingId, its path nothing');
  });
});

describe('a route served from its row (apiHandler)', () => {
  const things = (responses: () => ApiRoute['responses'], success?: ApiRoute['success']) =>
    apiRoute({
      method: 'GET',
      path: '/things',
      summary: 'Things',
      auth: 'jwt',
      request: {},
      ...(success ? { success } : {}),
      get responses() {
        return responses();
      },
    });

  it('answers with its 2xx status and only the documented fields of its answer', async () => {
    const handler = apiHandler(
      things(() => ({ 201: { description: 'Made', schema: answer } })),
      async () => ({ id: 'a', secret: 'not documented' }),
    );
    expect(await callRoute(handler, apiEvent())).toMatchObject({ status: 201, body: { id: 'a' } });
    expect((await callRoute(handler, apiEvent())).body).not.toHaveProperty('secret');
  });

  it('never builds the error answers when the row names its success apart (only the OpenAPI document reads them)', async () => {
    const built = jest.fn(() => ({ 200: { description: 'OK', schema: answer } }));
    const handler = apiHandler(
      things(built, { status: 202, response: { description: 'Accepted', schema: answer } }),
      async () => ({ id: 'a' }),
    );
    expect(await callRoute(handler, apiEvent())).toMatchObject({ status: 202, body: { id: 'a' } });
    expect(built).not.toHaveBeenCalled();
  });

  it.each([
    ['no 2xx answer', { 199: { description: 'x', schema: answer }, 300: { description: 'x', schema: answer } }],
    ['two 2xx answers', { 200: { description: 'x', schema: answer }, 299: { description: 'x', schema: answer } }],
  ])('is refused with %s', (_name, responses) => {
    expect(() => successOf(things(() => responses))).toThrow('GET /things needs exactly one 2xx answer');
  });

  it('takes the one 2xx answer among others, whatever its status', () => {
    const ok = { description: 'x', schema: answer };
    expect(successOf(things(() => ({ 199: ok, 200: ok, 300: ok, 404: ok }))).status).toBe(200);
    expect(successOf(things(() => ({ 199: ok, 299: ok, 300: ok }))).status).toBe(299);
  });
});

describe('openApiDocument: parameters and bodies', () => {
  const operation = operationOf(
    apiRoute({
      method: 'POST',
      path: '/things/{id}',
      summary: 'x',
      auth: 'none',
      request: {
        // Optional in its schema, yet a path parameter is always there.
        params: z.object({ id: z.string().optional() }),
        query: z.object({ q: z.string(), page: z.string().optional() }),
        body: z.object({ title: z.string(), count: z.number().default(1) }),
      },
      responses: { 200: { description: 'OK', schema: answer } },
    }),
  ) as Operation & { requestBody: { content: { 'application/json': { schema: { required: string[] } } } } };

  it('marks path parameters required always, query parameters as their schema says', () => {
    expect(
      (operation.parameters as { name: string; in: string; required: boolean }[]).map(
        ({ name, in: where, required }) => ({ name, in: where, required }),
      ),
    ).toEqual([
      { name: 'id', in: 'path', required: true },
      { name: 'q', in: 'query', required: true },
      { name: 'page', in: 'query', required: false },
    ]);
  });

  it('documents the body as the client sends it: a field with a default may be left out', () => {
    expect(operation.requestBody.content['application/json'].schema.required).toEqual(['title']);
  });
});
