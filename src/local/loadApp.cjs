// Loads the app's declaration with kit modules beside it, for the tools that run outside Lambda:
// serverless.yml's derived parts, the ops CLI and the console. The app is where its project's
// setting says (package.json "cqrsKit": { "app": … }, src/app/appSetting.ts): the kit names none.
// esbuild bundles them (node packages stay external) into a temp file, required once.
'use strict';
const { buildSync } = require('esbuild');
const { mkdirSync, mkdtempSync, rmSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

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
      target: 'node24',
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

/** The setting of the project in `dir` (src/app/appSetting.ts): { dir, app, entries }. */
const readAppSetting = (dir = process.cwd()) =>
  requireTs({ entryPoints: [path.join(ROOT, 'src', 'app', 'appSetting.ts')] }).readAppSetting(path.resolve(dir));

/**
 * `exports`: lines such as "export { serverlessFunctions } from './src/app/serverless';" (paths
 * from the kit's folder). Answers the module with them, plus `app` (the app's declaration, found
 * through the setting of the project in `options.dir`, by default the current folder) and
 * `appSetting`.
 */
const loadApp = (exports, options = {}) => {
  const appSetting = readAppSetting(options.dir);
  const appModule = path.join(appSetting.dir, appSetting.app).replaceAll('\\', '/');
  return requireTs({
    stdin: {
      contents: [
        `export { app } from ${JSON.stringify(appModule)};`,
        `export const appSetting = ${JSON.stringify(appSetting)};`,
        ...exports,
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
  });
};

module.exports = { ROOT, loadApp, readAppSetting, requireTs };
