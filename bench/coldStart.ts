/**
 * Part 6: the bundles `serverless package` builds (one per function), their size, and how
 * long each takes to initialise in a fresh Node process, minus an empty process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { round, summarise } from './stats';

const ROOT = path.resolve(__dirname, '..', '..');

export interface FunctionColdStart {
  readonly function: string;
  /** The unzipped .js bundle (no source map), KiB. */
  readonly bundleKb: number;
  readonly zipKb: number;
  /** Median wall time of `node -e "require(bundle)"` minus `node -e ""`. */
  readonly initMs: number;
  /** Median time of the `require` alone, measured inside the process. */
  readonly requireMs: number;
}

export interface Contributor {
  readonly module: string;
  readonly kb: number;
  readonly share: number;
}

export interface ColdStartResults {
  readonly functions: FunctionColdStart[];
  readonly emptyProcessMs: number;
  readonly rounds: number;
  /** What makes up the biggest bundle (esbuild metafile, same options as serverless.yml). */
  readonly biggest: { readonly function: string; readonly contributors: Contributor[] };
}

const LAMBDA_ENV = {
  EVENTS_TABLE: 'todo-cqrs-dev-events',
  LISTS_TABLE: 'todo-cqrs-dev-lists',
  STATS_TABLE: 'todo-cqrs-dev-stats',
  AWS_REGION: 'us-east-1',
  AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  // Lambda's runtime provides the AWS SDK v3 the bundles leave out; here it comes from the main install.
  NODE_PATH: path.join(ROOT, 'node_modules'),
};

const probe = (file: string | undefined) =>
  `const t=process.hrtime.bigint();${file ? `require(${JSON.stringify(file)});` : ''}process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;

const runNode = (file: string | undefined): { wallMs: number; requireMs: number } => {
  const start = performance.now();
  const result = spawnSync(process.execPath, ['-e', probe(file)], { env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV }, encoding: 'utf8', timeout: 30_000 });
  const wallMs = performance.now() - start;
  if (result.status !== 0) throw new Error(`node failed to load ${file}: ${result.stderr}`);
  return { wallMs, requireMs: Number(result.stdout) };
};

/** The biggest contributors to a handler's bundle, grouped by package. */
const contributorsOf = async (entry: string): Promise<Contributor[]> => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    external: ['@aws-sdk/*'],
    metafile: true,
    write: false,
    outfile: path.join(tmpdir(), 'bench-metafile.js'),
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
  const byModule = new Map<string, number>();
  let total = 0;
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const name = match ? match[1]! : `${input.split('/')[0]}/ (this repository)`;
    byModule.set(name, (byModule.get(name) ?? 0) + bytesInOutput);
    total += bytesInOutput;
  }
  return [...byModule.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([module, bytes]) => ({ module, kb: round(bytes / 1024, 1), share: round(bytes / total, 2) }));
};

export const runColdStart = async (rounds: number, log: (line: string) => void): Promise<ColdStartResults> => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-package-'));
  try {
    log('  6. serverless package --stage dev (into a temporary folder)…');
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js'), 'package', '--stage', 'dev', '--package', dir], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
      timeout: 300_000,
    });
    const functions = readdirSync(dir)
      .filter((f) => f.endsWith('.zip'))
      .map((zip) => {
        const name = zip.replace(/\.zip$/, '');
        const target = path.join(dir, name);
        execFileSync('unzip', ['-q', '-o', path.join(dir, zip), '-d', target]);
        const js = (execFileSync('unzip', ['-Z1', path.join(dir, zip)], { encoding: 'utf8' }).split('\n').find((f) => f.endsWith('.js')) ?? '').trim();
        return { name, zipBytes: statSync(path.join(dir, zip)).size, file: path.join(target, js), jsBytes: statSync(path.join(target, js)).size, source: js.replace(/\.js$/, '.ts') };
      });
    log(`  6. init time: ${rounds} round(s) of ${functions.length} fresh processes + an empty one…`);
    const wall = new Map<string, number[]>();
    const inside = new Map<string, number[]>();
    const subjects = [{ name: '(empty)', file: undefined as string | undefined }, ...functions];
    for (let r = 0; r < rounds; r += 1) {
      for (let i = 0; i < subjects.length; i += 1) {
        const subject = subjects[(r + i) % subjects.length]!;
        const { wallMs, requireMs } = runNode(subject.file);
        wall.set(subject.name, [...(wall.get(subject.name) ?? []), wallMs]);
        inside.set(subject.name, [...(inside.get(subject.name) ?? []), requireMs]);
      }
    }
    const empty = summarise(wall.get('(empty)') ?? []).p50;
    const results = functions
      .map((f) => ({
        function: f.name,
        bundleKb: round(f.jsBytes / 1024, 1),
        zipKb: round(f.zipBytes / 1024, 1),
        initMs: round(summarise(wall.get(f.name) ?? []).p50 - empty, 1),
        requireMs: round(summarise(inside.get(f.name) ?? []).p50, 1),
      }))
      .sort((a, b) => a.function.localeCompare(b.function));
    const biggest = [...functions].sort((a, b) => b.jsBytes - a.jsBytes)[0];
    return {
      functions: results,
      emptyProcessMs: round(empty, 1),
      rounds,
      biggest: { function: biggest?.name ?? '', contributors: biggest ? await contributorsOf(biggest.source) : [] },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
