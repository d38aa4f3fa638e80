/**
 * The reviewed OpenAPI document of the todo app, `test/fixtures/openapi.json`, and the one the
 * code generates now. To change the reviewed one on purpose (a new route, error code, schema
 * or wording), regenerate it and review its diff like code before committing:
 *
 *     npx tsx test/support/openApiFixture.ts && git diff test/fixtures/openapi.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { app } from '../../handlers/app';
import { apiDocumentOf } from '../../src';

export const OPENAPI_FIXTURE = path.join(__dirname, '..', 'fixtures', 'openapi.json');

/** The document as GET /openapi.json serves it (JSON: no `undefined`, no functions). */
export const generatedOpenApi = (): unknown => JSON.parse(JSON.stringify(apiDocumentOf(app)));

export const reviewedOpenApi = (): unknown => JSON.parse(readFileSync(OPENAPI_FIXTURE, 'utf8'));

const pointer = (at: readonly string[]) => `/${at.map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
const show = (value: unknown) => {
  const text = value === undefined ? '(nothing)' : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
};

/**
 * Where two JSON documents differ, one line per JSON pointer: `path: reviewed X, generated Y`.
 * Objects are compared key by key (their order aside), arrays item by item.
 */
export const jsonDifferences = (reviewed: unknown, generated: unknown, at: readonly string[] = []): string[] => {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (Array.isArray(reviewed) && Array.isArray(generated)) {
    const length = Math.max(reviewed.length, generated.length);
    return Array.from({ length }, (_, i) => jsonDifferences(reviewed[i], generated[i], [...at, String(i)])).flat();
  }
  if (isObject(reviewed) && isObject(generated)) {
    const keys = [...new Set([...Object.keys(reviewed), ...Object.keys(generated)])];
    return keys.flatMap((key) => jsonDifferences(reviewed[key], generated[key], [...at, key]));
  }
  return JSON.stringify(reviewed) === JSON.stringify(generated)
    ? []
    : [`${pointer(at)}: reviewed ${show(reviewed)}, generated ${show(generated)}`];
};

if (require.main === module) {
  writeFileSync(OPENAPI_FIXTURE, `${JSON.stringify(generatedOpenApi(), null, 2)}\n`);
  process.stdout.write(`wrote ${path.relative(process.cwd(), OPENAPI_FIXTURE)}: review its diff before committing\n`);
}
