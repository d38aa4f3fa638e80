/**
 * How a command and a query are declared with the kit alone (no todo import): what `commandsOf`
 * fills in when a command leaves out its payload or stream id, what the compiler refuses, and a
 * query's GraphQL field name.
 */
import * as z from 'zod/mini';
import {
  commandsOf,
  defineAggregate,
  defineApp,
  graphqlNameOf,
  query,
  routesFor,
  stateOf,
  type CommandRequest,
  type DomainEvent,
} from '../src';

type NoteEvent = DomainEvent<'Written', { text: string }>;
const notes = defineAggregate<string[], NoteEvent>({
  streamType: 'note',
  streamPrefix: 'note#',
  initialState: [],
  reducer: (state, e) => [...state, e.data.text],
});
const route = routesFor<'NOTE_NOT_FOUND'>();
const id = z.string();
const answer = z.object({ noteId: id, version: z.number() });
const notePath = z.object({ noteId: id });
const textBody = z.strictObject({ text: z.string() });
const write = (_state: string[], payload: { noteId: string; text: string }): NoteEvent[] => [
  { type: 'Written', data: { text: payload.text } },
];
const request = (part: Partial<CommandRequest>): CommandRequest => ({
  body: undefined,
  params: undefined,
  userId: 'ann',
  correlationId: 'c1',
  newId: () => 'new-id',
  reads: {},
  ...part,
});

describe('commandsOf', () => {
  const command = commandsOf(notes, { streamId: (payload: { noteId: string }) => payload.noteId });
  const writeNote = command({
    route: route.command({
      method: 'PUT',
      path: '/notes/{noteId}',
      summary: 'Write',
      request: { params: notePath, body: textBody },
      answer,
    }),
    action: write,
  });

  it('gives an action without `payload` the request’s path parameters and body fields', () => {
    const seen = request({ params: { noteId: 'n1' }, body: { text: 'hi' } });
    expect(writeNote.payload(seen)).toEqual({ noteId: 'n1', text: 'hi' });
  });

  it('gives it the states of the streams it reads too, each under the name it reads it by, typed by its aggregate', () => {
    const shelf = defineAggregate<string[], NoteEvent>({
      streamType: 'shelf',
      streamPrefix: 'shelf#',
      initialState: [],
      reducer: (state, e) => [...state, e.data.text],
    });
    const file = (_state: string[], payload: { noteId: string; shelf: string[] }): NoteEvent[] => [
      { type: 'Written', data: { text: payload.shelf.join() } },
    ];
    const filed = command({
      route: route.command({ method: 'PUT', path: '/notes/{noteId}/file', summary: 'File', answer }),
      reads: { shelf: stateOf(shelf, ({ userId }) => userId) },
      action: file,
    });
    expect(filed.reads!.shelf!.aggregate).toBe(shelf);
    expect(
      filed.reads!.shelf!.id({ body: undefined, params: { noteId: 'n1' }, userId: 'ann', correlationId: 'c' }),
    ).toBe('ann');
    expect(filed.payload(request({ params: { noteId: 'n1' }, reads: { shelf: ['a', 'b'] } }))).toEqual({
      noteId: 'n1',
      shelf: ['a', 'b'],
    });
  });

  it('runs every command on the stream commandsOf names, unless the command names its own', () => {
    expect(writeNote.streamId({ noteId: 'n1', text: 'hi' }, request({}))).toBe('n1');
    const mine = command({
      route: route.command({ method: 'POST', path: '/my-note', summary: 'Mine', request: { body: textBody }, answer }),
      action: write,
      payload: ({ body, userId }) => ({ noteId: userId, text: body.text }),
      streamId: (_payload, { userId }) => `mine-${userId}`,
    });
    expect(mine.streamId(mine.payload(request({ body: { text: 'x' } })), request({}))).toBe('mine-ann');
    expect(mine.payload(request({ body: { text: 'x' } }))).toEqual({ noteId: 'ann', text: 'x' });
    expect([mine.kind, mine.aggregate]).toEqual(['command', notes]);
  });

  it('needs a stream id from somewhere: a command of an aggregate bound without one must name its own', () => {
    const bare = commandsOf(notes);
    const declared = bare({
      route: route.command({ method: 'POST', path: '/notes', summary: 'New', request: { body: textBody }, answer }),
      action: write,
      payload: ({ body, newId }) => ({ noteId: newId(), text: body.text }),
      streamId: (p) => p.noteId,
    });
    expect(declared.streamId(declared.payload(request({ body: { text: 'a' } })), request({}))).toBe('new-id');
    // Plain JavaScript (no compiler) leaving it out is refused when declared, not when called.
    const untyped = bare as unknown as (options: object) => unknown;
    expect(() =>
      untyped({
        route: route.command({
          method: 'DELETE',
          path: '/notes/{noteId}',
          summary: 'Drop',
          request: { params: notePath },
          answer,
        }),
        action: write,
      }),
    ).toThrow('DELETE /notes/{noteId}: the command needs a streamId (or commandsOf one)');
  });

  it('has a short form, one row a command: command(action, route), on the stream commandsOf names', () => {
    const short = command(
      write,
      route.command({
        method: 'PUT',
        path: '/notes/{noteId}/text',
        summary: 'Write',
        request: { body: textBody },
        answer,
      }),
    );
    expect([short.kind, short.aggregate, short.action]).toEqual(['command', notes, write]);
    expect(short.route.path).toBe('/notes/{noteId}/text');
    const payload = short.payload(request({ params: { noteId: 'n2' }, body: { text: 'yo' } }));
    expect(payload).toEqual({ noteId: 'n2', text: 'yo' });
    expect(short.streamId(payload, request({}))).toBe('n2');
  });

  // Checked by the typecheck of `npm test` (an unused @ts-expect-error fails it); never called.
  const shortFormsRefused = () => {
    command(
      (_s: string[], p: { text: string }) => [{ type: 'Written', data: p }],
      // @ts-expect-error: the short form's fields (no noteId) cannot feed commandsOf's stream id.
      route.command({ method: 'POST', path: '/s', summary: 's', request: { body: textBody }, answer }),
    );
    // @ts-expect-error: the action needs a field (`noteId`) the request does not carry.
    command(write, route.command({ method: 'POST', path: '/t', summary: 't', request: { body: textBody }, answer }));
    commandsOf(notes)(
      write,
      // @ts-expect-error: the short form needs a stream id from commandsOf.
      route.command({ method: 'PUT', path: '/s/{noteId}', summary: 's', request: { body: textBody }, answer }),
    );
  };
  const refusedByTheCompiler = () => {
    const bodyOnly = route.command({ method: 'POST', path: '/x', summary: 'x', request: { body: textBody }, answer });
    // @ts-expect-error: the action needs `noteId`, which neither the body nor a `payload` gives.
    command({ route: bodyOnly, action: write });
    // @ts-expect-error: the payload has no `noteId` for commandsOf's stream id, and the command names none.
    command({
      route: bodyOnly,
      action: (_s: string[], p: { text: string }) => [{ type: 'Written', data: p }],
      payload: ({ body }) => body,
    });
    // @ts-expect-error: bound without a stream id, a command must name one.
    commandsOf(notes)({
      route: route.command({
        method: 'PUT',
        path: '/n/{noteId}',
        summary: 'n',
        request: { params: notePath, body: textBody },
        answer,
      }),
      action: write,
    });
  };

  it('the last of the refusals the compiler makes is refused when declared too', () => {
    expect(refusedByTheCompiler).toThrow('PUT /n/{noteId}: the command needs a streamId (or commandsOf one)');
    expect(shortFormsRefused).toThrow('PUT /s/{noteId}: the command needs a streamId (or commandsOf one)');
  });
});

