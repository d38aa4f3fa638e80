import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** What one part of the suite measured. Every count is a count, never a rate. */
export interface PartFigures {
  readonly part: string;
  /** HTTP requests sent (0 for parts that do not use HTTP). */
  readonly requests: number;
  /** Commands answered 2xx. */
  readonly acknowledged: number;
  /** Acknowledged commands whose commit (listId + version, with its effect) is in the event store. */
  readonly foundInStore: number;
  /** View items (lists view, stats totals) that differ from a fold of their streams once caught up. */
  readonly viewDifferences: number;
  /** 5xx answers, all of them. */
  readonly status5xx: number;
  /** Of those, 503 VIEW_BEHIND to a read with ?minVersion (documented: the view lagged over 1.5 s; retry). */
  readonly viewBehind503: number;
  /** 409 CONCURRENCY_CONFLICT answers (allowed; each checked to have written nothing). */
  readonly conflicts409: number;
  /** Property-based cases tried (hostile input, stream chaos). */
  readonly fuzzCases: number;
  /** SIGKILL + restart rounds. */
  readonly crashRounds: number;
  readonly durationMs: number;
  /** One line of context (connections, users, what was counted). */
  readonly note?: string;
}

/** Records a part's figures for the summary table (a no-op outside `npm run test:reliability`). */
export const recordFigures = (figures: PartFigures): void => {
  const file = process.env.RELIABILITY_REPORT_FILE;
  if (!file) return;
  appendFileSync(file, `${JSON.stringify(figures)}\n`);
};

/** The figures of a property-based part that sends no HTTP: only its cases, time and note count. */
export const recordPropertyFigures = ({
  part,
  cases,
  durationMs,
  note,
}: {
  part: string;
  cases: number;
  durationMs: number;
  note: string;
}): void =>
  recordFigures({
    part,
    requests: 0,
    acknowledged: 0,
    foundInStore: 0,
    viewDifferences: 0,
    status5xx: 0,
    viewBehind503: 0,
    conflicts409: 0,
    fuzzCases: cases,
    crashRounds: 0,
    durationMs,
    note,
  });

export const readFigures = (file: string): PartFigures[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as PartFigures)
    : [];

export const machine = () =>
  `${os.availableParallelism()} CPU (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ` +
  `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${os.type()} ${os.release()}`;

const COLUMNS: [string, (f: PartFigures) => string | number][] = [
  ['part', (f) => f.part],
  ['requests sent', (f) => f.requests],
  ['commands acknowledged', (f) => f.acknowledged],
  ['found in the store', (f) => f.foundInStore],
  ['view differences', (f) => f.viewDifferences],
  ['5xx', (f) => f.status5xx],
  ['of which 503 VIEW_BEHIND', (f) => f.viewBehind503],
  ['409 conflicts', (f) => f.conflicts409],
  ['fuzz cases', (f) => f.fuzzCases],
  ['crash-restart rounds', (f) => f.crashRounds],
  ['seconds', (f) => (f.durationMs / 1000).toFixed(1)],
];

const sum = (parts: readonly PartFigures[], key: keyof PartFigures) =>
  parts.reduce((total, f) => total + (typeof f[key] === 'number' ? (f[key] as number) : 0), 0);

/** The one summary table (Markdown), with the machine it ran on. */
export const renderSummary = (
  parts: readonly PartFigures[],
  { mode, startedAt }: { mode: string; startedAt: Date },
) => {
  const total: PartFigures = {
    part: '**total**',
    requests: sum(parts, 'requests'),
    acknowledged: sum(parts, 'acknowledged'),
    foundInStore: sum(parts, 'foundInStore'),
    viewDifferences: sum(parts, 'viewDifferences'),
    status5xx: sum(parts, 'status5xx'),
    viewBehind503: sum(parts, 'viewBehind503'),
    conflicts409: sum(parts, 'conflicts409'),
    fuzzCases: sum(parts, 'fuzzCases'),
    crashRounds: sum(parts, 'crashRounds'),
    durationMs: sum(parts, 'durationMs'),
  };
  const ordered = [...parts].sort((a, b) => a.part.localeCompare(b.part));
  const rows = [...ordered, total].map((f) => `| ${COLUMNS.map(([, value]) => value(f)).join(' | ')} |`);
  const notes = ordered.filter((f) => f.note).map((f) => `- ${f.part}: ${f.note}`);
  return [
    `Reliability summary (${mode} mode), ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `Machine: ${machine()}`,
    '',
    `| ${COLUMNS.map(([name]) => name).join(' | ')} |`,
    `| ${COLUMNS.map(([name]) => (name === 'part' ? '---' : '---:')).join(' | ')} |`,
    ...rows,
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n');
};
