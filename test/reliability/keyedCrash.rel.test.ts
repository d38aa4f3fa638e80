/**
 * Part 3b — keyed crash. Clients add todos with an `Idempotency-Key` each, in a burst over a
 * few lists; in the middle of it the whole local stack gets SIGKILL. The stack is started
 * again on the same data, and every key is retried with the same body, as a client that does
 * not know what happened would. Each key must have taken effect exactly once: one TodoAdded
 * per key in the store, and the retry's answer names that todo and its version (for a key
 * answered before the kill, the very same answer).
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TEST_TIMEOUT_MS, quick } from './support/config';
import { closeConnections, localToken, send, type RawResponse } from './support/http';
import { recordFigures } from './support/report';
import { runSeed, seeded } from './support/sharedStack';
import { readSettledStore } from './support/storeAudit';
import { startLocalStack, type LocalStack } from '../support/localStack';

const seed = runSeed();
afterAll(closeConnections);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SIZE = quick
  ? { rounds: 1, lists: 5, keysPerRound: 80, workers: 8 }
  : { rounds: 3, lists: 10, keysPerRound: 150, workers: 12 };

interface Keyed {
  readonly key: string;
  readonly listId: string;
  readonly title: string;
  first?: { status: number; body: Record<string, unknown> };
  retry?: { status: number; body: Record<string, unknown> };
}

it(
  `a keyed command takes effect once through SIGKILL of the whole stack and a retry of every key (seed ${seed})`,
  async () => {
    const started = Date.now();
    const random = seeded(seed);
    const env = { LOG_LEVEL: 'WARN' };
    const user = `keyed-${seed}`;
    const headers = { authorization: `Bearer ${localToken(user)}`, 'content-type': 'application/json' };
    const call = (
      stack: LocalStack,
      method: string,
      urlPath: string,
      body: unknown,
      key?: string,
    ): Promise<RawResponse> =>
      send(stack.baseUrl, {
        method,
        path: urlPath,
        headers: { ...headers, ...(key ? { 'idempotency-key': key } : {}) },
        body: JSON.stringify(body),
        timeoutMs: 10_000,
      });
    let stack = await startLocalStack({ env });
    const logs: string[] = [];
    const all: Keyed[] = [];
    const kills: string[] = [];
    let status5xx = 0;
    try {
      const lists: string[] = [];
      for (let i = 0; i < SIZE.lists; i += 1) {
        const created = await call(stack, 'POST', '/lists', { title: `keyed list ${i}` });
        expect(created.status).toBe(201);
        lists.push(String(created.json.listId));
      }
      for (let round = 1; round <= SIZE.rounds; round += 1) {
        const keys: Keyed[] = Array.from({ length: SIZE.keysPerRound }, (_, i) => ({
          key: `k-${seed}-${round}-${i}-${randomUUID().slice(0, 8)}`,
          listId: lists[Math.floor(random() * lists.length)]!,
          title: `keyed ${round}.${i} ${randomUUID().slice(0, 8)}`,
        }));
        all.push(...keys);
        let next = 0;
        let killed = false;
        const current = stack;
        // Bounded by the number of keys and by time: a worker stops at the kill (its request fails).
        const deadline = Date.now() + 30_000;
        const workers = Array.from({ length: SIZE.workers }, async () => {
          while (!killed && next < keys.length && Date.now() < deadline) {
            const k = keys[next]!;
            next += 1;
            try {
              const answer = await call(current, 'POST', `/lists/${k.listId}/todos`, { title: k.title }, k.key);
              if (answer.status >= 500) status5xx += 1;
              k.first = { status: answer.status, body: answer.json };
            } catch {
              break;
            }
          }
        });
        // Kill once part of the burst is answered, while the rest is in flight.
        const killAt = Date.now() + 20_000;
        while (keys.filter((k) => k.first).length < keys.length * (0.2 + random() * 0.4) && Date.now() < killAt)
          await sleep(50);
        killed = true;
        logs.push(stack.output());
        await stack.kill();
        await Promise.all(workers);
        kills.push(`round ${round}: ${keys.filter((k) => k.first).length} of ${keys.length} answered before the kill`);
        stack = await startLocalStack({ dataDir: stack.dataDir, ports: stack.ports, env });
        // Every key again, same body, as a client that cannot tell what happened.
        let retryNext = 0;
        await Promise.all(
          Array.from({ length: SIZE.workers }, async () => {
            while (retryNext < keys.length) {
              const k = keys[retryNext]!;
              retryNext += 1;
              const answer = await call(stack, 'POST', `/lists/${k.listId}/todos`, { title: k.title }, k.key);
              if (answer.status >= 500) status5xx += 1;
              k.retry = { status: answer.status, body: answer.json };
            }
          }),
        );
      }

      const contents = await readSettledStore(stack.dynamoDbEndpoint);
      const added = new Map<string, { todoId: string; version: number; listId: string }[]>();
      for (const [streamId, commits] of contents.streams) {
        for (const commit of commits) {
          for (const event of commit.events) {
            const data = event.data as { title?: string; todoId?: string };
            if (event.type !== 'TodoAdded' || !data.title?.startsWith('keyed ')) continue;
            added.set(data.title, [
              ...(added.get(data.title) ?? []),
              { todoId: String(data.todoId), version: commit.version, listId: streamId },
            ]);
          }
        }
      }
      const problems: string[] = [];
      let extraCommits = 0;
      for (const k of all) {
        const found = added.get(k.title) ?? [];
        extraCommits += Math.max(0, found.length - 1);
        if (found.length !== 1) problems.push(`${k.key}: ${found.length} commits`);
        if (k.retry?.status !== 201)
          problems.push(`${k.key}: retry answered ${k.retry?.status} ${JSON.stringify(k.retry?.body)}`);
        const [commit] = found;
        if (
          commit &&
          (k.retry?.body.todoId !== commit.todoId ||
            k.retry?.body.version !== commit.version ||
            commit.listId !== k.listId)
        ) {
          problems.push(
            `${k.key}: retry answered ${JSON.stringify(k.retry?.body)}, the store holds ${JSON.stringify(commit)}`,
          );
        }
        if (k.first && k.first.status === 201 && JSON.stringify(k.first.body) !== JSON.stringify(k.retry?.body)) {
          problems.push(
            `${k.key}: first answer ${JSON.stringify(k.first.body)}, retry ${JSON.stringify(k.retry?.body)}`,
          );
        }
      }
      const answeredFirst = all.filter((k) => k.first?.status === 201).length;
      recordFigures({
        part: '3b. keyed crash (SIGKILL, restart, retry every key)',
        requests: all.length + all.filter((k) => k.first).length + SIZE.lists,
        acknowledged: answeredFirst + all.filter((k) => k.retry?.status === 201).length,
        foundInStore: [...added.values()].reduce((n, found) => n + found.length, 0),
        viewDifferences: 0,
        status5xx,
        viewBehind503: 0,
        conflicts409: all.filter((k) => k.first?.status === 409 || k.retry?.status === 409).length,
        fuzzCases: 0,
        crashRounds: SIZE.rounds,
        durationMs: Date.now() - started,
        note: `${all.length} keys over ${SIZE.lists} lists; ${kills.join('; ')}; ${extraCommits} extra commits`,
      });
      expect({
        problems: problems.slice(0, 20),
        extraCommits,
        streamsWithGaps: contents.streamsWithGaps,
        status5xx,
      }).toEqual({
        problems: [],
        extraCommits: 0,
        streamsWithGaps: [],
        status5xx: 0,
      });
      // The kill landed mid-burst: some keys were answered before it, some were not.
      expect(answeredFirst).toBeGreaterThan(0);
      expect(all.some((k) => !k.first)).toBe(true);
    } finally {
      await stack.stop();
      logs.push(stack.output());
      writeFileSync(path.join(stack.dataDir, 'stacks.log'), logs.join('\n──── restart ────\n'));
      console.log(`keyed crash test stack output: ${path.join(stack.dataDir, 'stacks.log')}`);
    }
  },
  TEST_TIMEOUT_MS,
);