describe('query', () => {
  const getNote = query({
    route: route.query({
      method: 'GET',
      path: '/notes/{noteId}',
      summary: 'A note',
      request: { params: notePath },
      answer: z.object({ text: z.string() }),
    }),
    reads: [],
    // Typed by its route: `params.noteId` is a string.
    run: async ({ params }) => ({ text: params.noteId.toUpperCase() }),
  });

  it('is a query with its request typed by its route', async () => {
    expect(getNote.kind).toBe('query');
    await expect(
      getNote.run({ params: { noteId: 'n1' }, query: undefined, userId: 'ann' }, undefined as never),
    ).resolves.toEqual({ text: 'N1' });
  });

  it.each([
    ['getNote', undefined, 'note'],
    ['getNoteEvents', undefined, 'noteEvents'],
    ['getNote', 'events', 'events'],
    ['search', undefined, 'search'],
    ['getter', undefined, 'getter'],
    ['forgetMe', undefined, 'forgetMe'],
  ])('%s (graphqlName %s) is the GraphQL field %s', (name, graphqlName, field) => {
    expect(graphqlNameOf(name, graphqlName === undefined ? {} : { graphqlName })).toBe(field);
  });

  it('two queries of one GraphQL field are refused when the app is declared', () => {
    const app = {
      service: 'notes',
      title: 'Notes',
      version: '1',
      description: 'd',
      aggregates: [notes],
      commands: {},
      views: [],
    };
    expect(() =>
      defineApp({ ...app, queries: { getNote, note: { ...getNote, route: { ...getNote.route, path: '/note' } } } }),
    ).toThrow('App notes: two queries share a GraphQL field (note, note)');
    expect(defineApp({ ...app, queries: { getNote } }).queries.getNote).toBe(getNote);
  });
});
