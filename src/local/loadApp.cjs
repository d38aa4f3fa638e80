// Loads the app's declaration (handlers/app.ts, the kit's one convention) with kit modules
// beside it, for the tools that run outside Lambda: serverless.yml's derived parts and the
// ops CLI. esbuild bundles them (node packages stay external) into a temp file, required once.
'use strict';
const { buildSync } = require('esbuild');
const { mkdirSync, mkdtempSync, rmSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
/** Where an app declares itself: `export const app = defineApp({ … })`. */
const APP_MODULE = './handlers/app';

/**
 * Bundles TypeScript of this project (an entry file, or `stdin` source) into a temp CJS file
 * inside the project (ignored .esbuild/, so external packages resolve from node_modules),
 * requires it, and removes the file. Answers the module.
 */
const requireTs = (input) => {
  mkdirSync(path.join(ROOT, '.esbuild'), { recursive: true });
  const dir = mkdtempSync(path.join(ROOT, '.esbuild', 'ts-'));
  const outfile = path.join(dir, 'entry.cjs');
  try {
    buildSync({
      ...input,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      packages: 'external',
      outfile,
      logLevel: 'error',
      absWorkingDir: ROOT,
    });
    return require(outfile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** `exports`: lines such as "export { serverlessFunctions } from './src/app/serverless';" */
const loadApp = (exports) =>
  requireTs({
    stdin: {
      contents: [`export { app } from '${APP_MODULE}';`, ...exports].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
  });

module.exports = { ROOT, APP_MODULE, loadApp, requireTs };
