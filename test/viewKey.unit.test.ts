/**
 * A stream view's item stores its stream id under the view's `key`. A field of the view with that
 * name used to be overwritten silently (a prefixed aggregate's `comments#t1` in place of `t1`):
 * now a non-string field is refused by the compiler, and a field that would be overwritten with
 * another value makes `evolve` throw, so the view's own specs find it before any table does.
 */
import { defineAggregate, streamView, type CommitInfo, type DomainEvent } from '../src';

type NoteEvent = DomainEvent<'Written', { noteId: string; text: string }>;
interface NoteView {
  readonly noteId: string;
  readonly text: string;
}
const evolve = (_view: NoteView | null, event: NoteEvent): NoteView => ({
  noteId: event.data.noteId,
  text: event.data.text,
});
/** An aggregate with this prefix; without one, unprefixed (its stream ids are its ids). */
const aggregateOf = (streamPrefix = '') =>
  defineAggregate<string[], NoteEvent>({
    streamType: 'note',
    streamPrefix,
    initialState: [],
    reducer: (state, e) => [...state, e.data.text],
  });
const written: NoteEvent = { type: 'Written', data: { noteId: 'n1', text: 'hi' } };
const commitOn = (streamId: string): CommitInfo => ({ streamId, version: 1, at: '2026-01-01T00:00:00.000Z' });

describe("a stream view's key", () => {
  it('refuses, when evolved, a key that would overwrite a field of the view with the stream id', () => {
    const notes = aggregateOf('notes#');
    const view = streamView({ name: 'notes', aggregate: notes, key: 'noteId', evolve });
    expect(() => view.evolve(null, written, commitOn(notes.streamIdOf('n1')))).toThrow(
      'View notes: its key noteId holds the stream id (notes#n1), and would overwrite the view\'s field noteId ("n1"): name the key otherwise',
    );
  });

  it('accepts a field that holds the stream id itself (an unprefixed aggregate keyed by its id), and a key no field uses', () => {
    const bare = aggregateOf();
    const byId = streamView({ name: 'notes', aggregate: bare, key: 'noteId', evolve });
    expect(byId.evolve(null, written, commitOn(bare.streamIdOf('n1')))).toEqual({ noteId: 'n1', text: 'hi' });
    const notes = aggregateOf('notes#');
    const byStream = streamView({ name: 'notes', aggregate: notes, key: 'streamId', evolve });
    expect(byStream.evolve(null, written, commitOn(notes.streamIdOf('n1')))).toEqual({ noteId: 'n1', text: 'hi' });
    // Deleting the view (null) is never refused.
    const gone = streamView({ name: 'gone', aggregate: notes, key: 'noteId', evolve: () => null });
    expect(gone.evolve({ noteId: 'n1', text: 'hi' }, written, commitOn('notes#n1'))).toBeNull();
  });

  // Checked by the typecheck (an unused @ts-expect-error fails it).
  const refusedByTheCompiler = () =>
    streamView({
      name: 'counted',
      aggregate: aggregateOf('notes#'),
      // @ts-expect-error: `length` is a number field of the view: the stream id would overwrite it.
      key: 'length',
      evolve: (_view: { length: number } | null, event: NoteEvent) => ({ length: event.data.text.length }),
    });

  it('refuses a non-string field at declaration (the row above), and when evolved too', () => {
    const counted = refusedByTheCompiler();
    expect(() => counted.evolve(null, written, commitOn('notes#n1'))).toThrow(
      /would overwrite the view's field length/,
    );
  });
});
