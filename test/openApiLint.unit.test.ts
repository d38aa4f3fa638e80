/**
 * The generated OpenAPI document as the usual tools take it, as it is: Redocly's `recommended`
 * ruleset and Spectral's `spectral:oas` (.spectral.yaml) find no error and no warning. Both CLIs run
 * from node_modules/.bin on the document written to a temp file. A finding is fixed in the
 * generator (src/http/openApiDocument.ts, src/app/routes.ts) or the app's declaration
 * (handlers/app.ts), never by turning a rule off.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { app } from '../handlers/app';
import { apiDocumentOf } from '../src/app/openApi';

const ROOT = path.join(__dirname, '..');
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
// Neither tool may reach out (telemetry, update checks): this machine has no network.
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };

/** Runs a linter; a non-zero exit (findings) still resolves, with what it printed. */
const run = async (command: string, args: string[]): Promise<string> => {
  try {
    return (await promisify(execFile)(command, args, { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    if (!stdout) throw new Error(`${path.basename(command)} failed: ${stderr}`);
    return stdout;
  }
};

let dir: string;
let file: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'openapi-lint-'));
  file = path.join(dir, 'openapi.json');
  writeFileSync(file, JSON.stringify(apiDocumentOf(app), null, 2));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each CLI starts a Node of its own and reads a 200 KB document: seconds on a loaded machine.
jest.setTimeout(120_000);

describe('the OpenAPI document under the usual linters', () => {
  it("passes Redocly's recommended rules with no error and no warning", async () => {
    const out = JSON.parse(await run(bin('redocly'), ['lint', file, '--extends', 'recommended', '--format', 'json']));
    const findings = (
      out.problems as { ruleId: string; severity: string; message: string; location: { pointer?: string }[] }[]
    ).map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(findings).toEqual([]);
    expect(out.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
  });

  it("passes Spectral's spectral:oas rules with no error and no warning", async () => {
    const out = await run(bin('spectral'), [
      'lint',
      file,
      '--ruleset',
      path.join(ROOT, '.spectral.yaml'),
      '--format',
      'json',
      '--fail-severity',
      'hint',
    ]);
    // Spectral prints its JSON array, then (on no finding) a plain sentence.
    const findings = (
      JSON.parse(out.slice(0, out.lastIndexOf(']') + 1)) as { code: string; message: string; path: string[] }[]
    ).map((r) => `${r.code}: ${r.message} at ${r.path.join('.')}`);
    expect(findings).toEqual([]);
  });
});
