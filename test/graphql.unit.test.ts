import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { GraphQLObjectType, GraphQLSchema, getIntrospectionQuery, graphql, printSchema } from 'graphql';
import * as z from 'zod';
import { app } from '../handlers/app';
import { HttpError, MAX_BODY_BYTES, createRuntime, graphqlNameOf, routesOf, successOf, type ApiRoute } from '../src';
import { graphqlSchemaOf } from '../src/app/graphql';
import { shapeOf } from '../src/http/schema';

const apiRoutes = routesOf(app);
import {
  GraphQLJSON,
  MAX_GRAPHQL_QUERY_LENGTH,
  ZodGraphQLTypes,
  graphqlRoute,
  type GraphQLContext,
} from '../src/graphql';
import { logger } from '../src/observability';
import { bearerFor } from './support/bearer';

// A small schema built the way handlers/entries/graphql.ts builds the todo one: from zod schemas.
const id = z
  .string()
  .regex(/^[a-z0-9-]+$/)
  .meta({ id: 'ID' });
const thing = z
  .object({
    thingId: id,
    name: z.string(),
    size: z.number().int(),
    weight: z.number().optional(),
    kind: z.enum(['Small', 'Large']),
    extra: z.record(z.string(), z.unknown()),
    parts: z.array(z.object({ label: z.string() })),
  })
  .meta({ id: 'Thing', description: 'A thing' });
const thingArgs = z
  .object({
    thingId: id,
    name: z.string().trim().min(1).max(5).optional(),
    at: z.coerce.number().int().min(1).optional(),
  })
  .strict();

const seen: unknown[] = [];
const types = new ZodGraphQLTypes<GraphQLContext>();
const schema = new GraphQLSchema({
  query: new GraphQLObjectType<unknown, GraphQLContext>({
    name: 'Query',
    fields: {
      thing: types.field('thing', {
        args: thingArgs,
        type: thing,
        resolve: async (args, context) => {
          seen.push({ args, userId: context.userId });
          if (args.thingId === 'missing')
            throw new HttpError(404, 'THING_NOT_FOUND', 'No such thing', { thingId: args.thingId });
          if (args.thingId === 'behind') throw new HttpError(503, 'VIEW_BEHIND', 'Later', undefined, 1);
          if (args.thingId === 'boom') throw new Error('secret internal detail at /var/task/handler.js');
          return {
            thingId: args.thingId,
            name: args.name ?? 'n',
            size: 1,
            kind: 'Small',
            extra: { any: ['json'] },
            parts: [{ label: 'p' }],
          };
        },
      }),
    },
  }),
});

const event = (body: unknown, sub: string | null = 'alice') =>
  ({
    version: '2.0',
    routeKey: 'POST /graphql',
    rawPath: '/graphql',
    // Every request with a body says it is JSON (else 415, see the media type tests).
    headers: { 'content-type': 'application/json', ...(sub === null ? {} : { authorization: bearerFor(sub) }) },
    isBase64Encoded: false,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    requestContext: {
      requestId: 'req-1',
      authorizer:
        sub === null ? undefined : { jwt: { claims: { sub }, scopes: [] }, principalId: '', integrationLatency: 0 },
    },
  }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

const route = (
  options: {
    introspection?: boolean;
    maxDepth?: number;
    maxTokens?: number;
    maxCost?: number;
    maxAnswerBytes?: number;
  } = {},
) => graphqlRoute({ schema, introspection: options.introspection ?? false, ...options });
const post = async (body: unknown, options: Parameters<typeof route>[0] = {}, sub: string | null = 'alice') => {
  const result = (await route(options)(event(body, sub), {} as Context)) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode, body: JSON.parse(result.body ?? 'null') };
};

