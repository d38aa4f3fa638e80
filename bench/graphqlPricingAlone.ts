/**
 * Part 11 alone, without the bench's peers (bench/node_modules) and without touching
 * bench/results.json: prints its results as JSON.
 *   npx esbuild bench/graphqlPricingAlone.ts --bundle --platform=node --packages=external \
 *     --outfile=.esbuild/graphqlPricing.cjs && node .esbuild/graphqlPricing.cjs [--quick]
 */
import { runGraphqlPricing } from './graphqlPricing';

const log = (line: string) => process.stderr.write(`${line}\n`);
runGraphqlPricing(process.argv.includes('--quick') ? 5 : 30, log).then(
  (results) => process.stdout.write(`${JSON.stringify(results, null, 2)}\n`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
