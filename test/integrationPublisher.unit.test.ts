import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { integrationPublisherFromEnv } from '../src/app/reactions';

// The bus publisher requires the EventBridge client on its first send (not at init): that send must
// still reach the bus. A local HTTP server plays EventBridge's PutEvents endpoint.
const bodies: { target: string | undefined; body: { Entries: { EventBusName: string; Detail: string }[] } }[] = [];
let server: Server;
const saved = { ...process.env };
const read = async (request: IncomingMessage) => {
  let text = '';
  for await (const chunk of request) text += chunk;
  return JSON.parse(text);
};

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = await read(request);
    bodies.push({ target: request.headers['x-amz-target'] as string | undefined, body });
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify({ FailedEntryCount: 0, Entries: body.Entries.map(() => ({ EventId: 'e-1' })) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_EVENTBRIDGE: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
});

afterAll(async () => {
  process.env = saved;
  await new Promise((resolve) => server.close(resolve));
});

it('sends integration events to the bus named in the environment, the client loaded on the first send', async () => {
  const publisher = integrationPublisherFromEnv({ INTEGRATION_BUS_NAME: 'todo-bus' });
  expect(bodies).toEqual([]);
  const entry = {
    id: 'list-1:3',
    source: 'todo-cqrs',
    type: 'TodoCompleted',
    detail: { todoId: 't' },
    time: '2026-12-07T00:00:00.000Z',
  };
  await publisher!.send([entry]);
  await publisher!.send([{ ...entry, id: 'list-1:4' }]);
  expect(bodies.map((b) => [b.target, b.body.Entries.map((e) => e.EventBusName)])).toEqual([
    ['AWSEvents.PutEvents', ['todo-bus']],
    ['AWSEvents.PutEvents', ['todo-bus']],
  ]);
  expect(JSON.parse(bodies[1]!.body.Entries[0]!.Detail)).toEqual({
    todoId: 't',
    id: 'list-1:4',
  });
});
