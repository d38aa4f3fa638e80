/**
 * The exactly-once loop of every projection (`exactlyOnceProjection`) and the in-memory view
 * stores, on what Lambda really delivers: duplicates in one batch, gaps healed in one read, a
 * store that cannot fill a gap, a view to refold, lost races and their bounded retries.
 * The todo app's views are specified in test/support/projectionSpecs (in memory and DynamoDB).
 */
import {
  InMemoryEventStore,
  ViewConflictError,
  exactlyOnceProjection,
  inMemoryCounterViewStore,
  inMemoryStreamViewStore,
  type Commit,
  type DomainEvent,
  type EventStore,
  type ViewCheckpoint,
  type ViewStore,
} from '../src';

const T = '2026-06-01T00:00:00.000Z';
type Added = DomainEvent<'Added', { n: number }>;

/** A stream `s` of `count` commits, commit i adding i; the view is the list of what was added. */
const stream = async (count: number) => {
  const store = new InMemoryEventStore();
  const commits: Commit[] = [];
  for (let i = 1; i <= count; i += 1) {
    const events: Added[] = [{ type: 'Added', data: { n: i } }];
    commits.push(
      await store.append({
        streamId: 's',
        streamType: 't',
        expectedVersion: i - 1,
        events,
        commandId: `c${i}`,
        at: `2026-06-0${i}T00:00:00.000Z`,
      }),
    );
  }
  const reads = jest.spyOn(store, 'readStream');
  return { store, commits, reads };
};
const evolve = (view: number[] | null, event: Added) => [...(view ?? []), event.data.n];
const projectionOf = (store: EventStore, views: ViewStore<number[]>, maxAttempts?: number) =>
  exactlyOnceProjection<number[], Added>({ name: 'added', streamType: 't', store, views, evolve, maxAttempts });
const at = (views: ViewStore<number[]>) => views.read('s').then(({ version, state }) => ({ version, state }));

describe('exactlyOnceProjection: what arrives', () => {
  it('counts the same commit twice in one batch as a duplicate, and applies it once', async () => {
    const { store, commits } = await stream(2);
    const views = inMemoryStreamViewStore<number[]>();
    expect(await projectionOf(store, views).applyCommits('s', [commits[0]!, commits[0]!, commits[1]!])).toEqual({
      applied: 2,
      duplicates: 1,
      healed: 0,
    });
    expect(await at(views)).toEqual({ version: 2, state: [1, 2] });
  });

  it('reads nothing from the event store when the commits follow the view', async () => {
    const { store, commits, reads } = await stream(3);
    const views = inMemoryStreamViewStore<number[]>();
    await projectionOf(store, views).applyCommits('s', commits.slice(0, 2));
    await projectionOf(store, views).applyCommits('s', commits.slice(2));
    expect(await projectionOf(store, views).applyCommits('s', [])).toEqual({ applied: 0, duplicates: 0, healed: 0 });
    expect(reads).not.toHaveBeenCalled();
    expect(await at(views)).toEqual({ version: 3, state: [1, 2, 3] });
  });

  it('heals every gap in one read, from the first missing commit to the last arrived', async () => {
    const { store, commits, reads } = await stream(6);
    const views = inMemoryStreamViewStore<number[]>();
    await projectionOf(store, views).applyCommits('s', commits.slice(0, 2));
    expect(await projectionOf(store, views).applyCommits('s', [commits[3]!, commits[5]!])).toEqual({
      applied: 4,
      duplicates: 0,
      healed: 2,
    });
    expect(reads.mock.calls).toEqual([['s', { fromVersion: 3, toVersion: 6 }]]);
    expect(await at(views)).toEqual({ version: 6, state: [1, 2, 3, 4, 5, 6] });
  });

  it('fails, applying nothing, when the event store cannot fill a gap: a view never skips a commit', async () => {
    const { store, commits } = await stream(4);
    // The store has lost commit 2.
    jest.spyOn(store, 'readStream').mockImplementation(async () => [commits[2]!, commits[3]!]);
    const views = inMemoryStreamViewStore<number[]>();
    await expect(projectionOf(store, views).applyCommits('s', [commits[0]!, commits[3]!])).rejects.toThrow(
      /commit 2 is missing/,
    );
    expect(await at(views)).toEqual({ version: 0, state: null });
  });
});

