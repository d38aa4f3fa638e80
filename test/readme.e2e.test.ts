/**
 * The README's shell blocks that talk to the local stack, run as written. Its curl session once
 * answered 415 on six of its ten steps (`curl -d` sends a form body) and nothing noticed: now every
 * such block runs here, in one bash session in the README's order (as a reader would type them in
 * one terminal), and each command's printed answer must match the answer the README shows under
 * it (`# {...}`).
 *
 * Matching: `…` after a `"` and hex digits (`"3b0c…`) is a placeholder for a value: its first
 * appearance captures the value, every later appearance of the same placeholder must be that same
 * value (so `9f1e…` completed in step 3 must be the todo added in step 2, and the two `a1…` of the
 * Idempotency-Key example the same list). Any other `…` stands for anything.
 *
 * Ports: the test starts its own stack on free ports and replaces the documented
 * `localhost:3000` by that stack's address (and nothing else), rather than taking 3000–3002 and
 * 8000: test files run in parallel here, and a developer's own `npm start` may hold them. The
 * README's `npm start` line is the one line not run: the test's stack stands for it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startLocalStack, type LocalStack } from './support/localStack';

const ROOT = path.join(__dirname, '..');
const DOCUMENTED = 'localhost:3000';

interface Step {
  readonly command: string;
  /** The answer the README shows under the command, if any. */
  readonly expected?: string;
}

/** A line without its comment (a `#` after a blank, outside quotes is all the README uses). */
const codeOf = (line: string) => line.replace(/(^|\s)#(?![^']*'(?:[^']*'[^']*')*[^']*$).*$/, '').trimEnd();

/** The README's ```sh blocks whose code (comments aside, inline ones too) talks to the local stack. */
const stackBlocks = (markdown: string): string[] =>
  [...markdown.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```$/gm)]
    .map((match) => match[1]!)
    .filter((block) => {
      const code = block.split('\n').map(codeOf).join('\n');
      return code.includes(DOCUMENTED) || /\bnpm run (--silent )?token\b/.test(code);
    });

/**
 * What this test runs: requests to the stack and the shell around them. Anything else in a chosen
 * block (an install, `npm test`, a deploy) fails the test instead of running: `npm ci` run here
 * once replaced the shared node_modules under every other test.
 */
const RUNNABLE = /^(curl\s|[A-Z_]+=("[^"]*"$|\$\((curl\s|npm run --silent token -- |node -p '))|keep\(\) \{ node -e )/;

/** Commands (continued lines joined) and the `# ` answer lines right under each. */
const stepsOf = (block: string): Step[] => {
  const steps: { command: string; expected?: string }[] = [];
  const lines = block.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    let line = lines[i]!;
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const last = steps.at(-1);
      if (!last || last.expected !== undefined) throw new Error(`README: an answer line under no command: ${line}`);
      last.expected = line.replace(/^#\s?/, '');
      continue;
    }
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)}${lines[++i]!.trim()}`;
    steps.push({ command: line });
  }
  return steps;
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `actual` is the documented answer; binds placeholders in `bound`. */
const matches = (expected: string, actual: string, bound: Map<string, string>): boolean => {
  const parts = expected.split(/("[0-9a-f]+…|…)/);
  const names: string[] = [];
  let source = '^';
  for (const part of parts) {
    if (part === '…') source += '.*?';
    else if (/^"[0-9a-f]+…$/.test(part)) {
      const name = part.slice(1);
      if (bound.has(name)) source += `"${escapeRegExp(bound.get(name)!)}`;
      else if (names.includes(name)) source += `"\\k<p${names.indexOf(name)}>`;
      else {
        names.push(name);
        source += `"(?<p${names.length - 1}>[^"]+)`;
      }
    } else source += escapeRegExp(part);
  }
  const found = new RegExp(`${source}$`, 's').exec(actual);
  if (!found) return false;
  for (const [i, name] of names.entries()) bound.set(name, found.groups![`p${i}`]!);
  return true;
};

/** One bash, fed one step at a time, as a terminal would be. */
const shell = () => {
  const bash: ChildProcessWithoutNullStreams = spawn('bash', ['--noprofile', '--norc'], {
    cwd: ROOT,
    env: { ...process.env, LC_ALL: 'C.UTF-8' },
  });
  let output = '';
  bash.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  bash.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  // `keep` shows the answer on stderr: both are read, in order, as one stream.
  bash.stdin.write('exec 2>&1\n');
  let n = 0;
  const run = async (command: string): Promise<{ status: number; output: string }> => {
    n += 1;
    const marker = `@@step-${n}-done@@`;
    const start = output.length;
    bash.stdin.write(`${command}\nprintf '\\n${marker} %d\\n' $?\n`);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const end = output.indexOf(marker, start);
      if (end !== -1) {
        const status = Number(/^ (\d+)/.exec(output.slice(end + marker.length))?.[1]);
        return { status, output: output.slice(start, end).trim() };
      }
      if (bash.exitCode !== null || Date.now() > deadline) return { status: -1, output: output.slice(start) };
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { run, stop: () => bash.kill() };
};

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
}, 180_000);
afterAll(() => stack?.stop(), 60_000);

it('runs every README block that talks to the local stack, as written, and gets the answers it shows', async () => {
  const blocks = stackBlocks(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  // The curl session, GraphQL and Idempotency-Key examples at least.
  expect(blocks.length).toBeGreaterThanOrEqual(3);
  const address = new URL(stack.baseUrl).host;
  const bound = new Map<string, string>();
  const { run, stop } = shell();
  const checked: string[] = [];
  try {
    for (const step of blocks.flatMap(stepsOf)) {
      const words = codeOf(step.command).trim();
      // The stack this test started stands for the README's `npm start`.
      if (words === 'npm start') continue;
      expect({ command: words, runnable: RUNNABLE.test(words) }).toEqual({ command: words, runnable: true });
      const command = step.command.replaceAll(DOCUMENTED, address);
      // Reads of a view may run before the projection applied the last command (tens of ms): a
      // person typing is slower, so a read is asked again for a while; a write never is.
      const isRead =
        /^(\w+=\$\()?curl\b/.test(words) && !/(--json|-d\b|--data|-X\s*(POST|PUT|PATCH|DELETE))/.test(words);
      let result = await run(command);
      for (
        let i = 0;
        isRead && step.expected && !matches(step.expected, result.output, new Map(bound)) && i < 50;
        i += 1
      ) {
        await new Promise((r) => setTimeout(r, 100));
        result = await run(command);
      }
      expect({ command: step.command, status: result.status }).toEqual({ command: step.command, status: 0 });
      if (step.expected !== undefined) {
        const ok = matches(step.expected, result.output, bound);
        expect({ command: step.command, answer: result.output, matchesReadme: ok }).toEqual({
          command: step.command,
          answer: result.output,
          matchesReadme: true,
        });
        checked.push(step.command);
      }
    }
  } finally {
    stop();
  }
  // Every command that shows an answer was checked: the session's eight, GraphQL's two, the keyed pair.
  expect(checked.length).toBeGreaterThanOrEqual(12);
  // Placeholders tied the steps together: the list, its todo, the GraphQL list, the keyed list.
  expect([...bound.keys()].sort()).toEqual(expect.arrayContaining(['3b0c…', '9f1e…', '5d2a…', 'a1…']));
});

it('sends no body with curl without saying it is JSON', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const curls = readme
    .split('\n')
    .filter((line) => /\bcurl\b/.test(line) && /\s(-d|--data(-raw|-binary)?)\s/.test(line));
  expect(curls.filter((line) => !/--json|content-type:\s*application\/json/i.test(line))).toEqual([]);
});
