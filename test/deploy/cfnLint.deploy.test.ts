import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serverlessPackageAll, type PackageVariant } from '../support/serverlessPackage';

// AWS's own linter, cfn-lint, on every template `serverless package` can produce: the app's stack
// and its data stack (src/deploy/dataStack.cjs), for each variant of the parameters.
const VARIANTS: Record<string, PackageVariant> = {
  "default (the stack's own Cognito)": { stage: 'dev' },
  'external issuer': {
    stage: 'dev',
    params: { externalIssuer: 'https://issuer.example.test/', externalAudience: 'my-api' },
  },
  'alarm e-mail': { stage: 'dev', params: { alarmEmail: 'ops@example.test' } },
  'throwaway stage': { stage: 'pr-1', params: { throwaway: 'true' } },
  'stage prod': { stage: 'prod' },
};
const PYTHON = process.env.PYTHON ?? 'python3';
// Packaging five variants and linting ten templates: minutes on a busy machine.
jest.setTimeout(600_000);
const RUN_CFN_LINT = 'import sys; from cfnlint.runner import main; sys.exit(main())';

interface Finding {
  Level: 'Error' | 'Warning' | 'Informational';
  Rule: { Id: string };
  Message: string;
  Filename: string;
  Location: { Path: (string | number)[] };
}
/** A warning judged harmless: its rule, a pattern of its message, and why it is harmless. */
interface Allowed {
  rule: string;
  message: string;
  reason: string;
}
const ALLOWED: Allowed[] = JSON.parse(readFileSync(path.join(__dirname, 'cfnLintAllowed.json'), 'utf8'));
const allows = (a: Allowed, f: Finding) => a.rule === f.Rule.Id && new RegExp(a.message).test(f.Message);

let findings: Finding[];
const where = (f: Finding) => `${f.Rule.Id} ${f.Filename} ${f.Location.Path.join('/')}: ${f.Message}`;

beforeAll(async () => {
  const packaged = await serverlessPackageAll(Object.values(VARIANTS));
  // The app's template as packaged (tidied and split by the plugins) and the data stack's beside it.
  const files = packaged.flatMap(({ dir }) => [
    path.join(dir, 'cloudformation-template-update-stack.json'),
    path.join(dir, 'cloudformation-template-data.json'),
  ]);
  // cfn-lint exits non-zero whenever it finds anything: the JSON on stdout is the answer.
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      PYTHON,
      ['-c', RUN_CFN_LINT, '--format', 'json', ...files],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, out, err) => {
        if (!out.trim()) reject(new Error(`cfn-lint gave no report: ${error?.message ?? ''} ${err}`));
        else resolve(out);
      },
    ),
  );
  findings = JSON.parse(stdout) as Finding[];
}, 600_000);

describe('cfn-lint on every packaged variant, app and data stacks', () => {
  it('finds no error', () => {
    expect(findings.filter((f) => f.Level === 'Error').map(where)).toEqual([]);
  });

  it('finds only warnings judged harmless in test/deploy/cfnLintAllowed.json', () => {
    expect(findings.filter((f) => !ALLOWED.some((a) => allows(a, f))).map(where)).toEqual([]);
  });

  it('still finds every warning listed there (a stale entry would hide a new one)', () => {
    expect(ALLOWED.filter((a) => !findings.some((f) => allows(a, f))).map((a) => `${a.rule} ${a.message}`)).toEqual([]);
    for (const a of ALLOWED)
      expect({ rule: a.rule, reason: a.reason.length > 20 }).toEqual({ rule: a.rule, reason: true });
  });
});
