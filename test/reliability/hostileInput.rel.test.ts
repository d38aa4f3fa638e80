/**
 * Part 5 — hostile input. Property-based fuzzing (fast-check) of bodies, paths, query
 * strings, headers and tokens against the running stack. For every case: never a 5xx
 * (save the documented 503 VIEW_BEHIND of a read-your-writes read), never a stack trace,
 * file path or internal name in the answer, always a JSON answer, invalid input always a
 * 4xx (an invalid token a 401, a body over 64 KB a 413). Over the whole run: the only
 * commits are those of commands answered 2xx, the other user's list is untouched, and the
 * views still equal the folds (hostile input must not poison a projection).
 */
import fc from 'fast-check';
import { TEST_TIMEOUT_MS, reliability } from './support/config';
import {
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  closeConnections,
  jsonClient,
  localToken,
  send,
  type RawResponse,
} from './support/http';
import { leaksIn } from './support/leaks';
import { recordFigures } from './support/report';
import { runSeed, sharedStack } from './support/sharedStack';
import { deadLetters, readSettledStore, waitForViews, type StoreContents } from './support/storeAudit';

const stack = sharedStack();
const api = jsonClient(stack.baseUrl);
const seed = runSeed();
afterAll(closeConnections);

const MAX_BODY_BYTES = 64 * 1024;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const b64url = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

// ── fixtures: the fuzzing user's lists, and another user's list it must never reach ──
const fuzzer = `fuzzer-${seed}`;
const victim = `victim-${seed}`;
interface OwnList {
  readonly listId: string;
  readonly todoIds: string[];
}
const own: OwnList[] = [];
let victimList: OwnList;
/** The last version each list was seen at: a 2xx command beyond it made exactly one commit. */
const knownVersion = new Map<string, number>();
let before: StoreContents;

beforeAll(async () => {
  const setUp = async (user: string, lists: number): Promise<OwnList[]> => {
    const token = localToken(user);
    const made: OwnList[] = [];
    for (let i = 0; i < lists; i += 1) {
      sent += 4;
      const { json: list } = await api.call('POST', '/lists', token, { title: `${user} list ${i}` });
      const todoIds: string[] = [];
      for (const title of ['open todo', 'done todo']) {
        const { json: todo } = await api.call('POST', `/lists/${list.listId}/todos`, token, { title });
        todoIds.push(todo.todoId);
      }
      const done = await api.call('POST', `/lists/${list.listId}/todos/${todoIds[1]}/complete`, token);
      knownVersion.set(list.listId, done.json.version);
      made.push({ listId: list.listId, todoIds });
    }
    return made;
  };
  own.push(...(await setUp(fuzzer, 3)));
  victimList = (await setUp(victim, 1))[0]!;
  before = await readSettledStore(stack.dynamoDbEndpoint);
}, 120_000);

// ── the case model ───────────────────────────────────────────────────────────
type Verdict = 'valid' | 'invalid' | 'unknown';
const worst = (...verdicts: Verdict[]): Verdict =>
  verdicts.includes('invalid') ? 'invalid' : verdicts.includes('unknown') ? 'unknown' : 'valid';

interface TokenCase {
  readonly kind: string;
  readonly authorization?: string;
  readonly extraHeaders?: Record<string, string>;
  /** Rejected tokens must be answered 401. `accepted-locally`: the offline authorizer does not check nbf. */
  readonly verdict: 'accepted' | 'rejected' | 'accepted-locally' | 'unknown';
}

const goodClaims = (sub: unknown) => ({
  iss: LOCAL_ISSUER,
  aud: LOCAL_AUDIENCE,
  sub,
  iat: nowSeconds(),
  exp: nowSeconds() + 3600,
});
const signedWith = (claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }) =>
  `${b64url(header)}.${b64url(claims)}.${header.alg === 'none' ? '' : b64url('not-the-signature')}`;

const printable = (min: number, max: number) =>
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    minLength: min,
    maxLength: max,
  });

