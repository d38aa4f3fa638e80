/**
 * What the in-memory store does with the events it is given, beyond the contract suite: it
 * gives them back exactly as the DynamoDB store would (which keeps them as one JSON text), so a
 * test on it cannot pass on a value DynamoDB would change; it keeps them frozen and unshared;
 * and — it is the store of unit tests, benchmarks and users trying the kit, so it is meant to be
 * fast — it copies plain JSON in one pass, without a round trip through JSON text.
 */
import { InMemoryEventStore, type DomainEvent } from '../src';

const appendOne = (store: InMemoryEventStore, streamId: string, events: DomainEvent[]) =>
  store.append({
    streamId,
    streamType: 'thing',
    expectedVersion: 0,
    events,
    commandId: `c-${streamId}`,
    at: '2026-01-01T00:00:00.000Z',
  });

const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** Every object and array reachable from `value`, `value` included. */
const objectsIn = (value: unknown): object[] =>
  typeof value === 'object' && value !== null ? [value, ...Object.values(value).flatMap(objectsIn)] : [];

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
class Tagged extends Array<number> {
  toJSON() {
    return 'tagged';
  }
}

describe('InMemoryEventStore gives events back as JSON would', () => {
  // Each odd value sits alone in an otherwise plain event: nothing else sends the event through JSON.
  const odd: [string, unknown][] = [
    ['a Date', new Date('2026-03-04T05:06:07.000Z')],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['-0', -0],
    ['an undefined field', { kept: 1, gone: undefined }],
    ['undefined in an array', [undefined, 1]],
    // biome-ignore lint/suspicious/noSparseArray: a hole is the malformed input under test
    ['a hole in an array', [, 1]],
    ['a function', { kept: 1, call: () => 1 }],
    ['a function in an array', [() => 1, 2]],
    ['a symbol', { kept: 1, s: Symbol('s') }],
    ['a symbol key (copying by spreading would keep it)', { kept: 1, [Symbol('k')]: 'gone' }],
    ['a class instance', new Point(1, 2)],
    ['an object with toJSON', { toJSON: () => ({ replaced: true }) }],
    ['an array of a class with toJSON', Tagged.from([1, 2])],
    ['an array with its own toJSON', Object.assign([1, 2], { toJSON: () => 'replaced' })],
    [
      'an object with a toJSON it does not list',
      Object.defineProperty({ listed: 1 }, 'toJSON', { value: () => 'replaced' }),
    ],
    ['an object that only inherits from Array', Object.create(Array.prototype) as unknown],
    // Copying an array by `slice` would build it with the constructor it names (its "species").
    ['an array with a constructor of its own', Object.assign([1, 2], { constructor: Map })],
    ['an array naming an Array subclass', Object.assign([1, 2], { constructor: Tagged })],
    ['an array with a slice of its own', Object.assign([1, 2], { slice: () => ['replaced'] })],
    ['a Number object', new Number(5)],
    [
      'a __proto__ key (data, never a prototype)',
      JSON.parse('{"__proto__": {"polluted": true}, "kept": 1}') as unknown,
    ],
    ['a toJSON key that is no function (data to JSON too)', { toJSON: 5 }],
  ];

  it.each(odd)('%s', async (_, value) => {
    const store = new InMemoryEventStore();
    const event = { type: 'Odd', data: { before: 'plain', value, after: [1, 'two', null, true] } };
    await appendOne(store, 's', [event]);
    const [commit] = await store.readStream('s');
    expect(commit!.events).toStrictEqual(asJson([event]));
    // toStrictEqual takes any two arrays for the same type: their JSON tells an array subclass apart.
    expect(JSON.stringify(commit!.events)).toBe(JSON.stringify([event]));
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('refuses what JSON cannot write (a BigInt, a circular value), and writes nothing', async () => {
    const store = new InMemoryEventStore();
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    await expect(appendOne(store, 's', [{ type: 'Big', data: { n: 10n } }])).rejects.toThrow(TypeError);
    await expect(appendOne(store, 's', [{ type: 'Loop', data: circular }])).rejects.toThrow();
    expect(await store.readStream('s')).toEqual([]);
  });
});

describe('InMemoryEventStore keeps what it is given frozen and to itself', () => {
  const plain = { type: 'Plain', data: { title: 'x', list: [1, { deep: ['a'] }], none: null, yes: true } };
  const viaJson = {
    type: 'Dated',
    data: { at: new Date('2026-03-04T05:06:07.000Z'), list: [1, { deep: ['a'] }], none: null, yes: true },
  };

  it.each([
    ['plain JSON', plain],
    ['an event copied through JSON (it holds a Date)', viaJson],
  ])('%s: every object and array of it is frozen, and changing one changes nothing stored', async (_, event) => {
    const store = new InMemoryEventStore();
    await appendOne(store, 's', [event]);
    const [commit] = await store.readStream('s');
    const objects = objectsIn(commit!.events);
    expect(objects.length).toBeGreaterThanOrEqual(5);
    expect(objects.filter((o) => !Object.isFrozen(o))).toEqual([]);
    const list = (commit!.events[0]!.data as { list: unknown[] }).list;
    expect(() => list.push(2)).toThrow(TypeError);
    expect(() => ((list[1] as { deep: string[] }).deep[0] = 'b')).toThrow(TypeError);
    expect((await store.readStream('s'))[0]!.events).toStrictEqual(asJson([event]));
  });
});

describe('InMemoryEventStore copies plain JSON in one pass', () => {
  afterEach(() => jest.restoreAllMocks());

  it('never writes plain events out as JSON text, and does only for what plain copying cannot give', async () => {
    const stringify = jest.spyOn(JSON, 'stringify');
    const parse = jest.spyOn(JSON, 'parse');
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { bare: 'no prototype' });
    const events: DomainEvent[] = [
      {
        type: 'Plain',
        data: { title: 'Ünïcødé', '': 'an empty key', n: 2.5, neg: -3, zero: 0, yes: true, no: false, none: null },
      },
      { type: 'Nested', data: { list: [1, 'two', [3, [4]], [], { five: 5 }], empty: {}, bare } },
    ];
    const store = new InMemoryEventStore();
    await appendOne(store, 'plain', events);
    expect(stringify).not.toHaveBeenCalled();
    expect(parse).not.toHaveBeenCalled();
    await appendOne(store, 'dated', [{ type: 'Dated', data: { at: new Date(0) } }]);
    expect(stringify).toHaveBeenCalledTimes(1);
    stringify.mockRestore();
    parse.mockRestore();
    expect((await store.readStream('plain'))[0]!.events).toStrictEqual(asJson(events));
  });
});

describe('InMemoryEventStore keeps what commits repeat once', () => {
  const append = (store: InMemoryEventStore, streamId: string, version: number, extra: object) =>
    store.append({
      streamId,
      streamType: 'thing',
      expectedVersion: version,
      events: [{ type: 'Happened', data: { n: version } }],
      commandId: `c-${version}`,
      at: '2026-01-01T00:00:00.000Z',
      ...extra,
    });

  it('shares equal metadata, the stream id and the time between commits, and gives each back whole', async () => {
    const store = new InMemoryEventStore();
    // Built anew each time, as a request's would be: equal strings, not the same ones.
    const id = (n: number) => `stream-${n}`.slice(0, 8);
    await append(store, id(1), 0, { metadata: { userId: 'alice', correlationId: id(1) } });
    await append(store, id(1), 1, { metadata: { userId: 'alice', correlationId: id(1) } });
    await append(store, id(1), 2, { metadata: { userId: 'bob', correlationId: id(1) } });
    await append(store, id(1), 3, {});
    await append(store, 'other', 0, { metadata: {} });
    const [first, second, third, fourth] = await store.readStream(id(1));
    expect(second!.metadata).toBe(first!.metadata);
    expect(third!.metadata).not.toBe(first!.metadata);
    expect(third!.metadata).toEqual({ userId: 'bob', correlationId: 'stream-1' });
    expect(fourth!.metadata).toEqual({});
    expect((await store.readStream('other'))[0]!.metadata).toBe(fourth!.metadata);
    expect(Object.isFrozen(fourth!.metadata)).toBe(true);
    expect(second!.at).toBe('2026-01-01T00:00:00.000Z');
    expect([first, second, third, fourth].map((c) => [c!.streamId, c!.version, c!.commandId])).toEqual([
      ['stream-1', 1, 'c-0'],
      ['stream-1', 2, 'c-1'],
      ['stream-1', 3, 'c-2'],
      ['stream-1', 4, 'c-3'],
    ]);
  });

  it('copies metadata it cannot share, so changing what was given changes nothing stored', async () => {
    const store = new InMemoryEventStore();
    const metadata = { userId: 'alice' };
    await append(store, 's', 0, { metadata });
    await append(store, 's', 1, { metadata });
    metadata.userId = 'mallory';
    await append(store, 's', 2, { metadata });
    const commits = await store.readStream('s');
    expect(commits.map((c) => c.metadata)).toEqual([{ userId: 'alice' }, { userId: 'alice' }, { userId: 'mallory' }]);
    expect(commits.every((c) => Object.isFrozen(c.metadata) && c.metadata !== metadata)).toBe(true);
  });
});

describe('InMemoryEventStore folds a stream where it lies', () => {
  it("rejects the fold's promise with the reducer's error, and throws nothing at the call", async () => {
    const store = new InMemoryEventStore();
    await appendOne(store, 's', [{ type: 'Plain', data: {} }]);
    const failing = () => {
      throw new Error('reducer failed');
    };
    let folded: Promise<unknown> | undefined;
    expect(() => {
      folded = store.foldStream('s', failing, 0);
    }).not.toThrow();
    await expect(folded).rejects.toThrow('reducer failed');
  });
});
