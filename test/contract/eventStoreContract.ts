import { randomUUID } from 'node:crypto';
import {
  isConcurrencyError,
  isKeyTakenError,
  type AppendInput,
  type CommandKey,
  type CommitMetadata,
  type DomainEvent,
  type EventStore,
} from '../../src';

const event = (n: number) => ({ type: 'Happened', data: { n } });

const append = (
  store: EventStore,
  streamId: string,
  expectedVersion: number,
  events: DomainEvent[] = [event(expectedVersion + 1)],
  extra: Partial<AppendInput> = {},
) =>
  store.append({
    streamId,
    streamType: 'thing',
    expectedVersion,
    events,
    commandId: randomUUID(),
    at: '2026-01-01T00:00:00.000Z',
    ...extra,
  });

/** The behaviour every EventStore adapter must have. Called by each adapter's test file. */
export const eventStoreContract = (name: string, makeStore: () => EventStore | Promise<EventStore>) => {
  describe(`${name}: event store contract`, () => {
    let store: EventStore;
    let streamId: string;
    beforeEach(async () => {
      store = await makeStore();
      streamId = `stream-${randomUUID()}`;
    });

    it('reads an unknown stream as empty', async () => {
      expect(await store.readStream(streamId)).toEqual([]);
    });

    it('folds a stream as its commits read back would fold, if it can fold in the store', async () => {
      if (!store.foldStream) return;
      const seen = (state: number[], e: DomainEvent) => [...state, (e.data as { n: number }).n];
      expect(await store.foldStream(streamId, seen, [0])).toEqual({ state: [0], version: 0 });
      await append(store, streamId, 0, [event(1), event(2)]);
      await append(store, streamId, 1, [event(3)]);
      const grouped = (expectedVersion: number) => ({
        streamId,
        streamType: 'thing',
        expectedVersion,
        events: [event(expectedVersion * 10)],
        commandId: randomUUID(),
        at: '2026-01-01T00:00:00.000Z',
      });
      if (store.appendMany) await store.appendMany([grouped(2), grouped(3)]);
      await append(store, `other-${streamId}`, 0, [event(99)]);
      const read = (await store.readStream(streamId)).flatMap((c) => c.events).reduce(seen, [0]);
      const folded = await store.foldStream(streamId, seen, [0]);
      expect(folded).toEqual({ state: read, version: store.appendMany ? 4 : 2 });
      expect(read).toEqual(store.appendMany ? [0, 1, 2, 3, 20, 30] : [0, 1, 2, 3]);
    });

    it('appends commits at versions 1, 2, 3 and reads them back in order with their metadata', async () => {
      await append(store, streamId, 0, [event(1), event(2)], { metadata: { userId: 'alice', correlationId: 'c-1' } });
      await append(store, streamId, 1);
      const third = await append(store, streamId, 2, [event(9)], {
        commandId: 'cmd-3',
        at: '2026-02-02T00:00:00.000Z',
      });
      expect(third.version).toBe(3);
      const commits = await store.readStream(streamId);
      expect(commits.map((c) => c.version)).toEqual([1, 2, 3]);
      expect(commits[0]).toMatchObject({
        streamId,
        streamType: 'thing',
        events: [event(1), event(2)],
        metadata: { userId: 'alice', correlationId: 'c-1' },
      });
      expect(commits[2]).toMatchObject({
        commandId: 'cmd-3',
        at: '2026-02-02T00:00:00.000Z',
        events: [event(9)],
        metadata: {},
      });
    });

    it('gives metadata back as DynamoDB keeps it: only the fields set, in one order, whatever came before', async () => {
      // Without exactOptionalPropertyTypes a caller may pass an unset field as undefined; a plain JS caller, any key.
      const loose = { userId: 'alice', correlationId: undefined, extra: 'x' } as CommitMetadata;
      await append(store, streamId, 0, undefined, { metadata: { userId: 'alice', correlationId: 'c-1' } });
      await append(store, streamId, 1, undefined, { metadata: { correlationId: 'c-1', userId: 'alice' } });
      await append(store, streamId, 2, undefined, { metadata: loose });
      await append(store, streamId, 3, undefined, { metadata: { causationId: undefined } });
      const commits = await store.readStream(streamId);
      const expected = [
        { userId: 'alice', correlationId: 'c-1' },
        { userId: 'alice', correlationId: 'c-1' },
        { userId: 'alice' },
        {},
      ];
      expect(commits.map((c) => c.metadata)).toStrictEqual(expected);
      expect(commits.map((c) => JSON.stringify(c.metadata))).toEqual(expected.map((m) => JSON.stringify(m)));
    });

    it('keeps event data exactly (nested objects, unicode, numbers, nulls)', async () => {
      const data = { title: 'Ünïcødé ✓ "quoted"', nested: { list: [1, 2.5, -3], none: null, empty: '' }, big: 2 ** 40 };
      await append(store, streamId, 0, [{ type: 'Rich', data }]);
      const [commit] = await store.readStream(streamId);
      expect(commit?.events).toEqual([{ type: 'Rich', data }]);
    });

    describe('appendStreams: several streams in one atomic write', () => {
      let other: string;
      let read: string;
      beforeEach(() => {
        other = `stream-${randomUUID()}`;
        read = `stream-${randomUUID()}`;
      });
      const commitOn = (id: string, expectedVersion: number, n = expectedVersion + 1) => ({
        streamId: id,
        streamType: 'thing',
        expectedVersion,
        events: [event(n)],
        commandId: 'cmd-multi',
        at: '2026-01-01T00:00:00.000Z',
        metadata: { userId: 'alice', correlationId: 'corr-multi' },
      });
      const multiKey = (): CommandKey => ({
        id: `k-${randomUUID()}`,
        fingerprint: 'f',
        result: '{"toVersion":2}',
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
      });
      type Input = Parameters<NonNullable<EventStore['appendStreams']>>[0];
      const appendStreams = (input: Input) => store.appendStreams!(input);
      const failure = (input: Input) => appendStreams(input).catch((e: unknown) => e);

      it('is offered by the store', () => {
        expect(typeof store.appendStreams).toBe('function');
      });

      it('writes one commit on each stream at its own version, each with the shared correlation id', async () => {
        await append(store, other, 0);
        const written = await appendStreams({ commits: [commitOn(streamId, 0), commitOn(other, 1)] });
        expect(written.map((c) => [c.streamId, c.version])).toEqual([
          [streamId, 1],
          [other, 2],
        ]);
        const [mine] = await store.readStream(streamId);
        const theirs = await store.readStream(other);
        expect(mine).toMatchObject({ version: 1, commandId: 'cmd-multi', metadata: { correlationId: 'corr-multi' } });
        const shared = { commandId: 'cmd-multi', metadata: { correlationId: 'corr-multi' } };
        expect(theirs[1]).toMatchObject({ version: 2, ...shared });
      });

      it('writes nothing on any stream when one stream lost its race, and names that stream', async () => {
        await append(store, other, 0);
        await append(store, other, 1);
        const error = await failure({ commits: [commitOn(streamId, 0), commitOn(other, 1)] });
        expect(isConcurrencyError(error)).toBe(true);
        expect((error as { streamId?: string }).streamId).toBe(other);
        expect(await store.readStream(streamId)).toEqual([]);
        expect((await store.readStream(other)).map((c) => c.version)).toEqual([1, 2]);
      });

      it('checks the streams it only read: one that moved on fails the write, and nothing is written', async () => {
        await append(store, read, 0);
        // Read at version 1; someone appends version 2 before the write.
        await append(store, read, 1);
        const error = await failure({ commits: [commitOn(streamId, 0)], checks: [{ streamId: read, version: 1 }] });
        expect(isConcurrencyError(error)).toBe(true);
        expect((error as { streamId?: string }).streamId).toBe(read);
        expect(await store.readStream(streamId)).toEqual([]);
        expect(await store.readStream(read)).toHaveLength(2);
      });

      it('writes when each read stream is still at the version read (an unknown one at 0), unchanged', async () => {
        await append(store, read, 0);
        const fresh = `stream-${randomUUID()}`;
        const checks = [
          { streamId: read, version: 1 },
          { streamId: fresh, version: 0 },
        ];
        await appendStreams({ commits: [commitOn(streamId, 0)], checks });
        expect(await store.readStream(streamId)).toHaveLength(1);
        expect(await store.readStream(read)).toHaveLength(1);
        expect(await store.readStream(fresh)).toEqual([]);
        // A stream checked at 0 that exists by then fails the write.
        await append(store, fresh, 0);
        const error = await failure({ commits: [commitOn(streamId, 1)], checks: [{ streamId: fresh, version: 0 }] });
        expect(isConcurrencyError(error)).toBe(true);
        expect(await store.readStream(streamId)).toHaveLength(1);
      });

      it('records the key in the same write, where keyAt says, and refuses a taken key writing nothing', async () => {
        const k = multiKey();
        const keyAt = { streamId, version: 1 };
        await appendStreams({ commits: [commitOn(streamId, 0), commitOn(other, 0)], key: k, keyAt });
        const record = { fingerprint: 'f', result: '{"toVersion":2}', streamId, version: 1 };
        expect(await store.readKey(k.id)).toMatchObject(record);
        const error = await failure({ commits: [commitOn(streamId, 1), commitOn(other, 1)], key: k });
        expect(isKeyTakenError(error)).toBe(true);
        expect(await store.readStream(streamId)).toHaveLength(1);
        expect(await store.readStream(other)).toHaveLength(1);
      });

      it('keeps the snapshot a commit carries, as append does', async () => {
        const snapshot = { reducerVersion: '1', state: { n: 1 } };
        await appendStreams({ commits: [{ ...commitOn(streamId, 0), snapshot }, commitOn(other, 0)] });
        const [mine] = await store.readStream(streamId, { withSnapshots: true });
        const [theirs] = await store.readStream(other, { withSnapshots: true });
        expect(mine?.snapshot).toEqual(snapshot);
        expect(theirs?.snapshot).toBeUndefined();
      });

      it('records no key when a stream lost its race', async () => {
        const k = multiKey();
        await append(store, other, 0);
        const error = await failure({ commits: [commitOn(streamId, 0), commitOn(other, 0)], key: k });
        expect(isConcurrencyError(error)).toBe(true);
        expect(await store.readKey(k.id)).toBeUndefined();
        expect(await store.readStream(streamId)).toEqual([]);
      });

      it('writes nothing and records no key when a later commit cannot be stored (JSON cannot write it)', async () => {
        const k = multiKey();
        const unstorable = { ...commitOn(other, 0), events: [{ type: 'Happened', data: { n: BigInt(1) } }] };
        await expect(appendStreams({ commits: [commitOn(streamId, 0), unstorable], key: k })).rejects.toThrow(
          TypeError,
        );
        expect(await store.readKey(k.id)).toBeUndefined();
        expect(await store.readStream(streamId)).toEqual([]);
        expect(await store.readStream(other)).toEqual([]);
      });

      it('refuses a stream named twice, a keyed commit, no commit, and over 100 items, writing nothing', async () => {
        const refused = async (input: Parameters<typeof appendStreams>[0]) => {
          await expect(appendStreams(input)).rejects.toThrow(RangeError);
        };
        await refused({ commits: [commitOn(streamId, 0), commitOn(streamId, 1)] });
        await refused({ commits: [commitOn(streamId, 0)], checks: [{ streamId, version: 0 }] });
        await refused({ commits: [{ ...commitOn(streamId, 0), key: multiKey() }] });
        await refused({ commits: [] });
        const many = Array.from({ length: 100 }, () => ({ streamId: `stream-${randomUUID()}`, version: 0 }));
        await refused({ commits: [commitOn(streamId, 0)], checks: many });
        expect(await store.readStream(streamId)).toEqual([]);
      });
    });

    it('rejects an append at a version that is taken with a ConcurrencyError, and writes nothing', async () => {
      await append(store, streamId, 0);
      await append(store, streamId, 1);
      const error = await append(store, streamId, 1, [event(99)]).catch((e: unknown) => e);
      expect(isConcurrencyError(error)).toBe(true);
      const commits = await store.readStream(streamId);
      expect(commits).toHaveLength(2);
      expect(commits[1]?.events).toEqual([event(2)]);
    });

    it('lets exactly one of many racing appends at the same version win', async () => {
      await append(store, streamId, 0);
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => append(store, streamId, 1, [event(100 + i)])),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.every((r) => isConcurrencyError((r as PromiseRejectedResult).reason))).toBe(true);
      expect(await store.readStream(streamId)).toHaveLength(2);
    });

    it('reads a version range (inclusive) and an open-ended tail', async () => {
      for (let v = 0; v < 6; v += 1) await append(store, streamId, v);
      expect((await store.readStream(streamId, { fromVersion: 2, toVersion: 4 })).map((c) => c.version)).toEqual([
        2, 3, 4,
      ]);
      expect((await store.readStream(streamId, { fromVersion: 5 })).map((c) => c.version)).toEqual([5, 6]);
      expect(await store.readStream(streamId, { fromVersion: 4, toVersion: 3 })).toEqual([]);
      expect(await store.readStream(streamId, { fromVersion: 7 })).toEqual([]);
    });

    it('reads only the last N commits of a stream or range, in ascending order', async () => {
      for (let v = 0; v < 6; v += 1) await append(store, streamId, v);
      expect((await store.readStream(streamId, { last: 2 })).map((c) => c.version)).toEqual([5, 6]);
      expect((await store.readStream(streamId, { last: 10 })).map((c) => c.version)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await store.readStream(streamId, { toVersion: 4, last: 3 })).map((c) => c.version)).toEqual([2, 3, 4]);
      expect(await store.readStream(streamId, { last: 0 })).toEqual([]);
      expect(await store.readStream(`missing-${streamId}`, { last: 3 })).toEqual([]);
    });

    it('keeps streams apart', async () => {
      const other = `stream-${randomUUID()}`;
      await append(store, streamId, 0);
      await append(store, other, 0, [event(42)]);
      expect((await store.readStream(streamId))[0]?.events).toEqual([event(1)]);
      expect((await store.readStream(other))[0]?.events).toEqual([event(42)]);
    });

    it('refuses metadata that is not text, on either adapter, and writes nothing', async () => {
      // The type allows only strings; a caller in JavaScript (or through a cast) can still pass others.
      const numeric = { userId: 42 } as unknown as CommitMetadata;
      const nested = { correlationId: { id: 'c-1' } } as unknown as CommitMetadata;
      await expect(append(store, streamId, 0, undefined, { metadata: numeric })).rejects.toThrow(
        /metadata\.userId must be a string/,
      );
      await expect(append(store, streamId, 0, undefined, { metadata: nested })).rejects.toThrow(TypeError);
      expect(await store.readStream(streamId)).toEqual([]);
    });

    it('refuses an event that refers to itself as JSON does, with a TypeError, and writes nothing', async () => {
      const data: Record<string, unknown> = { n: 1 };
      data.self = data;
      await expect(append(store, streamId, 0, [{ type: 'Happened', data }])).rejects.toThrow(TypeError);
      expect(await store.readStream(streamId)).toEqual([]);
    });

    it('refuses an empty commit and a negative expected version', async () => {
      await expect(append(store, streamId, 0, [])).rejects.toThrow(RangeError);
      await expect(append(store, streamId, -1)).rejects.toThrow(RangeError);
      expect(await store.readStream(streamId)).toEqual([]);
    });

    it('cannot be changed through what it returns (a copy, or a frozen commit)', async () => {
      await append(store, streamId, 0, [{ type: 'Box', data: { value: 1 } }]);
      const [first] = await store.readStream<{ type: string; data: { value: number } }>(streamId);
      try {
        (first!.events[0]!.data as { value: number }).value = 2;
      } catch (error) {
        // A frozen commit refuses the change outright (modules run in strict mode).
        expect(error).toBeInstanceOf(TypeError);
      }
      const [again] = await store.readStream(streamId);
      expect(again?.events).toEqual([{ type: 'Box', data: { value: 1 } }]);
    });

    it('cannot be changed by the caller changing what it appended', async () => {
      const data = { value: 1, tags: ['a'], nested: { deep: true } };
      const events: DomainEvent[] = [{ type: 'Box', data }];
      const metadata = { userId: 'alice' };
      await append(store, streamId, 0, events, { metadata });
      data.value = 2;
      data.tags.push('b');
      data.nested.deep = false;
      events.push({ type: 'Sneaked', data: {} });
      metadata.userId = 'mallory';
      const [commit] = await store.readStream(streamId);
      expect(commit?.events).toEqual([{ type: 'Box', data: { value: 1, tags: ['a'], nested: { deep: true } } }]);
      expect(commit?.metadata).toEqual({ userId: 'alice' });
    });

    it('gives events back as JSON (a Date as its ISO text, undefined fields and -0 as JSON writes them)', async () => {
      const at = new Date('2026-03-04T05:06:07.000Z');
      await append(store, streamId, 0, [
        { type: 'Odd', data: { at, gone: undefined, zero: -0, list: [undefined, 1] } },
      ]);
      const [commit] = await store.readStream(streamId);
      expect(commit?.events).toEqual([
        { type: 'Odd', data: { at: '2026-03-04T05:06:07.000Z', zero: 0, list: [null, 1] } },
      ]);
      expect(Object.is((commit!.events[0]!.data as { zero: number }).zero, 0)).toBe(true);
      expect(Object.keys(commit?.events[0]?.data as object)).toEqual(['at', 'zero', 'list']);
    });

    it('keeps a field as its own even when Object.prototype has a setter of that name, as JSON.parse does', async () => {
      // A copy that assigned fields (copy[key] = value) would call the setter and keep nothing.
      const name = 'contractProbeField';
      Object.defineProperty(Object.prototype, name, { set() {}, get() {}, configurable: true });
      try {
        await append(store, streamId, 0, [{ type: 'Box', data: { [name]: 1, kept: 2 } }]);
      } finally {
        delete (Object.prototype as Record<string, unknown>)[name];
      }
      const [commit] = await store.readStream(streamId);
      expect(commit?.events).toEqual([{ type: 'Box', data: { [name]: 1, kept: 2 } }]);
      expect(Object.keys(commit?.events[0]?.data as object)).toEqual([name, 'kept']);
    });

    it('keeps a small snapshot appended with a commit, and gives it back only when asked, a copy each time', async () => {
      await append(store, streamId, 0);
      await append(store, streamId, 1, undefined, {
        snapshot: { reducerVersion: '3', state: { count: 2, names: ['a', 'b'] } },
      });
      await append(store, streamId, 2);
      const plain = await store.readStream(streamId);
      expect(plain.every((c) => c.snapshot === undefined)).toBe(true);
      const [first, second, third] = await store.readStream(streamId, { withSnapshots: true });
      expect(first?.snapshot).toBeUndefined();
      expect(second?.snapshot).toEqual({ reducerVersion: '3', state: { count: 2, names: ['a', 'b'] } });
      expect(second?.events).toEqual([event(2)]);
      expect(third?.snapshot).toBeUndefined();
      (second?.snapshot?.state as { count: number }).count = 99;
      expect((await store.readStream(streamId, { withSnapshots: true, last: 2 }))[0]?.snapshot?.state).toEqual({
        count: 2,
        names: ['a', 'b'],
      });
    });

    it('keeps the snapshot of a commit appended in a group (appendMany) with that commit', async () => {
      if (!store.appendMany) return;
      const input = (expectedVersion: number) => ({
        streamId,
        streamType: 'thing',
        expectedVersion,
        events: [event(expectedVersion + 1)],
        commandId: randomUUID(),
        at: '2026-01-01T00:00:00.000Z',
      });
      await store.appendMany([
        input(0),
        { ...input(1), snapshot: { reducerVersion: '1', state: { upTo: 2 } } },
        input(2),
      ]);
      const commits = await store.readStream(streamId, { withSnapshots: true });
      expect(commits.map((c) => c.snapshot)).toEqual([
        undefined,
        { reducerVersion: '1', state: { upTo: 2 } },
        undefined,
      ]);
    });

    describe('group commit (appendMany)', () => {
      const group = (from: number, n: number, id = streamId): AppendInput[] =>
        Array.from({ length: n }, (_, i) => ({
          streamId: id,
          streamType: 'thing',
          expectedVersion: from + i,
          events: [event(from + i + 1)],
          commandId: `cmd-${from + i + 1}`,
          at: '2026-01-01T00:00:00.000Z',
        }));

      it('writes consecutive commits, each its own commit at its own version', async () => {
        await append(store, streamId, 0);
        const written = await store.appendMany!(group(1, 3));
        expect(written.map((c) => c.version)).toEqual([2, 3, 4]);
        const commits = await store.readStream(streamId);
        expect(commits.map((c) => [c.version, c.commandId, c.events])).toEqual([
          [1, expect.any(String), [event(1)]],
          [2, 'cmd-2', [event(2)]],
          [3, 'cmd-3', [event(3)]],
          [4, 'cmd-4', [event(4)]],
        ]);
      });

      it('writes none of the group when one of its versions is taken: a ConcurrencyError', async () => {
        await append(store, streamId, 0);
        await append(store, streamId, 1, [event(99)]);
        const error = await store.appendMany!(group(0, 4)).catch((e: unknown) => e);
        expect(isConcurrencyError(error)).toBe(true);
        expect((await store.readStream(streamId)).map((c) => c.events)).toEqual([[event(1)], [event(99)]]);
      });

      it('lets at most one of two racing groups win, whole (DynamoDB may cancel both: a lost race for each)', async () => {
        const results = await Promise.allSettled([store.appendMany!(group(0, 3)), store.appendMany!(group(0, 5))]);
        const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [[3, 5][i]] : []));
        expect(won.length).toBeLessThanOrEqual(1);
        expect(results.every((r) => r.status === 'fulfilled' || isConcurrencyError(r.reason))).toBe(true);
        expect((await store.readStream(streamId)).length).toBe(won[0] ?? 0);
      });

      it('writes none of the group when a later commit cannot be stored (JSON cannot write it)', async () => {
        // A BigInt makes JSON.stringify throw: DynamoDB's store throws before it sends anything.
        const bad = group(0, 3);
        const unstorable = [...bad.slice(0, 2), { ...bad[2]!, events: [{ type: 'Happened', data: { n: BigInt(3) } }] }];
        await expect(store.appendMany!(unstorable)).rejects.toThrow(TypeError);
        expect(await store.readStream(streamId)).toEqual([]);
        const seen = (state: number[], e: DomainEvent) => [...state, (e.data as { n: number }).n];
        if (store.foldStream) expect(await store.foldStream(streamId, seen, [])).toEqual({ state: [], version: 0 });
        // The stream is still free at version 0, and folds as it reads.
        await store.appendMany!(group(0, 2));
        expect((await store.readStream(streamId)).map((c) => c.version)).toEqual([1, 2]);
        if (store.foldStream) expect(await store.foldStream(streamId, seen, [])).toEqual({ state: [1, 2], version: 2 });
      });

      it("refuses what is not one stream's consecutive unkeyed commits, and writes nothing", async () => {
        const gap = group(0, 3);
        await expect(store.appendMany!([gap[0]!, gap[2]!])).rejects.toThrow(RangeError);
        await expect(store.appendMany!([gap[0]!, { ...gap[1]!, streamId: `${streamId}-other` }])).rejects.toThrow(
          RangeError,
        );
        await expect(
          store.appendMany!([
            gap[0]!,
            { ...gap[1]!, key: { id: `k-${randomUUID()}`, fingerprint: 'f', result: '{}', expiresAt: 9_999_999_999 } },
          ]),
        ).rejects.toThrow(RangeError);
        await expect(store.appendMany!([])).rejects.toThrow(RangeError);
        expect(await store.readStream(streamId)).toEqual([]);
      });
    });

    describe('command keys (Idempotency-Key)', () => {
      const key = (overrides: Partial<CommandKey> = {}): CommandKey => ({
        id: `key-${randomUUID()}`,
        fingerprint: 'request-hash',
        result: '{"listId":"l1"}',
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
        ...overrides,
      });

      it('records a key with its commit, and tells where the commit went', async () => {
        const k = key();
        expect(await store.readKey(k.id)).toBeUndefined();
        await append(store, streamId, 0);
        await append(store, streamId, 1, undefined, { key: k });
        expect(await store.readKey(k.id)).toEqual({ ...k, streamId, version: 2 });
      });

      it('gives a key record back as DynamoDB does: the key and where it went, in its order, nothing more', async () => {
        const k = { ...key(), extra: 'not kept' } as CommandKey;
        await append(store, streamId, 0, undefined, { key: k });
        const record = await store.readKey(k.id);
        expect(record).toStrictEqual({
          id: k.id,
          fingerprint: k.fingerprint,
          result: k.result,
          streamId,
          version: 1,
          expiresAt: k.expiresAt,
        });
        expect(Object.keys(record!)).toEqual(['id', 'fingerprint', 'result', 'streamId', 'version', 'expiresAt']);
      });

      it('refuses a second commit with a recorded key, even at a free version, and writes nothing', async () => {
        const k = key();
        await append(store, streamId, 0, undefined, { key: k });
        const other = `stream-${randomUUID()}`;
        const error = await append(store, other, 0, undefined, { key: { ...k, fingerprint: 'another' } }).catch(
          (e: unknown) => e,
        );
        expect(isKeyTakenError(error)).toBe(true);
        expect(await store.readStream(other)).toEqual([]);
        expect(await store.readKey(k.id)).toMatchObject({ fingerprint: 'request-hash', streamId, version: 1 });
      });

      it('says a taken key rather than a lost race when both are true (the command already took effect)', async () => {
        const k = key();
        await append(store, streamId, 0, undefined, { key: k });
        const error = await append(store, streamId, 0, undefined, { key: k }).catch((e: unknown) => e);
        expect(isKeyTakenError(error)).toBe(true);
        expect(isConcurrencyError(error)).toBe(false);
      });

      it('records nothing when the commit loses its race', async () => {
        const k = key();
        await append(store, streamId, 0);
        const error = await append(store, streamId, 0, undefined, { key: k }).catch((e: unknown) => e);
        expect(isConcurrencyError(error)).toBe(true);
        expect(await store.readKey(k.id)).toBeUndefined();
      });

      it('records no key when the commit cannot be stored (JSON cannot write its events)', async () => {
        const k = key();
        const unstorable = [{ type: 'Happened', data: { n: BigInt(1) } }];
        await expect(append(store, streamId, 0, unstorable, { key: k })).rejects.toThrow(TypeError);
        expect(await store.readKey(k.id)).toBeUndefined();
        expect(await store.readStream(streamId)).toEqual([]);
        await append(store, streamId, 0, undefined, { key: k });
        expect(await store.readKey(k.id)).toMatchObject({ streamId, version: 1 });
      });

      it('forgets an expired key (its record may outlive its expiry until a TTL deletes it)', async () => {
        const expired = key({ expiresAt: Math.floor(Date.now() / 1000) - 1 });
        await append(store, streamId, 0, undefined, { key: expired });
        expect(await store.readKey(expired.id)).toBeUndefined();
        await append(store, streamId, 1, undefined, { key: { ...expired, expiresAt: expired.expiresAt + 7200 } });
        expect(await store.readKey(expired.id)).toMatchObject({ version: 2 });
      });
    });
  });
};
