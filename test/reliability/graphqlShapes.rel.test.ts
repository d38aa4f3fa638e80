/**
 * Hostile GraphQL shapes over HTTP against the running stack: each is refused before it runs,
 * and ten of them in flight at once do not stall the stack — a `GET /stats` sent alongside
 * answers within a few seconds (the point is "not stalled", not a benchmark: bench part 11
 * times the pricing). Nothing they hold is run: the list they name keeps its version.
 *
 * Story: 21 fragments each spreading the next twice (869 characters) took 10.5 s to refuse and
 * a `GET /stats` sent alongside waited 2.3 s behind 20 of them; 24 levels took 89 s and stalled
 * the whole local stack. `lists(limit: -2147483648)` was priced below zero, so 60 read-your-writes
 * waits beside it ran.
 */
import { performance } from 'node:perf_hooks';
import { mutationFanOut, negativeLimitWithWaits, nestedFanOut, rootFanOut } from '../support/graphqlShapes';
import { TEST_TIMEOUT_MS } from './support/config';
import { closeConnections, jsonClient, localToken, send } from './support/http';
import { recordFigures } from './support/report';
import { runSeed, sharedStack } from './support/sharedStack';

const stack = sharedStack();
const api = jsonClient(stack.baseUrl);
const user = `graphql-shapes-${runSeed()}`;
const token = localToken(user);
afterAll(closeConnections);

/** Generous: a stalled stack took tens of seconds; a healthy one answers in milliseconds. */
const STATS_WITHIN_MS = 5_000;
const REFUSED_WITHIN_MS = 10_000;

const graphql = async (query: string) => {
  const started = performance.now();
  const response = await send(stack.baseUrl, {
    method: 'POST',
    path: '/graphql',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    // Long enough to see a stalled answer arrive late rather than not at all.
    timeoutMs: 120_000,
  });
  return {
    ms: performance.now() - started,
    status: response.status,
    json: response.json as { data?: unknown; errors?: { extensions?: { code?: string } }[] },
  };
};

let listId: string;
let version: number;
beforeAll(async () => {
  const created = await api.call('POST', '/lists', token, { title: 'shapes' });
  expect(created.status).toBe(201);
  listId = created.json.listId as string;
  version = created.json.version as number;
  // Warm: the first request to a function loads its code, which is not what is measured here.
  expect((await graphql('{ stats { lists } }')).json.data).toEqual({ stats: { lists: expect.any(Number) } });
  expect((await api.call('GET', '/stats', token)).status).toBe(200);
}, 60_000);

it(
  'refuses 10 fragment fan-outs and negative-limit queries in flight at once before they run, and GET /stats answers meanwhile',
  async () => {
    const started = performance.now();
    const evil = [
      { query: rootFanOut(21), code: 'GRAPHQL_TOO_COSTLY' },
      { query: rootFanOut(24), code: 'GRAPHQL_TOO_COSTLY' },
      { query: rootFanOut(24), code: 'GRAPHQL_TOO_COSTLY' },
      { query: rootFanOut(40), code: 'GRAPHQL_TOO_COSTLY' },
      { query: rootFanOut(40), code: 'GRAPHQL_TOO_COSTLY' },
      { query: rootFanOut(30, 8), code: 'GRAPHQL_TOO_COSTLY' },
      { query: mutationFanOut(24, listId), code: 'TOO_MANY_MUTATIONS' },
      { query: nestedFanOut(40), code: 'GRAPHQL_TOO_COSTLY' },
      { query: negativeLimitWithWaits(60, -2147483648, listId), code: 'GRAPHQL_TOO_COSTLY' },
      { query: negativeLimitWithWaits(60, -1, listId), code: 'GRAPHQL_TOO_COSTLY' },
    ];
    const inFlight = evil.map(({ query }) => graphql(query));
    // Sent once the evil ones are on their way: it must not queue behind their pricing.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const statsStarted = performance.now();
    const stats = await api.call('GET', '/stats', token);
    const statsMs = performance.now() - statsStarted;
    const answers = await Promise.all(inFlight);

    expect(stats.status).toBe(200);
    expect(statsMs).toBeLessThan(STATS_WITHIN_MS);
    // A refusal by a limit is answered like QUERY_TOO_DEEP: 200, one error, no data (docs/api.md, "GraphQL and OpenAPI").
    expect(
      answers.map((a, i) => ({ i, status: a.status, code: a.json.errors?.[0]?.extensions?.code, data: a.json.data })),
    ).toEqual(evil.map(({ code }, i) => ({ i, status: 200, code, data: undefined })));
    for (const answer of answers) expect(answer.ms).toBeLessThan(REFUSED_WITHIN_MS);

    // Nothing ran: the list was neither archived nor waited on.
    const list = await api.call('GET', `/lists/${listId}`, token);
    expect({ status: list.status, archived: list.json.archived, version: list.json.version }).toEqual({
      status: 200,
      archived: false,
      version,
    });

    recordFigures({
      part: 'graphql shapes',
      requests: evil.length + 3,
      acknowledged: 1,
      foundInStore: 1,
      viewDifferences: 0,
      status5xx: [...answers.map((a) => a.status), stats.status, list.status].filter((s) => s >= 500).length,
      viewBehind503: 0,
      conflicts409: 0,
      fuzzCases: 0,
      crashRounds: 0,
      durationMs: Math.round(performance.now() - started),
      note: `GET /stats beside ${evil.length} hostile queries: ${Math.round(statsMs)} ms; slowest refusal ${Math.round(Math.max(...answers.map((a) => a.ms)))} ms`,
    });
  },
  TEST_TIMEOUT_MS,
);

it(
  'answers a lone negative, zero or too large limit with VALIDATION_ERROR over GraphQL and 400 over REST, reading nothing',
  async () => {
    for (const limit of [-2147483648, -1, 0, 101, 2147483647]) {
      const answer = await graphql(`{ lists(limit: ${limit}) { items { listId } } }`);
      expect({
        limit,
        status: answer.status,
        code: answer.json.errors?.[0]?.extensions?.code,
        data: answer.json.data,
      }).toEqual({ limit, status: 200, code: 'VALIDATION_ERROR', data: { lists: null } });
      const rest = await api.call('GET', `/lists?limit=${limit}`, token);
      expect({ limit, status: rest.status, code: rest.json?.error?.code }).toEqual({
        limit,
        status: 400,
        code: 'VALIDATION_ERROR',
      });
      const events = await api.call('GET', `/lists/${listId}/events?limit=${limit}`, token);
      expect({ limit, status: events.status }).toEqual({ limit, status: 400 });
    }
  },
  TEST_TIMEOUT_MS,
);
