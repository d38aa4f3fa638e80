/**
 * Prototype keys over the wire (issue 22). On main `DELETE /tags/hasOwnProperty`, `PATCH
 * /tags/constructor` and `PUT /lists/L/todos/T/tags/constructor` were 200: their events stayed in
 * the log and the tags and tag-count views dead-lettered them. Here every route and GraphQL
 * field that takes an id gets the names every object answers to, and users whose `sub` is
 * `__proto__` or `constructor` use the app: the ids are 400 or 404 only (GraphQL: a
 * VALIDATION_ERROR or a *_NOT_FOUND error), write no commit, and every view stays the fold of
 * the store, with no new dead letter; those users' lists, stats and tag counts are their own.
 */
import { TEST_TIMEOUT_MS, reliability } from './support/config';
import { closeConnections, localToken, send } from './support/http';
import { recordFigures } from './support/report';
import { runSeed, sharedStack } from './support/sharedStack';
import { deadLetters, readSettledStore, waitForViews } from './support/storeAudit';

const stack = sharedStack();
const seed = runSeed();
afterAll(closeConnections);

const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  'prototype',
];

it(
  `refuses prototype keys as ids on every route (400/404, no commit) and serves users named __proto__ and constructor (seed ${seed})`,
  async () => {
    const started = Date.now();
    let requests = 0;
    const call = async (method: string, path: string, sub: string, body?: unknown) => {
      requests += 1;
      return send(stack.baseUrl, {
        method,
        path,
        headers: { authorization: `Bearer ${localToken(sub)}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    };
    const graphql = async (sub: string, query: string) => {
      const response = await call('POST', '/graphql', sub, { query });
      return {
        status: response.status,
        data: response.json?.data,
        codes: (response.json?.errors ?? []).map((e: { extensions?: { code?: string } }) => e.extensions?.code),
      };
    };
    const deadBefore = deadLetters(stack.dataDir).length;

    // Users whose ids are prototype keys (the caller id is free-form: it is not the kit's), and one who is not.
    const users = ['__proto__', 'constructor', `proto-keys-${seed}`];
    const made = new Map<string, { list: string; todo: string; open: string; tag: string }>();
    for (const user of users) {
      const created = await call('POST', '/lists', user, { title: `list of ${user}` });
      expect({ user, status: created.status }).toEqual({ user, status: 201 });
      const list = created.json.listId as string;
      const todo = (await call('POST', `/lists/${list}/todos`, user, { title: 'tagged and done' })).json
        .todoId as string;
      const open = (await call('POST', `/lists/${list}/todos`, user, { title: 'open' })).json.todoId as string;
      // Tag names may be anything: `constructor` is a fine name for a tag.
      const tagAnswer = await call('POST', '/tags', user, { name: `constructor ${seed}` });
      expect({ user, status: tagAnswer.status }).toEqual({ user, status: 201 });
      const tag = tagAnswer.json.tagId as string;
      expect((await call('PUT', `/lists/${list}/todos/${todo}/tags/${tag}`, user)).status).toBe(200);
      expect((await call('POST', `/lists/${list}/todos/${todo}/complete`, user)).status).toBe(200);
      // And one through GraphQL.
      const viaGraphql = await graphql(user, 'mutation { createList(title: "by graphql") { listId } }');
      expect({ user, data: viaGraphql.data?.createList?.listId?.length }).toEqual({ user, data: 36 });
      made.set(user, { list, todo, open, tag });
    }
    const before = await readSettledStore(stack.dynamoDbEndpoint, { quietMs: 2_000 });

    // Every id position of every route, with every prototype key.
    const answers: { user: string; method: string; path: string; status: number; code?: string }[] = [];
    const graphqlAnswers: { user: string; field: string; status: number; codes: string[]; data: unknown }[] = [];
    for (const user of users) {
      const { list, todo, tag } = made.get(user)!;
      for (const key of PROTOTYPE_KEYS) {
        const rest: [string, string, unknown?][] = [
          ['DELETE', `/tags/${key}`],
          ['PATCH', `/tags/${key}`, { name: 'x' }],
          ['PUT', `/lists/${list}/todos/${todo}/tags/${key}`],
          ['DELETE', `/lists/${list}/todos/${todo}/tags/${key}`],
          ['PUT', `/lists/${list}/todos/${key}/tags/${tag}`],
          ['PUT', `/lists/${key}/todos/${todo}/tags/${tag}`],
          ['GET', `/lists/${key}`],
          ['GET', `/lists/${key}/events`],
          ['GET', `/lists?listId=${key}&minVersion=1`],
          ['PATCH', `/lists/${key}`, { title: 'x' }],
          ['DELETE', `/lists/${key}`],
          ['POST', `/lists/${key}/todos`, { title: 'x' }],
          ['POST', `/lists/${key}/clear-completed`],
          ['PATCH', `/lists/${list}/todos/${key}`, { title: 'x' }],
          ['POST', `/lists/${list}/todos/${key}/complete`],
          ['POST', `/lists/${list}/todos/${key}/reopen`],
          ['DELETE', `/lists/${list}/todos/${key}`],
        ];
        for (const [method, path, body] of rest) {
          const response = await call(method, path, user, body);
          answers.push({ user, method, path, status: response.status, code: response.json?.error?.code });
        }
        const fields: Record<string, string> = {
          deleteTag: `mutation { deleteTag(tagId: "${key}") { version } }`,
          renameTag: `mutation { renameTag(tagId: "${key}", name: "x") { version } }`,
          tagTodo: `mutation { tagTodo(listId: "${list}", todoId: "${todo}", tagId: "${key}") { version } }`,
          untagTodo: `mutation { untagTodo(listId: "${list}", todoId: "${todo}", tagId: "${key}") { version } }`,
          completeTodo: `mutation { completeTodo(listId: "${list}", todoId: "${key}") { version } }`,
          addTodo: `mutation { addTodo(listId: "${key}", title: "x") { version } }`,
          list: `{ list(listId: "${key}") { title } }`,
          events: `{ events(listId: "${key}") { items { version } } }`,
        };
        for (const [field, query] of Object.entries(fields))
          graphqlAnswers.push({ user, field, ...(await graphql(user, query)) });
      }
    }

    const after = await readSettledStore(stack.dynamoDbEndpoint, { quietMs: 2_000 });
    const audit = await waitForViews(stack.dynamoDbEndpoint, after, reliability.convergeTimeoutMs);
    const deadAfter = deadLetters(stack.dataDir).length;

    // What each user sees: their own lists, stats and tag counts, whatever their id.
    const seen: Record<string, unknown> = {};
    for (const user of users) {
      const { tag } = made.get(user)!;
      let tags: any;
      let stats: any;
      // The views caught up (the audit above); the tag counts are not in it, so they get the same time.
      for (
        const deadline = Date.now() + reliability.convergeTimeoutMs;
        ;
        await new Promise((r) => setTimeout(r, 250))
      ) {
        tags = (await call('GET', '/tags', user)).json;
        stats = (await call('GET', '/stats', user)).json;
        const counted = tags?.items?.find((t: { tagId: string }) => t.tagId === tag)?.todoCount === 1;
        if ((counted && stats?.lists === 2) || Date.now() > deadline) break;
      }
      const lists = (await call('GET', '/lists', user)).json;
      seen[user] = {
        tags: tags.items.filter((t: { tagId: string }) => t.tagId === tag),
        tagCount: tags.items.length,
        stats,
        lists: lists.items.length,
      };
    }

    recordFigures({
      part: '6b. prototype keys',
      requests,
      acknowledged: 0,
      foundInStore: 0,
      viewDifferences: audit.differences,
      status5xx: [...answers.map((a) => a.status), ...graphqlAnswers.map((a) => a.status)].filter((s) => s >= 500)
        .length,
      viewBehind503: 0,
      conflicts409: 0,
      fuzzCases: 0,
      crashRounds: 0,
      durationMs: Date.now() - started,
      note: `${answers.length} REST and ${graphqlAnswers.length} GraphQL requests with ${PROTOTYPE_KEYS.length} prototype keys as ids, by ${users.length} users (2 named __proto__ and constructor)`,
    });

    // 400 (an id the kit did not mint) or 404 (a route with no such shape) only.
    expect(answers.filter((a) => a.status !== 400 && a.status !== 404)).toEqual([]);
    expect(answers.filter((a) => a.status === 400 && a.code !== 'VALIDATION_ERROR')).toEqual([]);
    expect(
      graphqlAnswers.filter(
        (a) =>
          a.status !== 200 ||
          a.codes.length !== 1 ||
          !/^(VALIDATION_ERROR|[A-Z_]+_NOT_FOUND)$/.test(a.codes[0]!) ||
          ((a.data ?? null) !== null && Object.values(a.data as object).some((v) => v !== null)),
      ),
    ).toEqual([]);
    // No commit written, no event naming a prototype key anywhere in the log.
    expect(after.commitCount).toBe(before.commitCount);
    const hostileEvents = [...after.streams.values()]
      .flat()
      .flatMap((commit) =>
        commit.events.filter((event) =>
          Object.values(event.data as Record<string, unknown>).some(
            (value) => PROTOTYPE_KEYS.includes(value as string) && !users.includes(value as string),
          ),
        ),
      );
    expect(hostileEvents).toEqual([]);
    // Every view is the fold of the store, and nothing became a dead letter.
    expect(audit).toEqual({ differences: 0, details: [] });
    expect(deadAfter).toBe(deadBefore);
    for (const user of users) {
      const { tag } = made.get(user)!;
      expect(seen[user]).toEqual({
        tags: [{ tagId: tag, name: `constructor ${seed}`, todoCount: 1 }],
        tagCount: expect.any(Number),
        stats: { lists: 2, openTodos: 1, completedTodos: 1 },
        lists: 2,
      });
    }
  },
  TEST_TIMEOUT_MS,
);