const tokenArb: fc.Arbitrary<TokenCase> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.constant<TokenCase>({
      kind: 'valid',
      authorization: `Bearer ${localToken(fuzzer)}`,
      verdict: 'accepted',
    }),
  },
  { weight: 2, arbitrary: fc.constant<TokenCase>({ kind: 'missing', verdict: 'rejected' }) },
  {
    weight: 2,
    arbitrary: printable(0, 300).map<TokenCase>((s) => ({
      kind: 'garbage',
      authorization: `Bearer ${s}`,
      verdict: 'rejected',
    })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.jsonValue(),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 6 }),
        printable(0, 40),
      )
      .map<TokenCase>(([header, claims, signature]) => ({
        kind: 'random claims',
        authorization: `Bearer ${b64url(header)}.${b64url(claims)}.${b64url(signature)}`,
        // Signed by no one: the local edge checks the signature with the local issuer's key.
        verdict: 'rejected',
      })),
  },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 1, max: 10 ** 8 }).map<TokenCase>((ago) => ({
      kind: 'expired',
      authorization: `Bearer ${localToken(fuzzer, { exp: nowSeconds() - ago })}`,
      verdict: 'rejected',
    })),
  },
  {
    weight: 2,
    arbitrary: fc
      .string({ maxLength: 60 })
      .filter((iss) => iss !== LOCAL_ISSUER)
      .map<TokenCase>((iss) => ({
        kind: 'wrong issuer',
        authorization: `Bearer ${localToken(fuzzer, { iss })}`,
        verdict: 'rejected',
      })),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(fc.string({ maxLength: 40 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }))
      .filter((aud) => !(Array.isArray(aud) ? aud : [aud]).includes(LOCAL_AUDIENCE))
      .map<TokenCase>((aud) => ({
        kind: 'wrong audience',
        authorization: `Bearer ${localToken(fuzzer, { aud })}`,
        verdict: 'rejected',
      })),
  },
  {
    weight: 1,
    arbitrary: fc.constant<TokenCase>({
      kind: 'alg none, bad claims',
      authorization: `Bearer ${signedWith({ ...goodClaims(fuzzer), exp: 1 }, { alg: 'none' })}`,
      verdict: 'rejected',
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constant<TokenCase>({
      kind: 'alg none',
      authorization: `Bearer ${signedWith(goodClaims(fuzzer), { alg: 'none' })}`,
      verdict: 'rejected',
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constant<TokenCase>({
      kind: 'forged signature',
      authorization: `Bearer ${signedWith(goodClaims(fuzzer))}`,
      verdict: 'rejected',
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constant<TokenCase>({
      kind: 'nbf in the future',
      authorization: `Bearer ${localToken(fuzzer, { nbf: nowSeconds() + 3600 })}`,
      verdict: 'accepted-locally',
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.constant(undefined),
        fc.constant(''),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.string(), { maxLength: 2 }),
        fc.object({ maxDepth: 1 }),
      )
      .map<TokenCase>((sub) => ({
        kind: 'no usable sub',
        authorization: `Bearer ${signedWith(goodClaims(sub))}`,
        verdict: 'rejected',
      })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 257, max: 6000 }).map<TokenCase>((n) => ({
      kind: 'sub too long',
      authorization: `Bearer ${localToken('u'.repeat(n))}`,
      verdict: 'rejected',
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
      .filter((s) => s.length <= 256)
      .map<TokenCase>((sub) => ({
        kind: 'unusual sub',
        authorization: `Bearer ${localToken(`${fuzzer}-${sub}`)}`,
        verdict: 'accepted',
      })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<TokenCase>(
      { kind: 'Basic scheme', authorization: `Basic ${b64url('alice:secret')}`, verdict: 'rejected' },
      { kind: 'scheme only', authorization: 'Bearer', verdict: 'rejected' },
      { kind: 'lowercase scheme', authorization: `bearer ${localToken(fuzzer)}`, verdict: 'unknown' },
    ),
  },
  {
    // serverless-offline lets this header replace the authorizer's claims: it must not make anyone someone else.
    weight: 2,
    arbitrary: fc.constant<TokenCase>({
      kind: 'authorizer override header',
      authorization: `Bearer ${localToken(fuzzer)}`,
      extraHeaders: {
        'sls-offline-authorizer-override': JSON.stringify({ jwt: { claims: { sub: victim }, scopes: [] } }),
      },
      verdict: 'rejected',
    }),
  },
);

type Route =
  | 'createList'
  | 'renameList'
  | 'archiveList'
  | 'addTodo'
  | 'renameTodo'
  | 'completeTodo'
  | 'reopenTodo'
  | 'removeTodo'
  | 'clearCompleted'
  | 'getLists'
  | 'getList'
  | 'getListEvents'
  | 'getStats'
  | 'graphql';
const ROUTES: Record<
  Route,
  {
    method: string;
    path: (list: string, todo: string) => string;
    body: boolean;
    command: boolean;
    query?: 'lists' | 'list';
  }
> = {
  createList: { method: 'POST', path: () => '/lists', body: true, command: true },
  renameList: { method: 'PATCH', path: (l) => `/lists/${l}`, body: true, command: true },
  archiveList: { method: 'DELETE', path: (l) => `/lists/${l}`, body: false, command: true },
  addTodo: { method: 'POST', path: (l) => `/lists/${l}/todos`, body: true, command: true },
  renameTodo: { method: 'PATCH', path: (l, t) => `/lists/${l}/todos/${t}`, body: true, command: true },
  completeTodo: { method: 'POST', path: (l, t) => `/lists/${l}/todos/${t}/complete`, body: false, command: true },
  reopenTodo: { method: 'POST', path: (l, t) => `/lists/${l}/todos/${t}/reopen`, body: false, command: true },
  removeTodo: { method: 'DELETE', path: (l, t) => `/lists/${l}/todos/${t}`, body: false, command: true },
  clearCompleted: { method: 'POST', path: (l) => `/lists/${l}/clear-completed`, body: false, command: true },
  getLists: { method: 'GET', path: () => '/lists', body: false, command: false, query: 'lists' },
  getList: { method: 'GET', path: (l) => `/lists/${l}`, body: false, command: false, query: 'list' },
  getListEvents: { method: 'GET', path: (l) => `/lists/${l}/events`, body: false, command: false },
  getStats: { method: 'GET', path: () => '/stats', body: false, command: false },
  graphql: { method: 'POST', path: () => '/graphql', body: true, command: false },
};

/** A path segment: one of the fuzzer's ids, the other user's, a well-formed unknown one, or anything at all. */
interface IdCase {
  readonly raw: string;
  readonly kind: 'own' | 'foreign' | 'unknown' | 'fuzz';
}
const idArb = (ownIds: () => string[], foreignId: () => string): fc.Arbitrary<IdCase> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.nat().map((i) => ({ raw: ownIds()[i % ownIds().length]!, kind: 'own' as const })) },
    { weight: 2, arbitrary: fc.constant(null).map(() => ({ raw: foreignId(), kind: 'foreign' as const })) },
    {
      weight: 2,
      arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/).map((raw) => ({ raw, kind: 'unknown' as const })),
    },
    {
      weight: 3,
      arbitrary: fc
        .oneof(
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
          fc.string({ minLength: 65, maxLength: 300 }),
          printable(1, 40),
        )
        // "." and ".." are resolved by the router before any route is chosen.
        .filter((raw) => !/^\.+$/.test(raw))
        .map((raw) => ({ raw, kind: 'fuzz' as const })),
    },
  );
const encodeSegment = (raw: string) =>
  encodeURIComponent(raw).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

interface BodyCase {
  readonly kind: string;
  readonly bytes?: Buffer;
  readonly verdict: Verdict;
  readonly oversize: boolean;
}
/** The route's body rule: a JSON object with exactly a `title` of 1 to 200 characters once trimmed. */
const titleBodyVerdict = (bytes: Buffer | undefined): Verdict => {
  if (bytes === undefined || bytes.length === 0 || bytes.length > MAX_BODY_BYTES) return 'invalid';
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) return 'unknown'; // not UTF-8: the gateway decodes it its own way
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'invalid';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'invalid';
  const keys = Object.keys(value);
  const title = (value as { title?: unknown }).title;
  if (keys.length !== 1 || keys[0] !== 'title' || typeof title !== 'string') return 'invalid';
  return titleAllowed(title) ? 'valid' : 'invalid';
};
/**
 * The title rule (docs/api.md): trimmed, 1 to 200 characters, no control character (C0, DEL, C1), lone
 * surrogate or noncharacter, and at least one visible character (not only spaces, zero-width,
 * format, bidi or combining characters).
 */
const titleAllowed = (title: string) => {
  const trimmed = title.trim();
  if (trimmed.length < 1 || trimmed.length > 200) return false;
  if (/[\p{Cc}\p{Cs}\p{Noncharacter_Code_Point}]/u.test(trimmed)) return false;
  return /[^\p{Z}\p{Cf}\p{Default_Ignorable_Code_Point}\p{M}\s]/u.test(trimmed);
};
/** Routes without a body ignore one, but a body still has to be JSON under the cap. */
const anyBodyVerdict = (bytes: Buffer | undefined): Verdict => {
  if (bytes === undefined || bytes.length === 0) return 'valid';
  if (bytes.length > MAX_BODY_BYTES) return 'invalid';
  try {
    JSON.parse(bytes.toString('utf8'));
    return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes) ? 'valid' : 'unknown';
  } catch {
    return 'invalid';
  }
};

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const rawBodyArb: fc.Arbitrary<Buffer | undefined> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.string({ unit: 'grapheme', minLength: 0, maxLength: 220 }).map((title) => json({ title })),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        'x'.repeat(200),
        ` ${'y'.repeat(200)} `,
        'z'.repeat(201),
        '   ',
        '\u00a0\u2003',
        '\ud800',
        'a\u0000b',
      )
      .map((title) => json({ title })),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        '\u200b',
        '\u200b\ufeff\u200b',
        '\u202e\u2066\u2069',
        '\u0301',
        '\u3164',
        'a\tb',
        'a\nb',
        'a\u007f',
        'a\u0085',
        'x\udc00',
        'x\uffff',
        'e\u0301',
        '\u202bשלום\u202c',
        '👩‍👩‍👦',
        'ok\u200d',
      )
      .map((title) => json({ title })),
  },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((title) => json({ title })) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 }))
      .map(([key, value]) => json({ title: 'ok', [key]: value })),
  },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map(json) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }).map((s) => Buffer.from(s, 'utf8')) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '{"__proto__":{"title":"x"}}',
        '{"title":"x","__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{"title":"x"}}}',
        '{"title":"a","title":"b"}',
        '{"title":"x"}garbage',
        '{"title":"x"',
        `{"title":${'['.repeat(5000)}${']'.repeat(5000)}}`,
        `${'['.repeat(100_000)}`,
        '{"title":1e999}',
        '\ufeff{"title":"bom"}',
      )
      .map((s) => Buffer.from(s)),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: MAX_BODY_BYTES + 1, max: 3 * MAX_BODY_BYTES })
      .map((n) => json({ title: 'x'.repeat(n) })),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
