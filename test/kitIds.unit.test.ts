/**
 * Ids the kit did not mint are refused at the edge (issue 22): every path parameter, query id
 * and GraphQL id argument of the todo app takes only a lower-case UUID as the kit mints it. On
 * main `DELETE /tags/hasOwnProperty` was 200 and wrote a `TagDeleted` of a tag that never
 * existed (the tags state is a plain object, and `hasOwnProperty` is on every object). Here a
 * made-up id is 400 VALIDATION_ERROR naming the parameter, and nothing behind the edge runs:
 * no route function, no resolver, no store read.
 */
import * as z from 'zod/mini';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { app } from '../handlers/app';
import { apiHandler, queryContextOf, routesOf, type ApiRoute, type AppRuntime, type QueryContext } from '../src';
import { uuidFrom } from '../src/commandKeys';
import { graphqlCostOf, graphqlSchemaOf } from '../src/app/graphql';
import { graphqlRoute } from '../src/graphql';
import { shapeOf } from '../src/http/schema';
import { newId } from '../src/ids';
import { logger } from '../src/observability';
import { apiEvent, callRoute } from './support/apiEvent';
import { bearerFor } from './support/bearer';

/** Names every object answers to, and other ids a client could make up. */
const MADE_UP = [
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__defineGetter__',
  'prototype',
  'isPrototypeOf',
  'not-a-uuid',
  newId().toUpperCase(),
  // A UUID of a version the kit never mints (v1), and the nil UUID.
  '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  '00000000-0000-0000-0000-000000000000',
  ` ${newId()}`,
];

beforeAll(() => logger.setLogLevel('SILENT'));

const paramsOf = (route: ApiRoute) => (route.request.params ? Object.keys(shapeOf(route.request.params) ?? {}) : []);
const validBody = (route: ApiRoute) =>
  route.request.body
    ? Object.fromEntries(
        // A text field takes 'fine'; an id field (moveTodo's toListId) takes only an id the kit minted.
        Object.entries(shapeOf(route.request.body) ?? {}).map(([field, schema]) => [
          field,
          z.safeParse(schema, 'fine').success ? 'fine' : newId(),
        ]),
      )
    : undefined;
const withParams = Object.entries(routesOf(app)).filter(([, route]) => paramsOf(route).length > 0);

