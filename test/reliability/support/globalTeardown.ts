// Stops the shared stack and prints the one summary table of the run.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalStack } from '../../support/localStack';
import { readFigures, renderSummary } from './report';

interface RunState {
  readonly stack: LocalStack;
  readonly runDir: string;
  readonly startedAt: Date;
  readonly mode: string;
}

export default async function reliabilityTeardown(): Promise<void> {
  const run = (globalThis as Record<string, unknown>).__RELIABILITY__ as RunState | undefined;
  if (!run) return;
  const stackLog = path.join(run.runDir, 'stack.log');
  writeFileSync(stackLog, run.stack.output());
  await run.stack.stop();
  const summary = renderSummary(readFigures(path.join(run.runDir, 'figures.jsonl')), {
    mode: run.mode,
    startedAt: run.startedAt,
  });
  writeFileSync(path.join(run.runDir, 'summary.md'), `${summary}\n`);
  if (process.env.RELIABILITY_SUMMARY_FILE) writeFileSync(process.env.RELIABILITY_SUMMARY_FILE, `${summary}\n`);
  process.stdout.write(`\n${summary}\n\n(shared stack output: ${stackLog})\n`);
}