/** serverless-offline drops the body of GET and DELETE requests before the function sees it. */
const bodyReachesFunction = (route: Route) => !['GET', 'DELETE'].includes(ROUTES[route].method);
const bodyArb = (route: Route): fc.Arbitrary<BodyCase> => {
  if (route === 'graphql') return graphqlBodyArb;
  const rule = ROUTES[route].body
    ? titleBodyVerdict
    : bodyReachesFunction(route)
      ? anyBodyVerdict
      : () => 'unknown' as Verdict;
  // Routes without a body mostly get none.
  const raw = ROUTES[route].body
    ? rawBodyArb
    : fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: rawBodyArb });
  return raw.map((bytes) => ({
    kind: 'body',
    bytes,
    verdict: rule(bytes),
    oversize: (bytes?.length ?? 0) > MAX_BODY_BYTES,
  }));
};

const aliased = (count: number, field: string) => Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ');
/** GraphQL documents: broken ones, queries, alias floods, deep nesting, and mutations whose arguments are wrong. */
const graphqlBodyArb: fc.Arbitrary<BodyCase> = fc
  .oneof(
    fc.string({ maxLength: 200 }).map((query) => ({ query })),
    fc
      .constantFrom(
        '{ stats { lists openTodos completedTodos } }',
        '{ lists(limit: 5) { items { listId title } nextToken } }',
        '{ __schema { types { name fields { name } } } }',
        'query Q($id: String!) { list(listId: $id) { listId title } }',
        'fragment A on Query { ...B } fragment B on Query { ...A } { ...A }',
        `{ ${Array.from({ length: 400 }, (_, i) => `a${i}: stats { lists }`).join(' ')} }`,
        `{ lists { items { ${'listId '.repeat(2000)} } } }`,
        'mutation { createList(title: 123) { listId version } }',
        'mutation { createList(title: "x", color: "red") { listId version } }',
        'mutation { addTodo(listId: "../etc", title: 7) { version } }',
        'subscription { stats { lists } }',
        `{ list(listId: "${'"'.repeat(10)}") { title } }`,
        // Floods the request budget refuses before anything runs (issue 11 part 3).
        `{ ${aliased(66, 'list(listId: "l") { todos { title tags { name } } }')} }`,
        `{ ${aliased(61, 'list(listId: "l", atVersion: 190) { title }')} }`,
        `{ ${aliased(61, 'list(listId: "l", minVersion: 99) { version }')} }`,
        `mutation { ${aliased(61, 'addTodo(listId: "l", title: "flood") { version }')} }`,
        'query { ...F } fragment F on Query { a: events(listId: "l", limit: 100) { items { type data } } b: events(listId: "l", limit: 100) { items { type data } } }',
      )
      .map((query) => ({ query })),
    fc.record({
      query: fc.constant('query Q($id: String!) { list(listId: $id) { listId title } }'),
      variables: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    }),
    fc.jsonValue({ maxDepth: 3 }),
  )
  .map((value) => {
    const bytes = json(value);
    return { kind: 'graphql', bytes, verdict: 'unknown' as Verdict, oversize: bytes.length > MAX_BODY_BYTES };
  });

