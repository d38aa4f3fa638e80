// The folder serverless runs in: the project's files (folders linked, files copied), and its
// own `.esbuild/`.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * A fresh service folder named `name` in the temp dir, for one serverless run.
 * serverless-esbuild keeps the bundles a stack executes in `<service>/.esbuild/`, and
 * `serverless package` deletes that folder when it is done; with one shared folder, packaging
 * (npm test's template tests) or a second stack started from the same checkout pulled the
 * handlers from under a running stack, whose Lambdas then failed with "Cannot find module",
 * and two packagings at once deleted each other's bundles.
 */
const serviceDirFor = (name) => {
  const dir = path.join(os.tmpdir(), `cqrs-service-${name}`);
  fs.rmSync(dir, { recursive: true, force: true }); // removes the links, never what they point to
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of fs.readdirSync(ROOT, { withFileTypes: true })) {
    if (['.esbuild', '.serverless', '.git', '.dynamodb'].includes(entry.name)) continue;
    const from = path.join(ROOT, entry.name);
    // Files are copied (serverless wants a real serverless.yml), folders are linked.
    if (entry.isFile()) fs.copyFileSync(from, path.join(dir, entry.name));
    else fs.symlinkSync(from, path.join(dir, entry.name));
  }
  return dir;
};

module.exports = { serviceDirFor };
