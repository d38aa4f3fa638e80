/**
 * Part 2: commands per second in memory, each system in its own fresh Node process.
 *
 * In one process every system folds its events through the same reducer and domain helpers, so
 * V8's inline caches and optimised code for them, and the garbage the others leave, depend on
 * which systems ran before: six runs in a row moved every system's rate by up to 1.5×. Here the
 * bench starts itself again per measurement (`--memory-child=<system>`, same Node and flags); a
 * repetition is one process per system, the systems' order rotating from one repetition to the
 * next; a system's rate is the median of its repetitions, each the median of that process's
 * batches after its warm-up. See docs/performance.md, part 2.
 */
import { execFile } from 'node:child_process';
import type { TodoListState } from '../domain/todoList';
import { InMemoryEventStore } from '../src/eventStore';
import { StateCache } from '../src/stateCache';
import { castoreInMemory, emmettInMemory, evtstoreInMemory, peerRaceProbes, type CommandSystem } from './peers';
import { median, round, summarise, type Summary } from './stats';
import { inMemoryFloor, kitInMemoryRace, kitSystem } from './systems';
import { bind, seedHistory, todoPlan } from './workload';

export interface InMemoryConfig {
  readonly lists: number;
  readonly history: number;
  readonly batch: number;
  readonly warmup: number;
  readonly rounds: number;
  /** One process's timed batches stop (after a whole batch) once this much time has passed. */
  readonly maxMs: number;
  /** Fresh processes per system. */
  readonly repetitions: number;
}

const SYSTEMS: Record<string, () => CommandSystem> = {
  ours: () => kitSystem('ours', new InMemoryEventStore()),
  'ours (state cache)': () =>
    kitSystem('ours (state cache)', new InMemoryEventStore(), { cache: new StateCache<TodoListState>(500) }),
  floor: () => inMemoryFloor(),
  evtstore: () => evtstoreInMemory(),
  emmett: () => emmettInMemory(),
  castore: () => castoreInMemory(),
};

export const CHILD_FLAG = '--memory-child=';

/** What one process measured: the median of its batches (wall clock and the process's CPU time), and the batches. */
export interface ChildResult {
  readonly commandsPerSecond: number;
  readonly commandsPerCpuSecond: number;
  readonly batches: Summary;
}

/** The body of one child process: seed, warm up, then timed batches of one system. */
export const measureInThisProcess = async (name: string, c: InMemoryConfig): Promise<ChildResult> => {
  const make = SYSTEMS[name];
  if (!make) throw new Error(`No in-memory system named ${name}`);
  const system = make();
  const plan = todoPlan({
    lists: c.lists,
    historyCommits: c.history,
    commands: c.batch * (c.warmup + c.rounds),
    seed: 11,
  });
  const listId = (i: number) => `list-${i}`;
  await seedHistory(plan, listId, (command) => system.run(command), 1);
  const rates: number[] = [];
  const cpuRates: number[] = [];
  const deadline = performance.now() + c.maxMs;
  for (let r = 0; r < c.warmup + c.rounds; r += 1) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    for (let i = r * c.batch; i < (r + 1) * c.batch; i += 1) {
      const planned = plan.commands[i]!;
      await system.run(bind(planned, listId(planned.listIndex)));
    }
    const { user, system: kernel } = process.cpuUsage(cpu);
    if (r >= c.warmup) {
      rates.push(c.batch / ((performance.now() - start) / 1000));
      cpuRates.push(c.batch / ((user + kernel) / 1e6));
    }
    if (r >= c.warmup && performance.now() > deadline) break;
  }
  return { commandsPerSecond: median(rates), commandsPerCpuSecond: median(cpuRates), batches: summarise(rates) };
};

/** Runs this same bench file again as a child measuring one system, with the same Node and flags. */
const inChild = (name: string, quick: boolean, timeoutMs: number) =>
  new Promise<ChildResult>((resolve, reject) => {
    const args = [...process.execArgv, process.argv[1]!, `${CHILD_FLAG}${name}`, ...(quick ? ['--quick'] : [])];
    execFile(process.execPath, args, { timeout: timeoutMs, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`part 2, ${name} in its own process: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as ChildResult);
    });
  });

export const runInMemory = async (c: InMemoryConfig, quick: boolean, log: (line: string) => void) => {
  const names = Object.keys(SYSTEMS);
  const perRepetition = new Map<string, number[]>(names.map((n) => [n, []]));
  const perRepetitionCpu = new Map<string, number[]>(names.map((n) => [n, []]));
  log(`  2. ${c.repetitions} repetitions × ${names.length} systems, each a fresh process…`);
  for (let rep = 0; rep < c.repetitions; rep += 1) {
    // Rotated, so no system always starts a repetition or always follows the same one.
    const order = names.map((_, i) => names[(rep + i) % names.length]!);
    for (const name of order) {
      const measured = await inChild(name, quick, c.maxMs + 60_000);
      perRepetition.get(name)?.push(round(measured.commandsPerSecond, 0));
      perRepetitionCpu.get(name)?.push(round(measured.commandsPerCpuSecond, 0));
    }
    log(`  2. repetition ${rep + 1}: ${names.map((n) => `${n} ${perRepetition.get(n)?.at(-1)}/s`).join(', ')}`);
  }
  const races = await Promise.all(
    [kitInMemoryRace, inMemoryFloor(), ...peerRaceProbes].map(
      async (p) => [p.name, !(await p.racingAppendsBothWin())] as const,
    ),
  );
  return {
    lists: c.lists,
    historyCommits: c.history,
    method: 'each system in its own fresh process, repetitions interleaved; median of the repetitions',
    repetitions: c.repetitions,
    /** Per system: the summary of its repetitions' rates (p50 the median, min–max the spread). */
    commandsPerSecond: Object.fromEntries([...perRepetition].map(([n, s]) => [n, summarise(s)])),
    /** Per system: each repetition's rate (the median of that process's batches), in order. */
    perRepetition: Object.fromEntries(perRepetition),
    /**
     * The same per CPU-second of the process (user + system, its GC threads included): what a
     * busy machine's other jobs disturb less than the wall clock.
     */
    commandsPerCpuSecond: Object.fromEntries([...perRepetitionCpu].map(([n, s]) => [n, summarise(s)])),
    /** true: two appends racing at the same expected version cannot both succeed. */
    passesConcurrencyContract: Object.fromEntries(races),
  };
};

export type InMemoryResults = Awaited<ReturnType<typeof runInMemory>>;
