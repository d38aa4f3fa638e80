/**
 * An app's GraphQL API as the kit derives it (`src/app/graphql.ts`), with the kit alone (no todo
 * import): what a mutation hands its command (arguments split into path parameters and body, the
 * caller, the Idempotency-Key), what a query's `run` receives, arguments checked by the route's
 * own schemas before anything runs, and each query field priced as its query says.
 */
import * as z from 'zod/mini';
import {
  commandsOf,
  createRuntime,
  defineAggregate,
  defineApp,
  query,
  reads,
  routesFor,
  type DomainEvent,
} from '../src';
import { graphqlCostOf, graphqlHandler, graphqlSchemaOf } from '../src/app/graphql';
import { apiEvent, callRoute } from './support/apiEvent';

type NoteEvent = DomainEvent<'Written', { text: string }>;
const notes = defineAggregate<string[], NoteEvent>({
  streamType: 'note',
  streamPrefix: 'note#',
  initialState: [],
  reducer: (state, e) => [...state, e.data.text],
});
const route = routesFor<'NOTE_NOT_FOUND'>({ pathParam: z.string().check(z.regex(/^[a-z0-9]+$/)) });
const command = commandsOf(notes, { streamId: (payload: { noteId: string }) => payload.noteId });
const write = (_state: string[], payload: { noteId: string; text: string }): NoteEvent[] => [
  { type: 'Written', data: { text: payload.text } },
];
const answer = z.object({ noteId: z.string(), version: z.number() }).check(z.meta({ id: 'NoteAnswer' }));
const textBody = z.strictObject({ text: z.string().check(z.maxLength(10)) });
const note = z.object({ text: z.string() }).check(z.meta({ id: 'Note' }));
const seen: { params: unknown; query: unknown }[] = [];

const app = defineApp({
  service: 'notes',
  title: 'Notes',
  version: '1',
  description: 'A kit test',
  aggregates: [notes],
  views: [],
  commands: {
    writeNote: command(
      write,
      route.command({
        method: 'PUT',
        path: '/notes/{noteId}',
        summary: 'Write a note',
        request: { body: textBody },
        answer,
      }),
    ),
    newNote: command({
      route: route.command({
        method: 'POST',
        path: '/notes',
        summary: 'A new note',
        request: { body: textBody },
        status: 201,
        answer,
      }),
      action: write,
      payload: ({ body, newId }) => ({ noteId: newId(), text: body.text }),
    }),
  },
  queries: {
    getNote: query({
      route: route.query({
        method: 'GET',
        path: '/notes/{noteId}',
        summary: 'A note',
        request: {
          query: z
            .strictObject({ upper: z.optional(z.boolean()), lower: z.optional(z.boolean()) })
            .check(z.refine((q) => !(q.upper && q.lower), 'upper and lower exclude each other')),
        },
        answer: note,
      }),
      reads: [reads.events],
      graphqlCost: (args) => ({ weight: args.upper === true ? 70 : 7, listSizes: {} }),
      run: async ({ params, query: options }) => {
        seen.push({ params, query: options });
        return { text: options.upper ? params.noteId.toUpperCase() : params.noteId };
      },
    }),
    getNotes: query({
      route: route.query({
        method: 'GET',
        path: '/notes',
        summary: 'Every note',
        answer: z.object({ count: z.number() }).check(z.meta({ id: 'NoteCount' })),
      }),
      reads: [reads.events],
      run: async ({ params, query: options }) => {
        seen.push({ params, query: options });
        return { count: 2 };
      },
    }),
  },
});

const real = createRuntime(
  app,
  { tablePrefix: 't-', graphqlIntrospection: false },
  { DYNAMODB_ENDPOINT: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1' },
);
const runCommand = jest.fn(async (_command: unknown, input: { params?: { noteId?: string } }) => ({
  noteId: input.params?.noteId ?? 'n9',
  version: 3,
}));
const runtime = { ...real, runCommand } as unknown as typeof real;
const graphql = graphqlHandler(runtime);
const ask = async (query: string, headers: Record<string, string> = {}) =>
  (
    await callRoute(
      graphql,
      apiEvent({
        routeKey: 'POST /graphql',
        rawPath: '/graphql',
        body: JSON.stringify({ query }),
        headers: { 'content-type': 'application/json', ...headers },
      }),
    )
  ).body as {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string; details?: unknown } }[];
  };

beforeEach(() => {
  runCommand.mockClear();
  seen.length = 0;
});

