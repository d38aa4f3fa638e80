/**
 * The console's one door to the projections' operations (verify, redrive, rebuild) and the
 * views they know. Every import of the ops code is in this file, so that moving ops into a
 * kit module means changing these lines only.
 */
import { rebuild, redrive, verify, type OpsOptions } from '../../../projections/ops';
import { VIEWS } from '../../../projections/views';

export type ViewName = keyof typeof VIEWS;

/** A view of the app: its name and the projection function whose dead letters it has. */
export interface ConsoleView {
  readonly name: ViewName;
  readonly functionName: string;
}

export const consoleViews = (): ConsoleView[] =>
  (Object.keys(VIEWS) as ViewName[]).map((name) => ({ name, functionName: VIEWS[name].functionName }));

export const isViewName = (name: unknown): name is ViewName => typeof name === 'string' && name in VIEWS;

export interface ConsoleOpsTarget {
  /** DynamoDB Local's endpoint. */
  readonly endpoint: string;
  /** The stack's data folder (dead letters, rebuild progress). */
  readonly dataDir: string;
}

const optionsFor = (target: ConsoleOpsTarget, views: ViewName[], log: (line: string) => void, fresh = false): OpsOptions => ({
  stage: 'local',
  views,
  endpoint: target.endpoint,
  dataDir: target.dataDir,
  fresh,
  resume: false,
  segments: 1,
  log,
});

/** Runs an operation, keeping the lines it would have printed. */
const withLog = async <T>(run: (log: (line: string) => void) => Promise<T>) => {
  const log: string[] = [];
  const result = await run((line) => log.push(line));
  return { result, log };
};

export const verifyViews = (target: ConsoleOpsTarget, views: ViewName[]) => withLog((log) => verify(optionsFor(target, views, log)));
export const redriveViews = (target: ConsoleOpsTarget, views: ViewName[]) => withLog((log) => redrive(optionsFor(target, views, log)));
export const rebuildViews = (target: ConsoleOpsTarget, views: ViewName[]) => withLog((log) => rebuild(optionsFor(target, views, log)));
