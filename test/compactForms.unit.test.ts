/**
 * The compact forms of a declaration, with the kit alone (no app import): `stateOf` in a command's
 * `reads`, typed by the route's path (its callback's `params` need no cast; `stateOf(aggregate, 'param')`
 * names a path parameter; one the path lacks does not compile), a query in one call
 * (`queriesOf(route)`: route, reads and run together, `readYourWrites` for `?minVersion`), a stream
 * view keyed by `streamId` unless it says otherwise, and `commandsOf`'s stream named by a payload
 * field. Each declares what the long form declares (the same OpenAPI document, reads and
 * stream ids); the `@ts-expect-error` lines are checked by `tsc`.
 */
import * as z from 'zod/mini';
import {
  apiDocumentOf,
  byCaller,
  commandAnswer,
  commandRoutes,
  commandsOf,
  counterView,
  getOwn,
  ownRecord,
  defineAggregate,
  itemsOf,
  kitId,
  minVersionQuery,
  named,
  queriesOf,
  query,
  reads,
  routesFor,
  stateOf,
  streamView,
  type CommandRequest,
  type DomainEvent,
  type Query,
  type QueryContext,
} from '../src';
import { notesApp } from './support/notesApp';
import { globalRegistry } from 'zod/v4/core';

type NoteEvent = DomainEvent<'Written', { noteId: string; text: string }>;
const notes = defineAggregate<string[], NoteEvent>({
  streamType: 'note',
  streamPrefix: 'note#',
  initialState: [],
  reducer: (state, e) => [...state, e.data.text],
});
const notesView = streamView({
  name: 'notes',
  aggregate: notes,
  evolve: (view: { texts: string[] } | null, e: NoteEvent) => ({ texts: [...(view?.texts ?? []), e.data.text] }),
});
const shelves = defineAggregate<string[], NoteEvent>({
  streamType: 'shelf',
  streamPrefix: 'shelf#',
  initialState: [],
  reducer: (state, e) => [...state, e.data.text],
});
const route = routesFor<'NOTE_NOT_FOUND'>();
const noteAnswer = z.object({ texts: z.array(z.string()), version: z.int() }).check(z.meta({ id: 'Note' }));
const run = async () => ({ texts: [], version: 0 });

const longForm = {
  getNote: query({
    route: route.query({
      method: 'GET',
      path: '/notes/{noteId}',
      summary: 'A note',
      request: { query: minVersionQuery },
      ok: 'OK',
      answer: noteAnswer,
      errors: { 404: ['NOTE_NOT_FOUND'], 503: ['VIEW_BEHIND'] },
    }),
    reads: [reads.item(notesView), reads.events],
    run,
  }),
};
const get = queriesOf(route);
const shortForm = {
  getNote: get('/notes/{noteId}', 'A note', {
    answer: noteAnswer,
    errors: { 404: ['NOTE_NOT_FOUND'] },
    reads: [notesView],
    readYourWrites: true,
    run: async ({ params, query }, ctx) => {
      const view = await ctx.view(notesView, params.noteId, { atLeast: query.minVersion });
      return { texts: view?.texts ?? [], version: view?.version ?? 0 };
    },
  }),
};
const appOf = (queries: Readonly<Record<string, Query>>) =>
  notesApp({ aggregates: [notes], queries, views: [notesView] });