describe('exactlyOnceProjection: a view to refold', () => {
  /** A stream view whose stored item a dead writer left half-written: refold up to `refoldTo`. */
  const untrusted = (refoldTo: number) => {
    const views = inMemoryStreamViewStore<number[]>();
    let first = true;
    const read = async (streamId: string): Promise<ViewCheckpoint<number[]>> => {
      if (!first) return views.read(streamId);
      first = false;
      return { version: 0, state: null, refoldTo };
    };
    return { ...views, read };
  };

  it('folds from the first commit at least up to the version the view had claimed, whatever arrived', async () => {
    const { store, commits } = await stream(4);
    const views = untrusted(3);
    // Commit 3 is read as if it had arrived; commit 2 heals the gap before it.
    expect(await projectionOf(store, views).applyCommits('s', [commits[0]!])).toEqual({
      applied: 3,
      duplicates: 0,
      healed: 1,
    });
    expect(await at(views)).toEqual({ version: 3, state: [1, 2, 3] });
  });

  it('reads no more than the gaps when what arrived reaches that version', async () => {
    const { store, commits, reads } = await stream(4);
    const views = untrusted(3);
    expect(await projectionOf(store, views).applyCommits('s', commits.slice(0, 3))).toEqual({
      applied: 3,
      duplicates: 0,
      healed: 0,
    });
    expect(await projectionOf(store, untrusted(3)).applyCommits('s', commits)).toEqual({
      applied: 4,
      duplicates: 0,
      healed: 0,
    });
    expect(reads).not.toHaveBeenCalled();
  });
});

describe('exactlyOnceProjection: lost races', () => {
  /** A view store whose writes fail `failures` times with `error`, then go through. */
  const failing = (error: () => Error, failures = Infinity) => {
    const views = inMemoryStreamViewStore<number[]>();
    let failed = 0;
    const write = jest.fn(async (streamId: string, change: Parameters<typeof views.write>[1]) => {
      if (failed < failures) {
        failed += 1;
        throw error();
      }
      return views.write(streamId, change);
    });
    return { ...views, write };
  };
  const conflict = () => new ViewConflictError('s', 0);
  let waits: number[];

  beforeEach(() => {
    waits = [];
    // Full jitter at its widest: each pause is the whole cap; no real time passes.
    jest.spyOn(Math, 'random').mockReturnValue(1);
    jest.spyOn(global, 'setTimeout').mockImplementation(((callback: () => void, ms: number) => {
      waits.push(ms);
      callback();
      return 0;
    }) as unknown as typeof setTimeout);
  });
  afterEach(() => jest.restoreAllMocks());

  it('reads again and retries after a lost race, pausing 5 ms doubling up to 200 ms', async () => {
    const { store, commits } = await stream(1);
    const views = failing(conflict, 7);
    expect(await projectionOf(store, views).applyCommits('s', commits)).toEqual({
      applied: 1,
      duplicates: 0,
      healed: 0,
    });
    expect(views.write).toHaveBeenCalledTimes(8);
    expect(waits).toEqual([10, 20, 40, 80, 160, 200, 200]);
  });

  it('gives up after 20 attempts by default, and after maxAttempts when given', async () => {
    const { store, commits } = await stream(1);
    const views = failing(conflict);
    await expect(projectionOf(store, views).applyCommits('s', commits)).rejects.toBeInstanceOf(ViewConflictError);
    expect(views.write).toHaveBeenCalledTimes(20);
    const fewer = failing(conflict);
    await expect(projectionOf(store, fewer, 3).applyCommits('s', commits)).rejects.toBeInstanceOf(ViewConflictError);
    expect(fewer.write).toHaveBeenCalledTimes(3);
  });

  it('does not retry any other failure', async () => {
    const { store, commits } = await stream(1);
    const views = failing(() => new Error('throttled'));
    await expect(projectionOf(store, views).applyCommits('s', commits)).rejects.toThrow('throttled');
    expect(views.write).toHaveBeenCalledTimes(1);
  });
});

describe('in-memory view stores', () => {
  it('a stream view refuses a write on top of a version it no longer holds (a lost race), and keeps when each stream was updated', async () => {
    const views = inMemoryStreamViewStore<number[]>();
    expect(views.updatedAt('s')).toBeUndefined();
    await views.write('s', { seen: 0, before: null, after: [1], version: 1, at: T });
    expect(views.updatedAt('s')).toBe(T);
    const lost = views.write('s', { seen: 0, before: null, after: [9], version: 1, at: T });
    await expect(lost).rejects.toBeInstanceOf(ViewConflictError);
    await expect(lost).rejects.toMatchObject({ streamId: 's', seen: 0, race: 'moved' });
    expect(await at(views)).toEqual({ version: 1, state: [1] });
  });

  it('a counter view moves its totals by what each write changed, and refuses a write on top of a version it no longer holds', async () => {
    const views = inMemoryCounterViewStore<number[]>((added) => ({
      owner: { count: added.length, sum: added.reduce((a, b) => a + b, 0) },
    }));
    const { store, commits } = await stream(3);
    const apply = projectionOf(store, views);
    for (const commit of commits) await apply.applyCommits('s', [commit]);
    expect(views.totals('owner')).toEqual({ count: 3, sum: 6 });
    expect(await at(views)).toEqual({ version: 3, state: [1, 2, 3] });
    await expect(
      views.write('s', { seen: 2, before: [1, 2], after: [1, 2, 9], version: 3, at: T }),
    ).rejects.toBeInstanceOf(ViewConflictError);
    expect(views.totals('owner')).toEqual({ count: 3, sum: 6 });
  });
});
