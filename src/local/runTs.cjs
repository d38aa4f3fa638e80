// Runs a TypeScript entry of this project without a build step: esbuild bundles it (node
// packages stay external) into a temp file, which is then required and its `main` called.
//   node src/local/runTs.cjs bench/loadTimes.ts run
'use strict';
const path = require('node:path');
const { ROOT, requireTs } = require('./loadApp.cjs');

const [entry, command, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('Usage: node src/local/runTs.cjs <file.ts> <command> [args…]');
  process.exit(2);
}
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
Promise.resolve()
  .then(() => requireTs({ entryPoints: [path.resolve(ROOT, entry)] }).main(command, args))
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
