/**
 * The kit names no app: a second, tiny app declared in a folder of its own (one aggregate, one
 * command, one view, one query), found only through its package.json's `cqrsKit` setting, gets
 * its serverless functions (with its own entry files), its routes and its OpenAPI document
 * derived by the kit's tools, with no edit in src/.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readAppSetting } from '../src/app/appSetting';
import type { serverlessFunctions } from '../src/app/serverless';

const ROOT = path.resolve(__dirname, '..');
const KIT = JSON.stringify(path.join(ROOT, 'src'));
// The tools are CommonJS (serverless.yml and the npm scripts require them).
const { loadApp } = require('../src/local/loadApp.cjs') as {
  loadApp: (exports: string[], options?: { dir?: string }) => Record<string, unknown>;
};
const { functionsIn } = require('../src/deploy/fromApp.cjs') as {
  functionsIn: (dir?: string) => Record<string, { handler: string; events: unknown[] }>;
};

/** One aggregate (a note), one command, one view, one query: nothing of the todo app. */
const NOTES_APP = `
import * as z from 'zod';
import { commandsOf, defineAggregate, defineApp, query, reads, routesFor, streamView, type DomainEvent } from ${KIT};

type NoteEvent = DomainEvent<'NoteWritten', { owner: string; text: string }>;
const notes = defineAggregate<{ owner: string } | null, NoteEvent>({
  streamType: 'note',
  streamPrefix: 'note#',
  initialState: null,
  reducer: (_state, event) => ({ owner: event.data.owner }),
});
const route = routesFor<'NOTE_NOT_FOUND'>();
const command = commandsOf(notes, { streamId: (payload: { noteId: string }) => payload.noteId });
const noteView = streamView({
  name: 'notes',
  aggregate: notes,
  key: 'noteKey',
  evolve: (_view: { owner: string; text: string } | null, event: NoteEvent) => ({ ...event.data }),
});
const notePath = z.object({ noteId: z.string() });

export const app = defineApp({
  service: 'notes',
  title: 'notes',
  version: '1',
  description: 'Notes, to show the kit serves any app',
  aggregates: [notes],
  commands: {
    writeNote: command({
      route: route.command({
        method: 'POST',
        path: '/notes',
        summary: 'Write a note',
        status: 201,
        request: { body: z.object({ text: z.string() }).strict() },
        answer: z.object({ noteId: z.string(), version: z.number() }),
      }),
      action: (state, payload: { noteId: string; text: string }, ctx) =>
        state ? [] : [{ type: 'NoteWritten', data: { owner: ctx.userId, text: payload.text } }],
      payload: ({ body, newId }) => ({ noteId: newId(), text: body.text }),
    }),
  },
  views: [noteView],
  queries: {
    getNote: query({
      route: route.query({
        method: 'GET',
        path: '/notes/{noteId}',
        summary: 'A note',
        request: { params: notePath },
        answer: z.object({ text: z.string() }),
        errors: { 404: ['NOTE_NOT_FOUND'] },
      }),
      reads: [reads.item(noteView)],
      run: async ({ params }, ctx) => {
        const note = await ctx.view(noteView, params.noteId);
        return { text: note?.text ?? '' };
      },
    }),
  },
});
`;

