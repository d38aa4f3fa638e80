/**
 * The short forms of a route and a command, with the kit alone (no todo import): one call a route
 * (`route.post(path, summary, options)`), groups that share an answer and error codes
 * (`route.with`), a command that `creates` an id, and `commandRoutes` (action and route in one
 * call). They must declare exactly what the long form declares: the OpenAPI document of an app
 * declared both ways is the same.
 */
import * as z from 'zod/mini';
import {
  apiDocumentOf,
  commandAnswer,
  commandRoutes,
  kitId,
  commandsOf,
  defineAggregate,
  routesFor,
  stateOf,
  type CommandRequest,
  type DomainEvent,
} from '../src';
import { notesApp } from './support/notesApp';

type NoteEvent = DomainEvent<'Created', { noteId: string; text: string }> | DomainEvent<'Written', { text: string }>;
const notes = defineAggregate<string[], NoteEvent>({
  streamType: 'note',
  streamPrefix: 'note#',
  initialState: [],
  reducer: (state, e) => [...state, e.data.text],
});
const route = routesFor<'NOTE_NOT_FOUND' | 'NOTE_LOCKED' | 'TOO_MANY_NOTES'>();
const answer = z.object({ noteId: z.string(), version: z.number() }).check(z.meta({ id: 'NoteAnswer' }));
const textBody = z.strictObject({ text: z.string() });
const create = (_s: string[], p: { noteId: string; text: string }): NoteEvent[] => [{ type: 'Created', data: p }];
const write = (_s: string[], p: { noteId: string; text: string }): NoteEvent[] => [
  { type: 'Written', data: { text: p.text } },
];
const remove = (_s: string[], _p: { noteId: string }): NoteEvent[] => [];
const request = (part: Partial<CommandRequest>): CommandRequest => ({
  body: undefined,
  params: undefined,
  userId: 'ann',
  correlationId: 'c1',
  newId: () => 'minted',
  reads: {},
  ...part,
});
const command = commandsOf(notes, { streamId: (payload: { noteId: string }) => payload.noteId });

/** The same three commands in the long form. */
const longForm = {
  createNote: command({
    route: route.command({
      method: 'POST',
      path: '/notes',
      summary: 'Create a note',
      request: { body: textBody },
      status: 201,
      ok: 'Created',
      answer,
      errors: { 409: ['TOO_MANY_NOTES'] },
    }),
    action: create,
    payload: ({ body, newId }) => ({ noteId: newId(), text: body.text }),
  }),
  writeNote: command(
    write,
    route.command({
      method: 'PUT',
      path: '/notes/{noteId}',
      summary: 'Write a note',
      request: { body: textBody },
      ok: 'Written',
      answer,
      errors: { 404: ['NOTE_NOT_FOUND'], 409: ['NOTE_LOCKED', 'TOO_MANY_NOTES'] },
    }),
  ),
  deleteNote: command(
    remove,
    route.command({
      method: 'DELETE',
      path: '/notes/{noteId}',
      summary: 'Delete a note',
      ok: 'Deleted',
      answer,
      errors: {},
    }),
  ),
};

const noteRoute = route.with({ answer, errors: { 404: ['NOTE_NOT_FOUND'] } });
const noteCommand = commandRoutes(command, route.with({ answer }));
const shortForm = {
  createNote: noteCommand.post(create, '/notes', 'Create a note', {
    body: textBody,
    creates: 'noteId',
    errors: { 409: ['TOO_MANY_NOTES'] },
  }),
  writeNote: command(
    write,
    noteRoute.with({ errors: { 409: ['NOTE_LOCKED'] } }).put('/notes/{noteId}', 'Write a note', {
      body: textBody,
      ok: 'Written',
      errors: { 409: ['NOTE_LOCKED', 'TOO_MANY_NOTES'] },
    }),
  ),
  deleteNote: noteCommand.delete(remove, '/notes/{noteId}', 'Delete a note'),
};

const appOf = (commands: typeof longForm | typeof shortForm) => notesApp({ aggregates: [notes], commands });

