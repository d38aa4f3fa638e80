/**
 * The console's one door to the app's operations (verify, redrive, rebuild, dead letters) and
 * the views it knows: the kit's ops (src/ops/appOps.ts) on the app the launcher loaded
 * (the module package.json's `cqrsKit` setting names, through src/local/loadApp.cjs) — the console
 * names no app of its own.
 */
import { viewFunctionName, type AppDefinition } from '../../app/definition';
import { appOps, type OpsOptions } from '../../ops/appOps';

let app: AppDefinition | undefined;
/** The app whose views the console shows; set once when its server starts. */
export const useConsoleApp = (declared: AppDefinition) => {
  app = declared;
};
const theApp = (): AppDefinition => {
  if (!app) throw new Error('The console has no app: start it with startConsoleServer({ app, … })');
  return app;
};

export type ViewName = string;

/** A view of the app: its name and the projection function whose dead letters it has. */
export interface ConsoleView {
  readonly name: ViewName;
  readonly functionName: string;
}

export const consoleViews = (): ConsoleView[] =>
  theApp().views.map((v) => ({ name: v.name, functionName: viewFunctionName(v) }));

export const isViewName = (name: unknown): name is ViewName =>
  typeof name === 'string' && theApp().views.some((v) => v.name === name);

export interface ConsoleOpsTarget {
  /** DynamoDB Local's endpoint. */
  readonly endpoint: string;
  /** The stack's data folder (dead-letter notices, rebuild progress). */
  readonly dataDir: string;
}

const opsFor = (target: ConsoleOpsTarget, views: ViewName[], log: (line: string) => void) => {
  const options: OpsOptions = {
    stage: 'local',
    views,
    endpoint: target.endpoint,
    dataDir: target.dataDir,
    resume: false,
    segments: 1,
    log,
    fresh: false,
  };
  return appOps(theApp(), options);
};

/** Runs an operation, keeping the lines it would have printed. */
const withLog = async <T>(run: (log: (line: string) => void) => Promise<T>) => {
  const log: string[] = [];
  const result = await run((line) => log.push(line));
  return { result, log };
};

export const verifyViews = (target: ConsoleOpsTarget, views: ViewName[]) =>
  withLog((log) => opsFor(target, views, log).verify());
export const redriveViews = (target: ConsoleOpsTarget, views: ViewName[]) =>
  withLog((log) => opsFor(target, views, log).redrive());
export const rebuildViews = (target: ConsoleOpsTarget, views: ViewName[]) =>
  withLog((log) => opsFor(target, views, log).rebuild());
/** The dead-letter table's entries: what `npm run redrive` would re-apply, per stream. */
export const deadLetterEntries = (target: ConsoleOpsTarget) =>
  opsFor(
    target,
    consoleViews().map((v) => v.name),
    () => undefined,
  ).deadLetters();

/** Each reaction's lag (streams with events not yet reacted to) and dead letters. */
export const reactionStatus = (target: ConsoleOpsTarget) => opsFor(target, [], () => undefined).reactionStatus();
/** Re-runs the reactions' dead-lettered streams (each caused command answered from its key if it happened). */
export const redriveReactionStreams = (target: ConsoleOpsTarget) =>
  withLog((log) => opsFor(target, [], log).redriveAllReactions());
