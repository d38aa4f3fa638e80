/**
 * What the kit derives so that an aggregate's declaration need not say it: a command's answer (its ids
 * and version, as `commandAnswer` writes it by hand) and the app's error codes (from what its domain
 * raises). With the kit alone, and the app's own domain for the codes.
 */
import * as z from 'zod/mini';
import type * as domain from '../domain';
import type { tag, todoList } from '../domain';
import {
  apiDocumentOf,
  commandAcross,
  commandAnswer,
  commandRoutes,
  commandsOf,
  defineAggregate,
  type defineApp,
  routesFor,
  type DomainErrorCode,
  type DomainEvent,
  type HttpMappableError,
} from '../src';
import { notesApp } from './support/notesApp';

type NoteEvent = DomainEvent<'Noted', { text: string }>;
const notes = defineAggregate<string[], NoteEvent>({
  streamType: 'note',
  streamPrefix: 'note#',
  initialState: [],
  reducer: (state, e) => [...state, e.data.text],
});
const note = (_s: string[], p: { text: string }): NoteEvent[] => [{ type: 'Noted', data: { text: p.text } }];
const textBody = z.strictObject({ text: z.string() });
const byBook = commandsOf(notes, { streamId: 'bookId' });

const answersOf = (commands: Parameters<typeof defineApp>[0]['commands']) => {
  const document = apiDocumentOf(notesApp({ aggregates: [notes], commands })) as unknown as {
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    components: { schemas: Record<string, unknown> };
  };
  return { paths: document.paths, schemas: document.components.schemas };
};

describe("a command's derived answer", () => {
  it('is what commandAnswer writes by hand: the path ids, then the created one, and the version, named for the last', () => {
    const derived = commandRoutes(byBook, routesFor<never>());
    const byHand = commandRoutes(
      byBook,
      routesFor<never>().with({
        answer: commandAnswer(
          'NoteCommandAnswer',
          ['bookId', 'noteId'],
          'Its ids, and the version of its stream after the command',
        ),
      }),
    );
    const rows = (command: typeof derived) => ({
      addNote: command.post(note, '/books/{bookId}/notes', 'Add a note', { body: textBody, creates: 'noteId' }),
      editNote: command.patch(note, '/books/{bookId}/notes/{noteId}', 'Edit a note', { body: textBody }),
    });
    const ours = answersOf(rows(derived));
    expect(ours).toEqual(answersOf(rows(byHand)));
    expect(Object.keys(ours.schemas)).toContain('NoteCommandAnswer');
    expect(ours.schemas.NoteCommandAnswer).toMatchObject({
      required: ['bookId', 'noteId', 'version'],
      properties: { bookId: { $ref: '#/components/schemas/ID' }, noteId: { $ref: '#/components/schemas/ID' } },
    });
  });

  it('takes the ids from the path alone when the command creates none, with the group answer winning', () => {
    const plain = routesFor<never>();
    const row = commandRoutes(byBook, plain).delete(note, '/books/{bookId}', 'Close a book', { body: textBody });
    expect(z.toJSONSchema(row.route.responses[200]!.schema as z.ZodMiniType)).toMatchObject({
      $ref: '#/$defs/BookCommandAnswer',
      $defs: { BookCommandAnswer: { required: ['bookId', 'version'] } },
    });
    const given = z.object({ version: z.int() });
    const grouped = commandRoutes(byBook, plain.with({ answer: given })).delete(note, '/books/{bookId}', 'x', {
      body: textBody,
    });
    expect(grouped.route.responses[200]!.schema).toBe(given);
  });

  it('is refused when two commands would name different ids alike, and when a command has no id', () => {
    const route = routesFor<never>();
    route.post('/books/{bookId}/notes', 'x', { creates: 'noteId' });
    expect(() => route.post('/notes', 'x', { creates: 'noteId' })).toThrow(
      "POST /notes: its derived answer NoteCommandAnswer would hold noteId, another command's bookId,noteId; name its answer",
    );
    expect(() => route.post('/notes', 'x')).toThrow('POST /notes: the route names no answer (nor does its group)');
  });

  it("is refused for a command across streams, which answers each other stream's version too", () => {
    const move = () => ({ from: [], to: [] });
    const route = routesFor<never>();
    const moveRoute = (answer?: z.ZodMiniType) =>
      route.post('/books/{bookId}/move', 'Move', { body: z.strictObject({ toBookId: z.string() }), answer });
    expect(() => commandAcross(notes, { from: 'bookId', to: 'toBookId' }, move, moveRoute())).toThrow(
      'POST /books/{bookId}/move: a command across streams names its answer (with each <name>Version)',
    );
    const named = z.object({ bookId: z.string(), version: z.int(), toVersion: z.int() });
    expect(commandAcross(notes, { from: 'bookId', to: 'toBookId' }, move, moveRoute(named)).route.path).toBe(
      '/books/{bookId}/move',
    );
  });
});

class ShelfError extends Error implements HttpMappableError {
  constructor(
    readonly code: 'SHELF_FULL' | 'SHELF_GONE',
    readonly httpStatus: number,
  ) {
    super(code);
  }
}
const shelfDomain = {
  shelf: {
    ShelfError,
    shelfFull: () => new ShelfError('SHELF_FULL', 409),
    notAnError: () => ({ code: 'NOT_A_CODE' }),
    place: (_s: string[]) => [{ type: 'Placed' }],
    MAX: 3,
  },
  bookGone: () => ({ code: 'BOOK_GONE' as const, httpStatus: 404, message: 'gone' }),
};

describe("a domain's error codes", () => {
  it('are read from its error classes and the functions that make its errors, one namespace deep', () => {
    const codes: DomainErrorCode<typeof shelfDomain>[] = ['SHELF_FULL', 'SHELF_GONE', 'BOOK_GONE'];
    expect(codes).toHaveLength(3);
    // @ts-expect-error: a `code` without an `httpStatus` is not an error the API maps.
    const notMapped: DomainErrorCode<typeof shelfDomain> = 'NOT_A_CODE';
    expect(notMapped).toBe('NOT_A_CODE');
  });

  it("hold every code the app's domain declares, so routesFor needs no list", () => {
    // Each aggregate's union is within it (a subset: a new aggregate adds its own without editing this test).
    type Within<A, B> = [A] extends [B] ? true : false;
    const within: Within<todoList.TodoListErrorCode | tag.TagsErrorCode, DomainErrorCode<typeof domain>> = true;
    expect(within).toBe(true);
    const route = routesFor<DomainErrorCode<typeof domain>>();
    // @ts-expect-error: a code the domain does not raise.
    expect(() => route.post('/tags', 'x', { creates: 'tagId', errors: { 409: ['TAG_NAME_TAKN'] } })).toBeDefined();
  });
});
