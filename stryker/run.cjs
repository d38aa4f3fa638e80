#!/usr/bin/env node
// npm run test:mutation -- <group…|all> [--concurrency N] [--full]
// Runs StrykerJS once per named group (stryker/groups.cjs) against the unit test project and
// prints one mutation score per run. Reports: reports/mutation/<group>/ (ignored by git).
'use strict';
const path = require('node:path');
const groups = require('./groups.cjs');

const root = path.resolve(__dirname, '..');

const usage = () =>
  [
    'usage: npm run test:mutation -- <group…|all> [--concurrency N] [--full] [--mutate file[:lines],…]',
    '  --full    ignore the previous run of the group (by default unchanged mutants and tests reuse it)',
    "  --mutate  only these of the group's files (Stryker's syntax, e.g. src/stateCache.ts:10-20)",
    'groups:',
    ...Object.entries(groups).map(([name, group]) => `  ${name.padEnd(14)} ${group.describe}`),
  ].join('\n');

const parseArgs = (argv) => {
  const names = [];
  let concurrency = 2;
  let full = false;
  let only;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--concurrency') {
      i += 1;
      concurrency = Number(argv[i]);
    } else if (arg === '--full') full = true;
    else if (arg === '--mutate') {
      i += 1;
      only = argv[i].split(',');
    } else if (arg === 'all') names.push(...Object.keys(groups));
    else if (arg in groups) names.push(arg);
    else throw new Error(`unknown group or option: ${arg}\n${usage()}`);
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('--concurrency takes a positive integer');
  return { names: [...new Set(names)], concurrency, full, only };
};

const optionsFor = (name, { concurrency, full, only }) => {
  // A narrowed run keeps its report and results apart from the whole group's.
  const reportDir = path.join('reports', 'mutation', only ? `${name}-partial` : name);
  return {
    mutate: only ?? groups[name].mutate,
    testRunner: 'jest',
    jest: { projectType: 'custom', configFile: 'stryker/jest.unit.config.cjs', enableFindRelatedTests: false },
    coverageAnalysis: 'perTest',
    concurrency,
    // The allowance over a test run's own time before a mutant counts as hanging (Stryker's
    // default is 5000). A group whose tests load the whole kit needs more on a busy machine, or
    // slow runs pass for hangs (counted as killed, and each one restarts a test process).
    timeoutMS: groups[name].timeoutMS ?? 5000,
    plugins: ['@stryker-mutator/jest-runner', path.join(__dirname, 'logTextIgnorer.mjs')],
    ignorers: ['log-text'],
    ignorePatterns: ['.dynamodb', 'bench', 'src/local/console/app/dist', '.esbuild', '.serverless', 'reports'],
    tempDirName: '.stryker-tmp',
    cleanTempDir: true,
    reporters: ['progress-append-only', 'clear-text', 'html', 'json'],
    clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
    htmlReporter: { fileName: path.join(reportDir, 'index.html') },
    jsonReporter: { fileName: path.join(reportDir, 'mutation.json') },
    incremental: true,
    incrementalFile: path.join(reportDir, 'incremental.json'),
    force: full,
    logLevel: 'warn',
  };
};

const summarise = (name, results, ms) => {
  const by = (status) => results.filter((r) => r.status === status).length;
  const detected = by('Killed') + by('Timeout');
  const survived = by('Survived');
  const noCoverage = by('NoCoverage');
  const valid = detected + survived + noCoverage;
  const score = valid === 0 ? 100 : (100 * detected) / valid;
  const minutes = `${Math.floor(ms / 60000)}m${String(Math.round((ms % 60000) / 1000)).padStart(2, '0')}s`;
  return {
    name,
    score,
    line:
      `mutation score ${name}: ${score.toFixed(1)} % (${detected}/${valid} detected; ${survived} survived, ` +
      `${noCoverage} no coverage, ${by('Ignored')} ignored, ${by('CompileError') + by('RuntimeError')} errors) in ${minutes}`,
  };
};

const main = async () => {
  const args = parseArgs(process.argv.slice(2));
  if (args.names.length === 0) {
    console.log(usage());
    process.exitCode = 2;
    return;
  }
  process.chdir(root);
  const { Stryker } = await import('@stryker-mutator/core');
  const lines = [];
  for (const name of args.names) {
    const started = Date.now();
    // Read by stryker/jest.unit.config.cjs in Stryker's test runner processes.
    process.env.MUTATION_TESTS = JSON.stringify(groups[name].tests);
    const results = await new Stryker(optionsFor(name, args)).runMutationTest();
    const summary = summarise(name, results, Date.now() - started);
    const report = optionsFor(name, args).htmlReporter.fileName;
    console.log(`\n${summary.line}${args.only ? ` (only ${args.only.join(', ')})` : ''}\nreport: ${report}\n`);
    lines.push(summary.line);
  }
  if (lines.length > 1) console.log(lines.join('\n'));
};

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
