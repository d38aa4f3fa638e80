/**
 * Part 6: the bundles `serverless package` builds (one per function), their size, and how
 * long each takes to initialise in a fresh Node process, minus an empty process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { round, summarise } from './stats';

const ROOT = path.resolve(__dirname, '..', '..');

export interface FunctionColdStart {
  readonly function: string;
  /** The unzipped .js bundle (no source map), KiB. */
  readonly bundleKb: number;
  readonly zipKb: number;
  /** Median time of `require(bundle)` in a fresh process, measured inside it: the module's initialisation. */
  readonly initMs: number;
  /** Median wall time of `node -e "require(bundle)"` minus that of an empty `node -e ""` (noisier: two process starts). */
  readonly wallMinusEmptyMs: number;
}

export interface Contributor {
  readonly module: string;
  readonly kb: number;
  readonly share: number;
}

export interface ColdStartResults {
  readonly functions: FunctionColdStart[];
  readonly emptyProcessMs: number;
  /** `require` of @aws-sdk/client-dynamodb and @aws-sdk/lib-dynamodb alone in a fresh process: part of every init. */
  readonly sdkOnlyInitMs: number;
  readonly rounds: number;
  /** What makes up the biggest bundle (esbuild metafile, same options as serverless.yml). */
  readonly biggest: { readonly function: string; readonly contributors: Contributor[] };
}

const LAMBDA_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  // Lambda's runtime provides the AWS SDK v3 the bundles leave out; here it comes from the main install.
  NODE_PATH: path.join(ROOT, 'node_modules'),
};

const probe = (file: string | undefined) =>
  `const t=process.hrtime.bigint();${file ? `require(${JSON.stringify(file)});` : ''}process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;

/** Each function's environment as the packaged template gives it to Lambda (references become placeholders). */
const environments = (dir: string): Map<string, Record<string, string>> => {
  const template = JSON.parse(readFileSync(path.join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties?: { Code?: { S3Key?: unknown }; Environment?: { Variables?: Record<string, unknown> } } }>;
  };
  const byFunction = new Map<string, Record<string, string>>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const key = JSON.stringify(resource.Properties?.Code?.S3Key ?? '');
    const name = /([A-Za-z0-9_-]+)\.zip/.exec(key)?.[1] ?? logicalId.replace(/LambdaFunction$/, '');
    const variables = resource.Properties?.Environment?.Variables ?? {};
    byFunction.set(name, Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, typeof v === 'string' ? v : `bench-placeholder-${k.toLowerCase()}`])));
  }
  return byFunction;
};

const runNode = (file: string | undefined, env: Record<string, string> = {}): { wallMs: number; requireMs: number } => {
  const start = performance.now();
  const result = spawnSync(process.execPath, ['-e', probe(file)], { env: { PATH: process.env.PATH ?? '', ...env, ...LAMBDA_ENV }, encoding: 'utf8', timeout: 30_000 });
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
    // As serverless.yml bundles: ESM entry points first (graphql-js is 137 KB so, 261 KB from its CommonJS build).
    mainFields: ['module', 'main'],
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

/**
 * A service folder of its own (files copied, folders linked, like src/local/start.cjs does):
 * `serverless package` deletes `<service>/.esbuild/` when done, which must not pull the
 * bundles from under a stack or a test packaging in the checkout at the same time.
 */
const serviceDir = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-service-'));
  for (const entry of readdirSync(ROOT, { withFileTypes: true })) {
    if (['.esbuild', '.serverless', '.git', '.dynamodb'].includes(entry.name)) continue;
    const from = path.join(ROOT, entry.name);
    if (entry.isFile()) copyFileSync(from, path.join(dir, entry.name));
    else symlinkSync(from, path.join(dir, entry.name));
  }
  return dir;
};

export const runColdStart = async (rounds: number, log: (line: string) => void): Promise<ColdStartResults> => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-package-'));
  const service = serviceDir();
  try {
    log('  6. serverless package --stage dev (into a temporary folder)…');
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js'), 'package', '--stage', 'dev', '--package', dir], {
      cwd: service,
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
    const envs = environments(dir);
    log(`  6. init time: ${rounds} round(s) of ${functions.length} fresh processes + an empty one…`);
    const wall = new Map<string, number[]>();
    const inside = new Map<string, number[]>();
    // What the bundles leave to the runtime: the AWS SDK v3 clients they use, loaded alone.
    const sdkOnly = path.join(dir, 'sdk-only.js');
    writeFileSync(sdkOnly, "require('@aws-sdk/client-dynamodb');\nrequire('@aws-sdk/lib-dynamodb');\n");
    const subjects = [{ name: '(empty)', file: undefined as string | undefined }, { name: '(AWS SDK only)', file: sdkOnly }, ...functions];
    const subjectEnv = (name: string) => envs.get(name) ?? {};
    for (let r = 0; r < rounds; r += 1) {
      for (let i = 0; i < subjects.length; i += 1) {
        const subject = subjects[(r + i) % subjects.length]!;
        const { wallMs, requireMs } = runNode(subject.file, subjectEnv(subject.name));
        wall.set(subject.name, [...(wall.get(subject.name) ?? []), wallMs]);
        inside.set(subject.name, [...(inside.get(subject.name) ?? []), requireMs]);
      }
    }
    const empty = summarise(wall.get('(empty)') ?? []).p50;
    const sdkMs = round(summarise(inside.get('(AWS SDK only)') ?? []).p50, 1);
    const results = functions
      .map((f) => ({
        function: f.name,
        bundleKb: round(f.jsBytes / 1024, 1),
        zipKb: round(f.zipBytes / 1024, 1),
        initMs: round(summarise(inside.get(f.name) ?? []).p50, 1),
        wallMinusEmptyMs: round(summarise(wall.get(f.name) ?? []).p50 - empty, 1),
      }))
      .sort((a, b) => a.function.localeCompare(b.function));
    const biggest = [...functions].sort((a, b) => b.jsBytes - a.jsBytes)[0];
    return {
      functions: results,
      emptyProcessMs: round(empty, 1),
      sdkOnlyInitMs: sdkMs,
      rounds,
      biggest: { function: biggest?.name ?? '', contributors: biggest ? await contributorsOf(biggest.source) : [] },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    // Removes the links, never what they point to.
    rmSync(service, { recursive: true, force: true });
  }
};