interface QueryCase {
  readonly text: string;
  readonly verdict: Verdict;
  /** A read-your-writes read beyond the view: may wait 1.5 s and answer 503 VIEW_BEHIND. */
  readonly mayBeBehind: boolean;
}
const queryString = (pairs: readonly (readonly [string, string])[]) =>
  pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
const anyPairs = fc.array(
  fc.tuple(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 40 })),
  { maxLength: 3 },
);
// Numbers are plain decimal integers: what JavaScript would also read as one is still refused.
const invalidNumber = fc.constantFrom(
  '-1',
  '1.5',
  'abc',
  '1e400',
  'NaN',
  '99999999999999999999',
  '2abc',
  '',
  ' 2',
  '0x10',
  '1e2',
  '0b11',
  '05',
  '+5',
  '2.0',
);
const queryArb = (route: Route, listId: () => string): fc.Arbitrary<QueryCase> => {
  const kind = ROUTES[route].query;
  const unknown = anyPairs.map((pairs) => ({
    text: queryString(pairs),
    verdict: 'unknown' as Verdict,
    mayBeBehind: false,
  }));
  if (kind === 'lists') {
    return fc.oneof(
      { weight: 4, arbitrary: fc.constant({ text: '', verdict: 'valid' as Verdict, mayBeBehind: false }) },
      {
        weight: 2,
        arbitrary: fc
          .integer({ min: 1, max: 100 })
          .map((n) => ({ text: `?limit=${n}`, verdict: 'valid' as Verdict, mayBeBehind: false })),
      },
      {
        weight: 4,
        arbitrary: fc
          .oneof(
            fc.integer({ min: 101, max: 10 ** 6 }).map((n) => [['limit', String(n)]] as [string, string][]),
            invalidNumber.map((v) => [['limit', v]] as [string, string][]),
            fc.nat().map((n) => [['minVersion', String(n)]] as [string, string][]),
            fc
              .tuple(fc.jsonValue(), fc.string())
              .map(([key, junk]) => [['nextToken', b64url(key) + junk]] as [string, string][]),
            fc.string({ minLength: 65, maxLength: 100 }).map((id) => [['listId', id]] as [string, string][]),
            fc
              .string({ minLength: 1, maxLength: 12 })
              .filter((k) => !['limit', 'nextToken', 'listId', 'minVersion'].includes(k))
              .map((k) => [[k, '1']] as [string, string][]),
            fc.constant([
              ['limit', '1'],
              ['limit', '2'],
            ] as [string, string][]),
          )
          .map((pairs) => ({ text: queryString(pairs), verdict: 'invalid' as Verdict, mayBeBehind: false })),
      },
      {
        weight: 1,
        arbitrary: fc
          .constant(null)
          .map(() => ({ text: `?listId=${listId()}&minVersion=1`, verdict: 'valid' as Verdict, mayBeBehind: true })),
      },
      { weight: 1, arbitrary: unknown },
    );
  }
  if (kind === 'list') {
    return fc.oneof(
      { weight: 4, arbitrary: fc.constant({ text: '', verdict: 'valid' as Verdict, mayBeBehind: false }) },
      { weight: 2, arbitrary: fc.constant({ text: '?minVersion=1', verdict: 'valid' as Verdict, mayBeBehind: true }) },
      {
        weight: 3,
        arbitrary: invalidNumber.map((v) => ({
          text: `?minVersion=${encodeURIComponent(v)}`,
          verdict: 'invalid' as Verdict,
          mayBeBehind: false,
        })),
      },
      {
        weight: 1,
        arbitrary: fc
          .integer({ min: 1000, max: 10 ** 9 })
          .map((n) => ({ text: `?minVersion=${n}`, verdict: 'valid' as Verdict, mayBeBehind: true })),
      },
      { weight: 1, arbitrary: unknown },
    );
  }
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant({ text: '', verdict: 'valid' as Verdict, mayBeBehind: false }) },
    { weight: 1, arbitrary: unknown },
  );
};

