/**
 * Part 6: the bundles `serverless package` builds (one per function), their size, and how
 * long each takes to initialise in a fresh Node process, minus an empty process.
 *
 * Method: every round starts one fresh process per subject (the AWS SDK alone, each distinct
 * bundle, an empty process), in an order that rotates each round, so a busy moment of the
 * machine falls on different subjects. Functions whose bundle and environment are identical
 * (every REST function shares handlers/entries/http.ts) pool their samples: their init is one figure,
 * not the max of a dozen noisy medians of the same thing. The SDK baseline runs with the
 * functions' own NODE_OPTIONS (the template's), so the ratio compares like with like. Besides
 * wall time, the process's CPU time of the require is recorded: the same work, but not
 * stretched by other processes on a shared machine.
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
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
  /** Median CPU time (user + system) of that require: the same work, less affected by a busy machine. */
  readonly initCpuMs: number;
  /** How many functions share this bundle and environment (their samples are pooled). */
  readonly sameBundleAs: number;
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
  readonly sdkOnlyInitCpuMs: number;
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
  `const c=process.cpuUsage(),t=process.hrtime.bigint();${file ? `require(${JSON.stringify(file)});` : ''}` +
  `const w=Number(process.hrtime.bigint()-t)/1e6,u=process.cpuUsage(c);process.stdout.write(w+' '+(u.user+u.system)/1e3)`;

