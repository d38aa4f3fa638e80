// Starts one in-memory DynamoDB Local on a free port for the integration tests; its
// endpoint reaches the tests through TEST_DYNAMODB_ENDPOINT.
'use strict';
const { freePort, startDynamoDbLocal } = require('../../src/local/dynamodbLocal.cjs');

module.exports = async (globalConfig) => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // Powertools: logs through the global console (so tests can watch it), errors only, no EMF lines.
  process.env.POWERTOOLS_DEV = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = process.env.POWERTOOLS_LOG_LEVEL || 'ERROR';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  // Jest 30 leaves globalConfig.selectProjects undefined here: read the command line as well,
  // so `npm run test:unit` (and e2e alone) do not start a DynamoDB Local they never use.
  const fromArgv = () => {
    const i = process.argv.indexOf('--selectProjects');
    if (i === -1) return undefined;
    const names = [];
    for (const arg of process.argv.slice(i + 1)) {
      if (arg.startsWith('-')) break;
      names.push(arg);
    }
    return names;
  };
  const projects = globalConfig.selectProjects ?? fromArgv();
  if (projects && !projects.includes('int')) return;
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  process.env.TEST_DYNAMODB_ENDPOINT = dynamo.endpoint;
  globalThis.__DYNAMODB_LOCAL__ = dynamo;
};
