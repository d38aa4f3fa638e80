import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LAMBDA_RUNTIMES, WARN_DAYS, runtimeProblem } from '../src/deploy/lambdaRuntimes';

const yaml = readFileSync(path.join(__dirname, '..', 'serverless.yml'), 'utf8');
/** Every `runtime:` the template sets (provider-wide and per function). */
const runtimesInTemplate = [...yaml.matchAll(/^\s*runtime:\s*([\w.]+)\s*$/gm)].map((m) => m[1]!);

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