interface HeaderCase {
  readonly headers: Record<string, string>;
  readonly verdict: Verdict;
  /** The correlation id the commit will carry, when it is ours to know. */
  readonly correlationId?: string;
}
const headerName = fc
  .stringMatching(/^[a-z][a-z0-9-]{0,30}$/)
  .filter(
    (name) =>
      ![
        'host',
        'content-length',
        'transfer-encoding',
        'connection',
        'authorization',
        'expect',
        'upgrade',
        'te',
        'trailer',
        'keep-alive',
        'sls-offline-authorizer-override',
        'idempotency-key',
        'x-correlation-id',
      ].includes(name),
  );
const headerArb = (route: Route, caseNumber: () => number): fc.Arbitrary<HeaderCase> =>
  fc
    .record({
      correlation: fc.oneof(
        { weight: 5, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: printable(0, 300) },
      ),
      idempotencyKey: fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: fc.constantFrom('key-1', 'key-2', 'key-3') },
        { weight: 1, arbitrary: printable(0, 200) },
      ),
      contentType: fc.option(
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'application/problem+json',
          'text/plain',
          'application/octet-stream',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'image/png',
          'application/json; charset=latin1',
        ),
      ),
      extra: fc.dictionary(headerName, printable(0, 100), { maxKeys: 3 }),
    })
    .map(({ correlation, idempotencyKey, contentType, extra }) => {
      const ours = `fuzz-${seed}-${caseNumber()}`;
      const headers: Record<string, string> = { ...extra, 'x-correlation-id': correlation ?? ours };
      if (contentType) headers['content-type'] = contentType;
      let verdict: Verdict = 'valid';
      if (idempotencyKey !== undefined) {
        headers['idempotency-key'] = idempotencyKey;
        // Command routes check the key: 1 to 128 printable characters.
        // (HTTP strips the blanks around a header value before anyone sees it.)
        if (ROUTES[route].command && !/^[\x21-\x7e]{1,128}$/.test(idempotencyKey.trim())) verdict = 'invalid';
        else verdict = 'unknown'; // a replay or a reused key answers from the first request
      }
      const sent = correlation?.trim();
      const correlationId = sent === undefined ? ours : sent.length >= 1 && sent.length <= 128 ? sent : undefined;
      return { headers, verdict, ...(correlationId === undefined ? {} : { correlationId }) };
    });

