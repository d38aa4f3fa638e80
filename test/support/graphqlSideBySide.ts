/**
 * The app's runtime with a mocked store and command runner, and a helper that asks two
 * GraphQL routes (graphql-js's and the kit's engine) the same request, counting each one's calls.
 */
import { app } from '../../handlers/app';
import { queryContextOf, type AppRuntime, type QueryContext } from '../../src';
import type { graphqlRoute } from '../../src/graphql/graphqlRoute';
import { apiEvent, callRoute } from './apiEvent';

export const ID = '00000000-0000-4000-8000-000000000001';
export const send = jest.fn(async () => ({}));
export const runCommand = jest.fn(async () => ({ listId: ID, version: 1 }));
const queryContext = queryContextOf({
  documentClient: { send },
  tableOf: (view: { name: string }) => `t-${view.name}`,
  readStream: async () => [],
} as unknown as QueryContext);
export const runtime = { app, queryContext, runCommand } as unknown as AppRuntime;

export type Route = ReturnType<typeof graphqlRoute>;

/** One route's answer; a string body is sent as it is, anything else as JSON. */
const ask = async (route: Route, body: unknown) => {
  const answer = await callRoute(
    route,
    apiEvent({
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    }),
  );
  return { status: answer.status, body: answer.body };
};

/** Both engines' answers to one request, each route's calls counted. */
export const both = async (routes: { graphqlJs: Route; model: Route }, body: unknown) => {
  send.mockClear();
  runCommand.mockClear();
  const graphqlJs = await ask(routes.graphqlJs, body);
  const calls = [send.mock.calls.length, runCommand.mock.calls.length];
  send.mockClear();
  runCommand.mockClear();
  const model = await ask(routes.model, body);
  return { graphqlJs, model, calls, modelCalls: [send.mock.calls.length, runCommand.mock.calls.length] };
};
