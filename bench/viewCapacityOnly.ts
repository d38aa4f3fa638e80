/**
 * Part 7b alone (`npx tsx bench/viewCapacityOnly.ts [--updates=30]`): every view's update cost at
 * 10 and 500 todos, both layouts, on a DynamoDB Local of its own, merged into bench/results.json
 * as `npm run bench -- --parts=7` would (without part 7's peers, so without installing them).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCounterViewCapacity } from './counterViewCapacity';
import { renderReport, type ReportInput } from './report';
import { runViewCapacity } from './viewCapacity';

const { freePort, startDynamoDbLocal } = require('../src/local/dynamodbLocal.cjs') as {
  freePort: () => Promise<number>;
  startDynamoDbLocal: (options: { port: number }) => Promise<{ endpoint: string; stop: () => Promise<void> }>;
};

const main = async () => {
  const updates = Number(process.argv.find((a) => a.startsWith('--updates='))?.slice('--updates='.length) ?? 30);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const date = new Date().toISOString();
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  let measured: Pick<ReportInput['parts'], 'viewCost' | 'counterViewCost'>;
  try {
    measured = {
      viewCost: await runViewCapacity(dynamo.endpoint, updates, log),
      counterViewCost: await runCounterViewCapacity(dynamo.endpoint, updates, log),
    };
  } finally {
    await dynamo.stop();
  }
  const file = path.join(__dirname, 'results.json');
  const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  const parts = { ...((earlier.parts ?? {}) as ReportInput['parts']), ...measured };
  const partDates = { ...((earlier.partDates ?? {}) as Record<string, string>), viewCost: date, counterViewCost: date };
  const report = renderReport({
    parts,
    date: String(earlier.date ?? date),
    machine: (earlier.machine ?? { cpus: os.cpus().length }) as ReportInput['machine'],
    quick: earlier.mode === 'quick',
  });
  const results = { ...earlier, ...report.summary, parts, partDates, markdown: report.markdown };
  writeFileSync(
    `${file}.tmp`,
    `${JSON.stringify(results, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`,
  );
  renameSync(`${file}.tmp`, file);
  log(`bench/results.json: part 7b merged (${updates} updates a size)`);
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
