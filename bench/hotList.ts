/**
 * Part 9 — one hot list, on the local stack as `npm start` runs it: N writers add a todo to
 * the same list at the same moment (the adds commute, so every one of them may succeed), for
 * each N; then a few writers keep one list busy to see how many commits a second it takes.
 */
import http from 'node:http';
import { rmSync } from 'node:fs';
import { startLocalStack } from '../test/support/localStack';
import { summarise, type Summary } from './stats';
import { OWNER } from './workload';

const { localToken } = require('../src/local/token.cjs') as { localToken: (sub: string) => string };

export interface HotListConfig {
  /** Writers at once, one burst size per entry. */
  readonly writers: readonly number[];
  /** Bursts per size, each on a fresh list. */
  readonly rounds: number;
  /** The sustained run: this many writers in a closed loop on one list, for this long. */
  readonly sustained: { readonly writers: number; readonly seconds: number };
}

export interface HotListBurst {
  readonly writers: number;
  readonly requests: number;
  readonly acknowledged: number;
  /** acknowledged ÷ requests. */
  readonly acknowledgedShare: number;
  /** Answers by status code, over every burst of this size. */
  readonly statusCodes: Record<string, number>;
  /** Every request's time to its answer, whatever the answer. */
  readonly latencyMs: Summary;
  /** Commits acknowledged ÷ the burst's wall time, median over the bursts. */
  readonly commitsPerSecond: number;
}

export interface HotListResults {
  readonly bursts: HotListBurst[];
  readonly sustained: {
    readonly writers: number;
    readonly seconds: number;
    readonly commits: number;
    readonly commitsPerSecond: number;
    readonly refused: number;
    readonly latencyMs: Summary;
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 512, timeout: 4_000 });

const request = (baseUrl: string, method: string, path: string, token: string, body: unknown) =>
  new Promise<{ status: number; json: any }>((resolve, reject) => {
    const url = new URL(baseUrl);
    const payload = JSON.stringify(body);
    const req = http.request(
      {
        host: url.hostname,
        port: Number(url.port),
        method,
        path,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('timeout after 30 s')));
    req.on('error', reject);
    req.end(payload);
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const runHotList = async (
  config: HotListConfig,
  log: (line: string) => void,
  onStarted: (stop: () => Promise<void>) => () => void,
): Promise<HotListResults> => {
  log('  9. starting the local stack (src/local/start.cjs) on free ports…');
  const stack = await startLocalStack();
  const unregister = onStarted(() => stack.stop());
  try {
    const token = localToken(OWNER);
    const call = (method: string, path: string, body: unknown) => request(stack.baseUrl, method, path, token, body);
    const newList = async (title: string) => {
      const created = await call('POST', '/lists', { title });
      if (created.status !== 201) throw new Error(`POST /lists answered ${created.status}`);
      return created.json.listId as string;
    };
    const burst = async (writers: number, label: string) => {
      const listId = await newList(label);
      const started = performance.now();
      const answers = await Promise.all(
        Array.from({ length: writers }, async (_, i) => {
          const sent = performance.now();
          const answer = await call('POST', `/lists/${listId}/todos`, { title: `${label} writer ${i}` }).catch(() => ({
            status: 0,
            json: undefined,
          }));
          return { status: answer.status, ms: performance.now() - sent };
        }),
      );
      return { answers, wallMs: performance.now() - started };
    };
    // The add-todo Lambda loads on its first request: warm it before measuring.
    await burst(10, 'warm-up');

    const bursts: HotListBurst[] = [];
    for (const writers of config.writers) {
      log(`  9. ${config.rounds} burst(s) of ${writers} writers on one list…`);
      const latencies: number[] = [];
      const rates: number[] = [];
      const statusCodes: Record<string, number> = {};
      let acknowledged = 0;
      for (let round = 0; round < config.rounds; round += 1) {
        const { answers, wallMs } = await burst(writers, `hot ${writers}/${round}`);
        const acked = answers.filter((a) => a.status === 201).length;
        acknowledged += acked;
        rates.push(acked / (wallMs / 1000));
        for (const a of answers) {
          latencies.push(a.ms);
          statusCodes[a.status] = (statusCodes[a.status] ?? 0) + 1;
        }
        // Let the stream runner (same process as the Lambdas) drain before the next burst.
        await sleep(1500);
      }
      const requests = writers * config.rounds;
      bursts.push({
        writers,
        requests,
        acknowledged,
        acknowledgedShare: acknowledged / requests,
        statusCodes,
        latencyMs: summarise(latencies),
        commitsPerSecond: summarise(rates).p50,
      });
    }

    // Closed loop: each writer sends its next rename as soon as the last one is answered.
    const { writers, seconds } = config.sustained;
    log(`  9. ${writers} writers renaming one list for ${seconds} s…`);
    const listId = await newList('sustained');
    const latencies: number[] = [];
    let commits = 0;
    let refused = 0;
    const started = performance.now();
    const end = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let n = 0; performance.now() < end; n += 1) {
          const sent = performance.now();
          const answer = await call('PATCH', `/lists/${listId}`, { title: `writer ${w} rename ${n}` }).catch(() => ({
            status: 0,
            json: undefined,
          }));
          latencies.push(performance.now() - sent);
          if (answer.status === 200) commits += 1;
          else refused += 1;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    return {
      bursts,
      sustained: {
        writers,
        seconds,
        commits,
        commitsPerSecond: commits / elapsed,
        refused,
        latencyMs: summarise(latencies),
      },
    };
  } finally {
    agent.destroy();
    await stack.stop();
    unregister();
    rmSync(stack.dataDir, { recursive: true, force: true });
  }
};
