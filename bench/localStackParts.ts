/**
 * Parts 4 and 5, on the local stack exactly as `npm start` runs it (serverless-offline,
 * the stream runner, DynamoDB Local), on free ports with a temporary data folder.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../src/dynamoDbClient';
import { rmSync } from 'node:fs';
import { apiClient } from '../test/support/apiClient';
import { startLocalStack } from '../test/support/localStack';
import { localClient } from './systems';
import { VIEW_HEADER_SORT_KEY, VIEW_SORT_KEY } from '../src/projection/childItemsViewStore';
import {
  COUNTER_HEADER_SORT_KEY,
  COUNTER_SORT_KEY,
  COUNTER_TABLE_KEY,
  counterCheckpointKey,
} from '../src/projection/counterViewProjection';
import { roundRobin, summarise, type Summary } from './stats';
import { OWNER, seededRandom } from './workload';

const { localToken } = require('../src/local/token.cjs') as { localToken: (sub: string) => string };

interface AutocannonResult {
  readonly duration: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly latency: { readonly p50: number; readonly p99: number; readonly totalCount: number };
  readonly statusCodeStats: Record<string, { count: number }>;
}
interface AutocannonRequest {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  amount?: number;
  timeout?: number;
  headers?: Record<string, string>;
  requests: { method: string; setupRequest?: (request: AutocannonRequest) => AutocannonRequest }[];
}) => Promise<AutocannonResult>;
const autocannon = require('autocannon') as Autocannon;

export interface HttpRouteResult {
  readonly route: string;
  /** Median over the bursts. */
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly statusCodes: Record<string, number>;
  readonly errors: number;
  readonly bursts: number;
}

export interface StackResults {
  readonly http: { readonly connections: number; readonly burstSeconds: number; readonly routes: HttpRouteResult[] };
  readonly lag: {
    readonly samples: number;
    readonly timeouts: number;
    readonly listsViewMs: Summary;
    readonly statsViewMs: Summary;
    readonly commandMs: Summary;
  };
}

