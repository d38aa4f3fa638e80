// The jest config Stryker runs: the `unit` project of package.json alone (no DynamoDB Local,
// no local stack), with the environment its global setup would give the tests, narrowed to the
// test files of one mutation run (MUTATION_TESTS, a JSON list of globs; see groups.cjs).
'use strict';
const path = require('node:path');
const { jest } = require('../package.json');

const unit = jest.projects.find((project) => project.displayName === 'unit');
if (!unit) throw new Error('package.json has no jest project named unit');

const only = process.env.MUTATION_TESTS ? JSON.parse(process.env.MUTATION_TESTS) : undefined;

module.exports = {
  ...unit,
  ...(only ? { testMatch: only.map((glob) => `<rootDir>/${glob}`) } : {}),
  rootDir: path.resolve(__dirname, '..'),
  testTimeout: jest.testTimeout,
  setupFiles: [path.join(__dirname, 'unitEnv.cjs')],
};
