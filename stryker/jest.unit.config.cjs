// The jest config Stryker runs: the `unit` project of package.json alone (no DynamoDB Local,
// no local stack), with the environment its global setup would give the tests.
'use strict';
const path = require('node:path');
const { jest } = require('../package.json');

const unit = jest.projects.find((project) => project.displayName === 'unit');
if (!unit) throw new Error('package.json has no jest project named unit');

module.exports = {
  ...unit,
  rootDir: path.resolve(__dirname, '..'),
  testTimeout: jest.testTimeout,
  setupFiles: [path.join(__dirname, 'unitEnv.cjs')],
};
