/**
 * The errors the todo app's queries raise are in the OpenAPI document of their route: a client
 * generated from the document must know every status and code a route can answer. Each query
 * runs here on a stand-in context (no DynamoDB) up to the point where it refuses the request.
 */
import type { ApiRoute, QueryContext } from '../src';
import { apiDocumentOf, isHttpMappableError, parse, queryContextOf } from '../src';
import { app } from '../handlers/app';

type ErrorSchema = { properties: { error: { properties: { code: { enum: string[] } } } } };
type Responses = Record<string, { content: { 'application/json': { schema: ErrorSchema } } }>;
const document = apiDocumentOf(app) as unknown as { paths: Record<string, Record<string, { responses: Responses }>> };

/** A query context whose view reads find nothing and whose event store holds no stream. */
const emptyStores = queryContextOf({
  documentClient: { send: async () => ({ Items: [] }) },
  tableOf: () => 'table',
  readStream: async () => [],
} as unknown as QueryContext);

/** What `name` answers to `request` (its query and params parsed as the route does), as `status code`. */
const refusal = async (name: keyof typeof app.queries, request: { params?: unknown; query?: unknown }) => {
  const query = app.queries[name]!;
  const route = query.route as ApiRoute;
  const input = {
    userId: 'alice',
    params: route.request.params && parse(route.request.params, request.params ?? {}),
    query: route.request.query && parse(route.request.query, request.query ?? {}),
  };
  const error = await (query.run as (r: typeof input, c: QueryContext) => Promise<unknown>)(input, emptyStores).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isHttpMappableError(error)) throw new Error(`${String(name)} did not refuse: ${String(error)}`);
  return { status: error.httpStatus, code: error.code };
};

/** Whether the document lists `code` among the codes of the `status` answer of the route of `name`. */
const documented = (name: keyof typeof app.queries, { status, code }: { status: number; code: string }) => {
  const route = app.queries[name]!.route as ApiRoute;
  const answer = document.paths[route.path]?.[route.method.toLowerCase()]?.responses[String(status)];
  const codes = answer?.content['application/json'].schema.properties.error.properties.code.enum ?? [];
  return { status, code, documented: codes.includes(code) };
};

describe('the OpenAPI document lists what the queries answer', () => {
  const listId = 'b6a3c1c2-7f3e-4d2b-9c59-3f0f3a7c1e11';

  it.each([
    ['getLists', {}],
    ['getListEvents', { params: { listId } }],
  ] as const)(
    '%s: a nextToken this API never gave is 400 INVALID_NEXT_TOKEN, and documented',
    async (name, request) => {
      const refused = await refusal(name, { ...request, query: { nextToken: '%%%' } });
      expect(refused).toEqual({ status: 400, code: 'INVALID_NEXT_TOKEN' });
      expect(documented(name, refused)).toEqual({ ...refused, documented: true });
    },
  );

  it('getLists: minVersion about a list that is not the caller’s is 404 LIST_NOT_FOUND at once, and documented', async () => {
    const refused = await refusal('getLists', { query: { listId, minVersion: '2' } });
    expect(refused).toEqual({ status: 404, code: 'LIST_NOT_FOUND' });
    expect(documented('getLists', refused)).toEqual({ ...refused, documented: true });
  });

  it('getList: a list that is not the caller’s is 404 LIST_NOT_FOUND, and documented', async () => {
    const refused = await refusal('getList', { params: { listId } });
    expect(refused).toEqual({ status: 404, code: 'LIST_NOT_FOUND' });
    expect(documented('getList', refused)).toEqual({ ...refused, documented: true });
  });
});
