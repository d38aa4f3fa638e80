/**
 * Part 1 — load. A mixed workload (create lists, add / complete / reopen / rename / remove
 * todos, clear completed, rename lists, read the list, the lists, the stats and the history)
 * from many users over many keep-alive connections for a fixed time, driven by autocannon.
 * Afterwards: zero 5xx, every acknowledged command in the event store at the version it was
 * given (with its effect), nothing doubled, no version gaps, nothing dead-lettered, and every
 * view equal to a fold of its stream once the projections caught up.
 */
import { recordFigures } from './support/report';
import { TEST_TIMEOUT_MS, quick, reliability } from './support/config';
import { closeConnections, localToken } from './support/http';
import { runSeed, seeded, sharedStack } from './support/sharedStack';
import { auditAcks, deadLetters, readSettledStore, unacknowledgedCommits, waitForViews } from './support/storeAudit';
import { applyAnswer, newSession, planNext, type PlannedRequest, type Session } from './support/todoSessions';

const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;

interface AutocannonResult {
  readonly requests: { readonly sent: number; readonly total: number; readonly average: number };
  readonly latency: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly '2xx': number;
  readonly '4xx': number;
  readonly '5xx': number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly duration: number;
}

interface ConnectionContext {
  session?: Session;
  plan?: PlannedRequest;
}

const stack = sharedStack();
const seed = runSeed();
afterAll(closeConnections);

it(
  `serves a mixed multi-user load with zero 5xx and loses or doubles nothing (seed ${seed})`,
  async () => {
    const { durationSeconds, connections, users, maxRequests } = reliability.load;
    const random = seeded(seed);
    const prefix = `load-${seed}-`;
    const sessions: Session[] = [];
    const tokens = Array.from({ length: users }, (_, i) =>
      localToken(`load-user-${seed}-${i}`, { exp: Math.floor(Date.now() / 1000) + 4 * 3600 }),
    );
    let nextUser = 0;
    let planned = 0;
    let answered = 0;
    const statuses = new Map<number, number>();
    const started = Date.now();

    const request = {
      setupRequest: (req: Record<string, unknown>, context: ConnectionContext) => {
        if (!context.session) {
          const index = nextUser++ % users;
          context.session = newSession(`load-user-${seed}-${index}`, tokens[index]!);
          sessions.push(context.session);
        }
        planned += 1;
        const plan = planNext(context.session, random, `${prefix}${planned}`, planned);
        context.plan = plan;
        return {
          ...req,
          method: plan.method,
          path: plan.path,
          headers: {
            authorization: `Bearer ${context.session.token}`,
            'x-correlation-id': plan.correlationId,
            ...(plan.body ? { 'content-type': 'application/json' } : {}),
          },
          body: plan.body ? JSON.stringify(plan.body) : undefined,
        };
      },
      onResponse: (status: number, body: string, context: ConnectionContext) => {
        answered += 1;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          parsed = undefined;
        }
        if (context.session && context.plan) applyAnswer(context.session, context.plan, status, parsed);
      },
    };

    const result = await autocannon({
      url: stack.baseUrl,
      connections,
      pipelining: 1,
      duration: durationSeconds,
      // Bounded in count as well as in time.
      maxOverallRequests: maxRequests,
      timeout: 10,
      // Each connection runs 30 requests on one list, then starts over as another session.
      requests: Array.from({ length: 30 }, () => request),
    });

    const count = (predicate: (status: number) => boolean) =>
      [...statuses.entries()].filter(([status]) => predicate(status)).reduce((sum, [, n]) => sum + n, 0);
    const status5xx = count((s) => s >= 500);
    const acks = sessions.flatMap((s) => s.acks);
    const refused = sessions.flatMap((s) => s.refused);
    const problems = sessions.flatMap((s) => s.problems);
    const viewBehind = sessions.reduce((n, s) => n + s.viewBehind, 0);

    const contents = await readSettledStore(stack.dynamoDbEndpoint);
    const ackAudit = auditAcks(contents, acks, refused);
    const orphans = unacknowledgedCommits(contents, acks, prefix);
    const views = await waitForViews(stack.dynamoDbEndpoint, contents, reliability.convergeTimeoutMs);
    const letters = deadLetters(stack.dataDir);
    const unanswered = planned - answered;

    recordFigures({
      part: '1. load (autocannon)',
      requests: result.requests.sent,
      acknowledged: acks.length,
      foundInStore: ackAudit.found,
      viewDifferences: views.differences,
      status5xx,
      viewBehind503: viewBehind,
      conflicts409: sessions.reduce((n, s) => n + s.conflicts, 0),
      fuzzCases: 0,
      crashRounds: 0,
      durationMs: Date.now() - started,
      note:
        `${connections} connections, ${users} users, ${durationSeconds} s; ${Math.round(result.requests.average)} req/s, ` +
        `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; ${contents.streams.size} streams, ` +
        `${contents.commitCount} commits in the store; ${unanswered} requests unanswered when the time was up, ${orphans.length} commits without an answer; ` +
        `${sessions.reduce((n, s) => n + s.staleReads, 0)} plain reads came before the view (404), none with minVersion did`,
    });

    // One comparison, so that a failure shows every finding at once.
    expect({
      errors: result.errors,
      timeouts: result.timeouts,
      // Every 5xx must be the documented 503 VIEW_BEHIND of a read-your-writes read.
      status5xxOtherThanViewBehind: status5xx - viewBehind,
      problems: problems.slice(0, 20),
      ackProblems: ackAudit.problems.slice(0, 20),
      streamsWithGaps: contents.streamsWithGaps,
      viewDifferences: views.details.slice(0, 20),
      deadLetters: letters.slice(0, 5),
      // A commit nobody was told about can only come from a request whose answer never arrived.
      orphansWithinUnanswered: orphans.length <= unanswered,
    }).toEqual({
      errors: 0,
      timeouts: 0,
      status5xxOtherThanViewBehind: 0,
      problems: [],
      ackProblems: [],
      streamsWithGaps: [],
      viewDifferences: [],
      deadLetters: [],
      orphansWithinUnanswered: true,
    });
    expect(ackAudit.found).toBe(acks.length);
    expect(acks.length).toBeGreaterThan(quick ? 100 : 1000);
  },
  TEST_TIMEOUT_MS,
);
