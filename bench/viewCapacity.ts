/**
 * Part 7b: what one lists-view update costs as the list grows, in the units DynamoDB Local
 * reports (`ReturnConsumedCapacity`), for both layouts the kit has: the whole list in one item
 * (the lists view before issue 12) and a header plus one item per todo (now). Lists of 10, 100
 * and 500 todos with 600-byte titles (200 three-byte characters, the longest title allowed);
 * each update is one commit applied through the real projection, as the stream delivers it.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '../src/dynamoDbClient';
import { randomUUID } from 'node:crypto';
import type { TodoListEvent } from '../domain/todoList';
import { listsView } from '../handlers/views';
import { InMemoryEventStore, streamViewProjection, type Commit } from '../src';
import { createTable } from '../test/support/dynamoDb';
import { summarise, type Summary } from './stats';
import { localClient, meteredClient } from './systems';

export const VIEW_SIZES = [10, 100, 500] as const;
export const LAYOUTS = { before: 'one item per list', after: 'header + one item per todo' } as const;

export interface ViewUpdateCost {
  readonly write: Summary;
  readonly read: Summary;
  readonly requests: Summary;
}

/** layout → todos in the list → the cost of one update. */
export type ViewCapacityResults = Record<keyof typeof LAYOUTS, Record<number, ViewUpdateCost>>;

/** 200 characters of 3 bytes each: 600 bytes, the most a title may hold. */
const title = (n: number) => `${n}`.padStart(6, '0') + '界'.repeat(198);

export const runViewCapacity = async (
  endpoint: string,
  updates: number,
  log: (line: string) => void,
): Promise<ViewCapacityResults> => {
  const meter = meteredClient(endpoint);
  const plain = localClient(endpoint);
  const documentClient = createDocumentClient(meter.client);
  const oneItemTable = `bench-lists-one-item-${randomUUID().slice(0, 8)}`;
  await plain.send(
    new CreateTableCommand({
      TableName: oneItemTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: listsView.key, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: listsView.key, KeyType: 'HASH' }],
    }),
  );
  const tables = { before: oneItemTable, after: await createTable(plain, 'ListsTable') };
  const results = { before: {}, after: {} } as ViewCapacityResults;
  for (const layout of ['before', 'after'] as const) {
    for (const size of VIEW_SIZES) {
      const store = new InMemoryEventStore();
      const projection = streamViewProjection({
        name: 'listsView',
        streamType: 'todoList',
        client: documentClient,
        tableName: tables[layout],
        keyAttribute: listsView.key,
        store,
        evolve: listsView.evolve,
        children: layout === 'after' ? listsView.children : undefined,
      });
      const listId = `bench-${layout}-${size}`;
      let version = 0;
      const commit = (events: TodoListEvent[]): Promise<Commit> =>
        store.append({
          streamId: listId,
          streamType: 'todoList',
          expectedVersion: version++,
          events,
          commandId: randomUUID(),
          at: new Date().toISOString(),
        });
      const todoIds = Array.from({ length: size }, (_, i) => `todo-${i}`);
      // The list, filled in one commit (not measured).
      await projection.applyCommits(listId, [
        await commit([{ type: 'ListCreated', data: { listId, ownerId: 'bench', title: title(0) } }]),
      ]);
      await projection.applyCommits(listId, [
        await commit(todoIds.map((todoId, i) => ({ type: 'TodoAdded', data: { todoId, title: title(i) } }))),
      ]);
      const write: number[] = [];
      const read: number[] = [];
      const requests: number[] = [];
      for (let n = 0; n < updates; n += 1) {
        // Complete, rename, reopen: one todo changes, the list's counts with it.
        const todoId = todoIds[(n * 7) % size]!;
        const events: TodoListEvent[] =
          n % 3 === 0
            ? [{ type: 'TodoCompleted', data: { todoId } }]
            : n % 3 === 1
              ? [{ type: 'TodoRenamed', data: { todoId, title: title(1000 + n) } }]
              : [{ type: 'TodoReopened', data: { todoId } }];
        const next = await commit(events);
        meter.take();
        await projection.applyCommits(listId, [next]);
        const used = meter.take();
        write.push(used.write);
        read.push(used.read);
        requests.push(used.requests);
      }
      results[layout][size] = { write: summarise(write), read: summarise(read), requests: summarise(requests) };
      log(
        `  7. lists view, ${LAYOUTS[layout]}, ${size} todos: ${results[layout][size]!.write.p50} write units per update (p50)`,
      );
    }
  }
  return results;
};
