// `npm start`: DynamoDB Local (data kept under .dynamodb/data) + the tables + the HTTP API
// and the stream-driven projections under serverless-offline, as one process tree.
// Ctrl-C stops all of it. Options: --port 3000 --dynamodb-port 8000 --lambda-port 3002
// --data-dir .dynamodb/data (or PORT, DYNAMODB_PORT, LAMBDA_PORT, DATA_DIR), and the local
// console (src/local/console) --console-port 3001 (CONSOLE_PORT), or --no-console.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { SetupError, assertPortFree, checkJava, startDynamoDbLocal } = require('./dynamodbLocal.cjs');
const { serviceDirFor } = require('./serviceDir.cjs');
const { localIssuerKeys } = require('./token.cjs');

const ROOT = path.resolve(__dirname, '..', '..');

const option = (name, envName, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  if (i !== -1 && process.argv[i + 1]) return process.argv[i + 1];
  return process.env[envName] || fallback;
};

const waitForPort = async (port, isAlive, timeoutMs) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (!isAlive()) throw new SetupError('serverless offline exited before it listened (see its output above).');
    if (Date.now() > deadline)
      throw new SetupError(`The HTTP API did not listen on port ${port} within ${timeoutMs / 1000} s.`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

const main = async () => {
  const httpPort = Number(option('port', 'PORT', '3000'));
  const dynamoPort = Number(option('dynamodb-port', 'DYNAMODB_PORT', '8000'));
  const lambdaPort = Number(option('lambda-port', 'LAMBDA_PORT', '3002'));
  const dataDir = path.resolve(ROOT, option('data-dir', 'DATA_DIR', '.dynamodb/data'));
  const consolePort = process.argv.includes('--no-console')
    ? undefined
    : Number(option('console-port', 'CONSOLE_PORT', '3001'));

  // serverless-offline is spawned with this same Node (process.execPath) and runs the handlers in
  // its worker threads: npm start's node is node_modules/.bin/node, Lambda's major (package.json).
  console.log(`Local stack on Node ${process.version}`);
  checkJava();
  await assertPortFree(httpPort, 'HTTP API');
  await assertPortFree(lambdaPort, 'serverless-offline Lambda');
  if (consolePort !== undefined) await assertPortFree(consolePort, 'console');
  const dynamo = await startDynamoDbLocal({ port: dynamoPort, dbPath: dataDir });
  console.log(`DynamoDB Local on ${dynamo.endpoint}, data in ${path.relative(ROOT, dataDir) || dataDir}`);

  // The local issuer's key pair (src/local/token.cjs): generated now if this checkout has none, so
  // the edge and `npm run token` never race to make two.
  localIssuerKeys();
  // The console is the one browser origin that may call the API (it passes /api/* itself, but its
  // pages may call the API port directly too); nothing else is allowed cross-origin.
  const consoleOrigins =
    consolePort === undefined ? [] : [`http://127.0.0.1:${consolePort}`, `http://localhost:${consolePort}`];

  const serviceDir = serviceDirFor(String(httpPort));
  const offline = spawn(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js'),
      'offline',
      'start',
      '--stage',
      'local',
      '--httpPort',
      String(httpPort),
      '--lambdaPort',
      String(lambdaPort),
      // Decodes the token without checking its signature: src/local/offlineEdge.cjs checks it.
      '--ignoreJWTSignature',
      // The invoke port's CORS (hapi's): no origin but the console's, instead of any.
      '--corsAllowOrigin',
      consoleOrigins[0] ?? `http://127.0.0.1:${httpPort}`,
      // One Node process runs every handler, each module loaded once, as a warm Lambda
      // container would. With worker threads (the default) each concurrent request started
      // a new worker that loaded its bundle and the AWS SDK again: 50 requests at once on a
      // 2-core machine took over 10 s of cold starts, timed out, and serverless-offline
      // answered those timeouts 200 with its stack trace.
      '--useInProcess',
    ],
    {
      cwd: serviceDir,
      stdio: 'inherit',
      env: {
        ...process.env,
        DYNAMODB_PORT: String(dynamoPort),
        LOCAL_CORS_ORIGINS: consoleOrigins.join(','),
        STREAMS_CHECKPOINT_FILE: path.join(dataDir, 'streams-checkpoint.json'),
        DEAD_LETTER_DIR: path.join(dataDir, 'dead-letters'),
        // The local stand-in for the integration bus (JSON lines, shown in the console).
        INTEGRATION_EVENTS_FILE: path.join(dataDir, 'integration-events.jsonl'),
        SLS_TELEMETRY_DISABLED: '1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        SLS_NOTIFICATIONS_MODE: 'off',
      },
    },
  );
  let offlineAlive = true;
  let stopping = false;
  // Built and started while serverless-offline starts; a console that fails leaves the API up.
  const consoleStarted =
    consolePort === undefined
      ? Promise.resolve(undefined)
      : require('./console/launch.cjs')
          .startConsole({ port: consolePort, apiPort: httpPort, dynamoDbEndpoint: dynamo.endpoint, dataDir })
          .catch((error) => {
            console.error(`The console did not start: ${error instanceof Error ? error.message : error}`);
            return undefined;
          });
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    if (offlineAlive) offline.kill('SIGINT');
    const consoleServer = await consoleStarted;
    if (consoleServer) await consoleServer.close();
    await dynamo.stop();
    fs.rmSync(serviceDir, { recursive: true, force: true });
    process.exit(code);
  };
  offline.once('exit', (code) => {
    offlineAlive = false;
    void stop(code ?? 1);
  });
  dynamo.process.once('exit', () => {
    if (!stopping) {
      console.error('DynamoDB Local stopped unexpectedly.');
      void stop(1);
    }
  });
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  await waitForPort(httpPort, () => offlineAlive, 120_000);
  const consoleServer = await consoleStarted;
  console.log(
    `\nReady: http://localhost:${httpPort}   (a token: npm run --silent token -- alice)` +
      (consoleServer ? `\nConsole: ${consoleServer.url}` : '') +
      '\n',
  );
};

main().catch((error) => {
  console.error(error instanceof SetupError ? error.message : error);
  process.exit(1);
});