interface FuzzCase {
  readonly route: Route;
  readonly list: IdCase;
  readonly todo: IdCase;
  readonly token: TokenCase;
  readonly query: QueryCase;
  readonly body: BodyCase;
  readonly header: HeaderCase;
}
let caseCounter = 0;
const ownListIds = () => own.map((l) => l.listId);
const ownTodoIds = () => own.flatMap((l) => l.todoIds);
const caseArb: fc.Arbitrary<FuzzCase> = fc.constantFrom<Route>(...(Object.keys(ROUTES) as Route[])).chain((route) =>
  fc.record({
    route: fc.constant(route),
    list: idArb(ownListIds, () => victimList.listId),
    todo: idArb(ownTodoIds, () => victimList.todoIds[0]!),
    token: tokenArb,
    query: queryArb(route, () => victimList.listId),
    body: bodyArb(route),
    header: headerArb(route, () => caseCounter),
  }),
);

// ── running a case ───────────────────────────────────────────────────────────
interface Outcome {
  readonly case: FuzzCase;
  readonly response?: RawResponse;
  readonly error?: string;
  readonly verdict: Verdict;
}
const outcomes: Outcome[] = [];
let expectedCommits = 0;
/** Commands answered 2xx, with the list and version they were told. */
const acked: { listId: string; version: number }[] = [];
const createdLists = new Set<string>();
let sent = 0;
let status5xx = 0;
let viewBehind = 0;

const pathUsesList = (route: Route) => ROUTES[route].path('L', 'T').includes('L');
const pathUsesTodo = (route: Route) => ROUTES[route].path('L', 'T').includes('/T');

/**
 * A body the function reads must say it is JSON. (Sent with no content type, serverless-offline
 * labels it application/json before the function sees it; API Gateway does not: a 415 there.)
 */
const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/problem+json'];
const notJson = (c: FuzzCase) => {
  const type = c.header.headers['content-type'];
  return (
    type !== undefined && !JSON_TYPES.includes(type) && (c.body.bytes?.length ?? 0) > 0 && bodyReachesFunction(c.route)
  );
};
/** Types the offline gateway hands on untouched, so the function's 415 is the answer. */
const OPAQUE_TYPES = ['text/plain', 'application/octet-stream', 'image/png', 'application/json; charset=latin1'];

const verdictOf = (c: FuzzCase): Verdict => {
  const token: Verdict =
    c.token.verdict === 'rejected' ? 'invalid' : c.token.verdict === 'unknown' ? 'unknown' : 'valid';
  const ids = [pathUsesList(c.route) ? c.list : undefined, pathUsesTodo(c.route) ? c.todo : undefined].filter(
    (id): id is IdCase => id !== undefined,
  );
  const path: Verdict = ids.some((id) => !ID.test(id.raw)) ? 'invalid' : 'valid';
  const media: Verdict = notJson(c) ? 'invalid' : 'valid';
  return worst(token, path, media, c.body.verdict, c.query.verdict, c.header.verdict);
};