describe('ids at the REST edge', () => {
  it('covers every route of the app with path parameters', () => {
    expect(withParams.map(([name]) => name).sort()).toEqual(
      expect.arrayContaining([
        'deleteTag',
        'renameTag',
        'tagTodo',
        'untagTodo',
        'getList',
        'completeTodo',
        'archiveList',
      ]),
    );
  });

  it.each(withParams)(
    '%s: a path id the kit did not mint is 400 VALIDATION_ERROR naming it, and the route never runs',
    async (_name, route) => {
      const fn = jest.fn(async () => ({}));
      const handler = apiHandler(route, fn);
      const body = validBody(route);
      const names = paramsOf(route);
      for (const name of names) {
        for (const bad of MADE_UP) {
          const pathParameters = { ...Object.fromEntries(names.map((n) => [n, newId()])), [name]: bad };
          const answer = await callRoute(
            handler,
            apiEvent({
              pathParameters,
              ...(body
                ? {
                    body: JSON.stringify(body),
                    headers: { authorization: bearerFor('alice'), 'content-type': 'application/json' },
                  }
                : {}),
            }),
          );
          expect({ bad, status: answer.status, body: answer.body }).toEqual({
            bad,
            status: 400,
            body: {
              error: expect.objectContaining({
                code: 'VALIDATION_ERROR',
                details: [{ path: name, message: expect.stringContaining('UUID') }],
              }),
            },
          });
        }
      }
      expect(fn).not.toHaveBeenCalled();
      // The ids the kit mints pass: a random v4 and a v8 derived from an Idempotency-Key.
      const pathParameters = Object.fromEntries(names.map((n, i) => [n, i % 2 === 0 ? newId() : uuidFrom(`key#${i}`)]));
      const ok = await callRoute(
        handler,
        apiEvent({
          pathParameters,
          ...(body
            ? {
                body: JSON.stringify(body),
                headers: { authorization: bearerFor('alice'), 'content-type': 'application/json' },
              }
            : {}),
        }),
      );
      expect(fn).toHaveBeenCalledTimes(1);
      expect(ok.status).not.toBe(400);
    },
  );

  it('GET /lists?listId=…: a query id the kit did not mint is refused the same way', async () => {
    const fn = jest.fn(async () => ({ items: [] }));
    const handler = apiHandler(app.queries.getLists!.route, fn);
    for (const bad of MADE_UP) {
      const answer = await callRoute(handler, apiEvent({ queryStringParameters: { listId: bad, minVersion: '1' } }));
      expect({ bad, status: answer.status, body: answer.body }).toEqual({
        bad,
        status: 400,
        body: {
          error: expect.objectContaining({
            code: 'VALIDATION_ERROR',
            details: [{ path: 'listId', message: expect.stringContaining('UUID') }],
          }),
        },
      });
    }
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('ids at the GraphQL edge', () => {
  const send = jest.fn(async () => ({}));
  const readStream = jest.fn(async () => []);
  const runCommand = jest.fn(async () => ({}));
  const queryContext = queryContextOf({
    documentClient: { send },
    tableOf: (view: { name: string }) => `t-${view.name}`,
    readStream,
  } as unknown as QueryContext);
  const runtime = { app, queryContext, runCommand } as unknown as AppRuntime;
  const route = graphqlRoute({
    schema: graphqlSchemaOf(runtime),
    introspection: false,
    costOf: graphqlCostOf(runtime),
  });
  const post = async (query: string, variables: Record<string, unknown>) => {
    const event = {
      version: '2.0',
      routeKey: 'POST /graphql',
      rawPath: '/graphql',
      headers: { 'content-type': 'application/json', authorization: bearerFor('alice') },
      isBase64Encoded: false,
      body: JSON.stringify({ query, variables }),
      requestContext: {
        requestId: 'req-1',
        authorizer: { jwt: { claims: { sub: 'alice' }, scopes: [] }, principalId: '', integrationLatency: 0 },
      },
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
    const result = (await route(event, {} as Context)) as APIGatewayProxyStructuredResultV2;
    return { status: result.statusCode, body: JSON.parse(result.body ?? 'null') };
  };

  const fields: [string, string, string][] = [
    ['deleteTag', 'tagId', 'mutation($x: ID!) { deleteTag(tagId: $x) { version } }'],
    ['renameTag', 'tagId', 'mutation($x: ID!) { renameTag(tagId: $x, name: "n") { version } }'],
    [
      'tagTodo',
      'tagId',
      `mutation($x: ID!) { tagTodo(listId: "${newId()}", todoId: "${newId()}", tagId: $x) { version } }`,
    ],
    [
      'untagTodo',
      'todoId',
      `mutation($x: ID!) { untagTodo(listId: "${newId()}", todoId: $x, tagId: "${newId()}") { version } }`,
    ],
    ['addTodo', 'listId', 'mutation($x: ID!) { addTodo(listId: $x, title: "t") { version } }'],
    ['list', 'listId', 'query($x: ID!) { list(listId: $x) { title } }'],
    ['events', 'listId', 'query($x: ID!) { events(listId: $x) { nextToken } }'],
  ];

  it.each(fields)(
    '%s(%s): an id the kit did not mint is VALIDATION_ERROR naming it, and nothing runs',
    async (field, arg, query) => {
      for (const bad of MADE_UP) {
        const answer = await post(query, { x: bad });
        expect({ bad, status: answer.status, errors: answer.body.errors }).toEqual({
          bad,
          status: 200,
          errors: [
            expect.objectContaining({
              path: [field],
              extensions: {
                code: 'VALIDATION_ERROR',
                details: [{ path: arg, message: expect.stringContaining('UUID') }],
              },
            }),
          ],
        });
      }
      expect(runCommand).not.toHaveBeenCalled();
      expect(send).not.toHaveBeenCalled();
      expect(readStream).not.toHaveBeenCalled();
    },
  );
});
