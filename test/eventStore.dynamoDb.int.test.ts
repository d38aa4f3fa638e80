import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { DynamoDbEventStore, MAX_KEPT_SNAPSHOT_BYTES, itemFromCommit } from '../src';
import { eventStoreContract } from './contract/eventStoreContract';
import { createTable, testDynamoDb } from './support/dynamoDb';

const { client } = testDynamoDb();
let tableName: string;
let keysTableName: string;
beforeAll(async () => {
  tableName = await createTable(client, 'EventsTable');
  keysTableName = await createTable(client, 'IdempotencyTable');
});

eventStoreContract(
  'DynamoDbEventStore on DynamoDB Local',
  () => new DynamoDbEventStore({ client, tableName, keysTableName }),
);

describe('DynamoDbEventStore specifics', () => {
  it('keeps no snapshot too large for the commit item (past MAX_KEPT_SNAPSHOT_BYTES gzipped), and still appends the commit', async () => {
    const store = new DynamoDbEventStore({ client, tableName });
    const streamId = `large-state-${randomUUID()}`;
    // Random text hardly compresses: gzipped, still over the limit.
    const state = { noise: randomBytes(MAX_KEPT_SNAPSHOT_BYTES).toString('base64') };
    await store.append({
      streamId,
      streamType: 'thing',
      expectedVersion: 0,
      events: [{ type: 'Big', data: {} }],
      commandId: randomUUID(),
      at: '2026-01-01T00:00:00.000Z',
      snapshot: { reducerVersion: '1', state },
    });
    const [commit] = await store.readStream(streamId, { withSnapshots: true });
    expect(commit?.version).toBe(1);
    expect(commit?.snapshot).toBeUndefined();
  });

  it('keeps no snapshot that would make the commit item too large, and still appends the commit', async () => {
    const store = new DynamoDbEventStore({ client, tableName });
    const streamId = `large-commit-${randomUUID()}`;
    // A commit 3 KB short of DynamoDB's 400 KB: with a 6 KB snapshot, the item would pass it.
    const events = [{ type: 'Big', data: { padding: 'x'.repeat(400 * 1024 - 3000) } }];
    const state = { noise: randomBytes(6 * 1024).toString('base64') };
    await store.append({
      streamId,
      streamType: 'thing',
      expectedVersion: 0,
      events,
      commandId: randomUUID(),
      at: '2026-01-01T00:00:00.000Z',
      snapshot: { reducerVersion: '1', state },
    });
    const [commit] = await store.readStream(streamId, { withSnapshots: true });
    expect(commit?.events).toEqual(events);
    expect(commit?.snapshot).toBeUndefined();
  });

  it('pages through a stream larger than one 1 MB query page', async () => {
    const store = new DynamoDbEventStore({ client, tableName });
    const streamId = `big-${randomUUID()}`;
    const padding = 'x'.repeat(60_000);
    // 30 commits of ~60 KB = ~1.8 MB: more than one Query page.
    for (let v = 0; v < 30; v += 1) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: itemFromCommit({
            streamId,
            version: v + 1,
            streamType: 'thing',
            commandId: randomUUID(),
            at: '2026-01-01T00:00:00.000Z',
            events: [{ type: 'Padded', data: { v: v + 1, padding } }],
            metadata: {},
          }),
        }),
      );
    }
    const commits = await store.readStream(streamId);
    expect(commits.map((c) => c.version)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });
});
