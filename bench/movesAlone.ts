/**
 * Part 11's moves alone, without the bench's peers (bench/node_modules) and without touching
 * bench/results.json: starts its own DynamoDB Local and prints its results as JSON.
 *   npx esbuild bench/movesAlone.ts --bundle --platform=node --packages=external \
 *     --outfile=.esbuild/bench/moves.cjs && node .esbuild/bench/moves.cjs [--quick]
 * Its own entry, not a `require.main === module` block in bench/moves.ts: bundled into the bench,
 * every module shares the bundle's `module`, so such a block ran a second, concurrent moves run
 * (with its own DynamoDB Local) on every `npm run bench`.
 */
import { runMoves } from './moves';

const { freePort, startDynamoDbLocal } = require('../src/local/dynamodbLocal.cjs') as {
  freePort: () => Promise<number>;
  startDynamoDbLocal: (options: { port: number }) => Promise<{ endpoint: string; stop: () => Promise<void> }>;
};

const quick = process.argv.includes('--quick');
void (async () => {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  try {
    const config = quick ? { rounds: 100, warmup: 10 } : { rounds: 400, warmup: 30 };
    const results = await runMoves(dynamo.endpoint, config, (line) => console.log(line));
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await dynamo.stop();
  }
})().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
