/**
 * A GraphQL field's arguments are checked once, by its route's own schemas (refinements included):
 * they were parsed twice, by a strict object merged from the route's parts and then by each part.
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
import { graphqlHandler } from '../src/app/graphql';
import { apiEvent, callRoute } from './support/apiEvent';

type NoteEvent = DomainEvent<'Written', { text: string }>;
const notes = defineAggregate<string[], NoteEvent>({
  streamType: 'note',
  streamPrefix: 'note#',
  initialState: [],
  reducer: (state, e) => [...state, e.data.text],
});
const checks = { text: 0, noteId: 0, limit: 0 };
const counted = (name: keyof typeof checks) =>
  z.refine(() => {
    checks[name] += 1;
    return true;
  });
const route = routesFor<'NOTE_NOT_FOUND'>({ pathParam: z.string().check(counted('noteId')) });
const command = commandsOf(notes, { streamId: (payload: { noteId: string }) => payload.noteId });
const answer = z.object({ noteId: z.string(), version: z.number() }).check(z.meta({ id: 'NoteAnswer' }));

const app = defineApp({
  service: 'notes',
  title: 'Notes',
  version: '1',
  description: 'A kit test',
  aggregates: [notes],
  views: [],
  commands: {
    writeNote: command(
      (_state, payload: { noteId: string; text: string }): NoteEvent[] => [
        { type: 'Written', data: { text: payload.text } },
      ],
      route.command({
        method: 'PUT',
        path: '/notes/{noteId}',
        summary: 'Write a note',
        request: { body: z.strictObject({ text: z.string().check(z.maxLength(10), counted('text')) }) },
        answer,
      }),
    ),
  },
  queries: {
    getNotes: query({
      route: route.query({
        method: 'GET',
        path: '/notes',
        summary: 'Some notes',
        request: { query: z.strictObject({ limit: z.optional(z.number().check(counted('limit'))) }) },
        answer: z.object({ count: z.number() }).check(z.meta({ id: 'NoteCount' })),
      }),
      reads: [reads.events],
      run: async ({ query: options }) => ({ count: options.limit ?? 0 }),
    }),
  },
});

const real = createRuntime(
  app,
  { tablePrefix: 't-', graphqlIntrospection: false },
  { DYNAMODB_ENDPOINT: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1' },
);
const runCommand = jest.fn(async (_command: unknown, input: { params?: { noteId?: string } }) => ({
  noteId: input.params?.noteId ?? '',
  version: 1,
}));
const graphql = graphqlHandler({ ...real, runCommand } as unknown as typeof real);
const ask = async (query: string) =>
  (
    await callRoute(
      graphql,
      apiEvent({
        routeKey: 'POST /graphql',
        rawPath: '/graphql',
        body: JSON.stringify({ query }),
        headers: { 'content-type': 'application/json' },
      }),
    )
  ).body as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };

beforeEach(() => {
  checks.text = 0;
  checks.noteId = 0;
  checks.limit = 0;
});

it("checks a mutation's path parameters and body once each", async () => {
  const answered = await ask('mutation { writeNote(noteId: "n1", text: "hi") { noteId version } }');
  expect(answered).toEqual({ data: { writeNote: { noteId: 'n1', version: 1 } } });
  expect(runCommand).toHaveBeenCalledTimes(1);
  expect(checks).toEqual({ text: 1, noteId: 1, limit: 0 });
});

it("checks a query's arguments once", async () => {
  expect(await ask('{ notes(limit: 3) { count } }')).toEqual({ data: { notes: { count: 3 } } });
  expect(checks).toEqual({ text: 0, noteId: 0, limit: 1 });
});

it('still refuses bad arguments with a 400 naming them, and runs nothing', async () => {
  const answered = await ask('mutation { writeNote(noteId: "n1", text: "far too long a note") { noteId } }');
  expect(answered.errors?.[0]?.extensions?.code).toBe('VALIDATION_ERROR');
  expect(runCommand).toHaveBeenCalledTimes(1);
});
