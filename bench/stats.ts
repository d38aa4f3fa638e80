/** Order statistics and the round-robin driver every part of the bench shares. */

export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

/** Nearest-rank percentile of already sorted samples. */
export const percentile = (sorted: readonly number[], p: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
};

export const summarise = (samples: readonly number[]): Summary => {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
};

export const median = (samples: readonly number[]): number => summarise(samples).p50;

/** a ÷ b, two decimals; NaN when either side is missing. */
export const ratio = (a: number | undefined, b: number | undefined): number =>
  a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0
    ? Number.NaN
    : Math.round((a / b) * 100) / 100;

export const round = (value: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export const nowMs = (): number => performance.now();

/** Milliseconds `fn` took. */
export const timed = async (fn: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

export interface RoundRobinOptions {
  readonly rounds: number;
  /** Untimed rounds first (JIT, connection pools, caches). */
  readonly warmupRounds?: number;
  /** Stop early (after a whole round) once this much time has passed. */
  readonly maxMs: number;
  /**
   * Shuffle the order of each round with this seeded random (0 ≤ r < 1) instead of rotating it.
   * Rotating keeps each system behind the same one every round: where some systems are far
   * heavier than others (a 10,000-commit fold), whoever always follows them pays for the
   * garbage they leave, round after round. Shuffled, every system follows each one alike.
   */
  readonly shuffle?: () => number;
}

/**
 * Runs `step(system, round)` for every system in each round, rotating which system goes
 * first, so that machine drift (other jobs on this shared box, GC, DynamoDB Local's JIT)
 * lands on every system alike. Returns each system's samples (what `step` returned) in
 * rounds order; warm-up rounds are not recorded.
 */
export const roundRobin = async <S extends { readonly name: string }>(
  systems: readonly S[],
  step: (system: S, round: number) => Promise<number>,
  options: RoundRobinOptions,
): Promise<Map<string, number[]>> => {
  const samples = new Map<string, number[]>(systems.map((s) => [s.name, []]));
  const warmup = options.warmupRounds ?? 0;
  const deadline = performance.now() + options.maxMs;
  for (let round = 0; round < warmup + options.rounds; round += 1) {
    const order = systems.map((_, i) => (round + i) % systems.length);
    if (options.shuffle) {
      for (let i = order.length - 1; i > 0; i -= 1) {
        const j = Math.floor(options.shuffle() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
    }
    for (const index of order) {
      const system = systems[index] as S;
      const value = await step(system, round);
      if (round >= warmup) samples.get(system.name)?.push(value);
    }
    if (round >= warmup && performance.now() > deadline) break;
  }
  return samples;
};