/** Each function's environment as the packaged template gives it to Lambda (references become placeholders). */
const environments = (dir: string): Map<string, Record<string, string>> => {
  const template = JSON.parse(readFileSync(path.join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as {
    Resources: Record<
      string,
      {
        Type: string;
        Properties?: { Code?: { S3Key?: unknown }; Environment?: { Variables?: Record<string, unknown> } };
      }
    >;
  };
  const byFunction = new Map<string, Record<string, string>>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const key = JSON.stringify(resource.Properties?.Code?.S3Key ?? '');
    const name = /([A-Za-z0-9_-]+)\.zip/.exec(key)?.[1] ?? logicalId.replace(/LambdaFunction$/, '');
    const variables = resource.Properties?.Environment?.Variables ?? {};
    byFunction.set(
      name,
      Object.fromEntries(
        Object.entries(variables).map(([k, v]) => [
          k,
          typeof v === 'string' ? v : `bench-placeholder-${k.toLowerCase()}`,
        ]),
      ),
    );
  }
  return byFunction;
};

const runNode = (
  file: string | undefined,
  env: Record<string, string> = {},
): { wallMs: number; requireMs: number; requireCpuMs: number } => {
  const start = performance.now();
  const result = spawnSync(process.execPath, ['-e', probe(file)], {
    env: { PATH: process.env.PATH ?? '', ...env, ...LAMBDA_ENV },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const wallMs = performance.now() - start;
  if (result.status !== 0) throw new Error(`node failed to load ${file}: ${result.stderr}`);
  const [requireMs, requireCpuMs] = result.stdout.split(' ').map(Number);
  return { wallMs, requireMs: requireMs!, requireCpuMs: requireCpuMs! };
};

/** The biggest contributors to a handler's bundle, grouped by package. */
const contributorsOf = async (entry: string): Promise<Contributor[]> => {
  const esbuild = require('esbuild') as typeof import('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
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
    execFileSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js'),
        'package',
        '--stage',
        'dev',
        '--package',
        dir,
      ],
      {
        cwd: service,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
        timeout: 300_000,
      },
    );
    const functions = readdirSync(dir)
      .filter((f) => f.endsWith('.zip'))
      .map((zip) => {
        const name = zip.replace(/\.zip$/, '');
        const target = path.join(dir, name);
        execFileSync('unzip', ['-q', '-o', path.join(dir, zip), '-d', target]);
        const js = (
          execFileSync('unzip', ['-Z1', path.join(dir, zip)], { encoding: 'utf8' })
            .split('\n')
            .find((f) => f.endsWith('.js')) ?? ''
        ).trim();
        return {
          name,
          zipBytes: statSync(path.join(dir, zip)).size,
          file: path.join(target, js),
          jsBytes: statSync(path.join(target, js)).size,
          source: js.replace(/\.js$/, '.ts'),
        };
      });
    const envs = environments(dir);
    // What the bundles leave to the runtime: the AWS SDK v3 clients they use, loaded alone.
    const sdkOnly = path.join(dir, 'sdk-only.js');
    writeFileSync(sdkOnly, "require('@aws-sdk/client-dynamodb');\nrequire('@aws-sdk/lib-dynamodb');\n");
    const subjectEnv = (name: string) => envs.get(name) ?? {};
    // One subject per distinct bundle and environment: identical functions pool their samples.
    const groupOf = new Map<string, string>();
    const groups = new Map<string, { name: string; file: string | undefined; env: Record<string, string> }>();
    for (const f of functions) {
      const key = createHash('sha256')
        .update(readFileSync(f.file))
        .update(JSON.stringify(subjectEnv(f.name)))
        .digest('hex');
      if (!groups.has(key)) groups.set(key, { name: f.name, file: f.file, env: subjectEnv(f.name) });
      groupOf.set(f.name, key);
    }
    // The functions' Node options (the template's, e.g. --enable-source-maps) apply to the SDK baseline too.
    const nodeOptions = functions.map((f) => subjectEnv(f.name).NODE_OPTIONS).find((o) => o !== undefined);
    const subjects = [
      { key: '(empty)', file: undefined as string | undefined, env: {} as Record<string, string> },
      { key: '(AWS SDK only)', file: sdkOnly, env: nodeOptions ? { NODE_OPTIONS: nodeOptions } : {} },
      ...[...groups.entries()].map(([key, g]) => ({ key, file: g.file, env: g.env })),
    ];
    log(
      `  6. init time: ${rounds} round(s) of ${subjects.length - 2} distinct bundles (${functions.length} functions), the AWS SDK alone and an empty process, each a fresh process…`,
    );
    const wall = new Map<string, number[]>();
    const inside = new Map<string, number[]>();
    const cpu = new Map<string, number[]>();
    const add = (samples: Map<string, number[]>, key: string, value: number) =>
      samples.set(key, [...(samples.get(key) ?? []), value]);
    for (let r = 0; r < rounds; r += 1) {
      for (let i = 0; i < subjects.length; i += 1) {
        const subject = subjects[(r + i) % subjects.length]!;
        const { wallMs, requireMs, requireCpuMs } = runNode(subject.file, subject.env);
        add(wall, subject.key, wallMs);
        add(inside, subject.key, requireMs);
        add(cpu, subject.key, requireCpuMs);
      }
    }
    const empty = summarise(wall.get('(empty)') ?? []).p50;
    const sdkMs = round(summarise(inside.get('(AWS SDK only)') ?? []).p50, 1);
    const sdkCpuMs = round(summarise(cpu.get('(AWS SDK only)') ?? []).p50, 1);
    const results = functions
      .map((f) => {
        const key = groupOf.get(f.name)!;
        return {
          function: f.name,
          bundleKb: round(f.jsBytes / 1024, 1),
          zipKb: round(f.zipBytes / 1024, 1),
          initMs: round(summarise(inside.get(key) ?? []).p50, 1),
          initCpuMs: round(summarise(cpu.get(key) ?? []).p50, 1),
          sameBundleAs: [...groupOf.values()].filter((k) => k === key).length,
          wallMinusEmptyMs: round(summarise(wall.get(key) ?? []).p50 - empty, 1),
        };
      })
      .sort((a, b) => a.function.localeCompare(b.function));
    const biggest = [...functions].sort((a, b) => b.jsBytes - a.jsBytes)[0];
    return {
      functions: results,
      emptyProcessMs: round(empty, 1),
      sdkOnlyInitMs: sdkMs,
      sdkOnlyInitCpuMs: sdkCpuMs,
      rounds,
      biggest: { function: biggest?.name ?? '', contributors: biggest ? await contributorsOf(biggest.source) : [] },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    // Removes the links, never what they point to.
    rmSync(service, { recursive: true, force: true });
  }
};
