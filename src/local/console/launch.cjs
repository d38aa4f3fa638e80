// Starts the local console for `npm start` (src/local/start.cjs): builds the front end
// (src/local/console/app, Vite) into app/dist/<digest> when its sources changed, bundles the console
// server (server.ts) with esbuild as runTs.cjs does, and starts it on 127.0.0.1.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { loadApp } = require('../loadApp.cjs');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const APP_DIR = path.join(__dirname, 'app');
const DIST_DIR = path.join(APP_DIR, 'dist');

/** A digest of everything the build reads: the app's files and the installed versions. */
const sourcesDigest = () => {
  const hash = crypto.createHash('sha256');
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'dist' || entry.name === 'node_modules') continue;
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else hash.update(`${path.relative(APP_DIR, file)}\0`).update(fs.readFileSync(file));
    }
  };
  walk(APP_DIR);
  hash.update(fs.readFileSync(path.join(ROOT, 'package-lock.json')));
  return hash.digest('hex').slice(0, 16);
};

/**
 * Builds the front end into app/dist/<digest of its sources>/ unless that folder exists, and
 * answers the folder. Each build goes to a folder of its own and is renamed into place: stacks
 * started at once (the e2e tests) never serve or overwrite each other's half-written files.
 */
const buildFrontEnd = async ({ log = console.log } = {}) => {
  const digest = sourcesDigest();
  const outDir = path.join(DIST_DIR, digest);
  if (fs.existsSync(path.join(outDir, 'index.html'))) return outDir;
  const started = Date.now();
  const work = path.join(DIST_DIR, `.building-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  const { build } = await import('vite');
  await build({
    root: APP_DIR,
    configFile: path.join(APP_DIR, 'vite.config.mjs'),
    logLevel: 'warn',
    build: { outDir: work, emptyOutDir: true },
  });
  try {
    fs.renameSync(work, outDir);
  } catch (error) {
    // Another stack built the same sources first: theirs is as good.
    fs.rmSync(work, { recursive: true, force: true });
    if (!fs.existsSync(path.join(outDir, 'index.html'))) throw error;
  }
  // Builds of older sources, unless recent (a stack started before the change may serve one).
  for (const entry of fs.readdirSync(DIST_DIR)) {
    const dir = path.join(DIST_DIR, entry);
    if (entry !== digest && Date.now() - fs.statSync(dir).mtimeMs > 24 * 3600_000)
      fs.rmSync(dir, { recursive: true, force: true });
  }
  log(`Console built in ${Date.now() - started} ms`);
  return outDir;
};

/** The console server, bundled with the app's declaration (node packages stay external) and loaded. */
const loadServer = () => loadApp(["export { startConsoleServer } from './src/local/console/server';"]);

/**
 * Builds what is needed and starts the console; resolves to { url, close }.
 * Options: port, apiPort, dynamoDbEndpoint, dataDir.
 */
const startConsole = async ({ port, apiPort, dynamoDbEndpoint, dataDir, log }) => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const [{ startConsoleServer, app }, staticDir] = await Promise.all([loadServer(), buildFrontEnd({ log })]);
  return startConsoleServer({ port, apiPort, dynamoDbEndpoint, dataDir, staticDir, app });
};

module.exports = { startConsole, buildFrontEnd, DIST_DIR };

// `node src/local/console/launch.cjs build`: the front end alone (CI, or to look at dist/).
if (require.main === module && process.argv[2] === 'build') {
  buildFrontEnd()
    .then((dir) => console.log(dir))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