const runCase = async (c: FuzzCase): Promise<string[]> => {
  caseCounter += 1;
  const route = ROUTES[c.route];
  const path = route.path(encodeSegment(c.list.raw), encodeSegment(c.todo.raw)) + c.query.text;
  const headers: Record<string, string> = { ...c.header.headers, ...c.token.extraHeaders };
  if (c.token.authorization !== undefined) headers.authorization = c.token.authorization;
  // The offline gateway leaves the body of a GET or DELETE unread on the socket, where it would
  // be taken for the start of the next request: such a request gets a connection of its own.
  if (!bodyReachesFunction(c.route) && (c.body.bytes?.length ?? 0) > 0) headers.connection = 'close';
  const verdict = verdictOf(c);
  let response: RawResponse;
  sent += 1;
  try {
    response = await send(stack.baseUrl, {
      method: route.method,
      path,
      headers,
      body: c.body.bytes,
      timeoutMs: 20_000,
    });
  } catch (error) {
    outcomes.push({ case: c, error: String(error), verdict });
    return [`no answer: ${String(error)}`];
  }
  outcomes.push({ case: c, response, verdict });
  const problems: string[] = [];
  const { status, json: body, text } = response;
  const behind = status === 503 && body?.error?.code === 'VIEW_BEHIND' && response.headers['retry-after'] !== undefined;
  if (status >= 500) status5xx += 1;
  if (behind) viewBehind += 1;
  if (status >= 500 && !(behind && c.query.mayBeBehind)) problems.push(`answered ${status}`);
  const requestText = [safeDecode(path), path, JSON.stringify(headers), c.body.bytes?.toString('utf8') ?? ''].join(
    '\n',
  );
  const leaks = leaksIn(`${text}\n${JSON.stringify(response.headers)}`, requestText);
  if (leaks.length > 0) problems.push(`leaks ${JSON.stringify(leaks.slice(0, 3))}`);
  if (text !== '' && body === undefined) problems.push('answer is not JSON');
  // Every error answer has the API's shape, the emulated gateway's own refusals included (src/local/offlineEdge.cjs).
  const bodyDroppedByGateway = !bodyReachesFunction(c.route) && (c.body.bytes?.length ?? 0) > 0;
  if (status >= 400 && !(typeof body?.error?.code === 'string' && typeof body?.error?.message === 'string')) {
    problems.push('error answer without an error code');
  }
  if (verdict === 'invalid' && (status < 400 || status >= 500)) problems.push(`invalid input answered ${status}`);
  // (The offline gateway may answer a GET or DELETE that carries a body 400, before authenticating.)
  // The local edge refuses the authorizer override header itself (400 BAD_REQUEST), before any token is read.
  const refusedWith = c.token.extraHeaders?.['sls-offline-authorizer-override'] === undefined ? [401] : [400, 401];
  if (c.token.verdict === 'rejected' && !bodyDroppedByGateway && !refusedWith.includes(status))
    problems.push(`a rejected token (${c.token.kind}) answered ${status}`);
  // (A command's Idempotency-Key: a malformed key is 400, one already used with another request 422.)
  const keyRefused =
    c.header.headers['idempotency-key'] !== undefined &&
    (status === 422 || (status === 400 && body?.error?.details?.[0]?.path === 'Idempotency-Key'));
  const wrongType = notJson(c);
  if (
    c.token.verdict === 'accepted' &&
    c.body.oversize &&
    !wrongType &&
    bodyReachesFunction(c.route) &&
    !keyRefused &&
    status !== 413
  )
    problems.push(`a body of ${c.body.bytes?.length} bytes answered ${status}`);
  if (
    c.token.verdict === 'accepted' &&
    wrongType &&
    OPAQUE_TYPES.includes(c.header.headers['content-type']!) &&
    !keyRefused &&
    !(status === 415 && body?.error?.code === 'UNSUPPORTED_MEDIA_TYPE')
  ) {
    problems.push(`a body sent as ${c.header.headers['content-type']} answered ${status}`);
  }
  // Bookkeeping of commits: a 2xx command beyond the version last seen is one commit.
  if (route.command && status >= 200 && status < 300 && Number.isInteger(body?.version)) {
    acked.push({ listId: body.listId, version: body.version });
    if (c.route === 'createList') {
      // An Idempotency-Key replay answers the first creation again: no new commit.
      if (!createdLists.has(body.listId)) expectedCommits += 1;
      createdLists.add(body.listId);
    } else {
      const seen = knownVersion.get(body.listId) ?? 0;
      if (body.version > seen) {
        expectedCommits += 1;
        knownVersion.set(body.listId, body.version);
      }
    }
  }
  return problems.map(
    (p) => `${route.method} ${path.slice(0, 120)} [token: ${c.token.kind}]: ${p} — ${text.slice(0, 200)}`,
  );
};
const safeDecode = (path: string) => {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
};

