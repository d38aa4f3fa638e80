/**
 * The bench is one esbuild bundle (bench/run.cjs), run as the main module. Every module in a
 * bundle shares its `module`, so a `require.main === module` block in a bench part ran as if that
 * part were run alone: bench/moves.ts started a second, concurrent moves run (400 rounds, its own
 * DynamoDB Local) on every `npm run bench`, whatever `--parts` said, and loaded the machine while
 * other parts were measured. Here a bundle that imports every bench part, as bench.ts does, is run
 * as main with starting a server or a process trapped: importing the parts must start nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = path.resolve(__dirname, '..');
const BENCH = path.join(ROOT, 'bench');

// The parts bench.ts imports (its peers aside: they live in bench/node_modules, installed on demand).
const parts = [...readFileSync(path.join(BENCH, 'bench.ts'), 'utf8').matchAll(/from '\.\/(\w+)'/g)]
  .map((match) => `${match[1]}.ts`)
  .filter((file) => file !== 'peers.ts');

// Loaded first (-r): a server or a child process started from here on ends the process, named.
const TRAP = `
const trap = (what) => () => { process.stdout.write('started ' + what); process.exit(3); };
require('node:net').createServer = trap('a server');
const cp = require('node:child_process');
for (const name of ['spawn', 'spawnSync', 'exec', 'execFile', 'execFileSync', 'execSync', 'fork']) cp[name] = trap(name);
`;

describe('the bench bundle', () => {
  let dir: string;
  beforeAll(() => {
    // Two levels below the repository, as bench/run.cjs puts the bench: packages and the
    // `__dirname`-relative paths of src/local resolve as they do there.
    mkdirSync(path.join(ROOT, '.esbuild'), { recursive: true });
    dir = mkdtempSync(path.join(ROOT, '.esbuild', 'bench-bundle-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the parts it imports', () => {
    expect(parts).toEqual(expect.arrayContaining(['moves.ts', 'coldStart.ts', 'hotList.ts']));
  });

  it('starts nothing when its parts are imported, as bench.ts imports them', () => {
    const outfile = path.join(dir, 'parts.cjs');
    buildSync({
      stdin: {
        contents: parts.map((file) => `require(${JSON.stringify(`./bench/${file}`)});`).join('\n'),
        resolveDir: ROOT,
        loader: 'js',
      },
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      logLevel: 'silent',
    });
    const trap = path.join(dir, 'trap.cjs');
    writeFileSync(trap, TRAP);
    const run = spawnSync(process.execPath, ['-r', trap, outfile], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: '' });
  });
});