describe('GraphQL types from zod schemas', () => {
  it('maps the schema named ID to ID, required fields to non-null, enums, arrays, records (JSON) and optionals', () => {
    const sdl = printSchema(schema);
    expect(sdl).toContain('thing(thingId: ID!, name: String, at: Int): Thing');
    expect(sdl).toContain('"""A thing"""\ntype Thing {');
    for (const line of [
      'thingId: ID!',
      'name: String!',
      'size: Int!',
      'weight: Float\n',
      'kind: ThingKind!',
      'extra: JSON!',
      'parts: [ThingPartsItem!]!',
    ]) {
      expect(sdl).toContain(line);
    }
    expect(sdl).toContain('enum ThingKind {\n  Small\n  Large\n}');
  });

  // A body field that can be cleared (`.nullable()`) came out as `String!` and could never be null.
  it('keeps a required but nullable argument nullable, and passes an explicit null through to it', async () => {
    const got: unknown[] = [];
    const local = new ZodGraphQLTypes<GraphQLContext>();
    const args = z.object({ thingId: id, due: z.iso.date().nullable(), note: z.string().optional() }).strict();
    const clearable = new GraphQLSchema({
      query: new GraphQLObjectType<unknown, GraphQLContext>({
        name: 'Query',
        fields: {
          setDue: local.field('setDue', {
            args,
            type: z.object({ ok: z.boolean() }),
            resolve: async (a) => {
              got.push(a);
              return { ok: true };
            },
          }),
        },
      }),
    });
    expect(printSchema(clearable)).toContain('setDue(thingId: ID!, due: String, note: String)');
    const run = graphqlRoute({ schema: clearable, introspection: false });
    const call = async (query: string) =>
      (await run(event({ query }), {} as Context)) as APIGatewayProxyStructuredResultV2;
    await call('{ setDue(thingId: "a", due: null, note: null) { ok } }');
    await call('{ setDue(thingId: "a", due: "2026-12-24") { ok } }');
    expect(got).toEqual([
      { thingId: 'a', due: null },
      { thingId: 'a', due: '2026-12-24' },
    ]);
    const missing = JSON.parse(String((await call('{ setDue(thingId: "a") { ok } }')).body));
    expect(missing.errors[0].extensions.code).toBe('VALIDATION_ERROR');
  });
});

