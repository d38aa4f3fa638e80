/**
 * `npm run bench [-- --quick] [-- --parts=1,2,9,10]`: our kit against the physical floor and
 * the peers, systems interleaved round-robin so machine drift cancels (part 2: each system in its own
 * fresh process, see bench/inMemory.ts).
 * Prints a markdown table and writes bench/results.json. See docs/performance.md.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '../src/dynamoDbClient';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listsView, statsView } from '../test/support/todoApp';
import { DynamoDbEventStore } from '../src/eventStore';
import { createTable } from '../test/support/dynamoDb';
import { runColdStart, type ColdStartResults } from './coldStart';
import { CHILD_FLAG, measureInThisProcess, runInMemory, type InMemoryResults } from './inMemory';
import { runGraphqlPricing, type GraphqlPricingResults } from './graphqlPricing';
import { runHotList, type HotListResults } from './hotList';
import { runMoves, type MovesResults } from './moves';
import { runProjectionThroughput, type ProjectionThroughputResults } from './projectionThroughput';
import { runStackParts, type StackResults } from './localStackParts';
import { runViewCapacity, type ViewCapacityResults } from './viewCapacity';
import { runCounterViewCapacity, type CounterViewCapacityResults } from './counterViewCapacity';
import { castoreDynamoDb, castoreTableDefinition, type CommandSystem } from './peers';
import { round, roundRobin, summarise, timed, type Summary } from './stats';
import {
  createEventsTable,
  dynamoDbFloor,
  dynamoDbKit,
  historyCommits,
  localClient,
  meteredClient,
  todoEventSchema,
  writeCommits,
} from './systems';
import { bind, seedHistory, seededRandom, todoPlan } from './workload';
import { renderReport } from './report';

const { freePort, startDynamoDbLocal } = require('../src/local/dynamodbLocal.cjs') as {
  freePort: () => Promise<number>;
  startDynamoDbLocal: (options: { port: number }) => Promise<{ endpoint: string; stop: () => Promise<void> }>;
};

const ROOT = path.resolve(__dirname, '..', '..');
const quick = process.argv.includes('--quick');
const only = process.argv
  .find((a) => a.startsWith('--parts='))
  ?.slice('--parts='.length)
  .split(',')
  .map(Number);
const runs = (part: number) => !only || only.includes(part);
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Sample counts: the full run takes a few minutes, `--quick` well under two. */
const CONFIG = quick
  ? {
      dynamo: { lists: 10, history: 20, warmup: 10, rounds: 60, maxMs: 15_000 },
      memory: { lists: 100, history: 20, batch: 200, warmup: 2, rounds: 8, maxMs: 10_000, repetitions: 3 },
      long: { lengths: [10, 1000, 10000], warmup: 1, rounds: 6, maxMs: 20_000 },
      cost: { commands: 20, viewUpdates: 9 },
      stack: { lists: 10, lagSamples: 30, connections: 8, burstSeconds: 2, bursts: 1 },
      coldStartRounds: 4,
      hotList: { writers: [20, 50], rounds: 1, sustained: { writers: 8, seconds: 2 } },
      projections: { commands: 400, rounds: 1, timeoutMs: 120_000 },
      graphqlPricingRounds: 5,
    }
  : {
      dynamo: { lists: 20, history: 20, warmup: 30, rounds: 400, maxMs: 120_000 },
      memory: { lists: 200, history: 20, batch: 500, warmup: 3, rounds: 20, maxMs: 60_000, repetitions: 5 },
      long: { lengths: [10, 1000, 10000], warmup: 2, rounds: 25, maxMs: 120_000 },
      cost: { commands: 60, viewUpdates: 30 },
      stack: { lists: 30, lagSamples: 150, connections: 8, burstSeconds: 5, bursts: 3 },
      coldStartRounds: 15,
      hotList: { writers: [20, 50, 100, 200], rounds: 3, sustained: { writers: 16, seconds: 10 } },
      projections: { commands: 1200, rounds: 3, timeoutMs: 300_000 },
      graphqlPricingRounds: 30,
    };

const suffix = randomUUID().slice(0, 8);