describe('the short form of a route and a command', () => {
  it('declares the same OpenAPI document as the long form', () => {
    expect(JSON.stringify(apiDocumentOf(appOf(shortForm)), null, 2)).toBe(
      JSON.stringify(apiDocumentOf(appOf(longForm)), null, 2),
    );
  });

  it('answers 201 Created for a command that creates an id, 200 Deleted for a DELETE, and 200 OK by default', () => {
    expect(shortForm.createNote.route.success).toMatchObject({ status: 201, response: { description: 'Created' } });
    const get = route.get('/notes', 'Your notes', { answer });
    expect(get.success).toMatchObject({ status: 200, response: { description: 'OK' } });
    expect([get.method, get.tags]).toEqual(['GET', ['queries']]);
    expect(shortForm.deleteNote.route.success).toMatchObject({ status: 200, response: { description: 'Deleted' } });
  });

  it('adds a route’s error codes to its group’s, status by status, in order of first appearance', () => {
    const codes = (status: number) => JSON.stringify(shortForm.writeNote.route.responses[status]?.description);
    expect(codes(404)).toContain(': NOTE_NOT_FOUND"');
    expect(codes(409)).toContain(': CONCURRENCY_CONFLICT, NOTE_LOCKED, TOO_MANY_NOTES"');
  });

  it("declares a command's group with `with`, as its routes' group would (codes added to the first group's)", () => {
    const locked = noteCommand.with({ errors: { 404: ['NOTE_NOT_FOUND'], 409: ['NOTE_LOCKED'] } });
    const writeNote = locked.put(write, '/notes/{noteId}', 'Write a note', {
      body: textBody,
      ok: 'Written',
      errors: { 409: ['NOTE_LOCKED', 'TOO_MANY_NOTES'] },
    });
    expect(JSON.stringify(writeNote.route)).toBe(JSON.stringify(shortForm.writeNote.route));
    expect(writeNote.route.responses[409]?.description).toBe(shortForm.writeNote.route.responses[409]?.description);
    expect(writeNote.route.responses[404]?.description).toContain(': NOTE_NOT_FOUND');
    // @ts-expect-error: a code the app's routes do not know
    const declare = () => noteCommand.with({ errors: { 404: ['NO_SUCH_CODE'] } });
    expect(declare).toBeDefined();
  });

  it('puts a new id into the payload of a command that creates one, which no request field can choose', () => {
    const seen = request({ body: { text: 'hi', noteId: 'chosen-by-client' } });
    expect(shortForm.createNote.payload(seen)).toEqual({ text: 'hi', noteId: 'minted' });
    expect(shortForm.createNote.streamId({ noteId: 'minted', text: 'hi' }, seen)).toBe('minted');
  });

  it('gives an action its path parameters and body fields, as the long form does', () => {
    const seen = request({ params: { noteId: 'n1' }, body: { text: 'yo' } });
    expect(shortForm.writeNote.payload(seen)).toEqual(longForm.writeNote.payload(seen));
    expect(shortForm.deleteNote.route.request.params).toBeDefined();
  });

  it('gives an action the states of the streams it reads', () => {
    const label = (_s: string[], p: { noteId: string; other: string[] }): NoteEvent[] => [
      { type: 'Written', data: { text: p.other.join() } },
    ];
    const labelNote = noteCommand.put(label, '/notes/{noteId}/label', 'Label a note', {
      reads: { other: stateOf(notes, ({ userId }) => userId) },
    });
    expect(labelNote.reads?.other?.aggregate).toBe(notes);
    expect(labelNote.payload(request({ params: { noteId: 'n1' }, reads: { other: ['x'] } }))).toEqual({
      noteId: 'n1',
      other: ['x'],
    });
    expect(labelNote.route.request).not.toHaveProperty('reads');
  });

  it('builds a command answer from its id fields and the version, named and described', () => {
    const derived = commandAnswer('NoteCommandAnswer', ['noteId', 'pageId'], 'After the command');
    const byHand = z
      .object({ noteId: kitId, pageId: kitId, version: z.int().check(z.minimum(0)) })
      .check(z.meta({ id: 'NoteCommandAnswer', description: 'After the command' }));
    expect(z.toJSONSchema(derived)).toEqual(z.toJSONSchema(byHand));
    expect(derived.safeParse({ noteId: 'not-an-id', pageId: 'x', version: 1 }).success).toBe(false);
  });

  it('refuses a route with no answer when its group has none, and a command that has no id to answer either', () => {
    const untyped = route as unknown as { get: (path: string, summary: string, options: object) => unknown };
    expect(() => untyped.get('/x', 'x', {})).toThrow('GET /x: the route names no answer (nor does its group)');
    expect(() => route.post('/x', 'x')).toThrow(
      'POST /x: the route names no answer (nor does its group), and has no id to answer',
    );
  });

  // Checked by the typecheck of `npm test` (an unused @ts-expect-error fails it); never called.
  const refusedByTheCompiler = () => {
    // @ts-expect-error: a code the app's errors do not have.
    noteRoute.post('/x', 'x', { errors: { 409: ['NOTE_LOKED'] } });
    // @ts-expect-error: a query has no answer to derive, and the group gives none.
    route.get('/x', 'x', { query: textBody });
    // @ts-expect-error: the action needs `noteId`, which the request does not carry nor create.
    noteCommand.post(write, '/notes', 'x', { body: textBody });
    // @ts-expect-error: the request's fields cannot feed commandsOf's stream id (no noteId).
    noteCommand.post((_s: string[], _p: { text: string }) => [], '/notes', 'x', { body: textBody });
    // @ts-expect-error: the action needs `other`, a state the command does not read.
    noteCommand.put((_s: string[], _p: { noteId: string; other: string[] }) => [], '/notes/{noteId}', 'x');
    // @ts-expect-error: `creates` names the field the action gets, and `id` is not `noteId`.
    noteCommand.post(create, '/notes', 'x', { body: textBody, creates: 'id' });
  };
  expect(refusedByTheCompiler).toBeInstanceOf(Function);
});