describe('the SDL of a schema built from zod schemas', () => {
  // Every kind of schema a REST answer or argument may use, and what a GraphQL client reads of it.
  const title = z.string().min(1).meta({ id: 'Title', description: 'A title, 1 character or more' });
  const tag = z
    .object({ name: title, color: z.string().nullable().meta({ description: 'Its colour, if it has one' }) })
    .meta({ id: 'Tag', description: 'A tag' });
  const card = z
    .object({
      cardId: id,
      title,
      status: z.enum(['in-progress', 'done']),
      urgency: z.enum(['Low', 'High']).meta({ description: 'How soon' }),
      pinned: z.boolean().meta({ description: 'Shown first' }),
      due: z.iso.date().meta({ description: 'When it is due' }).nullable(),
      size: z.number().int().nullable().meta({ description: 'Its size, if known' }),
      note: z.string().nullable(),
      tags: z.array(tag),
      mainTag: tag.optional(),
      at: z.tuple([z.number(), z.number()]),
      value: z.union([z.string().min(1), z.number().int()]),
      maybe: z.union([z.string(), z.number()]).nullable(),
      nothing: z.null(),
    })
    .meta({ id: 'Card' });
  const cardArgs = z
    .object({
      cardId: id,
      title: title.optional(),
      pinned: z.boolean().meta({ description: 'Pinned ones only' }).optional(),
      note: z.string().nullable(),
    })
    .strict();
  const got: unknown[] = [];
  // Built before the tests, not while the file loads: a schema the kit cannot build fails them.
  let cards: GraphQLSchema;
  beforeAll(() => {
    cards = schemaOfCards();
  });
  const schemaOfCards = () => {
    const local = new ZodGraphQLTypes<GraphQLContext>();
    return new GraphQLSchema({
      query: new GraphQLObjectType<unknown, GraphQLContext>({
        name: 'Query',
        fields: {
          card: local.field('card', {
            description: 'One card',
            args: cardArgs,
            type: card,
            resolve: async (args) => {
              got.push(args);
              return {
                cardId: args.cardId,
                title: 't',
                status: 'done',
                urgency: 'Low',
                pinned: false,
                due: null,
                size: null,
                note: args.note,
                tags: [],
                at: [1, 2],
                value: 1,
                maybe: null,
                nothing: null,
              };
            },
          }),
          // The JSON scalar as an argument too, in a field written by hand.
          echo: {
            type: GraphQLJSON,
            args: { value: { type: GraphQLJSON } },
            resolve: (_source, { value }: { value: unknown }) => value,
          },
        },
      }),
    });
  };

  it('names types after their schema or their field, keeps descriptions and nullability, and falls back to String and JSON', () => {
    expect(printSchema(cards)).toBe(
      [
        'type Query {',
        '  """One card"""',
        '  card(',
        '    cardId: ID!',
        '    title: String',
        '',
        '    """Pinned ones only"""',
        '    pinned: Boolean',
        '    note: String',
        '  ): Card',
        '  echo(value: JSON): JSON',
        '}',
        '',
        'type Card {',
        '  cardId: ID!',
        '  title: String!',
        '  status: String!',
        '',
        '  """How soon"""',
        '  urgency: CardUrgency!',
        '',
        '  """Shown first"""',
        '  pinned: Boolean!',
        '',
        '  """When it is due"""',
        '  due: String',
        '',
        '  """Its size, if known"""',
        '  size: Int',
        '  note: String',
        '  tags: [Tag!]!',
        '  mainTag: Tag',
        '  at: JSON!',
        '  value: JSON!',
        '  maybe: JSON',
        '  nothing: JSON',
        '}',
        '',
        '"""How soon"""',
        'enum CardUrgency {',
        '  Low',
        '  High',
        '}',
        '',
        '"""A tag"""',
        'type Tag {',
        '  name: String!',
        '',
        '  """Its colour, if it has one"""',
        '  color: String',
        '}',
        '',
        '"""Any JSON value"""',
        'scalar JSON',
      ].join('\n'),
    );
  });

  // `z.string().nullable()` is `type: ["string", "null"]` in JSON Schema: it came out as a JSON!
  // field and could not be an argument; and a required field that may be null was non-null, so a
  // null in the answer failed the whole object.
  it('answers null for a field that may be null, and passes an explicit null to an argument that takes it', async () => {
    got.length = 0;
    const answer = await graphql({
      schema: cards,
      source: '{ card(cardId: "a", note: null) { cardId due size note at value maybe nothing } }',
    });
    expect(answer).toEqual({
      data: {
        card: { cardId: 'a', due: null, size: null, note: null, at: [1, 2], value: 1, maybe: null, nothing: null },
      },
    });
    expect(got).toEqual([{ cardId: 'a', note: null }]);
  });

  it('takes and answers any JSON value as the JSON scalar, written in the query or as a variable', async () => {
    const value = { list: [1, 'two', null, { three: true }] };
    expect(
      await graphql({ schema: cards, source: '{ echo(value: { list: [1, "two", null, { three: true }] }) }' }),
    ).toEqual({ data: { echo: value } });
    expect(
      await graphql({ schema: cards, source: 'query($v: JSON) { echo(value: $v) }', variableValues: { v: value } }),
    ).toEqual({ data: { echo: value } });
  });

  // GraphQL's ID is answered as a string: an integer named ID stays an Int, as REST answers it.
  it('maps only a string schema named ID to ID', async () => {
    const count = z.number().int().meta({ id: 'ID' });
    const numbered = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: {
          count: new ZodGraphQLTypes().field('count', {
            args: z.object({ n: count }),
            type: z.object({ n: count }),
            resolve: (args) => args,
          }),
        },
      }),
    });
    expect(printSchema(numbered)).toContain('count(n: Int!): Count');
    expect(await graphql({ schema: numbered, source: '{ count(n: 42) { n } }' })).toEqual({
      data: { count: { n: 42 } },
    });
  });

  it('refuses to build an argument that is not a scalar', () => {
    expect(() =>
      new ZodGraphQLTypes().field('find', {
        args: z.object({ filter: z.object({ name: z.string() }) }),
        type: card,
        resolve: () => null,
      }),
    ).toThrow(/only scalar arguments/);
  });
});

