import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { RecordedCall } from './apiClient';
import { app } from '../../handlers/app';
import { serverlessFunctions } from '../../src/app/serverless';

type Operation = { security?: unknown[]; responses: Record<string, { content?: Record<string, unknown> }> };
export type Document = { paths: Record<string, Record<string, Operation>> };

/** `METHOD /path` of every operation of an OpenAPI document, with whether it needs the bearer token. */
export const documentRoutes = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      route: `${method.toUpperCase()} ${path}`,
      auth: (operation.security ?? []).length > 0,
    })),
  );

type HttpApiEvent = string | { method: string; path: string; authorizer?: unknown };

/** `METHOD /path` of every httpApi event of serverless.yml, with whether it has an authorizer. */
export const serverlessRoutes = () => {
  // serverless.yml takes its functions from the app's declaration (src/deploy/fromApp.cjs).
  const functions = serverlessFunctions(app) as Record<string, { events?: { httpApi?: HttpApiEvent }[] }>;
  return Object.values(functions).flatMap((fn) =>
    (fn.events ?? [])
      .map((event) => event.httpApi)
      .filter((event): event is HttpApiEvent => event !== undefined)
      .map((event) =>
        typeof event === 'string'
          ? { route: event.replace(/\s+/, ' '), auth: false }
          : // `*` `*` is API Gateway's `$default` route, as the string form `'*'` is.
            {
              route: event.path === '*' ? '*' : `${event.method.toUpperCase()} ${event.path}`,
              auth: event.authorizer !== undefined,
            },
      ),
  );
};

const pointer = (...segments: string[]) =>
  segments.map((s) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/');

/**
 * Checks recorded answers against an OpenAPI 3.1 document: each must hit a documented route,
 * with a documented status, and a JSON body valid against that status's schema (ajv, JSON
 * Schema 2020-12). Answers `violations` (empty when all is well) and the `METHOD /path status`
 * combinations seen.
 */
export const checkAnswers = (document: Document, calls: readonly RecordedCall[]) => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, 'openapi.json');
  const routes = Object.entries(document.paths).flatMap(([template, operations]) =>
    Object.keys(operations).map((method) => ({
      method,
      template,
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    })),
  );
  const violations: string[] = [];
  const seen = new Set<string>();
  for (const call of calls) {
    const path = call.path.split('?')[0]!;
    const route = routes.find((r) => r.method === call.method.toLowerCase() && r.pattern.test(path));
    if (!route) {
      violations.push(`${call.method} ${path}: no such route in the document`);
      continue;
    }
    const name = `${call.method} ${route.template}`;
    const response = document.paths[route.template]![route.method]!.responses[String(call.status)];
    if (!response?.content?.['application/json']) {
      violations.push(
        `${name} answered ${call.status}, a status the document does not list: ${call.text.slice(0, 200)}`,
      );
      continue;
    }
    const validate = ajv.getSchema(
      `openapi.json#/${pointer('paths', route.template, route.method, 'responses', String(call.status), 'content', 'application/json', 'schema')}`,
    );
    if (!validate) throw new Error(`no schema for ${name} ${call.status}`);
    if (!validate(call.body)) {
      violations.push(`${name} ${call.status}: ${ajv.errorsText(validate.errors)} in ${call.text.slice(0, 300)}`);
    }
    seen.add(`${name} ${call.status}`);
  }
  return { violations, seen };
};
