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
  const projects = globalConfig.selectProjects;
  if (projects && !projects.includes('int')) return;
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  process.env.TEST_DYNAMODB_ENDPOINT = dynamo.endpoint;
  globalThis.__DYNAMODB_LOCAL__ = dynamo;
};
