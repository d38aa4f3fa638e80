import {
  addTodo,
  createList,
  initialTodoListState,
  todoListReducer,
  TODO_LIST_STREAM_TYPE,
  type TodoListEvent,
  type TodoListState,
} from '../domain/todoList';
import {
  CommandPipeline,
  ConcurrencyError,
  IDEMPOTENCY_HEADER,
  InMemoryEventStore,
  KEY_KEPT_FOREVER,
  KEY_LIFETIME_SECONDS,
  keyExpiresAt,
  canonicalJson,
  keyReused,
  keyedCommand,
  uuidFrom,
  type AppendInput,
  type DomainEvent,
} from '../src';

const keyed = (overrides: Partial<Parameters<typeof keyedCommand>[0]> = {}) =>
  keyedCommand({
    caller: 'alice',
    command: 'POST /lists',
    key: 'k-1',
    request: { params: {}, body: { title: 'a' } },
    ...overrides,
  })!;

describe('canonicalJson', () => {
  it('writes equal JSON values as equal text, whatever their key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it('keeps what JSON tells apart: array order, types, strings that look alike', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
    expect(canonicalJson({ 'a"': 1 })).toBe('{"a\\"":1}');
  });
});

describe('uuidFrom', () => {
  it('draws the same RFC 9562 version-8 UUID from the same seed, another from another', () => {
    const id = uuidFrom('seed');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidFrom('seed')).toBe(id);
    expect(uuidFrom('seed2')).not.toBe(id);
  });
});