describe('a query in one call (queriesOf)', () => {
  it('declares the same OpenAPI document and reads as the long form', () => {
    expect(JSON.stringify(apiDocumentOf(appOf(shortForm)), null, 2)).toBe(
      JSON.stringify(apiDocumentOf(appOf(longForm)), null, 2),
    );
    expect(shortForm.getNote.reads).toEqual(longForm.getNote.reads);
  });

  it('offers ?minVersion only with readYourWrites, and reads the events only then', () => {
    const plain = get('/notes/{noteId}/plain', 'A note', { answer: noteAnswer, reads: [notesView], run });
    expect((plain.route.request as { query?: unknown }).query).toBeUndefined();
    expect(plain.reads).toEqual([reads.item(notesView)]);
    expect(shortForm.getNote.route.request.query?.safeParse({ minVersion: '3' })).toMatchObject({
      success: true,
      data: { minVersion: 3 },
    });
  });

  it('types run by the path, the query and the answer', () => {
    const declare = () => [
      // @ts-expect-error: the answer's `texts` are strings
      get('/notes', 'Notes', { answer: noteAnswer, reads: [], run: async () => ({ texts: [1], version: 0 }) }),
      get('/notes/{noteId}', 'A note', {
        answer: noteAnswer,
        reads: [],
        // @ts-expect-error: the path has no {pageId}
        run: async ({ params }) => ({ texts: [params.pageId], version: 0 }),
      }),
      get('/notes', 'Notes', {
        answer: noteAnswer,
        reads: [],
        // @ts-expect-error: no ?minVersion without readYourWrites
        run: async ({ query }) => ({ texts: [], version: query.minVersion }),
      }),
    ];
    expect(declare).toBeDefined();
  });
});

describe('a stream view without a key', () => {
  it('stores the stream id under `streamId`, so a field named for the aggregate id stays the view’s', () => {
    expect(notesView.key).toBe('streamId');
    const keyed = streamView({
      name: 'byId',
      aggregate: notes,
      evolve: (_view: { noteId: string } | null, e: NoteEvent) => ({ noteId: e.data.noteId }),
    });
    const commit = { streamId: notes.streamIdOf('n1'), version: 1, at: '2026-01-01T00:00:00.000Z' };
    expect(keyed.evolve(null, { type: 'Written', data: { noteId: 'n1', text: 'hi' } }, commit)).toEqual({
      noteId: 'n1',
    });
  });
});

describe("commandsOf's stream named by a payload field", () => {
  it('runs each command on the stream whose id that field holds', () => {
    const write = (_s: string[], p: { noteId: string; text: string }): NoteEvent[] => [{ type: 'Written', data: p }];
    const command = commandsOf(notes, { streamId: 'noteId' });
    const writeNote = command(
      write,
      route.put('/notes/{noteId}', 'Write a note', { body: z.strictObject({ text: z.string() }), answer: noteAnswer }),
    );
    const request = { params: { noteId: 'n7' }, body: { text: 'hi' }, userId: 'ann' } as unknown as CommandRequest;
    expect(writeNote.streamId({ noteId: 'n7', text: 'hi' }, request)).toBe('n7');
    const page = (_s: string[], p: { pageId: string; text: string }): NoteEvent[] => [
      { type: 'Written', data: { noteId: p.pageId, text: p.text } },
    ];
    const body = z.strictObject({ text: z.string() });
    // @ts-expect-error: the request's fields carry no noteId, the field that names the stream
    const declare = () => command(page, route.put('/pages/{pageId}', 'Write a page', { body, answer: noteAnswer }));
    expect(declare).toBeDefined();
  });
});

describe('answer schemas in one call', () => {
  it('are the schemas written out with z.object(…).check(z.meta(…))', () => {
    const order = named('Order', { orderId: kitId, total: z.int() });
    const byHand = z.object({ orderId: kitId, total: z.int() }).check(z.meta({ id: 'Order' }));
    expect(z.toJSONSchema(order)).toEqual(z.toJSONSchema(byHand));
    const page = itemsOf('Orders', order, 'Your orders', { nextToken: z.optional(z.string()) });
    const pageByHand = z
      .object({ items: z.array(byHand), nextToken: z.optional(z.string()) })
      .check(z.meta({ id: 'Orders', description: 'Your orders' }));
    expect(z.toJSONSchema(page)).toEqual(z.toJSONSchema(pageByHand));
    expect(page.safeParse({ items: [{ orderId: 'x', total: 1 }] }).success).toBe(false);
  });

  it('take the extra fields third when there is no description', () => {
    const order = named('Order3', { orderId: kitId });
    const page = itemsOf('Orders3', order, { nextToken: z.optional(z.string()) });
    const byHand = z
      .object({ items: z.array(order), nextToken: z.optional(z.string()) })
      .check(z.meta({ id: 'Orders3' }));
    expect(z.toJSONSchema(page)).toEqual(z.toJSONSchema(byHand));
  });

  it("describe a query's named answer by its summary when they have no description of their own", () => {
    const bare = itemsOf('Notes4', named('Note4', { text: z.string() }));
    const described = itemsOf('Notes5', named('Note5', { text: z.string() }), 'Notes, newest first');
    const unnamed = z.object({ items: z.array(z.string()) });
    const run = () => ({ items: [] });
    get('/notes4', 'Your notes', { answer: bare, run });
    get('/notes5', 'Your notes', { answer: described, run });
    get('/notes6', 'Your notes', { answer: unnamed, run });
    expect(globalRegistry.get(bare)).toEqual({ id: 'Notes4', description: 'Your notes' });
    expect(globalRegistry.get(described)).toEqual({ id: 'Notes5', description: 'Notes, newest first' });
    expect(globalRegistry.get(unnamed)).toBeUndefined();
  });
});

