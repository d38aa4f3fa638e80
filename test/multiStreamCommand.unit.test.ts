/**
 * runAcrossStreams, the kit's loop for a command decided on several streams, on the in-memory
 * store: one decision on all states, one atomic write, checks on the streams only read, and a
 * lost race on any stream decided again on fresh states (bounded: then 409).
 */
import { InMemoryEventStore, runAcrossStreams, type CommandStream, type DomainEvent, type LoadedState } from '../src';

const at = '2026-01-01T00:00:00.000Z';
const ctx = { userId: 'ann', now: at };
const counter = { streamType: 'counter' };
const stream = (name: string, streamId = `${name}-stream`): CommandStream => ({ name, streamId, aggregate: counter });
const bump = (n = 1): DomainEvent => ({ type: 'Bumped', data: { n } });

/** A stream's state: how many commits it has. */
const options = (store: InMemoryEventStore, extra: object = {}) => ({
  store,
  load: async (s: CommandStream): Promise<LoadedState> => {
    const commits = await store.readStream(s.streamId);
    return { state: commits.length, version: commits.length };
  },
  backoff: { baseMs: 1, capMs: 2 },
  ...extra,
});
const write = (store: InMemoryEventStore, streamId: string, expectedVersion: number, commandId = 'rival') =>
  store.append({ streamId, streamType: 'counter', expectedVersion, events: [bump()], commandId, at });

describe('runAcrossStreams', () => {
  it('writes a commit on each stream given events, checks the others, and answers every version', async () => {
    const store = new InMemoryEventStore();
    await write(store, 'read-stream', 0);
    const result = await runAcrossStreams(options(store), {
      streams: [stream('a'), stream('b'), stream('read')],
      decide: () => ({ a: [bump()], b: [bump(), bump(2)] }),
      ctx,
      metadata: { correlationId: 'corr' },
    });
    expect(result.versions).toEqual({ a: 1, b: 1, read: 1 });
    expect(Object.keys(result.events)).toEqual(['a', 'b']);
    const [a] = await store.readStream('a-stream');
    const [b] = await store.readStream('b-stream');
    expect(a?.commandId).toBe(b?.commandId);
    expect(b).toMatchObject({ events: [bump(), bump(2)], metadata: { correlationId: 'corr' } });
  });

  it('decides again on fresh states when a stream it only read moved on before its write', async () => {
    const store = new InMemoryEventStore();
    const seen: unknown[] = [];
    let raced = false;
    const result = await runAcrossStreams(options(store), {
      streams: [stream('a'), stream('read')],
      decide: (states) => {
        seen.push(states.read);
        if (!raced) {
          raced = true;
          void write(store, 'read-stream', 0);
        }
        return { a: [bump()] };
      },
      ctx,
    });
    expect(seen).toEqual([0, 1]);
    expect(result.versions).toEqual({ a: 1, read: 1 });
    expect(await store.readStream('a-stream')).toHaveLength(1);
  });

  it('answers a refusal decided on the fresh states, writing nothing', async () => {
    const store = new InMemoryEventStore();
    let calls = 0;
    const refused = runAcrossStreams(options(store), {
      streams: [stream('a'), stream('b')],
      decide: (states) => {
        calls += 1;
        if (calls === 1) void write(store, 'b-stream', 0);
        if (states.b !== 0) throw Object.assign(new Error('b moved'), { code: 'B_MOVED', httpStatus: 409 });
        return { a: [bump()], b: [bump()] };
      },
      ctx,
    });
    await expect(refused).rejects.toMatchObject({ code: 'B_MOVED' });
    expect(calls).toBe(2);
    expect(await store.readStream('a-stream')).toEqual([]);
    expect(await store.readStream('b-stream')).toHaveLength(1);
  });

  it('gives up with 409 CONCURRENCY_CONFLICT after maxAttempts lost races', async () => {
    const store = new InMemoryEventStore();
    let version = 0;
    const refused = runAcrossStreams(options(store, { maxAttempts: 3 }), {
      streams: [stream('a'), stream('b')],
      decide: () => {
        void write(store, 'b-stream', version++);
        return { a: [bump()] };
      },
      ctx,
    });
    await expect(refused).rejects.toMatchObject({ httpStatus: 409, code: 'CONCURRENCY_CONFLICT' });
    expect(await store.readStream('a-stream')).toEqual([]);
  });

  it('writes nothing and answers the versions unchanged when the decision changes nothing', async () => {
    const store = new InMemoryEventStore();
    await write(store, 'a-stream', 0);
    const streams = [stream('a'), stream('b')];
    const result = await runAcrossStreams(options(store), { streams, decide: () => ({}), ctx });
    expect(result).toEqual({ versions: { a: 1, b: 0 }, events: {} });
    expect(store.allCommits()).toHaveLength(1);
  });

  it('refuses events for a stream the command does not name', async () => {
    const store = new InMemoryEventStore();
    const streams = [stream('a'), stream('b')];
    const stray = runAcrossStreams(options(store), { streams, decide: () => ({ c: [bump()] }), ctx });
    await expect(stray).rejects.toThrow('no such stream');
    expect(store.allCommits()).toEqual([]);
  });

  it('answers a write that took effect but whose answer was lost as decided, without deciding again', async () => {
    const store = new InMemoryEventStore();
    const appendStreams = store.appendStreams.bind(store);
    // The write lands, then its answer is lost as a lost race would be reported.
    jest.spyOn(store, 'appendStreams').mockImplementationOnce(async (input) => {
      await appendStreams(input);
      throw Object.assign(new Error('lost answer'), { isConcurrencyError: true });
    });
    let decisions = 0;
    const result = await runAcrossStreams(options(store), {
      streams: [stream('a'), stream('b')],
      decide: () => {
        decisions += 1;
        return { a: [bump()], b: [bump()] };
      },
      ctx,
      commandId: 'once',
    });
    expect(decisions).toBe(1);
    expect(result.versions).toEqual({ a: 1, b: 1 });
    expect(store.allCommits().map((c) => c.commandId)).toEqual(['once', 'once']);
  });
});
