// `npm run bench [-- --quick]`: installs the peers into bench/node_modules on first run
// (their own package and lockfile, so the main install stays lean), bundles bench/bench.ts
// with esbuild and runs it with node. Arguments after `--` go to the bench.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const BENCH = __dirname;

if (!fs.existsSync(path.join(BENCH, 'node_modules'))) {
  process.stderr.write('Installing the peers into bench/node_modules (npm ci --prefix bench), once…\n');
  execFileSync('npm', ['ci', '--prefix', BENCH, '--no-audit', '--no-fund'], { stdio: 'inherit' });
}

// Two levels below the repository root, like the src/local and test/support files the bench
// bundles: their `__dirname`-relative paths (serverless.yml, start.cjs, .dynamodb/) stay right.
// Inside bench/node_modules, so it is ignored and resolves packages from bench/ then the root.
const outfile = path.join(BENCH, 'node_modules', '.bench.cjs');
// Removed first, so the build writes a new file: worktrees whose bench/node_modules are hard-linked
// copies of one another would otherwise share this file, and a bench in one rewrote the code that
// another's part 2 was about to start in its child processes.
fs.rmSync(outfile, { force: true });
const build = require('esbuild').build({
  entryPoints: [path.join(BENCH, 'bench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  plugins: [
    {
      // Packages load from node_modules at run time, as in the app; @middy is ESM-only, so it is bundled.
      name: 'packages-external',
      setup(build) {
        build.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@middy/') ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});

build.then(
  () => {
    const child = spawn(process.execPath, ['--enable-source-maps', outfile, ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: {
        ...process.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        LOG_LEVEL: process.env.LOG_LEVEL || 'ERROR',
        // The kit counts its metrics as deployed; they are not printed, as offline (serverless.yml).
        POWERTOOLS_METRICS_DISABLED: 'true',
      },
    });
    // The bench stops what it started (DynamoDB Local, the local stack) on SIGINT and SIGTERM.
    // Ctrl-C reaches it directly (same process group); a signal sent to this process is passed on.
    process.on('SIGINT', () => child.kill('SIGINT'));
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  },
  () => process.exit(1),
);
