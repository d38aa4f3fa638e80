// `npm run rebuild|verify|redrive|dead-letters -- [--view name] [--stage s] …`: the kit's ops (src/ops/appOps.ts)
// on the app's declaration, against the stack `npm start` runs (DYNAMODB_PORT, DYNAMODB_ENDPOINT, DATA_DIR;
// see opsEndpoint), or AWS with --stage.
'use strict';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
const { loadApp } = require('./loadApp.cjs');

const [command, ...args] = process.argv.slice(2);
const { app, opsMain } = loadApp(["export { opsMain } from './src/ops/appOps';"]);
opsMain(app, command, args).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