/** What to stop if the bench is interrupted (Ctrl-C, SIGTERM, the watchdog): DynamoDB Local, the local stack. */
const cleanups = new Set<() => Promise<void>>();
const registerCleanup = (stop: () => Promise<void>) => {
  cleanups.add(stop);
  return () => void cleanups.delete(stop);
};
let exiting = false;
const abort = async (why: string, code: number) => {
  if (exiting) return;
  exiting = true;
  log(`bench: ${why}; stopping what it started…`);
  await Promise.allSettled([...cleanups].map((stop) => stop()));
  process.exit(code);
};
process.on('SIGINT', () => void abort('interrupted', 130));
process.on('SIGTERM', () => void abort('terminated', 143));
// Every loop is bounded in count and time; this is the last resort if something hangs anyway.
setTimeout(() => void abort(`gave up after ${quick ? 10 : 30} minutes`, 1), (quick ? 10 : 30) * 60_000).unref();
const latencies = (samples: Map<string, number[]>) =>
  Object.fromEntries([...samples].map(([name, s]) => [name, summarise(s)]));

// ── 1 + 8. command latency on DynamoDB Local ────────────────────────────────
const commandLatency = async (endpoint: string) => {
  const c = CONFIG.dynamo;
  const plain = localClient(endpoint);
  const tables = {
    events: await createEventsTable(plain, `bench-events-${suffix}`),
    snapshots: await createTable(plain, 'SnapshotsTable'),
  };
  const castoreTable = `bench-castore-${suffix}`;
  await plain.send(new CreateTableCommand(castoreTableDefinition(castoreTable)));
  // Each system has its own client (same settings) and its own lists.
  const systems: CommandSystem[] = [
    dynamoDbKit('plain', localClient(endpoint), tables),
    dynamoDbKit('cacheOff', localClient(endpoint), tables),
    dynamoDbKit('default', localClient(endpoint), tables),
    dynamoDbFloor(localClient(endpoint), tables.events),
    castoreDynamoDb(localClient(endpoint), castoreTable),
  ];
  const plan = todoPlan({ lists: c.lists, historyCommits: c.history, commands: c.warmup + c.rounds });
  // Ids of the same length for every system: the stream id is in every item, and item sizes decide capacity units.
  const listId = (system: CommandSystem, i: number) => `s${systems.indexOf(system)}-${suffix}-${i}`;
  log(`  1. seeding ${c.lists} lists × ${c.history} commits per system, through each system…`);
  await Promise.all(
    systems.map((system) =>
      seedHistory(
        plan,
        (i) => listId(system, i),
        (command) => system.run(command),
      ),
    ),
  );
  log(`  1. ${c.rounds} commands per system, round-robin…`);
  const samples = await roundRobin(
    systems,
    (system, r) => {
      const planned = plan.commands[r]!;
      return timed(() => system.run(bind(planned, listId(system, planned.listIndex))));
    },
    { rounds: c.rounds, warmupRounds: c.warmup, maxMs: c.maxMs },
  );
  return { lists: c.lists, historyCommits: c.history, latencyMs: latencies(samples) };
};

// ── 3. long streams ──────────────────────────────────────────────────────────
const longStreams = async (endpoint: string) => {
  const c = CONFIG.long;
  const client = localClient(endpoint);
  const tables = {
    events: await createEventsTable(client, `bench-long-${suffix}`),
    snapshots: await createTable(client, 'SnapshotsTable'),
  };
  const table = tables.events;
  // Snapshots on, cache off: every command loads, so this is the cost of the stream's length.
  const kinds = [
    { kind: 'ours', make: () => dynamoDbKit('plain', localClient(endpoint), tables) },
    { kind: 'ours+snapshots', make: () => dynamoDbKit('cacheOff', localClient(endpoint), tables) },
    { kind: 'floor', make: () => dynamoDbFloor(localClient(endpoint), table) },
  ];
  const combos: {
    name: string;
    kind: string;
    length: number;
    streamId: string;
    system: CommandSystem;
    plan: ReturnType<typeof todoPlan>;
  }[] = [];
  for (const length of c.lengths) {
    const plan = todoPlan({ lists: 1, historyCommits: length, commands: c.warmup + c.rounds, seed: length });
    for (const [k, { kind, make }] of kinds.entries()) {
      const streamId = `long-${k}-${length}-${suffix}`;
      log(`  3. writing ${length} commits to ${streamId} (${kind})…`);
      await writeCommits(client, table, historyCommits(plan, 0, streamId));
      combos.push({ name: `${kind}@${length}`, kind, length, streamId, system: make(), plan });
    }
  }
  log(`  3. ${c.rounds} commands per stream, each round in a shuffled order…`);
  // Shuffled, not rotated: rotated, 'ours+snapshots@10000' would always run right after
  // 'ours@10000' (a fold of 10,000 commits, ~1 s) and pay for its garbage every round, while
  // 'ours+snapshots@10' always follows a light one.
  const samples = await roundRobin(
    combos,
    (combo, r) => timed(() => combo.system.run(bind(combo.plan.commands[r]!, combo.streamId))),
    {
      rounds: c.rounds,
      warmupRounds: c.warmup,
      maxMs: c.maxMs,
      shuffle: seededRandom(3),
    },
  );
  return { latencyMs: latencies(samples) };
};

