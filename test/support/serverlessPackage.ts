import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.join(__dirname, '..', '..');
// CommonJS, shared with `npm start` (src/local/start.cjs).
const { serviceDirFor } = require('../../src/local/serviceDir.cjs') as { serviceDirFor: (name: string) => string };

export type Template = {
  Resources: Record<
    string,
    { Type: string; Properties: any; Condition?: string; DeletionPolicy?: string; UpdateReplacePolicy?: string }
  >;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, any>;
};

export interface PackageVariant {
  readonly stage: string;
  readonly params?: Record<string, string>;
}

/**
 * Runs `serverless package` (no credentials, no network) into a temp folder; resolves to the
 * template and the folder. Each run has a service folder of its own, so runs can go in
 * parallel and never delete the bundles of another run or of a running local stack.
 */
export interface Packaged {
  /** The app's stack. */
  readonly template: Template;
  /** The data stack's (src/deploy/dataStack.cjs), written beside it. */
  readonly data: Template;
  readonly dir: string;
}

export const serverlessPackage = async ({ stage, params = {} }: PackageVariant): Promise<Packaged> => {
  const dir = mkdtempSync(path.join(tmpdir(), `sls-package-${stage}-`));
  const serviceDir = serviceDirFor(`package-${path.basename(dir)}`);
  try {
    await promisify(execFile)(
      process.execPath,
      [
        path.join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js'),
        'package',
        '--stage',
        stage,
        '--package',
        dir,
        ...Object.entries(params).flatMap(([k, v]) => ['--param', `${k}=${v}`]),
      ],
      {
        cwd: serviceDir,
        env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
        maxBuffer: 10 * 1024 * 1024,
      },
    );
  } finally {
    rmSync(serviceDir, { recursive: true, force: true });
  }
  const read = (file: string) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Template;
  return {
    template: read('cloudformation-template-update-stack.json'),
    data: read('cloudformation-template-data.json'),
    dir,
  };
};

/**
 * Packages every variant, as many at a time as the machine has cores (a packaging is mostly
 * esbuild and zip work); resolves in the order given.
 */
export const serverlessPackageAll = async (variants: PackageVariant[]): Promise<Packaged[]> => {
  const results: Packaged[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < variants.length; i = next++) results[i] = await serverlessPackage(variants[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), variants.length) }, worker));
  return results;
};

export const zipsIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.zip'));
