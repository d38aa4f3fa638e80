/**
 * The kit (src/) names no app: none of the todo app's names — taken from its declaration, so a
 * new aggregate's are checked too — appears in src/ (code or comment), the local console aside
 * (its todo pages are the console's own work in progress). Where the app lives is its
 * package.json setting; its limits and prices are its own `graphqlDescription`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { app } from '../handlers/app';

const SRC = path.join(__dirname, '..', 'src');
const OUTSIDE_SCOPE = [path.join(SRC, 'local', 'console')];

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (OUTSIDE_SCOPE.includes(file)) return [];
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.(c|m)?(t|j)sx?$|\.java$/.test(entry.name) ? [file] : [];
  });

/** The app's own names: its service, commands, queries, stream types, views, path parameters and route paths. */
const appNames = (): string[] => {
  const routes = [...Object.values(app.commands), ...Object.values(app.queries)].map((c) => c.route);
  const paths = routes.map((r) => r.path);
  const params = paths.flatMap((p) => [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!));
  const segments = paths.flatMap((p) => p.split('/').filter((s) => s !== '' && !s.startsWith('{')));
  return [
    app.service,
    'handlers/',
    ...Object.keys(app.commands),
    ...Object.keys(app.queries),
    // Quoted: a stream type may be a plain word (`tags`, as in OpenAPI's tags).
    ...app.aggregates.flatMap((a) => [`'${a.streamType}'`, `"${a.streamType}"`]),
    ...app.views.map((v) => `${v.name}View`),
    ...params,
    ...segments.map((s) => `/${s}`),
  ];
};

describe('the kit names no app', () => {
  const names = [...new Set(appNames())];

  it('takes the names from the declaration (commands, queries, streams, views, paths)', () => {
    expect(names).toEqual(
      expect.arrayContaining(['createList', 'getTags', "'todoList'", 'listsView', 'listId', '/lists']),
    );
  });

  it('finds none of them in src/ outside the console', () => {
    const found = sourceFiles(SRC).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return names
        .filter((name) => new RegExp(`(?<![\\w])${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![\\w-])`).test(text))
        .map((name) => `${path.relative(SRC, file)}: ${name}`);
    });
    expect(found).toEqual([]);
  });

  it("says no 'todo' in src/ outside the console, even in prose (its examples use a neutral domain)", () => {
    const found = sourceFiles(SRC).filter((file) => /todo/i.test(readFileSync(file, 'utf8')));
    expect(found.map((file) => path.relative(SRC, file))).toEqual([]);
  });
});
