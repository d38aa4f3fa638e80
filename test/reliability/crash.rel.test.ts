/**
 * Part 3 — crash. A load runs against a local stack of its own; in the middle of it the
 * whole process group (start script, serverless-offline with the handlers and the stream
 * runner, DynamoDB Local) gets SIGKILL. The stack is started again on the same data folder
 * and ports. Every command answered 2xx before the kill must be in the event store with its
 * effect, nothing doubled, no version holes, and the views must converge: the stream runner
 * resumes from its checkpoint and skips nothing.
 */
import { TEST_TIMEOUT_MS, reliability } from './support/config';
import { closeConnections, localToken, send } from './support/http';
import { recordFigures } from './support/report';
import { runSeed, seeded } from './support/sharedStack';
import { auditAcks, deadLetters, readSettledStore, unacknowledgedCommits, waitForViews } from './support/storeAudit';
import { applyAnswer, newSession, planNext, type Session } from './support/todoSessions';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startLocalStack } from '../support/localStack';

const seed = runSeed();
afterAll(closeConnections);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it(
  `keeps every acknowledged command through SIGKILL of the whole stack (seed ${seed})`,
  async () => {
    const started = Date.now();
    const { rounds, loadWorkers, killAfterMs, maxRequestsPerRound } = reliability.crash;
    const random = seeded(seed);
    const env = { LOG_LEVEL: 'WARN' };
    let stack = await startLocalStack({ env });
    const sessions: Session[] = [];
    let requests = 0;
    let answered = 0;
    let status5xx = 0;
    const rounds_: { round: number; killedAfterMs: number; ackedBeforeKill: number }[] = [];
    const findings: Record<string, unknown>[] = [];
    const logs: string[] = [];

    try {
      for (let round = 1; round <= rounds; round += 1) {
        const prefix = `crash-${seed}-r${round}-`;
        let killed = false;
        let sentThisRound = 0;
        const killAfter = killAfterMs[0] + Math.floor(random() * (killAfterMs[1] - killAfterMs[0]));
        const ackedBefore = sessions.reduce((n, s) => n + s.acks.length, 0);
        // Bounded in count and in time: the loops stop at the kill (their next request fails) or at the deadline.
        const deadline = Date.now() + killAfter + 15_000;
        const workers = Array.from({ length: loadWorkers }, async (_, w) => {
          const user = `${prefix}user-${w}`;
          const session = newSession(user, localToken(user));
          sessions.push(session);
          while (!killed && Date.now() < deadline && sentThisRound < maxRequestsPerRound) {
            sentThisRound += 1;
            requests += 1;
            const plan = planNext(session, random, `${prefix}${requests}`, requests);
            try {
              const response = await send(stack.baseUrl, {
                method: plan.method,
                path: plan.path,
                headers: {
                  authorization: `Bearer ${session.token}`,
                  'x-correlation-id': plan.correlationId,
                  ...(plan.body ? { 'content-type': 'application/json' } : {}),
                },
                body: plan.body ? JSON.stringify(plan.body) : undefined,
                timeoutMs: 10_000,
              });
              answered += 1;
              if (response.status >= 500) status5xx += 1;
              applyAnswer(session, plan, response.status, response.json);
            } catch {
              // The stack is gone (or going): this request's outcome is unknown, as a client's would be.
              break;
            }
          }
        });
        await sleep(killAfter);
        killed = true;
        logs.push(stack.output());
        await stack.kill();
        await Promise.all(workers);
        const ackedBeforeKill = sessions.reduce((n, s) => n + s.acks.length, 0) - ackedBefore;
        rounds_.push({ round, killedAfterMs: killAfter, ackedBeforeKill });

        stack = await startLocalStack({ dataDir: stack.dataDir, ports: stack.ports, env });
        const contents = await readSettledStore(stack.dynamoDbEndpoint);
        const acks = sessions.flatMap((s) => s.acks);
        const audit = auditAcks(
          contents,
          acks,
          sessions.flatMap((s) => s.refused),
        );
        const views = await waitForViews(stack.dynamoDbEndpoint, contents, reliability.convergeTimeoutMs);
        findings.push({
          round,
          acknowledged: acks.length,
          found: audit.found,
          ackProblems: audit.problems.slice(0, 10),
          streamsWithGaps: contents.streamsWithGaps,
          viewDifferences: views.details.slice(0, 10),
          // Only requests cut off by the kill may have committed without an answer.
          orphansWithinUnanswered:
            unacknowledgedCommits(contents, acks, `crash-${seed}-`).length <= requests - answered,
        });
      }
      const contents = await readSettledStore(stack.dynamoDbEndpoint);
      const acks = sessions.flatMap((s) => s.acks);
      const audit = auditAcks(
        contents,
        acks,
        sessions.flatMap((s) => s.refused),
      );
      const views = await waitForViews(stack.dynamoDbEndpoint, contents, reliability.convergeTimeoutMs);
      const letters = deadLetters(stack.dataDir);
      const problems = sessions.flatMap((s) => s.problems);
      const viewBehind = sessions.reduce((n, s) => n + s.viewBehind, 0);

      recordFigures({
        part: '3. crash (SIGKILL + restart)',
        requests,
        acknowledged: acks.length,
        foundInStore: audit.found,
        viewDifferences: views.differences,
        status5xx,
        viewBehind503: viewBehind,
        conflicts409: sessions.reduce((n, s) => n + s.conflicts, 0),
        fuzzCases: 0,
        crashRounds: rounds,
        durationMs: Date.now() - started,
        note: `${loadWorkers} clients; killed after ${rounds_.map((r) => `${(r.killedAfterMs / 1000).toFixed(1)} s (${r.ackedBeforeKill} acknowledged)`).join(', ')}; ${requests - answered} requests cut off by the kills`,
      });

      expect({
        findings,
        status5xxOtherThanViewBehind: status5xx - viewBehind,
        problems: problems.slice(0, 20),
        deadLetters: letters.slice(0, 5),
      }).toEqual({
        findings: findings.map((f) => ({
          ...f,
          found: f.acknowledged,
          ackProblems: [],
          streamsWithGaps: [],
          viewDifferences: [],
          orphansWithinUnanswered: true,
        })),
        status5xxOtherThanViewBehind: 0,
        problems: [],
        deadLetters: [],
      });
      expect(rounds_.every((r) => r.ackedBeforeKill > 0)).toBe(true);
    } finally {
      await stack.stop();
      // Every stack's output, for the 5xx and dead letters a failure names.
      logs.push(stack.output());
      writeFileSync(path.join(stack.dataDir, 'stacks.log'), logs.join('\n──── restart ────\n'));
      console.log(`crash test stack output: ${path.join(stack.dataDir, 'stacks.log')}`);
    }
  },
  TEST_TIMEOUT_MS,
);
