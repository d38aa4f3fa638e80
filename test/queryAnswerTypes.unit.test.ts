/**
 * A query's result is its route's answer, checked by the compiler: `run` must return the output
 * of the route's `answer` schema. The refused rows below are checked by the typecheck (an unused
 * @ts-expect-error fails it); the accepted query runs, and its result passes its answer schema.
 */
import * as z from 'zod/mini';
import { parse, query, reads, routesFor, successOf, type QueryContext } from '../src';

const route = routesFor<'NOTE_NOT_FOUND'>();
const answer = z.object({
  noteId: z.string(),
  version: z.number(),
  tags: z.array(z.object({ tagId: z.string(), name: z.string() })),
});
const getNote = route.query({ method: 'GET', path: '/notes/{noteId}', summary: 'One note', answer });
const context = {} as QueryContext;

describe('a query typed by its answer', () => {
  it('runs with its path parameters typed, and answers what its answer schema describes', async () => {
    const note = query({
      route: getNote,
      reads: [reads.events],
      run: async ({ params, userId }) => ({ noteId: params.noteId, version: 1, tags: [{ tagId: userId, name: 'a' }] }),
    });
    const result = await note.run({ params: { noteId: 'n1' }, query: undefined, userId: 'ann' }, context);
    expect(parse(successOf(note.route).response.schema, result)).toEqual({
      noteId: 'n1',
      version: 1,
      tags: [{ tagId: 'ann', name: 'a' }],
    });
  });

  // Never called: each row must fail the typecheck without its directive.
  const refusedByTheCompiler = () => [
    query({
      route: getNote,
      reads: [],
      // @ts-expect-error: a missing field (`tags`).
      run: async ({ params }) => ({ noteId: params.noteId, version: 1 }),
    }),
    query({
      route: getNote,
      reads: [],
      // @ts-expect-error: a field of the wrong type (`version` is a number).
      run: async ({ params }) => ({ noteId: params.noteId, version: '1', tags: [] }),
    }),
    query({
      route: getNote,
      reads: [],
      // @ts-expect-error: a nested field of the wrong type (a tag's `name`).
      run: async ({ params }) => ({ noteId: params.noteId, version: 1, tags: [{ tagId: 't', name: 2 }] }),
    }),
    query({
      route: getNote,
      reads: [],
      // @ts-expect-error: nothing at all.
      run: async () => undefined,
    }),
  ];

  it('would otherwise fail only when answered: each refused result fails its answer schema at run time', async () => {
    const refused = refusedByTheCompiler();
    expect(refused).toHaveLength(4);
    for (const note of refused) {
      const result = await note.run({ params: { noteId: 'n1' }, query: undefined, userId: 'ann' }, context);
      expect(() => parse(successOf(note.route).response.schema, result)).toThrow();
    }
  });
});
