/**
 * What the console shows of an app, read from its declaration and the OpenAPI document the kit
 * derives from it: every command and query with its method, path, parameters and body schema,
 * the aggregates, views and reactions, and which queries give a stream's history and its state
 * at a version (time travel). The console's pages render any app from this alone.
 */
import type { AppDefinition } from '../../app/definition';
import { apiDocumentOf } from '../../app/openApi';
import type { AppMetadata, JsonSchema, OperationMetadata, StreamHistoryMetadata } from './metadata';

export type { AppMetadata, JsonSchema, OperationMetadata, StreamHistoryMetadata } from './metadata';

interface OpenApiOperation {
  readonly operationId?: string;
  readonly summary?: string;
  readonly parameters?: readonly { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  readonly requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  readonly responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

type Document = ReturnType<typeof apiDocumentOf>;

/** A schema with its `$ref`s to `#/components/schemas/…` replaced by what they name (to a bounded depth). */
const resolve = (document: Document, schema: unknown, depth = 0): unknown => {
  if (depth > 12 || schema === null || typeof schema !== 'object') return schema;
  if (Array.isArray(schema)) return schema.map((s) => resolve(document, s, depth + 1));
  const ref = (schema as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
    const schemas = (document as { components?: { schemas?: Record<string, unknown> } }).components?.schemas ?? {};
    return resolve(document, schemas[ref.slice('#/components/schemas/'.length)], depth + 1);
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolve(document, v, depth + 1)]));
};

const operationsOf = (document: Document): Map<string, OpenApiOperation> => {
  const found = new Map<string, OpenApiOperation>();
  const paths = (document as { paths?: Record<string, Record<string, OpenApiOperation>> }).paths ?? {};
  for (const [path, methods] of Object.entries(paths))
    for (const [method, operation] of Object.entries(methods)) found.set(`${method.toUpperCase()} ${path}`, operation);
  return found;
};

const pathParamsOf = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

/** Whether a query's answer is a page of events: `items` of objects with version, type and data. */
const answersEvents = (document: Document, operation: OpenApiOperation | undefined) => {
  const ok = Object.entries(operation?.responses ?? {}).find(([status]) => status.startsWith('2'))?.[1];
  const schema = resolve(document, ok?.content?.['application/json']?.schema) as {
    properties?: { items?: { items?: { properties?: Record<string, unknown> } } };
  };
  const fields = Object.keys(schema?.properties?.items?.items?.properties ?? {});
  return ['version', 'type', 'data'].every((f) => fields.includes(f));
};

export const appMetadataOf = (app: AppDefinition): AppMetadata => {
  const document = apiDocumentOf(app);
  const byRoute = operationsOf(document);
  const operation = (
    name: string,
    kind: OperationMetadata['kind'],
    route: { method: string; path: string; summary: string },
    aggregate?: string,
  ): OperationMetadata => {
    const found = byRoute.get(`${route.method} ${route.path}`);
    const body = found?.requestBody?.content?.['application/json']?.schema;
    return {
      name,
      kind,
      ...(aggregate ? { aggregate } : {}),
      method: route.method,
      path: route.path,
      summary: route.summary,
      pathParams: pathParamsOf(route.path),
      queryParams: (found?.parameters ?? [])
        .filter((p) => p.in === 'query')
        .map((p) => ({
          name: p.name,
          required: p.required === true,
          schema: resolve(document, p.schema) as JsonSchema,
        })),
      ...(body ? { body: resolve(document, body) as JsonSchema } : {}),
      destructive: route.method === 'DELETE',
    };
  };
  const commands = Object.entries(app.commands).map(([name, c]) =>
    operation(name, 'command', c.route, c.aggregate.streamType),
  );
  const queries = Object.entries(app.queries).map(([name, q]) => operation(name, 'query', q.route));
  const histories = queries
    .filter((q) => q.pathParams.length > 0 && answersEvents(document, byRoute.get(`${q.method} ${q.path}`)))
    .map((events): StreamHistoryMetadata => {
      const statePath = events.path.slice(0, events.path.lastIndexOf('/'));
      const state = queries.find((q) => q.path === statePath && q.queryParams.some((p) => p.name === 'atVersion'));
      return { events: events.name, ...(state ? { state: state.name } : {}), pathParams: events.pathParams };
    });
  return {
    title: app.title,
    description: app.description,
    aggregates: app.aggregates.map((a) => ({
      streamType: a.streamType,
      commands: commands.filter((c) => c.aggregate === a.streamType).map((c) => c.name),
    })),
    operations: [...commands, ...queries],
    histories,
    views: app.views.map((v) => ({ name: v.name, aggregate: v.aggregate.streamType, kind: v.kind })),
    reactions: (app.reactions ?? []).map((r) => ({ name: r.name, on: r.on.streamType })),
  };
};
