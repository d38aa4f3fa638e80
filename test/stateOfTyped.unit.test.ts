/**
 * `stateOf` in a command's `reads` is typed by the route's path: its callback's `params` carry the
 * path's parameters with no cast, the short form names one of them, and a parameter the path does
 * not have does not compile (`tsc` checks the `@ts-expect-error` lines; jest runs the rest).
 */
import {
  byCaller,
  commandAnswer,
  commandRoutes,
  commandsOf,
  defineAggregate,
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
const shelves = defineAggregate<string[], NoteEvent>({
  streamType: 'shelf',
  streamPrefix: 'shelf#',
  initialState: [],
  reducer: (state, e) => [...state, e.data.text],
});
const route = routesFor<'NOTE_NOT_FOUND'>();
const command = commandRoutes(
  commandsOf(notes, { streamId: byCaller }),
  route.with({ answer: commandAnswer('NoteAnswer', [], 'After') }),
);
const file = (_s: string[], p: { shelfId: string; noteId: string; shelf: string[] }): NoteEvent[] => [
  { type: 'Written', data: { text: `${p.noteId} on ${p.shelf.join()}` } },
];
const request = (params: object): Omit<CommandRequest, 'reads' | 'newId'> => ({
  body: undefined,
  params,
  userId: 'ann',
  correlationId: 'c1',
});

describe('stateOf in a command declaration', () => {
  it("types the callback's params by the route's path: no cast", () => {
    const fileNote = command.put(file, '/shelves/{shelfId}/notes/{noteId}', 'File a note', {
      reads: { shelf: stateOf(shelves, ({ params }) => params.shelfId) },
    });
    expect(fileNote.reads?.shelf?.id(request({ shelfId: 's1', noteId: 'n1' }))).toBe('s1');
  });

  it('takes a path parameter by name', () => {
    const fileNote = command.put(file, '/shelves/{shelfId}/notes/{noteId}', 'File a note', {
      reads: { shelf: stateOf(shelves, 'shelfId') },
    });
    expect(fileNote.reads?.shelf?.aggregate).toBe(shelves);
    expect(fileNote.reads?.shelf?.id(request({ shelfId: 's2', noteId: 'n1' }))).toBe('s2');
  });

  it('refuses, at compile time, a parameter the path does not have', () => {
    const declare = () => [
      command.put(file, '/shelves/{shelfId}/notes/{noteId}', 'File a note', {
        // @ts-expect-error: the path has no {rackId}
        reads: { shelf: stateOf(shelves, ({ params }) => params.rackId) },
      }),
      // @ts-expect-error: the path has no {rackId} (the compiler reports it on the action, whose fields then lack `shelf`)
      command.put(file, '/shelves/{shelfId}/notes/{noteId}', 'File a note', {
        reads: { shelf: stateOf(shelves, 'rackId') },
      }),
    ];
    expect(declare).toBeDefined();
  });
});