describe("a query's declared reads (read)", () => {
  const tallies = counterView({
    name: 'tallies',
    aggregate: notes,
    evolve: () => ({}),
    contributions: () => ownRecord(),
  });
  const calls: unknown[] = [];
  const ctx = {
    view: async (view: { name: string }, id: string, options?: object) => {
      calls.push(['view', view.name, id, options]);
      return { texts: [id], version: 2 };
    },
    totals: async (view: { name: string }, id: string) => {
      calls.push(['totals', view.name, id]);
      return ownRecord([['n', 3]]);
    },
  } as unknown as QueryContext;
  const getBoth = get('/notes/{noteId}/both', 'A note and its tally', {
    answer: noteAnswer,
    read: { note: [notesView, 'noteId'], tally: [tallies, 'userId'] },
    readYourWrites: true,
    run: ({ read }) => ({ texts: [...(read.note?.texts ?? []), String(getOwn(read.tally, 'n'))], version: 0 }),
  });

  it('reads each view by its path parameter or the caller, and gives run the items; its role gets those tables', async () => {
    calls.length = 0;
    const answer = await getBoth.run({ userId: 'ann', params: { noteId: 'n1' }, query: {} }, ctx);
    expect(answer).toEqual({ texts: ['n1', '3'], version: 0 });
    expect(calls).toEqual([
      ['view', 'notes', 'n1', {}],
      ['totals', 'tallies', 'ann'],
    ]);
    expect(getBoth.reads).toEqual([reads.item(notesView), reads.item(tallies), reads.events]);
  });

  it('with ?minVersion, reads each view once it has caught up with its stream', async () => {
    calls.length = 0;
    await getBoth.run({ userId: 'ann', params: { noteId: 'n1' }, query: { minVersion: 2 } }, ctx);
    expect(calls[0]).toEqual(['view', 'notes', 'n1', { atLeast: 'stream' }]);
  });

  it('checks who may read with the views read, before run; a check that throws leaves run unrun', async () => {
    const seen: unknown[] = [];
    const guarded = get('/notes/{noteId}/guarded', 'A guarded note', {
      answer: noteAnswer,
      read: { note: [notesView, 'noteId'] },
      check: ({ userId, params, read }) => {
        seen.push(['check', userId, params.noteId, read.note?.texts]);
        if (userId !== 'ann') throw new Error(`not ${userId}'s`);
      },
      run: ({ read }) => {
        seen.push(['run']);
        return { texts: read.note?.texts ?? [], version: 0 };
      },
    });
    expect(await guarded.run({ userId: 'ann', params: { noteId: 'n1' }, query: undefined }, ctx)).toEqual({
      texts: ['n1'],
      version: 0,
    });
    expect(seen).toEqual([['check', 'ann', 'n1', ['n1']], ['run']]);
    seen.length = 0;
    await expect(guarded.run({ userId: 'bob', params: { noteId: 'n1' }, query: undefined }, ctx)).rejects.toThrow(
      "not bob's",
    );
    expect(seen).toEqual([['check', 'bob', 'n1', ['n1']]]);
    const declare = () =>
      get('/notes/{noteId}', 'A note', {
        answer: noteAnswer,
        // @ts-expect-error: the path has no {pageId}
        check: ({ params }) => params.pageId,
        run: () => ({ texts: [], version: 0 }),
      });
    expect(declare).toBeDefined();
  });

  // A check written as a predicate (`userId === owner`) would let everyone read: it refuses only by throwing.
  it('takes no true or false for an answer: a boolean check does not compile, and one that answers a boolean fails', async () => {
    const ran: string[] = [];
    const guardedBy = (check: () => unknown) =>
      get('/notes/{noteId}/predicate', 'A note behind a predicate', {
        answer: noteAnswer,
        read: { note: [notesView, 'noteId'] },
        check: check as () => Promise<object>,
        run: () => {
          ran.push('run');
          return { texts: [], version: 0 };
        },
      });
    const request = { userId: 'bob', params: { noteId: 'n1' }, query: undefined };
    await expect(guardedBy(async () => false).run(request, ctx)).rejects.toThrow(/check answered false/);
    await expect(guardedBy(() => true).run(request, ctx)).rejects.toThrow(/check answered true/);
    expect(ran).toEqual([]);
    const declare = () =>
      get('/notes/{noteId}', 'A note', {
        answer: noteAnswer,
        // @ts-expect-error: a check throws to refuse; it answers no boolean
        check: ({ userId }) => userId === 'ann',
        run: () => ({ texts: [], version: 0 }),
      });
    expect(declare).toBeDefined();
  });

  it('refuses, at compile time, a key that is not a path parameter', () => {
    const declare = () =>
      get('/notes/{noteId}', 'A note', {
        answer: noteAnswer,
        // @ts-expect-error: the path has no {pageId}
        read: { note: [notesView, 'pageId'] },
        run: () => ({ texts: [], version: 0 }),
      });
    expect(declare).toBeDefined();
  });
});