describe('a mutation runs its command', () => {
  it('with its path parameters and body fields apart, the caller and its Idempotency-Key, and answers the command’s answer', async () => {
    const answered = await ask('mutation { writeNote(noteId: "n1", text: "hi") { noteId version } }', {
      'idempotency-key': 'key-1',
    });
    expect(answered).toEqual({ data: { writeNote: { noteId: 'n1', version: 3 } } });
    expect(runCommand).toHaveBeenCalledTimes(1);
    const [ran, input] = runCommand.mock.calls[0]! as unknown as [unknown, Record<string, unknown>];
    expect(ran).toBe(app.commands.writeNote);
    expect(input).toEqual({
      userId: 'alice',
      correlationId: 'req-1',
      params: { noteId: 'n1' },
      body: { text: 'hi' },
      idempotencyKey: 'key-1',
    });
  });

  it('of a route without path parameters: no params at all, and no key when none is sent', async () => {
    expect(await ask('mutation { newNote(text: "yo") { noteId version } }')).toEqual({
      data: { newNote: { noteId: 'n9', version: 3 } },
    });
    const [, input] = runCommand.mock.calls[0]! as unknown as [unknown, Record<string, unknown>];
    expect(input).toStrictEqual({
      userId: 'alice',
      correlationId: 'req-1',
      params: undefined,
      body: { text: 'yo' },
      idempotencyKey: undefined,
    });
  });

  it('never, when an argument breaks the route’s own schema (a check GraphQL types cannot carry): 400 VALIDATION_ERROR', async () => {
    for (const mutation of [
      'mutation { writeNote(noteId: "N-1", text: "hi") { version } }',
      'mutation { writeNote(noteId: "n1", text: "far too long") { version } }',
    ]) {
      const refused = await ask(mutation);
      expect(refused.data).toEqual({ writeNote: null });
      expect(refused.errors?.[0]).toMatchObject({
        message: 'The arguments of writeNote are not valid',
        extensions: { code: 'VALIDATION_ERROR' },
      });
    }
    expect(runCommand).not.toHaveBeenCalled();
  });
});

describe('a query runs its `run`', () => {
  it('with its path parameters and only the query parameters given', async () => {
    expect(await ask('{ note(noteId: "n1") { text } }')).toEqual({ data: { note: { text: 'n1' } } });
    expect(await ask('{ note(noteId: "n2", upper: true) { text } }')).toEqual({ data: { note: { text: 'N2' } } });
    expect(seen).toStrictEqual([
      { params: { noteId: 'n1' }, query: {} },
      { params: { noteId: 'n2' }, query: { upper: true } },
    ]);
  });

  it('never, when its arguments break a rule of the route’s schema as a whole (GraphQL checks each argument alone)', async () => {
    const refused = await ask('{ note(noteId: "n1", upper: true, lower: true) { text } }');
    expect(refused.data).toEqual({ note: null });
    expect(refused.errors?.[0]).toMatchObject({
      message: 'The arguments of note are not valid',
      extensions: { code: 'VALIDATION_ERROR', details: [{ path: '', message: 'upper and lower exclude each other' }] },
    });
    expect(seen).toEqual([]);
  });

  it('of a route with neither: no params, and an empty query', async () => {
    expect(await ask('{ notes { count } }')).toEqual({ data: { notes: { count: 2 } } });
    expect(seen).toStrictEqual([{ params: undefined, query: {} }]);
  });

  it('a field without arguments takes none, one with takes exactly its route’s', () => {
    const fields = graphqlSchemaOf(runtime).getQueryType()!.getFields();
    expect(fields.notes!.args).toEqual([]);
    expect(fields.note!.args.map((a) => a.name)).toEqual(['noteId', 'upper', 'lower']);
  });
});

describe('prices', () => {
  const costOf = graphqlCostOf(runtime);
  it('a query field is priced as its query declares, from its arguments', () => {
    expect(costOf({ operation: 'query', name: 'note', args: { noteId: 'n1' } })).toEqual({ weight: 7, listSizes: {} });
    expect(costOf({ operation: 'query', name: 'note', args: { noteId: 'n1', upper: true } })).toEqual({
      weight: 70,
      listSizes: {},
    });
  });

  // Its resolver refuses them before `run`: the price never sees them, and it reads nothing.
  it('a query field whose arguments break its route’s schemas weighs 0, whatever its price function says', () => {
    expect(costOf({ operation: 'query', name: 'note', args: {} })).toEqual({ weight: 0 });
    expect(costOf({ operation: 'query', name: 'note', args: { noteId: 'N-1', upper: true } })).toEqual({ weight: 0 });
    expect(costOf({ operation: 'query', name: 'note', args: { noteId: 'n1', upper: true, lower: true } })).toEqual({
      weight: 0,
    });
  });

  it('a mutation, an unpriced query or an unknown field gets the default (undefined), even under a priced query’s name', () => {
    expect(costOf({ operation: 'mutation', name: 'note', args: {} })).toBeUndefined();
    expect(costOf({ operation: 'query', name: 'notes', args: {} })).toBeUndefined();
    expect(costOf({ operation: 'query', name: 'nothing', args: {} })).toBeUndefined();
  });
});

describe('the schema', () => {
  it('is refused when a route part is not an object schema (it could not be arguments)', () => {
    const odd = defineApp({
      ...app,
      queries: {
        getOdd: query({
          route: route.query({
            method: 'GET',
            path: '/odd',
            summary: 'Odd',
            request: { query: z.string() },
            answer: note,
          }),
          reads: [],
          run: async () => ({ text: '' }),
        }),
      },
    });
    expect(() => graphqlSchemaOf({ ...runtime, app: odd })).toThrow(
      'A GraphQL field needs object schemas for its route parts',
    );
  });
});
