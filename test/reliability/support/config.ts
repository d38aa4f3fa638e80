/**
 * How hard the reliability suite pushes. `RELIABILITY_QUICK=1` is the CI size (a few
 * minutes on two cores); without it `npm run test:reliability` runs the full size.
 * Every loop of the suite is bounded by these counts AND by these durations.
 */
export const quick = process.env.RELIABILITY_QUICK === '1' || process.env.RELIABILITY_QUICK === 'true';

export const mode = quick ? 'quick' : 'full';

export const reliability = quick
  ? {
      load: { durationSeconds: 20, connections: 16, users: 8, maxRequests: 20_000 },
      concurrency: { rounds: 1, writers: 50, users: 50 },
      hotList: { rounds: 1, writers: 50 },
      crash: { rounds: 1, loadWorkers: 8, killAfterMs: [4_000, 8_000] as const, maxRequestsPerRound: 5_000 },
      fuzz: { cases: 400, timeLimitMs: 60_000 },
      streamChaos: { numRuns: 15 },
      parallelProjections: { numRuns: 8 },
      convergeTimeoutMs: 60_000,
    }
  : {
      load: { durationSeconds: 120, connections: 48, users: 24, maxRequests: 300_000 },
      concurrency: { rounds: 3, writers: 50, users: 50 },
      hotList: { rounds: 3, writers: 100 },
      crash: { rounds: 3, loadWorkers: 16, killAfterMs: [4_000, 12_000] as const, maxRequestsPerRound: 20_000 },
      fuzz: { cases: 3_000, timeLimitMs: 420_000 },
      streamChaos: { numRuns: 100 },
      parallelProjections: { numRuns: 40 },
      convergeTimeoutMs: 180_000,
    };

/** Table names of the `local` stage (serverless.yml: `${service}-${stage}-…`). */
export const LOCAL_TABLES = {
  events: 'todo-cqrs-local-events',
  lists: 'todo-cqrs-local-lists-items',
  stats: 'todo-cqrs-local-stats-items',
} as const;

/** Per-test time limit (jest's `testTimeout` is global, so each test passes this explicitly). */
export const TEST_TIMEOUT_MS = quick ? 10 * 60_000 : 60 * 60_000;