const onCaller = commandRoutes(
  commandsOf(notes, { streamId: byCaller }),
  route.with({ answer: commandAnswer('NoteAnswer', [], 'After') }),
);
const file = (_s: string[], p: { shelfId: string; noteId: string; shelf: string[] }): NoteEvent[] => [
  { type: 'Written', data: { noteId: p.noteId, text: p.shelf.join() } },
];
const requestWith = (params: object): Omit<CommandRequest, 'reads' | 'newId'> => ({
  body: undefined,
  params,
  userId: 'ann',
  correlationId: 'c1',
});

describe('stateOf in a command declaration', () => {
  it("types the callback's params by the route's path: no cast", () => {
    const fileNote = onCaller.put(file, '/shelves/{shelfId}/notes/{noteId}', 'File a note', {
      reads: { shelf: stateOf(shelves, ({ params }) => params.shelfId) },
    });
    expect(fileNote.reads?.shelf?.id(requestWith({ shelfId: 's1', noteId: 'n1' }))).toBe('s1');
  });

  it('takes a path parameter by name', () => {
    const fileNote = onCaller.put(file, '/shelves/{shelfId}/notes/{noteId}', 'File a note', {
      reads: { shelf: stateOf(shelves, 'shelfId') },
    });
    expect(fileNote.reads?.shelf?.aggregate).toBe(shelves);
    expect(fileNote.reads?.shelf?.id(requestWith({ shelfId: 's2', noteId: 'n1' }))).toBe('s2');
  });

  it('refuses, at compile time, a parameter the path does not have', () => {
    const declare = () => [
      onCaller.put(file, '/shelves/{shelfId}/notes/{noteId}', 'File a note', {
        // @ts-expect-error: the path has no {rackId}
        reads: { shelf: stateOf(shelves, ({ params }) => params.rackId) },
      }),
      // @ts-expect-error: the path has no {rackId} (the compiler reports it on the action, whose fields then lack `shelf`)
      onCaller.put(file, '/shelves/{shelfId}/notes/{noteId}', 'File a note', {
        reads: { shelf: stateOf(shelves, 'rackId') },
      }),
    ];
    expect(declare).toBeDefined();
  });
});
