/**
 * A view item whose map is keyed by outside strings that name built-in properties is written and
 * read back as it is, through the kit's document client (src/dynamoDbClient.ts). util-dynamodb
 * tells a map from a class instance by `value.constructor.name`, so a map with an own key
 * `constructor` was refused ("Unsupported type passed") and dead-lettered that user's stream.
 * `__proto__` is the documented limit: util-dynamodb's map building turns that key into the
 * prototype of the map it builds, and DynamoDB refuses the item (nothing is written).
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { app } from '../handlers/app';
import { viewTableId } from '../src/app/serverless';
import { ownRecord } from '../src/records';
import { createTable, testDynamoDb } from './support/dynamoDb';

const { client, documentClient } = testDynamoDb();
let tableName: string;

beforeAll(async () => {
  tableName = await createTable(client, viewTableId(app.views.find((v) => v.name === 'tags')!));
}, 60_000);

const roundTrip = async (item: Record<string, unknown>) => {
  await documentClient.send(new PutCommand({ TableName: tableName, Item: item }));
  return (
    await documentClient.send(
      new GetCommand({ TableName: tableName, Key: { streamId: item.streamId }, ConsistentRead: true }),
    )
  ).Item;
};

describe("the kit's document client and view maps keyed by outside strings", () => {
  it('writes and reads back a map with the keys constructor, toString and hasOwnProperty', async () => {
    const minted = randomUUID();
    const tags = ownRecord([
      ['constructor', { name: 'a' }],
      ['toString', { name: 'b' }],
      ['hasOwnProperty', { name: 'c' }],
      [minted, { name: 'd' }],
    ]);
    const counts = ownRecord([
      ['constructor', 1],
      ['toString', 2],
      ['hasOwnProperty', 3],
    ]);
    const item = { streamId: `tags#${randomUUID()}`, version: 3, tags, counts };
    const read = await roundTrip(item);
    expect(read).toEqual(item);
    expect(Object.keys(read!.tags as object).sort()).toEqual(
      ['constructor', 'hasOwnProperty', minted, 'toString'].sort(),
    );
  });

  it('refuses a map with an own __proto__ key (the documented limit): util-dynamodb makes it the prototype of the map it builds, and DynamoDB refuses the item', async () => {
    const tags = JSON.parse(`{"__proto__":{"name":"p"},"constructor":{"name":"a"}}`) as Record<string, unknown>;
    expect(Object.keys(tags)).toEqual(['__proto__', 'constructor']);
    const streamId = `tags#${randomUUID()}`;
    await expect(
      documentClient.send(new PutCommand({ TableName: tableName, Item: { streamId, version: 1, tags } })),
    ).rejects.toThrow(/AttributeValue/);
    expect(
      (await documentClient.send(new GetCommand({ TableName: tableName, Key: { streamId }, ConsistentRead: true })))
        .Item,
    ).toBeUndefined();
  });
});
