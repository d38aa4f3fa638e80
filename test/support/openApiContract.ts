import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { RecordedCall } from './apiClient';
import { app } from '../../handlers/app';
import { serverlessFunctions } from '../../src/app/serverless';

type Response = { content?: Record<string, unknown>; $ref?: string };
type Operation = { security?: unknown[]; responses: Record<string, Response> };
export type Document = { paths: Record<string, Record<string, Operation>>; components?: Record<string, unknown> };

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
 * An operation's response for a status, and the JSON pointer segments where it is: a response
 * given as `{ $ref: '#/components/responses/…' }` is followed (one level, as OpenAPI allows).
 */
const responseOf = (document: Document, template: string, method: string, status: string) => {
  const given = document.paths[template]![method]!.responses[status];
  const ref = given?.$ref;
  if (ref === undefined) return { response: given, at: ['paths', template, method, 'responses', status] };
  if (!ref.startsWith('#/')) throw new Error(`${method} ${template} ${status}: only local $refs are followed (${ref})`);
  const at = ref
    .slice(2)
    .split('/')
    .map((s) => decodeURIComponent(s).replaceAll('~1', '/').replaceAll('~0', '~'));
  const response = at.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
  return { response: response as Response | undefined, at };
};

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
    const { response, at } = responseOf(document, route.template, route.method, String(call.status));
    if (!response?.content?.['application/json']) {
      violations.push(
        `${name} answered ${call.status}, a status the document does not list: ${call.text.slice(0, 200)}`,
      );
      continue;
    }
    const validate = ajv.getSchema(`openapi.json#/${pointer(...at, 'content', 'application/json', 'schema')}`);
    if (!validate) throw new Error(`no schema for ${name} ${call.status}`);
    if (!validate(call.body)) {
      violations.push(`${name} ${call.status}: ${ajv.errorsText(validate.errors)} in ${call.text.slice(0, 300)}`);
    }
    seen.add(`${name} ${call.status}`);
  }
  return { violations, seen };
};
