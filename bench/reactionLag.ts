/**
 * Reaction lag on the local stack (issue 23): from the answer of `DELETE /tags/{tagId}` to the
 * untag commit it causes (the `untagDeletedTag` reaction, run by the local stream runner as on
 * Lambda), and from the answer of `POST …/complete` to the `TodoCompleted` integration event in
 * the local bus file. Each sample: a fresh tag on one todo, the tag counts caught up (so the
 * reaction's index has the tagging), then the deletion; the lag is the caused commit's `at` (its
 * command's time, same clock) minus the moment the causing answer arrived. Runnable alone:
 *
 *     node src/local/runTs.cjs bench/reactionLag.ts run [samples]
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startLocalStack } from '../test/support/localStack';
import { summarise, type Summary } from './stats';

const { localToken } = require('../src/local/token.cjs') as { localToken: (sub: string) => string };

export interface ReactionLagResults {
  readonly samples: number;
  /** Causing answer → caused commit (untag), ms. */
  readonly untagLagMs: Summary;
  /** Causing answer → integration event written to the local bus file, ms. */
  readonly publishLagMs: Summary;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const runReactionLag = async (
  samples: number,
  log: (line: string) => void = console.log,
): Promise<ReactionLagResults> => {
  const stack = await startLocalStack();
  const token = localToken('bench-reactions');
  const call = async (method: string, p: string, body?: unknown) => {
    const response = await fetch(`${stack.baseUrl}${p}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  /** Polls until `read` gives a value (at most 20 s). */
  const until = async <T>(read: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 2000; i += 1) {
      const value = await read();
      if (value !== undefined) return value;
      await sleep(10);
    }
    throw new Error('timed out waiting for a reaction');
  };
  const untagLags: number[] = [];
  const publishLags: number[] = [];
  const busFile = path.join(stack.dataDir, 'integration-events.jsonl');
  try {
    for (let n = 0; n < samples; n += 1) {
      // A list per sample: its events stay on one page.
      const listId = (await call('POST', '/lists', { title: `reaction lag ${n}` })).body.listId as string;
      const todoId = (await call('POST', `/lists/${listId}/todos`, { title: `t${n}` })).body.todoId as string;
      const tagId = (await call('POST', '/tags', { name: `lag-${n}` })).body.tagId as string;
      await call('PUT', `/lists/${listId}/todos/${todoId}/tags/${tagId}`);
      await until(async () =>
        (await call('GET', '/tags')).body.items.find((t: { tagId: string }) => t.tagId === tagId)?.todoCount === 1
          ? true
          : undefined,
      );
      const deleted = await call('DELETE', `/tags/${tagId}`);
      const answeredAt = Date.now();
      const cause = `untagDeletedTag:tags#bench-reactions:${deleted.body.version}`;
      const causedAt = await until(async () => {
        const items = (await call('GET', `/lists/${listId}/events?limit=100`)).body.items as
          | { at: string; causationId?: string }[]
          | undefined;
        return items?.find((e) => e.causationId === cause)?.at;
      });
      untagLags.push(Date.parse(causedAt) - answeredAt);

      const completed = await call('POST', `/lists/${listId}/todos/${todoId}/complete`);
      const completedAt = Date.now();
      const id = `${listId}:${completed.body.version}`;
      await until(async () =>
        existsSync(busFile) && readFileSync(busFile, 'utf8').includes(`"id":"${id}"`) ? true : undefined,
      );
      publishLags.push(Date.now() - completedAt);
    }
  } finally {
    await stack.stop();
  }
  const results = { samples, untagLagMs: summarise(untagLags), publishLagMs: summarise(publishLags) };
  log(
    `reaction lag over ${samples} samples: ` +
      `untag p50 ${results.untagLagMs.p50.toFixed(0)} ms, p99 ${results.untagLagMs.p99.toFixed(0)} ms; ` +
      `publish p50 ${results.publishLagMs.p50.toFixed(0)} ms, p99 ${results.publishLagMs.p99.toFixed(0)} ms`,
  );
  return results;
};

export const main = async (command: string, args: string[]) => {
  if (command !== 'run') throw new Error('Usage: node src/local/runTs.cjs bench/reactionLag.ts run [samples]');
  console.log(JSON.stringify(await runReactionLag(Number(args[0] ?? 40)), null, 2));
};