// ── 7. cost: capacity units per command and per view update ─────────────────
const capacity = async (endpoint: string) => {
  const c = CONFIG.cost;
  const meter = meteredClient(endpoint);
  const plain = localClient(endpoint);
  const tables = {
    events: await createEventsTable(plain, `bench-cost-${suffix}`),
    snapshots: await createTable(plain, 'SnapshotsTable'),
  };
  const eventsTable = tables.events;
  const castoreTable = `bench-cost-castore-${suffix}`;
  await plain.send(new CreateTableCommand(castoreTableDefinition(castoreTable)));
  const systems = [
    dynamoDbKit('plain', meter.client, tables),
    dynamoDbKit('cacheOff', meter.client, tables),
    dynamoDbKit('default', meter.client, tables),
    dynamoDbFloor(meter.client, eventsTable),
    castoreDynamoDb(meter.client, castoreTable),
  ];
  const plan = todoPlan({ lists: 5, historyCommits: 10, commands: c.commands, seed: 5 });
  const listId = (system: CommandSystem, i: number) => `cost-s${systems.indexOf(system)}-${suffix}-${i}`;
  await Promise.all(
    systems.map((system) =>
      seedHistory(
        plan,
        (i) => listId(system, i),
        (command) => system.run(command),
      ),
    ),
  );
  meter.take();
  const perCommand = new Map<string, { read: number[]; write: number[]; requests: number[] }>();
  for (const planned of plan.commands) {
    for (const system of systems) {
      await system.run(bind(planned, listId(system, planned.listIndex)));
      const used = meter.take();
      const entry = perCommand.get(system.name) ?? { read: [], write: [], requests: [] };
      entry.read.push(used.read);
      entry.write.push(used.write);
      entry.requests.push(used.requests);
      perCommand.set(system.name, entry);
    }
  }
  // View updates: our projections applied commit by commit to their real tables, as the stream delivers them.
  const documentClient = createDocumentClient(meter.client);
  const store = new DynamoDbEventStore({ client: plain, tableName: eventsTable, schema: todoEventSchema });
  const views = [
    {
      name: 'listsView',
      projection: listsView({ documentClient, store, tableName: await createTable(plain, 'ListsTable') }),
    },
    {
      name: 'statsView',
      projection: statsView({ documentClient, store, tableName: await createTable(plain, 'StatsTable') }),
    },
  ];
  const perView: Record<string, { read: Summary; write: Summary; requests: Summary }> = {};
  const commitBytes: number[] = [];
  for (const { name, projection } of views) {
    const read: number[] = [];
    const write: number[] = [];
    const requests: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const commits = await store.readStream(listId(systems[0]!, i));
      for (const commit of commits) {
        if (name === 'listsView') commitBytes.push(Buffer.byteLength(JSON.stringify(commit)));
        meter.take();
        await projection.applyCommits(commit.streamId, [commit]);
        const used = meter.take();
        read.push(used.read);
        write.push(used.write);
        requests.push(used.requests);
      }
    }
    perView[name] = { read: summarise(read), write: summarise(write), requests: summarise(requests) };
  }
  return {
    perCommand: Object.fromEntries(
      [...perCommand].map(([name, e]) => [
        name,
        { read: summarise(e.read), write: summarise(e.write), requests: summarise(e.requests) },
      ]),
    ),
    perViewUpdate: perView,
    commitJsonBytes: summarise(commitBytes),
  };
};

