/**
 * A reaction's effect stays exactly once after the 24 hours a client's Idempotency-Key lives. A caused
 * command that is not idempotent by itself (completing a todo the user reopened since) is applied, then
 * its record is redelivered a day later — a dead-lettered record redriven, a crash before the checkpoint
 * moved, a rebuild of the reactions — after DynamoDB's TTL swept every key that had expired by then:
 * the caused command must answer from its key's record, not complete the todo a second time.
 */
import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { app } from '../handlers/app';
import { todoListCommands } from '../handlers/todoLists/commands';
import { todoLists } from '../handlers/views';
import { reactionsOf, REACTIONS_TABLE } from '../src';
import { createRuntime } from '../src/app/runtime';
import { createTable, testDynamoDb } from './support/dynamoDb';

const { client, documentClient } = testDynamoDb();
const endpoint = process.env.TEST_DYNAMODB_ENDPOINT!;
const stage = `k${randomUUID().slice(0, 8)}`;
const table = (suffix: string) => `todo-cqrs-${stage}-${suffix}`;

/** A caused command that acts again if run again: a todo added is completed (the user may reopen it). */
const [completeAdded] = reactionsOf(todoListCommands, (on) => ({
  completeAdded: on(todoLists, 'TodoAdded').cause('completeTodo', (event, commit) => [
    { listId: commit.id, todoId: event.data.todoId },
  ]),
}));

/** What DynamoDB's TTL has deleted `hours` from now: every key whose `expiration` is before then. */
const sweepKeysExpiredIn = async (hours: number) => {
  const horizon = Math.floor(Date.now() / 1000) + hours * 3600;
  const { Items = [] } = await documentClient.send(new ScanCommand({ TableName: table('idempotency') }));
  const expired = Items.filter((item) => typeof item.expiration === 'number' && item.expiration < horizon);
  for (const item of expired)
    await documentClient.send(new DeleteCommand({ TableName: table('idempotency'), Key: { id: item.id } }));
  return { swept: expired.length, kept: Items.length - expired.length };
};

beforeAll(async () => {
  await createTable(client, 'EventsTable', table('events'));
  await createTable(client, 'SnapshotsTable', table('snapshots'));
  await createTable(client, 'IdempotencyTable', table('idempotency'));
  await createTable(client, 'ReactionsTable', table(REACTIONS_TABLE));
}, 60_000);

describe('a caused command a day after it was applied', () => {
  it('is answered from its key when its record is redelivered after the 24 h keys expired, never applied twice', async () => {
    const runtime = createRuntime(
      { ...app, reactions: [completeAdded!] },
      { tablePrefix: table(''), graphqlIntrospection: false },
      { AWS_REGION: 'us-east-1', DYNAMODB_ENDPOINT: endpoint },
    );
    const run = (name: keyof typeof todoListCommands, input: { params?: object; body?: object }) =>
      runtime.runCommand(app.commands[name]!, {
        params: input.params,
        body: input.body,
        userId: 'alice',
        correlationId: `c-${name}`,
      }) as Promise<{
        listId: string;
        todoId: string;
      }>;
    const { listId } = await run('createList', { body: { title: 'home' } });
    const { todoId } = await run('addTodo', { params: { listId }, body: { title: 'milk' } });
    const commits = await runtime.eventStore.readStream(listId);

    const projection = runtime.reactionProjection(completeAdded!);
    await projection.applyCommits(listId, commits);
    await run('reopenTodo', { params: { listId, todoId } });

    // A day later: the checkpoint never moved (its record was dead-lettered, or the reactions are rebuilt)
    // and the TTL swept the keys that had expired.
    await documentClient.send(
      new DeleteCommand({
        TableName: table(REACTIONS_TABLE),
        Key: { reaction: completeAdded!.name, streamId: listId },
      }),
    );
    const { kept } = await sweepKeysExpiredIn(25);
    await projection.applyCommits(listId, commits);

    const events = (await runtime.eventStore.readStream(listId)).flatMap((c) => c.events.map((e) => e.type));
    expect(events).toEqual(['ListCreated', 'TodoAdded', 'TodoCompleted', 'TodoReopened']);
    expect(kept).toBe(1);
  }, 60_000);
});