export interface StackConfig {
  readonly lists: number;
  readonly lagSamples: number;
  readonly connections: number;
  readonly burstSeconds: number;
  readonly bursts: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const runStackParts = async (
  config: StackConfig,
  log: (line: string) => void,
  /** Registers how to stop the stack if the bench is interrupted; returns how to unregister. */
  onStarted: (stop: () => Promise<void>) => () => void,
): Promise<StackResults> => {
  log('  starting the local stack (src/local/start.cjs) on free ports…');
  const stack = await startLocalStack();
  const unregister = onStarted(() => stack.stop());
  try {
    const token = localToken(OWNER);
    const api = apiClient(stack.baseUrl);
    const random = seededRandom(7);
    const pool: { listId: string; todoIds: string[] }[] = [];
    for (let i = 0; i < config.lists; i += 1) {
      const created = await api.post<{ listId: string }>('/lists', token, { title: `bench ${i}` });
      if (created.status !== 201) throw new Error(`POST /lists answered ${created.status}: ${created.text}`);
      const todoIds: string[] = [];
      for (let t = 0; t < 5; t += 1) {
        const added = await api.post<{ todoId: string }>(`/lists/${created.body.listId}/todos`, token, {
          title: `todo ${t}`,
        });
        if (added.status !== 201) throw new Error(`POST todos answered ${added.status}: ${added.text}`);
        todoIds.push(added.body.todoId);
      }
      pool.push({ listId: created.body.listId, todoIds });
    }
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

    // ── 5. projection lag: command answer → view item at that version ────────
    const documentClient = createDocumentClient(localClient(stack.dynamoDbEndpoint));
    const versionIn = async (table: string, key: Record<string, string>): Promise<number> => {
      const { Item } = await documentClient.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
      return typeof Item?.version === 'number' ? Item.version : 0;
    };
    const listsLag: number[] = [];
    const statsLag: number[] = [];
    const commandMs: number[] = [];
    let timeouts = 0;
    log(`  5. projection lag: ${config.lagSamples} commands, polling the view tables every 3 ms…`);
    for (let i = 0; i < config.lagSamples; i += 1) {
      const { listId } = pick(pool);
      const sent = performance.now();
      const answer = await api.patch<{ version: number }>(`/lists/${listId}`, token, { title: `lag ${i}` });
      const answered = performance.now();
      if (answer.status !== 200) throw new Error(`PATCH /lists answered ${answer.status}: ${answer.text}`);
      commandMs.push(answered - sent);
      const version = answer.body.version;
      let listsSeen: number | undefined;
      let statsSeen: number | undefined;
      const deadline = answered + 5000;
      while ((listsSeen === undefined || statsSeen === undefined) && performance.now() < deadline) {
        const [lists, stats] = await Promise.all([
          listsSeen === undefined
            ? versionIn('todo-cqrs-local-lists-items', { listId, [VIEW_SORT_KEY]: VIEW_HEADER_SORT_KEY })
            : Promise.resolve(version),
          statsSeen === undefined
            ? versionIn('todo-cqrs-local-stats-items', {
                [COUNTER_TABLE_KEY]: counterCheckpointKey(listId),
                [COUNTER_SORT_KEY]: COUNTER_HEADER_SORT_KEY,
              })
            : Promise.resolve(version),
        ]);
        const now = performance.now();
        if (listsSeen === undefined && lists >= version) listsSeen = now;
        if (statsSeen === undefined && stats >= version) statsSeen = now;
        if (listsSeen === undefined || statsSeen === undefined) await sleep(3);
      }
      if (listsSeen === undefined || statsSeen === undefined) timeouts += 1;
      else {
        listsLag.push(listsSeen - answered);
        statsLag.push(statsSeen - answered);
      }
      // A random pause, so samples fall at every phase of the stream runner's 50 ms poll.
      await sleep(10 + random() * 50);
    }

    // ── 4. HTTP: a command route and a query route next to the server's own floor ──
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    let serial = 0;
    const routes = [
      {
        name: 'trivial: unknown route (404 from serverless-offline, no authorizer, no Lambda)',
        key: 'trivial',
        method: 'GET',
        setup: (r: AutocannonRequest) => ({ ...r, path: '/bench-no-such-route' }),
      },
      {
        name: 'Lambda floor: GET /openapi.json (a Lambda with no token and no DynamoDB call; cached document)',
        key: 'lambda',
        method: 'GET',
        setup: (r: AutocannonRequest) => ({ ...r, path: '/openapi.json' }),
      },
      {
        name: 'command: PATCH /lists/{listId}/todos/{todoId} (rename a todo)',
        key: 'command',
        method: 'PATCH',
        setup: (r: AutocannonRequest) => {
          const { listId, todoIds } = pick(pool);
          serial += 1;
          return {
            ...r,
            path: `/lists/${listId}/todos/${pick(todoIds)}`,
            body: JSON.stringify({ title: `load ${serial}` }),
          };
        },
      },
      {
        name: 'query: GET /lists/{listId}',
        key: 'query',
        method: 'GET',
        setup: (r: AutocannonRequest) => ({ ...r, path: `/lists/${pick(pool).listId}` }),
      },
    ];
    // Every route's Lambda is warm before measuring (serverless-offline loads each on first use).
    for (const route of routes) {
      await autocannon({
        url: stack.baseUrl,
        connections: 2,
        duration: 1,
        amount: 20,
        headers,
        requests: [{ method: route.method, setupRequest: route.setup }],
      });
    }
    log(
      `  4. HTTP: ${config.bursts} × ${config.burstSeconds} s bursts per route, ${config.connections} connections, round-robin…`,
    );
    const bursts = new Map<string, AutocannonResult[]>();
    await roundRobin(
      routes.map((r) => ({ ...r, name: r.key })),
      async (route) => {
        const result = await autocannon({
          url: stack.baseUrl,
          connections: config.connections,
          // Bounded by time (autocannon ignores `duration` when `amount` is set).
          duration: config.burstSeconds,
          timeout: 10,
          headers,
          requests: [{ method: route.method, setupRequest: route.setup }],
        });
        bursts.set(route.key, [...(bursts.get(route.key) ?? []), result]);
        // Let the stream runner drain what the command burst wrote before the next burst.
        if (route.key === 'command') await sleep(1000);
        return 0;
      },
      { rounds: config.bursts, maxMs: config.bursts * config.burstSeconds * 4000 },
    );
    const httpRoutes: HttpRouteResult[] = routes.map((route) => {
      const results = bursts.get(route.key) ?? [];
      const statusCodes: Record<string, number> = {};
      for (const r of results)
        for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {}))
          statusCodes[code] = (statusCodes[code] ?? 0) + count;
      return {
        route: route.name,
        requestsPerSecond: summarise(results.map((r) => r.latency.totalCount / r.duration)).p50,
        p50Ms: summarise(results.map((r) => r.latency.p50)).p50,
        p99Ms: summarise(results.map((r) => r.latency.p99)).p50,
        statusCodes,
        errors: results.reduce((n, r) => n + r.errors + r.timeouts, 0),
        bursts: results.length,
      };
    });
    return {
      http: { connections: config.connections, burstSeconds: config.burstSeconds, routes: httpRoutes },
      lag: {
        samples: listsLag.length,
        timeouts,
        listsViewMs: summarise(listsLag),
        statsViewMs: summarise(statsLag),
        commandMs: summarise(commandMs),
      },
    };
  } finally {
    await stack.stop();
    unregister();
    rmSync(stack.dataDir, { recursive: true, force: true });
  }
};