describe('graphqlRoute', () => {
  beforeEach(() => (seen.length = 0));

  it('answers 200 with data, and hands the resolver zod-checked arguments and the caller', async () => {
    const response = await post({
      query: '{ thing(thingId: "a-1", name: "  ab  ", at: 2) { thingId name kind extra parts { label } } }',
    });
    expect(response).toEqual({
      status: 200,
      body: {
        data: {
          thing: { thingId: 'a-1', name: 'ab', kind: 'Small', extra: { any: ['json'] }, parts: [{ label: 'p' }] },
        },
      },
    });
    expect(seen).toEqual([{ args: { thingId: 'a-1', name: 'ab', at: 2 }, userId: 'alice' }]);
  });

  it('refuses arguments the zod schema refuses with VALIDATION_ERROR and its details, before the resolver runs', async () => {
    const response = await post({
      query: 'query($n: String) { thing(thingId: "UPPER", name: $n) { name } }',
      variables: { n: '   ' },
    });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ thing: null });
    expect(response.body.errors).toEqual([
      {
        message: 'The arguments of thing are not valid',
        locations: [{ line: 1, column: 21 }],
        path: ['thing'],
        extensions: {
          code: 'VALIDATION_ERROR',
          details: [
            { path: 'thingId', message: expect.any(String) },
            { path: 'name', message: expect.any(String) },
          ],
        },
      },
    ]);
    expect(seen).toHaveLength(0);
  });

  it('treats an explicit null argument as not given', async () => {
    expect((await post({ query: '{ thing(thingId: "a", name: null) { name } }' })).body).toEqual({
      data: { thing: { name: 'n' } },
    });
  });

  it('answers errors with an HTTP meaning with their code, details and Retry-After as extensions', async () => {
    const missing = await post({ query: '{ thing(thingId: "missing") { name } }' });
    expect(missing.body.errors[0]).toMatchObject({
      message: 'No such thing',
      extensions: { code: 'THING_NOT_FOUND', details: { thingId: 'missing' } },
    });
    const behind = await post({ query: '{ thing(thingId: "behind") { name } }' });
    expect(behind.body.errors[0].extensions).toEqual({ code: 'VIEW_BEHIND', retryAfterSeconds: 1 });
  });

  it('answers an unexpected error as INTERNAL_ERROR that leaks nothing, and logs it', async () => {
    const logged = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    const response = await post({
      query: 'query Q { other: thing(thingId: "boom") { name } ok: thing(thingId: "b") { name } }',
    });
    expect(logged).toHaveBeenCalledWith(
      'Unhandled error in a GraphQL resolver',
      expect.objectContaining({ graphqlPath: 'other' }),
    );
    logged.mockRestore();
    expect(response.body).toEqual({
      data: { other: null, ok: { name: 'n' } },
      errors: [
        {
          message: 'Something went wrong on our side',
          locations: [{ line: 1, column: 11 }],
          path: ['other'],
          extensions: { code: 'INTERNAL_ERROR' },
        },
      ],
    });
    expect(JSON.stringify(response.body)).not.toMatch(/secret|var\/task|Error/);
  });

  it.each([
    ['a syntax error', { query: '{ thing(' }, 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', { query: '{ nothing }' }, 'GRAPHQL_VALIDATION_FAILED'],
    [
      'a wrongly typed variable',
      { query: 'query($t: ID!) { thing(thingId: $t) { name } }', variables: { t: { no: 1 } } },
      'BAD_USER_INPUT',
    ],
    [
      'an unknown operation name',
      { query: 'query A { thing(thingId: "a") { name } }', operationName: 'B' },
      'BAD_USER_INPUT',
    ],
  ])('answers %s with a GraphQL error and no data', async (_name, body, code) => {
    const response = await post(body);
    expect(response.status).toBe(200);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors[0].extensions.code).toBe(code);
    expect(seen).toHaveLength(0);
  });

  it('answers at most 10 validation errors, and one saying it stopped there', async () => {
    const response = await post({ query: `{ ${Array.from({ length: 20 }, (_, i) => `unknown${i}`).join(' ')} }` });
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toHaveLength(11);
    expect(response.body.errors[10]).toMatchObject({
      message: expect.stringContaining('Too many validation errors'),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('refuses an operation deeper than maxDepth, counting through fragments and inline fragments', async () => {
    const query = 'query { thing(thingId: "a") { ...P } } fragment P on Thing { ... on Thing { parts { label } } }';
    expect((await post({ query }, { maxDepth: 3 })).body.data).toEqual({ thing: { parts: [{ label: 'p' }] } });
    const deep = await post({ query }, { maxDepth: 2 });
    expect(deep.body).toEqual({
      errors: [
        {
          message: 'The operation is nested more than 2 fields deep',
          locations: [{ line: 1, column: 1 }],
          extensions: { code: 'QUERY_TOO_DEEP' },
        },
      ],
    });
    expect(seen).toHaveLength(1);
  });

  it('refuses a request over maxCost before any resolver runs, counting a list nobody sized as 100 items', async () => {
    // thing: one read (10), itself (1), parts (1 + 100 × label).
    const query = '{ thing(thingId: "a") { parts { label } } }';
    expect((await post({ query }, { maxCost: 112 })).body.data).toEqual({ thing: { parts: [{ label: 'p' }] } });
    seen.length = 0;
    const over = await post({ query: `${query.slice(0, -1)} again: thing(thingId: "b") { name } }` }, { maxCost: 112 });
    expect(over.body).toEqual({
      errors: [
        {
          message: expect.stringContaining('would cost 124, over the limit of 112 per request'),
          locations: [{ line: 1, column: 1 }],
          extensions: { code: 'GRAPHQL_TOO_COSTLY', details: { cost: 124, maxCost: 112 } },
        },
      ],
    });
    expect(seen).toHaveLength(0);
  });

  it('answers ANSWER_TOO_LARGE in place of an answer over maxAnswerBytes, measured as the Lambda result carries it', async () => {
    const warned = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const query = '{ thing(thingId: "a", name: "\\"\\"") { name } }';
    const answer = JSON.stringify({ data: { thing: { name: '""' } } });
    const asSent = Buffer.byteLength(JSON.stringify(answer));
    expect((await post({ query }, { maxAnswerBytes: asSent })).body).toEqual({ data: { thing: { name: '""' } } });
    const over = await post({ query }, { maxAnswerBytes: asSent - 1 });
    warned.mockRestore();
    expect(over).toEqual({
      status: 200,
      body: {
        errors: [
          {
            message: expect.stringContaining(`would be ${asSent} bytes`),
            extensions: { code: 'ANSWER_TOO_LARGE', details: { bytes: asSent, maxBytes: asSent - 1 } },
          },
        ],
      },
    });
  });

  it('refuses a query with more tokens than maxTokens before validating it', async () => {
    const aliases = Array.from({ length: 50 }, (_, i) => `a${i}: thing(thingId: "a") { name }`).join(' ');
    expect((await post({ query: `{ ${aliases} }` }, { maxTokens: 200 })).body.errors[0].extensions.code).toBe(
      'GRAPHQL_PARSE_FAILED',
    );
    expect(seen).toHaveLength(0);
  });

  it('answers introspection only when it is switched on; the full introspection query passes the depth limit then', async () => {
    const off = await post({ query: '{ __schema { queryType { name } } }' });
    expect(off.body.errors[0]).toMatchObject({
      message: expect.stringContaining('introspection'),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const on = await post({ query: getIntrospectionQuery() }, { introspection: true });
    expect(on.body.errors).toBeUndefined();
    expect(on.body.data.__schema.queryType).toMatchObject({ name: 'Query' });
  });

  it.each([
    ['no token', { query: '{ thing(thingId: "a") { name } }' }, null, 401, 'UNAUTHORIZED'],
    ['malformed JSON', '{"query":', 'alice', 400, 'MALFORMED_JSON'],
    ['no query', { variables: {} }, 'alice', 400, 'VALIDATION_ERROR'],
    ['an unknown body field', { query: '{ a }', queries: [] }, 'alice', 400, 'VALIDATION_ERROR'],
    [
      'a query over the length cap',
      { query: `{ thing(thingId: "a") { name } }${' '.repeat(MAX_GRAPHQL_QUERY_LENGTH)}` },
      'alice',
      400,
      'VALIDATION_ERROR',
    ],
    [
      'a body over 64 KB',
      { query: '{ a }', variables: { pad: 'x'.repeat(MAX_BODY_BYTES) } },
      'alice',
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ])('answers %s as every REST route does', async (_name, body, sub, status, code) => {
    const response = await post(body, {}, sub);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(seen).toHaveLength(0);
  });
});

describe('the todo GraphQL schema (handlers/entries/graphql.ts)', () => {
  let todo: GraphQLSchema;
  beforeAll(() => {
    // The runtime reads its config at creation; nothing is called here.
    todo = graphqlSchemaOf(
      createRuntime(
        app,
        { tablePrefix: 't-', graphqlIntrospection: false },
        { DYNAMODB_ENDPOINT: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1' },
      ),
    );
  });

  const shapeKeys = (schema: z.core.$ZodType | undefined) => Object.keys(schema ? (shapeOf(schema) ?? {}) : {});
  const nameOf = (schema: z.core.$ZodType) => (z.globalRegistry.get(schema) as { id?: string } | undefined)?.id;

  it('has one mutation per command route, taking its path parameters and body fields, answering its REST answer type', () => {
    const commands = Object.entries(apiRoutes).filter(([, r]) => r.method !== 'GET' && r.path !== '/graphql');
    const mutations = todo.getMutationType()!.getFields();
    expect(Object.keys(mutations).sort()).toEqual(commands.map(([name]) => name).sort());
    for (const [name, route] of commands as [string, ApiRoute][]) {
      const mutation = mutations[name]!;
      expect({ name, args: mutation.args.map((a) => a.name) }).toEqual({
        name,
        args: [...shapeKeys(route.request.params), ...shapeKeys(route.request.body)],
      });
      expect({ name, type: String(mutation.type) }).toEqual({ name, type: nameOf(successOf(route).response.schema) });
    }
  });

  it('has a field for every query of the declaration (lists, list, stats, events and tags among them), typed like the REST answers', () => {
    const fields = todo.getQueryType()!.getFields();
    // Derived from the declaration, so a new aggregate's queries need no edit here.
    const declared = Object.entries(app.queries).map(([name, query]) => graphqlNameOf(name, query));
    expect(Object.keys(fields).sort()).toEqual([...declared].sort());
    expect(declared).toEqual(expect.arrayContaining(['events', 'list', 'lists', 'stats', 'tags']));
    expect(String(fields.tags!.type)).toBe(nameOf(successOf(apiRoutes.getTags!).response.schema));
    expect(String(fields.lists!.type)).toBe(nameOf(successOf(apiRoutes.getLists!).response.schema));
    expect(String(fields.list!.type)).toBe(nameOf(successOf(apiRoutes.getList!).response.schema));
    expect(String(fields.stats!.type)).toBe(nameOf(successOf(apiRoutes.getStats!).response.schema));
    expect(fields.list!.args.map((a) => `${a.name}: ${String(a.type)}`)).toEqual([
      'listId: ID!',
      'minVersion: Int',
      'atVersion: Int',
    ]);
    expect(fields.events!.args.map((a) => `${a.name}: ${String(a.type)}`)).toEqual([
      'listId: ID!',
      'limit: Int',
      'nextToken: String',
    ]);
  });
});
