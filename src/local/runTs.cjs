// Runs a TypeScript entry of this project without a build step: esbuild bundles it (node
// packages stay external) into a temp file, which is then required and its `main` called.
//   node src/local/runTs.cjs projections/ops.ts verify --view lists
'use strict';
const { buildSync } = require('esbuild');
const { mkdirSync, mkdtempSync, rmSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

/** Bundles a TypeScript entry of this project into one CommonJS file (node packages stay external). */
const bundleTs = (entry, outfile) =>
  buildSync({
    entryPoints: [path.resolve(ROOT, entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    outfile,
    logLevel: 'error',
    absWorkingDir: ROOT,
  });

module.exports = { bundleTs };

if (require.main === module) {
  const [entry, command, ...args] = process.argv.slice(2);
  if (!entry) {
    console.error('Usage: node src/local/runTs.cjs <file.ts> <command> [args…]');
    process.exit(2);
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  // Inside the project (ignored .esbuild/), so the external packages resolve from node_modules.
  mkdirSync(path.join(ROOT, '.esbuild'), { recursive: true });
  const dir = mkdtempSync(path.join(ROOT, '.esbuild', 'run-ts-'));
  const outfile = path.join(dir, 'entry.cjs');
  bundleTs(entry, outfile);
  Promise.resolve()
    .then(() => require(outfile).main(command, args))
    .catch((error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    })
    .finally(() => rmSync(dir, { recursive: true, force: true }));
}