describe('keyedCommand', () => {
  it('is undefined without a key, and refuses a malformed one with 400', () => {
    expect(keyedCommand({ caller: 'alice', command: 'POST /lists', key: undefined, request: {} })).toBeUndefined();
    for (const key of ['', 'x'.repeat(129), 'has space', 'tab\t', 'é', 42]) {
      expect(() => keyed({ key })).toThrow(expect.objectContaining({ httpStatus: 400, code: 'VALIDATION_ERROR' }));
    }
    expect(keyed({ key: 'x'.repeat(128) }).id).toMatch(/^command#[0-9a-f]{64}$/);
  });

  it('derives the same ids on every attempt: the command id and the sequence of new ids', () => {
    const first = keyed();
    const retry = keyed();
    expect(retry.id).toBe(first.id);
    expect(retry.commandId).toBe(first.commandId);
    const drawn = [first.newId(), first.newId()];
    expect([retry.newId(), retry.newId()]).toEqual(drawn);
    expect(new Set([...drawn, first.commandId]).size).toBe(3);
  });

  it('scopes a key to its caller and its command', () => {
    const ids = [
      keyed(),
      keyed({ caller: 'bob' }),
      keyed({ command: 'POST /lists/{listId}/todos' }),
      keyed({ key: 'k-2' }),
    ].map((k) => k.id);
    expect(new Set(ids).size).toBe(4);
    // No separator trick makes two scopes one.
    expect(keyed({ caller: 'a', command: 'b c' }).id).not.toBe(keyed({ caller: 'a b', command: 'c' }).id);
  });

  it('fingerprints the request as JSON: key order does not count, values do', () => {
    const a = keyed({ request: { params: { listId: 'l' }, body: { title: 'a', n: 1 } } });
    const reordered = keyed({ request: { body: { n: 1, title: 'a' }, params: { listId: 'l' } } });
    const other = keyed({ request: { params: { listId: 'l' }, body: { title: 'b', n: 1 } } });
    expect(reordered.fingerprint).toBe(a.fingerprint);
    expect(other.fingerprint).not.toBe(a.fingerprint);
  });
});

/** What the kit derives for `keyed()` (alice, POST /lists, k-1): fixed forever, see below. */
const KNOWN = {
  id: 'command#043677ec1a16d4872503e714bc3306d32d64e3da7dbb9c43054fc50a77f6c2fe',
  commandId: '446ae5d1-1349-8da8-8601-8af31f0be6ac',
  newIds: ['c9982323-5e99-8f74-b108-831cdd9eebbf', '98855152-7ef9-8070-a506-7aaba15d9b4f'],
  fingerprint: 'A5N-TODf9rDyMZi76H_yJmJZh9bBudb2Tm0jgrBH9-M',
  seed: '19b25856-e1c1-80ca-834c-ffc8b59b23ad',
};

describe('what a key promises to clients and to retries after a deploy', () => {
  it('is read from the Idempotency-Key header (lower case, as API Gateway passes it) and remembered 24 hours', () => {
    expect(IDEMPOTENCY_HEADER).toBe('idempotency-key');
    expect(KEY_LIFETIME_SECONDS).toBe(24 * 3600);
  });

  it("keeps a reaction's caused key forever (past any TTL) and a client's 24 hours", () => {
    const now = Date.parse('2026-03-01T00:00:00.000Z');
    expect(keyExpiresAt(false, now)).toBe(now / 1000 + 24 * 3600);
    expect(keyExpiresAt(true, now)).toBe(KEY_KEPT_FOREVER);
    expect(new Date(KEY_KEPT_FOREVER * 1000).toISOString()).toBe('9999-12-31T23:59:59.000Z');
  });

  it('refuses a malformed key with a 400 that names the header', () => {
    expect(() => keyed({ key: 'has space' })).toThrow(
      expect.objectContaining({
        httpStatus: 400,
        code: 'VALIDATION_ERROR',
        details: [{ path: 'Idempotency-Key', message: expect.stringMatching(/\S/) }],
      }),
    );
  });

  it('answers a key reused with another request 422 IDEMPOTENCY_KEY_REUSED', () => {
    expect(keyReused()).toMatchObject({ httpStatus: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  // A retry may reach a newer deployment within the key's lifetime: the record's id, the command
  // id and the ids it creates must come out the same, so these are pinned, not just compared.
  it('derives the same record id, command id and new ids in every version of the kit', () => {
    const k = keyed();
    expect(k.id).toBe(KNOWN.id);
    expect(k.commandId).toBe(KNOWN.commandId);
    expect([k.newId(), k.newId()]).toEqual(KNOWN.newIds);
    expect(k.fingerprint).toBe(KNOWN.fingerprint);
    expect(uuidFrom('seed')).toBe(KNOWN.seed);
  });

  it('gives every key its own command id', () => {
    expect(keyed({ key: 'k-2' }).commandId).not.toBe(keyed().commandId);
    expect(keyed({ caller: 'bob' }).commandId).not.toBe(keyed().commandId);
  });
});

describe('CommandPipeline with a lost answer', () => {
  const aggregate = { streamType: TODO_LIST_STREAM_TYPE, initialState: initialTodoListState, reducer: todoListReducer };
  const ctx = { userId: 'alice', now: '2026-01-01T00:00:00.000Z' };

  it('answers its own commit found in the slot (the append succeeded, the answer was lost, the retry refused)', async () => {
    const store = new InMemoryEventStore();
    const pipeline = new CommandPipeline<TodoListState, TodoListEvent>({ store, aggregate });
    await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    const append = store.append.bind(store);
    let lost = false;
    jest.spyOn(store, 'append').mockImplementation(async <E extends DomainEvent>(input: AppendInput<E>) => {
      const commit = await append(input);
      if (lost) return commit;
      lost = true;
      // What the SDK's retry of a PutItem that did succeed reports: the slot is taken.
      throw new ConcurrencyError(input.streamId, input.expectedVersion);
    });
    const result = await pipeline.run({
      streamId: 'l1',
      action: addTodo,
      payload: { listId: 'l1', todoId: 't1', title: 'sweep' },
      ctx,
      commandId: 'mine',
    });
    expect(result.version).toBe(2);
    expect(result.state?.todos).toEqual([{ todoId: 't1', title: 'sweep', completed: false }]);
    expect((await store.readStream('l1')).map((c) => c.commandId)).toEqual([expect.any(String), 'mine']);
  });

  it('still decides again when the commit in the slot is somebody else’s', async () => {
    const store = new InMemoryEventStore();
    const pipeline = new CommandPipeline<TodoListState, TodoListEvent>({ store, aggregate });
    await pipeline.run({ streamId: 'l1', action: createList, payload: { listId: 'l1', title: 'Home' }, ctx });
    const append = store.append.bind(store);
    let raced = false;
    jest.spyOn(store, 'append').mockImplementation(async <E extends DomainEvent>(input: AppendInput<E>) => {
      if (!raced) {
        raced = true;
        await append({
          ...input,
          commandId: 'rival',
          events: [{ type: 'TodoAdded', data: { todoId: 't1', title: 'sweep' } }] as unknown as E[],
        });
      }
      return append(input);
    });
    // The rival added t1 first: our add of t1 is refused by the domain, not answered as ours.
    const error = await pipeline
      .run({
        streamId: 'l1',
        action: addTodo,
        payload: { listId: 'l1', todoId: 't1', title: 'sweep' },
        ctx,
        commandId: 'mine',
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TODO_ALREADY_EXISTS' });
  });
});