const machine = () => ({
  nproc: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  memoryGb: round(os.totalmem() / 1024 ** 3, 1),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
});

const main = async () => {
  const started = Date.now();
  const date = new Date().toISOString();
  const info = machine();
  log(`bench (${quick ? 'quick' : 'full'}) on ${info.nproc} CPUs, ${info.memoryGb} GB, Node ${info.node}`);
  const results: Record<string, unknown> = { date, mode: quick ? 'quick' : 'full', machine: info, config: CONFIG };
  const parts: {
    command?: Awaited<ReturnType<typeof commandLatency>>;
    memory?: InMemoryResults;
    long?: Awaited<ReturnType<typeof longStreams>>;
    cost?: Awaited<ReturnType<typeof capacity>>;
    viewCost?: ViewCapacityResults;
    counterViewCost?: CounterViewCapacityResults;
    stack?: StackResults;
    coldStart?: ColdStartResults;
    hotList?: HotListResults;
    projections?: ProjectionThroughputResults;
    graphqlPricing?: GraphqlPricingResults;
    moves?: MovesResults;
  } = {};

  if ([1, 3, 7, 8, 11].some(runs)) {
    const dynamo = await startDynamoDbLocal({ port: await freePort() });
    const unregister = registerCleanup(() => dynamo.stop());
    log(`DynamoDB Local (in memory) on ${dynamo.endpoint}`);
    try {
      if (runs(1) || runs(8)) parts.command = await commandLatency(dynamo.endpoint);
      if (runs(3)) parts.long = await longStreams(dynamo.endpoint);
      if (runs(7)) parts.cost = await capacity(dynamo.endpoint);
      if (runs(7)) parts.viewCost = await runViewCapacity(dynamo.endpoint, CONFIG.cost.viewUpdates, log);
      if (runs(7)) parts.counterViewCost = await runCounterViewCapacity(dynamo.endpoint, CONFIG.cost.viewUpdates, log);
      const moves = quick ? { rounds: 100, warmup: 10 } : { rounds: 400, warmup: 30 };
      if (runs(11)) parts.moves = await runMoves(dynamo.endpoint, moves, log);
    } finally {
      await dynamo.stop();
      unregister();
    }
  }
  if (runs(2)) parts.memory = await runInMemory(CONFIG.memory, quick, log);
  if (runs(4) || runs(5)) parts.stack = await runStackParts(CONFIG.stack, log, registerCleanup);
  if (runs(6)) parts.coldStart = await runColdStart(CONFIG.coldStartRounds, log);
  if (runs(9)) parts.hotList = await runHotList(CONFIG.hotList, log, registerCleanup);
  if (runs(10)) parts.projections = await runProjectionThroughput(CONFIG.projections, log, registerCleanup);
  if (runs(11)) parts.graphqlPricing = await runGraphqlPricing(CONFIG.graphqlPricingRounds, log);

  const file = path.join(ROOT, 'bench', 'results.json');
  // A run of some parts only keeps the other parts of the last results, each with the date of its run.
  const earlier =
    only && existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as {
          date?: string;
          parts?: Record<string, unknown>;
          partDates?: Record<string, string>;
        })
      : undefined;
  const partDates = {
    ...Object.fromEntries(
      Object.keys(earlier?.parts ?? {}).map((name) => [name, earlier?.partDates?.[name] ?? earlier?.date ?? '']),
    ),
    ...Object.fromEntries(Object.keys(parts).map((name) => [name, date])),
  };
  const allParts = { ...(earlier?.parts ?? {}), ...parts } as typeof parts;
  const report = renderReport({ parts: allParts, date, machine: info, quick });
  Object.assign(results, report.summary, {
    parts: allParts,
    partDates,
    seconds: Math.round((Date.now() - started) / 1000),
    markdown: report.markdown,
  });
  writeFileSync(
    `${file}.tmp`,
    `${JSON.stringify(results, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`,
  );
  renameSync(`${file}.tmp`, file);
  process.stdout.write(`${report.markdown}\n`);
  log(`bench/results.json written (${Math.round((Date.now() - started) / 1000)} s)`);
};

const child = process.argv.find((a) => a.startsWith(CHILD_FLAG))?.slice(CHILD_FLAG.length);
(child === undefined
  ? main()
  : measureInThisProcess(child, CONFIG.memory).then((result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    })
).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
