/**
 * Where an app lives, declared by the app in one setting: the `cqrsKit` field of its project's
 * package.json. The kit's tools (serverless.yml's derived functions, the ops CLI, the local
 * console) read the app through it, so the kit names no app of its own:
 *
 *     "cqrsKit": {
 *       "app": "app/app.ts",
 *       "entries": { "views": "projections/views", "reactions": "projections/reactions" }
 *     }
 *
 * `app` is the module that exports `app = defineApp({ … })`. `entries` are the Lambda entry files,
 * each optional; by default they sit beside the app module: `http.ts`, `graphql.ts` and
 * `openapi.ts` exporting `handler`, `views.ts` exporting one handler per view function and
 * `reactions.ts` one per reaction function.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The serverless `handler` of each kind of function (`file.export`, from the project's folder). */
export interface AppEntries {
  /** Every command and query (and the default route): `<file>.<export>`. */
  readonly http: string;
  readonly graphql: string;
  readonly openapi: string;
  /** The file that exports one handler per view function (`ordersView`, …), without extension. */
  readonly views: string;
  /** The file that exports one handler per reaction function, without extension. */
  readonly reactions: string;
}

export interface AppSetting {
  /** The project's folder (where its package.json is). */
  readonly dir: string;
  /** The app module, relative to `dir`, without extension: `handlers/app`. */
  readonly app: string;
  readonly entries: AppEntries;
}

/** The package.json field the setting is in. */
export const APP_SETTING_FIELD = 'cqrsKit';

const ENTRY_KEYS = ['http', 'graphql', 'openapi', 'views', 'reactions'] as const;

const withoutExtension = (file: string) => file.replace(/\.(c|m)?(t|j)sx?$/, '');
/** A relative path with forward slashes and no leading `./` (serverless handler paths). */
const relative = (file: string) => path.posix.normalize(file.replaceAll('\\', '/')).replace(/^\.\//, '');

/**
 * The setting of the project in `dir` (the current folder, where npm scripts, serverless and jest run): its app module and entries, defaults filled in. Throws an
 * error naming the file and field when the setting is missing or malformed.
 */
export const readAppSetting = (dir: string = process.cwd()): AppSetting => {
  const file = path.join(dir, 'package.json');
  const fail = (problem: string): never => {
    throw new Error(
      `${file}: ${problem}. Declare where the app lives: "${APP_SETTING_FIELD}": { "app": "<folder>/app.ts" }`,
    );
  };
  if (!existsSync(file)) fail('no such file');
  const setting = (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)[APP_SETTING_FIELD];
  if (typeof setting !== 'object' || setting === null) return fail(`no "${APP_SETTING_FIELD}" object`);
  const { app, entries = {} } = setting as { app?: unknown; entries?: unknown };
  if (typeof app !== 'string' || app.trim() === '') return fail(`"${APP_SETTING_FIELD}.app" is not a path`);
  if (typeof entries !== 'object' || entries === null) return fail(`"${APP_SETTING_FIELD}.entries" is not an object`);
  const appModule = relative(withoutExtension(app));
  if (appModule.startsWith('../') || path.isAbsolute(appModule))
    fail(`"${APP_SETTING_FIELD}.app" must be inside the project`);
  const beside = (name: string) => relative(path.posix.join(path.posix.dirname(appModule), name));
  const declared = entries as Record<string, unknown>;
  for (const key of Object.keys(declared)) {
    if (!(ENTRY_KEYS as readonly string[]).includes(key))
      fail(`"${APP_SETTING_FIELD}.entries.${key}" is not one of ${ENTRY_KEYS.join(', ')}`);
    if (typeof declared[key] !== 'string') fail(`"${APP_SETTING_FIELD}.entries.${key}" is not a string`);
  }
  const entry = (key: (typeof ENTRY_KEYS)[number], fallback: string) =>
    relative((declared[key] as string | undefined) ?? fallback);
  return {
    dir,
    app: appModule,
    entries: {
      http: entry('http', `${beside('http')}.handler`),
      graphql: entry('graphql', `${beside('graphql')}.handler`),
      openapi: entry('openapi', `${beside('openapi')}.handler`),
      views: relative(withoutExtension(entry('views', beside('views')))),
      reactions: relative(withoutExtension(entry('reactions', beside('reactions')))),
    },
  };
};