// ── the tests ────────────────────────────────────────────────────────────────
describe('hostile input against the running stack', () => {
  it(
    'answers a body over 64 KB with 413 PAYLOAD_TOO_LARGE on every route that takes one, and writes nothing',
    async () => {
      const token = localToken(fuzzer);
      const [list] = own;
      const versionBefore = knownVersion.get(list!.listId);
      for (const [name, route] of Object.entries(ROUTES).filter(([name]) => bodyReachesFunction(name as Route))) {
        const path = route.path(list!.listId, list!.todoIds[0]!);
        for (const size of [MAX_BODY_BYTES + 1, 1024 * 1024]) {
          sent += 1;
          const response = await send(stack.baseUrl, {
            method: route.method,
            path,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: json({ title: 'x'.repeat(size - 12) }),
          });
          expect({ name, size, status: response.status, code: response.json?.error?.code }).toEqual({
            name,
            size,
            status: 413,
            code: 'PAYLOAD_TOO_LARGE',
          });
        }
      }
      const { json: view } = await api.call('GET', `/lists/${list!.listId}/events`, token);
      expect(view.items.at(-1).version).toBe(versionBefore);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `survives ${reliability.fuzz.cases} fuzzed requests: no 5xx, no leak, invalid input refused (seed ${seed})`,
    async () => {
      const started = Date.now();
      let result: fc.RunDetails<[FuzzCase]> | undefined;
      let accounting: { actual: Record<string, unknown>; expected: Record<string, unknown> } | undefined;
      try {
        result = await fc.check(
          fc.asyncProperty(caseArb, async (c) => {
            const problems = await runCase(c);
            if (problems.length > 0) throw new Error(problems.join('\n'));
          }),
          {
            numRuns: reliability.fuzz.cases,
            seed,
            interruptAfterTimeLimit: reliability.fuzz.timeLimitMs,
            markInterruptAsFailure: false,
          },
        );
      } finally {
        const after = await readSettledStore(stack.dynamoDbEndpoint);
        const views = await waitForViews(stack.dynamoDbEndpoint, after, reliability.convergeTimeoutMs);
        const commitsAdded = after.commitCount - before.commitCount;
        // A commit carrying a case's correlation id must come from a case answered 2xx.
        const statusesOf = new Map<string, number[]>();
        for (const o of outcomes) {
          const id = o.case.header.correlationId;
          if (id !== undefined) statusesOf.set(id, [...(statusesOf.get(id) ?? []), o.response?.status ?? 0]);
        }
        const commitsOfRefused = [...after.byCorrelationId.keys()].filter(
          (id) => statusesOf.has(id) && !statusesOf.get(id)!.some((status) => status >= 200 && status < 300),
        );
        const victimCommits = after.streams.get(victimList.listId)?.length ?? 0;
        const accepted = outcomes.filter((o) => o.response && o.response.status < 300).length;
        const found = acked.filter((a) => after.streams.get(a.listId)?.some((c) => c.version === a.version)).length;
        recordFigures({
          part: '5. hostile input (fast-check)',
          requests: sent,
          acknowledged: acked.length,
          foundInStore: found,
          viewDifferences: views.differences,
          status5xx,
          viewBehind503: viewBehind,
          conflicts409: outcomes.filter(
            (o) => o.response?.status === 409 && o.response.json?.error?.code === 'CONCURRENCY_CONFLICT',
          ).length,
          fuzzCases: outcomes.length,
          crashRounds: 0,
          durationMs: Date.now() - started,
          note:
            `${outcomes.filter((o) => o.verdict === 'invalid').length} invalid by construction, ${accepted} answered 2xx; ` +
            `${outcomes.filter((o) => o.case.token.verdict === 'accepted-locally').length} with tokens the offline authorizer accepts but AWS would not (nbf)`,
        });
        // Recorded in the summary even when the property failed; asserted below.
        accounting = {
          actual: {
            commitsAdded,
            commitsOfRefusedRequests: commitsOfRefused,
            acknowledgedNotInStore: acked.length - found,
            victimCommits,
            viewDifferences: views.details.slice(0, 10),
            deadLetters: deadLetters(stack.dataDir).slice(0, 3),
          },
          expected: {
            commitsAdded: expectedCommits,
            commitsOfRefusedRequests: [],
            acknowledgedNotInStore: 0,
            victimCommits: before.streams.get(victimList.listId)?.length ?? 0,
            viewDifferences: [],
            deadLetters: [],
          },
        };
      }
      if (result?.failed) {
        const error =
          result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
        const example = JSON.stringify(result.counterexample?.[0], (_k, v: unknown) =>
          typeof v === 'string' && v.length > 200
            ? `${v.slice(0, 200)}…(${v.length})`
            : v && typeof v === 'object' && 'type' in v && (v as { type: string }).type === 'Buffer'
              ? Buffer.from((v as unknown as { data: number[] }).data)
                  .toString('utf8')
                  .slice(0, 300)
              : v,
        );
        throw new Error(
          `${error}\n\ncase: ${example}\n(seed ${result.seed}, path ${result.counterexamplePath}, after ${result.numRuns} cases, shrunk ${result.numShrinks} times)`,
        );
      }
      expect(accounting?.actual).toEqual(accounting?.expected);
      expect(outcomes.length).toBeGreaterThanOrEqual(Math.min(100, reliability.fuzz.cases));
    },
    TEST_TIMEOUT_MS,
  );
});