let dir: string;
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
};

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'notes-app-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("an app's setting (package.json cqrsKit)", () => {
  it('loads a second app from its own folder: functions, routes and OpenAPI derived with no edit in src/', () => {
    write('package.json', JSON.stringify({ name: 'notes', cqrsKit: { app: 'backend/notesApp.ts' } }));
    write('backend/notesApp.ts', NOTES_APP);
    const loaded = loadApp(
      [
        "export { serverlessFunctions } from './src/app/serverless';",
        "export { apiDocumentOf, routesOf } from './src';",
      ],
      { dir },
    ) as {
      app: { title: string };
      appSetting: ReturnType<typeof readAppSetting>;
      serverlessFunctions: typeof serverlessFunctions;
      routesOf: (app: unknown) => Record<string, { method: string; path: string; description?: string }>;
      apiDocumentOf: (app: unknown) => { paths: Record<string, unknown> };
    };
    expect(loaded.app.title).toBe('notes');
    expect(loaded.appSetting).toEqual({
      dir,
      app: 'backend/notesApp',
      // Beside the app module unless the setting says otherwise.
      entries: {
        http: 'backend/http.handler',
        graphql: 'backend/graphql.handler',
        openapi: 'backend/openapi.handler',
        views: 'backend/views',
        reactions: 'backend/reactions',
      },
    });

    const functions = loaded.serverlessFunctions(loaded.app as never, loaded.appSetting.entries) as Record<
      string,
      { handler: string; events: unknown[] }
    >;
    expect(Object.fromEntries(Object.entries(functions).map(([name, fn]) => [name, fn.handler]))).toEqual({
      writeNote: 'backend/http.handler',
      getNote: 'backend/http.handler',
      graphql: 'backend/graphql.handler',
      defaultRoute: 'backend/http.handler',
      openapi: 'backend/openapi.handler',
      notesView: 'backend/views.notesView',
    });
    expect(functions.getNote!.events).toEqual([
      { httpApi: { method: 'GET', path: '/notes/{noteId}', authorizer: { name: 'jwt' } } },
    ]);

    const routes = loaded.routesOf(loaded.app);
    expect(Object.entries(routes).map(([name, r]) => `${name} ${r.method} ${r.path}`)).toEqual([
      'writeNote POST /notes',
      'getNote GET /notes/{noteId}',
      'graphql POST /graphql',
      'openapi GET /openapi.json',
    ]);
    // The kit's GraphQL description states its rules, nothing of another app's lists.
    expect(routes.graphql!.description).toMatch(/^One query field per query route/);
    expect(routes.graphql!.description).not.toMatch(/todo|tag/i);
    expect(Object.keys(loaded.apiDocumentOf(loaded.app).paths).sort()).toEqual([
      '/graphql',
      '/notes',
      '/notes/{noteId}',
      '/openapi.json',
    ]);
  });

  it("serverless.yml's functions come from the setting's entries, each entry file checked", () => {
    write(
      'package.json',
      JSON.stringify({ cqrsKit: { app: 'backend/notesApp.ts', entries: { views: 'lambdas/projections' } } }),
    );
    write('backend/notesApp.ts', NOTES_APP);
    for (const file of ['backend/http.ts', 'backend/graphql.ts', 'backend/openapi.ts'])
      write(file, 'export const handler = () => undefined;\n');
    // The views entry is missing: the error names the file, its export and the setting.
    expect(() => functionsIn(dir)).toThrow(
      /Function notesView needs its entry file lambdas\/projections\.ts exporting `notesView`.*"cqrsKit"/,
    );
    write('lambdas/projections.ts', 'export const notesView = () => undefined;\n');
    expect(functionsIn(dir).notesView!.handler).toBe('lambdas/projections.notesView');
  });

  it("the todo app's own setting names its module and entries", () => {
    expect(readAppSetting(ROOT)).toEqual({
      dir: ROOT,
      app: 'handlers/app',
      entries: {
        http: 'handlers/entries/http.handler',
        graphql: 'handlers/entries/graphql.handler',
        openapi: 'handlers/entries/openapi.handler',
        views: 'projections/views',
        reactions: 'projections/reactions',
      },
    });
  });

  it.each([
    [{ name: 'x' }, /no "cqrsKit" object/],
    [{ cqrsKit: {} }, /"cqrsKit.app" is not a path/],
    [{ cqrsKit: { app: '../elsewhere/app.ts' } }, /"cqrsKit.app" must be inside the project/],
    [{ cqrsKit: { app: 'a.ts', entries: { view: 'x' } } }, /"cqrsKit.entries.view" is not one of http, graphql/],
    [{ cqrsKit: { app: 'a.ts', entries: { http: 3 } } }, /"cqrsKit.entries.http" is not a string/],
  ])('refuses a missing or malformed setting with the file and field: %j', (pkg, message) => {
    write('package.json', JSON.stringify(pkg));
    expect(() => readAppSetting(dir)).toThrow(message);
    expect(() => readAppSetting(dir)).toThrow(path.join(dir, 'package.json'));
  });
});
