/**
 * `graphqlJsonSchemaOf` gives what zod's own `z.toJSONSchema` gives for every key the GraphQL types
 * are built from (type, properties, required, items, enum, nullable, names, descriptions), on
 * both sides of a schema: the todo app's every route schema, and the shapes a user's schema may
 * take. The GraphQL bundle leaves zod's JSON Schema generator out (~21 KB less), so this is
 * where the two are held side by side.
 */
import * as z from 'zod/mini';
import { app } from '../handlers/app';
import { successOf } from '../src/http/apiRoute';
import { graphqlJsonSchemaOf } from '../src/graphql/graphqlJsonSchema';

type Json = Record<string, unknown>;
const READ = ['type', 'properties', 'required', 'items', 'enum', 'anyOf', '$ref', 'description'];

/**
 * zod's JSON Schema cut down to what the GraphQL types read: `type: [A, B]` spelled as the `anyOf`
 * it was compacted from, and a tuple's `items: false` (no more items) as no `items`.
 */
const asRead = (json: Json): Json => {
  if (Array.isArray(json.type)) {
    const { type, ...rest } = json;
    return asRead({ ...rest, anyOf: (type as string[]).map((t) => ({ type: t })) });
  }
  const kept: Json = {};
  for (const key of READ) {
    const value = json[key];
    if (value === undefined) continue;
    if (key === 'properties')
      kept[key] = Object.fromEntries(Object.entries(value as Record<string, Json>).map(([k, v]) => [k, asRead(v)]));
    else if (key === 'items') {
      if (value !== false) kept[key] = asRead(value as Json);
    } else if (key === 'anyOf') kept[key] = (value as Json[]).map(asRead);
    else kept[key] = value;
  }
  return kept;
};

const zodSide = (schema: z.core.$ZodType, io: 'input' | 'output') => {
  const { $defs, ...root } = z.toJSONSchema(schema, { io }) as Json;
  return {
    ...asRead(root),
    ...($defs
      ? { $defs: Object.fromEntries(Object.entries($defs as Record<string, Json>).map(([k, v]) => [k, asRead(v)])) }
      : {}),
  };
};

const expectSame = (schema: z.core.$ZodType, io: 'input' | 'output') =>
  expect(graphqlJsonSchemaOf(schema, io)).toEqual(zodSide(schema, io));

describe('graphqlJsonSchemaOf reads a schema as z.toJSONSchema does', () => {
  const routeSchemas = [...Object.entries(app.commands), ...Object.entries(app.queries)].flatMap(([name, entry]) => {
    const { route } = entry as { route: Parameters<typeof successOf>[0] };
    return [
      [`${name}: its answer`, successOf(route).response.schema, 'output'] as const,
      ...(['params', 'body', 'query'] as const).flatMap((part) => {
        const schema = route.request[part];
        return schema ? [[`${name}: its ${part}`, schema, 'input'] as const] : [];
      }),
    ];
  });

  it('covers the todo app', () => {
    expect(routeSchemas.length).toBeGreaterThan(20);
  });

  it.each(routeSchemas)('%s', (_, schema, io) => expectSame(schema as z.core.$ZodType, io));

  // Named through the registry: a `z.meta({ id })` check would name each refinement of it again.
  const Id = z.string().check(z.regex(/^[a-z]+$/));
  z.globalRegistry.add(Id, { id: 'TestId', description: 'An id' });
  const Node: z.core.$ZodType = z.object({
    id: Id,
    get children() {
      return z.array(Node);
    },
  });
  z.globalRegistry.add(Node, { id: 'Node' });
  enum Color {
    Red = 0,
    Blue = 1,
  }
  const shapes: [string, z.core.$ZodType][] = [
    ['numbers, integers and refined integers', z.object({ a: z.number(), b: z.int(), c: z.number().check(z.int()) })],
    [
      'nullable, optional and defaulted fields',
      z.object({
        a: z.nullable(z.string()),
        b: z.optional(z.int()),
        c: z._default(z.string(), 'x'),
        d: z.nullable(z.string().check(z.maxLength(3))),
      }),
    ],
    [
      'descriptions on fields, wrappers and refinements',
      z.object({
        a: z.string().check(z.describe('plain')),
        b: z.optional(z.int()).check(z.describe('wrapped')),
        c: z.string().check(z.describe('first')).check(z.minLength(1)),
      }),
    ],
    [
      'a named schema, and refinements of it',
      z.object({ a: Id, b: Id.check(z.describe('another')), c: z.optional(Id), d: z.array(Id) }),
    ],
    [
      'enums and literals',
      z.object({
        a: z.enum(['one', 'two']),
        b: z.literal('x'),
        c: z.literal(['a', 'b']),
        d: z.literal(3),
        e: z.nativeEnum(Color),
      }),
    ],
    [
      'unions, records, tuples and anything',
      z.object({
        a: z.union([z.string(), z.number()]),
        b: z.union([z.string(), z.null()]),
        c: z.record(z.string(), z.number()),
        d: z.tuple([z.string()], z.number()),
        e: z.unknown(),
        f: z.tuple([z.string()]),
      }),
    ],
    [
      'pipes and transforms',
      z.object({
        a: z.pipe(
          z.string(),
          z.transform((s) => s.length),
        ),
        b: z.pipe(
          z.transform((v) => String(v)),
          z.string(),
        ),
        c: z.pipe(z.string(), z.string().check(z.minLength(1))),
      }),
    ],
    ['a recursive named schema', Node],
  ];

  it.each(shapes)('%s', (_, schema) => {
    expectSame(schema, 'input');
    if (!_.startsWith('pipes')) expectSame(schema, 'output');
  });

  it('refuses a recursive schema without a name, and what JSON cannot say, as zod does', () => {
    const Loop: z.core.$ZodType = z.object({
      get next() {
        return z.optional(Loop);
      },
    });
    expect(() => graphqlJsonSchemaOf(Loop, 'output')).toThrow('needs a name');
    expect(() => graphqlJsonSchemaOf(z.date(), 'output')).toThrow('cannot be represented');
    expect(() => z.toJSONSchema(z.date(), { io: 'output' })).toThrow('cannot be represented');
  });
});
