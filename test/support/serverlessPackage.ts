import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

export type Template = { Resources: Record<string, { Type: string; Properties: any; Condition?: string; DeletionPolicy?: string; UpdateReplacePolicy?: string }>; Conditions?: Record<string, unknown>; Outputs?: Record<string, unknown> };

/** Runs `serverless package` (no credentials, no network) into a temp folder; returns the template and the folder. */
export const serverlessPackage = (stage: string, params: Record<string, string> = {}): { template: Template; dir: string } => {
  const dir = mkdtempSync(path.join(tmpdir(), `sls-package-${stage}-`));
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js'),
      'package', '--stage', stage, '--package', dir,
      ...Object.entries(params).flatMap(([k, v]) => ['--param', `${k}=${v}`]),
    ],
    { cwd: ROOT, stdio: 'pipe', env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' } },
  );
  return { template: JSON.parse(readFileSync(path.join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template, dir };
};

export const zipsIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.zip'));
