/** The local stack the reliability project's global setup started (test/reliability/support/globalSetup.ts). */
export const sharedStack = () => {
  const baseUrl = process.env.RELIABILITY_BASE_URL;
  const dynamoDbEndpoint = process.env.RELIABILITY_DYNAMODB_ENDPOINT;
  const dataDir = process.env.RELIABILITY_DATA_DIR;
  if (!baseUrl || !dynamoDbEndpoint || !dataDir) {
    throw new Error('No shared local stack: run the reliability suite with `npm run test:reliability`');
  }
  return { baseUrl, dynamoDbEndpoint, dataDir };
};

/** A deterministic pseudo-random generator (mulberry32); the seed is printed so a run can be replayed. */
export const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export const runSeed = () => Number(process.env.RELIABILITY_SEED ?? Date.now() % 2 ** 31);
