/**
 * Projections when invocations race, as they do at a ParallelizationFactor above 1 (Lambda keeps
 * order per item only, and each commit is an item): commits of ONE stream reach concurrent
 * invocations, and counter views' transactions on one totals item collide. Losing such a race is
 * normal work, not a failure: it must never fail a batch (which would retry it, file a dead letter
 * and, after the retries, page someone through the dead-letter queue).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { createProjectionHandler } from '../src';
import { createTable, testDynamoDb } from './support/dynamoDb';
import { expectedListView, expectedStats, storedListViews, storedStats } from './support/expectedViews';
import { seededRandom, workloadStream, type Handler } from './support/streamHarness';
import { listsView, statsView } from './support/todoApp';

const { client, documentClient } = testDynamoDb();
const endpoint = process.env.TEST_DYNAMODB_ENDPOINT!;

/** The events table, its lists and its real stream records. */
let given: Awaited<ReturnType<typeof workloadStream>>;
beforeAll(async () => {
  // One owner with two busy lists: every commit moves the same totals item.
  given = await workloadStream(client, endpoint, {
    owners: ['alice'],
    listsPerOwner: 2,
    commands: 200,
    random: seededRandom(12),
  });
}, 60_000);

const viewsOn = async (docClient = documentClient) => {
  const listsTable = await createTable(client, 'ListsTable');
  const statsTable = await createTable(client, 'StatsTable');
  return {
    lists: createProjectionHandler(
      listsView({ documentClient: docClient, store: given.store, tableName: listsTable }),
    ) as Handler,
    stats: createProjectionHandler(
      statsView({ documentClient: docClient, store: given.store, tableName: statsTable }),
    ) as Handler,
    async expectFolds() {
      // Each list as its header and todo items make it up.
      const Items = await storedListViews(documentClient, listsTable);
      const expected = await Promise.all(given.listIds.map((id) => expectedListView(given.store, id)));
      const byId = (items: readonly (Record<string, unknown> | undefined)[]) =>
        [...items].sort((a, b) => String(a?.listId).localeCompare(String(b?.listId)));
      expect(byId(Items)).toEqual(byId(expected));
      for (const [owner, totals] of await expectedStats(given.store, given.listIds)) {
        expect(await storedStats(documentClient, statsTable, owner)).toEqual(totals);
      }
    },
  };
};

it('ten invocations at once, each holding other commits of the same streams, all succeed and count nothing twice', async () => {
  const views = await viewsOn();
  // Ten lanes as Lambda's factor 10 makes them (commit i in lane i mod 10), each invoked with batches
  // of six records one after the other, every lane at once: each invocation races the nine others.
  const lanes = Array.from({ length: 10 }, (_, lane) => given.records.filter((_r, i) => i % 10 === lane));
  const failures: string[] = [];
  const runLane = async (handler: Handler, lane: readonly DynamoDBRecord[]) => {
    for (let i = 0; i < lane.length; i += 6)
      failures.push(
        ...(await handler({ Records: lane.slice(i, i + 6) })).batchItemFailures.map((f) => f.itemIdentifier),
      );
  };
  await Promise.all(lanes.flatMap((lane) => [runLane(views.lists, lane), runLane(views.stats, lane)]));
  expect(failures).toEqual([]);
  await views.expectFolds();
});

it('a counter transaction that AWS cancels for a conflicting transaction (TransactionConflict) is retried, not failed', async () => {
  // DynamoDB Local runs transactions one at a time; AWS cancels one that meets another in flight on
  // the same item (the owner's totals) with reason TransactionConflict. Here the first three do.
  const { client: conflictingClient, documentClient: conflicting } = testDynamoDb();
  let conflicts = 3;
  conflictingClient.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand' && conflicts > 0) {
        conflicts -= 1;
        throw new TransactionCanceledException({
          message:
            'Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]',
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: [
            { Code: 'None' },
            { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' },
          ],
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'awsTransactionConflict' },
  );
  const views = await viewsOn(conflicting);
  const { batchItemFailures } = await views.stats({ Records: given.records });
  expect(conflicts).toBe(0);
  expect(batchItemFailures).toEqual([]);
  await views.lists({ Records: given.records });
  await views.expectFolds();
});
