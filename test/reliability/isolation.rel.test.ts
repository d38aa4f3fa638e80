/**
 * Part 6 — isolation. For every route, REST and GraphQL, another user's list and todo ids
 * answer 404 (GraphQL: a LIST_NOT_FOUND / TODO_NOT_FOUND error) and change nothing: not the
 * other user's stream, not their view, not anyone's stats. Also: an Idempotency-Key is the
 * caller's own (another user's key never replays their answer), and a header that asks the
 * offline gateway to swap the caller's claims gets nobody anywhere.
 */
import { TEST_TIMEOUT_MS } from './support/config';
import { closeConnections, localToken, send } from './support/http';
import { recordFigures } from './support/report';
import { runSeed, sharedStack } from './support/sharedStack';
import { readSettledStore } from './support/storeAudit';

const stack = sharedStack();
const seed = runSeed();
afterAll(closeConnections);

const alice = `iso-alice-${seed}`;
const bob = `iso-bob-${seed}`;
const aliceToken = localToken(alice);
const bobToken = localToken(bob);

it(
  `answers 404 for another user's list and todo ids on every route, and changes nothing (seed ${seed})`,
  async () => {
    const started = Date.now();
    let requests = 0;
    const call = async (
      method: string,
      path: string,
      token: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      requests += 1;
      return send(stack.baseUrl, {
        method,
        path,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    };

    // Alice: a list with an open and a completed todo. Bob: a list with one todo.
    const list = (await call('POST', '/lists', aliceToken, { title: 'alice only' })).json.listId as string;
    const open = (await call('POST', `/lists/${list}/todos`, aliceToken, { title: 'open' })).json.todoId as string;
    const done = (await call('POST', `/lists/${list}/todos`, aliceToken, { title: 'done' })).json.todoId as string;
    await call('POST', `/lists/${list}/todos/${done}/complete`, aliceToken);
    const keyed = await call(
      'POST',
      `/lists/${list}/todos`,
      aliceToken,
      { title: 'keyed' },
      { 'idempotency-key': `iso-key-${seed}` },
    );
    expect(keyed.status).toBe(201);
    const bobList = (await call('POST', '/lists', bobToken, { title: 'bob only' })).json.listId as string;
    const bobTodo = (await call('POST', `/lists/${bobList}/todos`, bobToken, { title: 'mine' })).json.todoId as string;
    // Both views caught up before anything is compared.
    const viewOf = async (listId: string, token: string, version: number) => {
      for (let i = 0; i < 100; i += 1) {
        const view = await call('GET', `/lists/${listId}?minVersion=${version}`, token);
        if (view.status === 200) return view.json;
      }
      throw new Error(`the view of ${listId} did not reach ${version}`);
    };
    const aliceView = await viewOf(list, aliceToken, 5);
    await viewOf(bobList, bobToken, 2);
    const before = await readSettledStore(stack.dynamoDbEndpoint, { quietMs: 2_000 });
    const statsOf = async (token: string) => (await call('GET', '/stats', token)).json;
    const aliceStats = await statsOf(aliceToken);
    const bobStats = await statsOf(bobToken);

    const rest: [string, string, unknown?][] = [
      ['GET', `/lists/${list}`],
      ['GET', `/lists/${list}?minVersion=1`],
      ['GET', `/lists/${list}?atVersion=1`],
      ['GET', `/lists/${list}/events`],
      ['GET', `/lists?listId=${list}&minVersion=1`],
      ['PATCH', `/lists/${list}`, { title: 'mine now' }],
      ['DELETE', `/lists/${list}`],
      ['POST', `/lists/${list}/todos`, { title: 'intruder' }],
      ['PATCH', `/lists/${list}/todos/${open}`, { title: 'intruder' }],
      ['POST', `/lists/${list}/todos/${open}/complete`],
      ['POST', `/lists/${list}/todos/${done}/reopen`],
      ['DELETE', `/lists/${list}/todos/${open}`],
      ['POST', `/lists/${list}/clear-completed`],
      // Alice's todo ids on Bob's own list.
      ['PATCH', `/lists/${bobList}/todos/${open}`, { title: 'intruder' }],
      ['POST', `/lists/${bobList}/todos/${open}/complete`],
      ['POST', `/lists/${bobList}/todos/${done}/reopen`],
      ['DELETE', `/lists/${bobList}/todos/${open}`],
    ];
    const answers: Record<string, unknown>[] = [];
    for (const [method, path, body] of rest) {
      const response = await call(method, path, bobToken, body);
      answers.push({ method, path, status: response.status, code: response.json?.error?.code });
    }
    // Alice's own list with Bob's todo id: the todo is not hers either.
    for (const [method, path, body] of [
      ['PATCH', `/lists/${list}/todos/${bobTodo}`, { title: 'not mine' }],
      ['POST', `/lists/${list}/todos/${bobTodo}/complete`],
      ['DELETE', `/lists/${list}/todos/${bobTodo}`],
    ] as [string, string, unknown?][]) {
      const response = await call(method, path, aliceToken, body);
      answers.push({ method, path, status: response.status, code: response.json?.error?.code });
    }
    // Alice's Idempotency-Key and body, sent by Bob to Alice's list: not a replay of her answer.
    const replay = await call(
      'POST',
      `/lists/${list}/todos`,
      bobToken,
      { title: 'keyed' },
      { 'idempotency-key': `iso-key-${seed}` },
    );
    answers.push({
      method: 'POST',
      path: `/lists/${list}/todos (Alice's Idempotency-Key)`,
      status: replay.status,
      code: replay.json?.error?.code,
    });

    const graphql = async (query: string) => {
      const response = await call('POST', '/graphql', bobToken, { query });
      const codes = (response.json?.errors ?? []).map((e: { extensions?: { code?: string } }) => e.extensions?.code);
      return { status: response.status, data: response.json?.data ?? null, codes };
    };
    const graphqlAttempts: Record<string, Awaited<ReturnType<typeof graphql>>> = {
      list: await graphql(`{ list(listId: "${list}") { listId title todos { todoId } } }`),
      listAt: await graphql(`{ list(listId: "${list}", atVersion: 1) { listId title } }`),
      events: await graphql(`{ events(listId: "${list}") { items { version type } } }`),
      renameList: await graphql(`mutation { renameList(listId: "${list}", title: "mine now") { version } }`),
      archiveList: await graphql(`mutation { archiveList(listId: "${list}") { version } }`),
      addTodo: await graphql(`mutation { addTodo(listId: "${list}", title: "intruder") { version } }`),
      completeTodo: await graphql(`mutation { completeTodo(listId: "${list}", todoId: "${open}") { version } }`),
      removeTodo: await graphql(`mutation { removeTodo(listId: "${list}", todoId: "${open}") { version } }`),
      clearCompleted: await graphql(`mutation { clearCompleted(listId: "${list}") { version } }`),
      foreignTodo: await graphql(`mutation { completeTodo(listId: "${bobList}", todoId: "${open}") { version } }`),
    };

    // The offline gateway lets this header replace the caller's claims; it must not make Bob into Alice.
    const override = {
      'sls-offline-authorizer-override': JSON.stringify({ jwt: { claims: { sub: alice }, scopes: [] } }),
    };
    const impersonation = await Promise.all([
      call('GET', `/lists/${list}`, bobToken, undefined, override),
      call('PATCH', `/lists/${list}`, bobToken, { title: 'impersonated' }, override),
      call('GET', '/stats', bobToken, undefined, override),
    ]);

    const bobLists = (await call('GET', '/lists', bobToken)).json.items.map((i: { listId: string }) => i.listId);
    const after = await readSettledStore(stack.dynamoDbEndpoint, { quietMs: 2_000 });
    const aliceViewAfter = (await call('GET', `/lists/${list}`, aliceToken)).json;

    recordFigures({
      part: '6. isolation',
      requests,
      acknowledged: 0,
      foundInStore: 0,
      viewDifferences: JSON.stringify(aliceViewAfter) === JSON.stringify(aliceView) ? 0 : 1,
      status5xx: [...answers.map((a) => a.status as number), ...impersonation.map((r) => r.status)].filter(
        (s) => s >= 500,
      ).length,
      viewBehind503: 0,
      conflicts409: 0,
      fuzzCases: 0,
      crashRounds: 0,
      durationMs: Date.now() - started,
      note: `${answers.length} REST and ${Object.keys(graphqlAttempts).length} GraphQL attempts on another user's ids, ${impersonation.length} with the claims-override header`,
    });

    const notFound = (code: string) => ({ status: 404, code });
    expect(answers).toEqual(
      answers.map((a) => ({
        method: a.method,
        path: a.path,
        ...notFound(
          String(a.path).includes(bobList) || String(a.path).includes(bobTodo) ? 'TODO_NOT_FOUND' : 'LIST_NOT_FOUND',
        ),
      })),
    );
    for (const [name, attempt] of Object.entries(graphqlAttempts)) {
      expect({ name, status: attempt.status, codes: attempt.codes }).toEqual({
        name,
        status: 200,
        codes: [name === 'foreignTodo' ? 'TODO_NOT_FOUND' : 'LIST_NOT_FOUND'],
      });
    }
    // The local edge refuses the claims-override header itself, before the authorizer: 400, nothing done.
    expect(impersonation.map((r) => [r.status, r.json?.error?.code])).toEqual([
      [400, 'BAD_REQUEST'],
      [400, 'BAD_REQUEST'],
      [400, 'BAD_REQUEST'],
    ]);
    expect({
      aliceCommits: after.streams.get(list)?.length,
      bobCommits: after.streams.get(bobList)?.length,
      aliceView: aliceViewAfter,
      aliceStats: await statsOf(aliceToken),
      bobStats: await statsOf(bobToken),
      bobSeesAliceList: bobLists.includes(list),
    }).toEqual({
      aliceCommits: before.streams.get(list)?.length,
      bobCommits: before.streams.get(bobList)?.length,
      aliceView,
      aliceStats,
      bobStats,
      bobSeesAliceList: false,
    });
  },
  TEST_TIMEOUT_MS,
);
