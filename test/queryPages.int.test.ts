/**
 * The kit's paged reads for queries (QueryContext.viewPage, .eventsPage) against DynamoDB
 * Local: a query names a view, its index and the caller's key, and the kit owns the DynamoDB
 * Query, the table and index keys and the page tokens (bound to the key or stream they came from).
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { DynamoDbEventStore, queryContextOf, type QueryContext } from '../src';
import { listsView, todoLists } from '../handlers/views';
import { createTable, testDynamoDb } from './support/dynamoDb';

const { client, documentClient } = testDynamoDb();
let ctx: QueryContext;
let listsTable: string;
let store: DynamoDbEventStore;

beforeAll(async () => {
  const eventsTable = await createTable(client, 'EventsTable');
  listsTable = await createTable(client, 'ListsTable');
  store = new DynamoDbEventStore({ client, tableName: eventsTable });
  ctx = queryContextOf({
    documentClient,
    tableOf: (view) => {
      if (view !== listsView) throw new Error(`no table for ${view.name} in this test`);
      return listsTable;
    },
    readStream: (aggregate, id, options) => store.readStream(aggregate.streamIdOf(id), options),
  });
}, 60_000);

/** A list as the lists view stores it: a header item (its children would be items beside it). */
const putList = (ownerId: string, createdAt: string) => {
  const listId = randomUUID();
  return documentClient
    .send(
      new PutCommand({
        TableName: listsTable,
        Item: {
          listId: todoLists.streamIdOf(listId),
          sk: 'header',
          ownerId,
          createdAt,
          title: `list of ${createdAt}`,
          openCount: 0,
          completedCount: 0,
          archived: false,
          version: 1,
        },
      }),
    )
    .then(() => createdAt);
};

describe('QueryContext.viewPage', () => {
  it("pages one key's items on a view's index, newest first, every item once", async () => {
    const alice = `alice-${randomUUID()}`;
    const created = await Promise.all(
      Array.from({ length: 5 }, (_, i) => putList(alice, `2026-01-0${i + 1}T00:00:00.000Z`)),
    );
    await putList(`bob-${randomUUID()}`, '2026-01-09T00:00:00.000Z');
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await ctx.viewPage<{ createdAt: string }>(listsView, 'byOwner', {
        key: alice,
        limit: 2,
        nextToken,
        newestFirst: true,
      });
      seen.push(...page.items.map((i) => i.createdAt));
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken && pages < 10);
    expect(seen).toEqual([...created].reverse());
    // Oldest first when asked.
    const oldest = await ctx.viewPage<{ createdAt: string }>(listsView, 'byOwner', { key: alice, limit: 1 });
    expect(oldest.items.map((i) => i.createdAt)).toEqual([created[0]]);
  });

  it("refuses another key's token, a forged one and an undeclared index, reading nothing", async () => {
    const alice = `alice-${randomUUID()}`;
    await Promise.all([putList(alice, '2026-02-01T00:00:00.000Z'), putList(alice, '2026-02-02T00:00:00.000Z')]);
    const first = await ctx.viewPage(listsView, 'byOwner', { key: alice, limit: 1 });
    expect(first.nextToken).toEqual(expect.any(String));
    const invalid = { httpStatus: 400, code: 'INVALID_NEXT_TOKEN' };
    await expect(
      ctx.viewPage(listsView, 'byOwner', { key: `mallory-${randomUUID()}`, limit: 1, nextToken: first.nextToken }),
    ).rejects.toMatchObject(invalid);
    const forged = Buffer.from(JSON.stringify({ ownerId: alice, createdAt: 'x' })).toString('base64url');
    await expect(ctx.viewPage(listsView, 'byOwner', { key: alice, limit: 1, nextToken: forged })).rejects.toMatchObject(
      invalid,
    );
    await expect(ctx.viewPage(listsView, 'byTitle', { key: alice, limit: 1 })).rejects.toThrow(
      'View lists declares no index byTitle',
    );
  });
});

describe('QueryContext.eventsPage', () => {
  const append = (listId: string, version: number) =>
    store.append({
      streamId: todoLists.streamIdOf(listId),
      streamType: todoLists.streamType,
      expectedVersion: version - 1,
      events: [{ type: 'ListRenamed', data: { title: `v${version}` } }],
      commandId: randomUUID(),
      at: new Date(Date.UTC(2026, 0, 1, 0, version)).toISOString(),
    } as never);

  it("pages a stream's commits in version order, with a token only when more follow", async () => {
    const listId = randomUUID();
    for (let version = 1; version <= 5; version += 1) await append(listId, version);
    const versions: number[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await ctx.eventsPage(todoLists, listId, { limit: 2, nextToken });
      versions.push(page.commits.map((c) => c.version));
      nextToken = page.nextToken;
    } while (nextToken && versions.length < 10);
    expect(versions).toEqual([[1, 2], [3, 4], [5]]);
    // Exactly a page's worth left: no token for an empty page after it.
    expect((await ctx.eventsPage(todoLists, listId, { limit: 5 })).nextToken).toBeUndefined();
  });

  it("refuses another stream's token", async () => {
    const [mine, theirs] = [randomUUID(), randomUUID()];
    for (const listId of [mine, theirs])
      for (let version = 1; version <= 2; version += 1) await append(listId, version);
    const { nextToken } = await ctx.eventsPage(todoLists, theirs, { limit: 1 });
    await expect(ctx.eventsPage(todoLists, mine, { limit: 1, nextToken })).rejects.toMatchObject({
      httpStatus: 400,
      code: 'INVALID_NEXT_TOKEN',
    });
  });
});
