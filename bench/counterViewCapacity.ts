/**
 * Part 7b, counter views: what one update of each counter view (stats, tagCounts, taggedTodos)
 * costs as the list grows, in the units DynamoDB Local reports (`ReturnConsumedCapacity`), in
 * both layouts, same run: one checkpoint item per list holding its whole folded source (before
 * issue 26) and a header plus one item per todo, one item per counter (now). Lists of 10 and 500
 * todos, each todo carrying 10 tags (the most the rules allow); each update is one commit
 * (complete, untag, tag again, reopen a todo) applied through the real projection.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import type { TodoListEvent } from '../domain/todoList';
import { statsView, tagCountsView, taggedTodosView } from '../handlers/views';
import { InMemoryEventStore, counterViewProjection, type Commit, type CounterView } from '../src';
import { createDocumentClient } from '../src/dynamoDbClient';
import { createTable } from '../test/support/dynamoDb';
import { counterViewProjection as legacyCounterViewProjection } from './legacyCounterViewStore';
import { summarise } from './stats';
import { localClient, meteredClient } from './systems';
import type { LAYOUTS, ViewUpdateCost } from './viewCapacity';

export const COUNTER_VIEW_SIZES = [10, 500] as const;
export const TAGS_PER_TODO = 10;
export const COUNTER_VIEWS: readonly CounterView<any, any>[] = [statsView, tagCountsView, taggedTodosView];

/** view → layout → todos in the list → the cost of one update. */
export type CounterViewCapacityResults = Record<
  string,
  Record<keyof typeof LAYOUTS, Record<number, ViewUpdateCost & { readonly error?: string }>>
>;

const uuid = (prefix: number, n: number) =>
  `${String(prefix).padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** One commit after another (complete, untag, tag again, reopen a todo), each one's units. */
const measureUpdates = async (
  apply: (commit: Commit) => Promise<unknown>,
  commit: (events: TodoListEvent[]) => Promise<Commit>,
  meter: ReturnType<typeof meteredClient>,
  { todoIds, tagIds, updates }: { todoIds: string[]; tagIds: string[]; updates: number },
) => {
  const write: number[] = [];
  const read: number[] = [];
  const requests: number[] = [];
  for (let n = 0; n < updates; n += 1) {
    const todoId = todoIds[(Math.floor(n / 4) * 7) % todoIds.length]!;
    const tagId = tagIds[n % tagIds.length]!;
    const events: TodoListEvent[] = [
      [{ type: 'TodoCompleted', data: { todoId } } as const],
      [{ type: 'TodoUntagged', data: { todoId, tagId } } as const],
      [{ type: 'TodoTagged', data: { todoId, tagId } } as const],
      [{ type: 'TodoReopened', data: { todoId } } as const],
    ][n % 4]!;
    const next = await commit(events);
    meter.take();
    await apply(next);
    const used = meter.take();
    write.push(used.write);
    read.push(used.read);
    requests.push(used.requests);
  }
  return { write, read, requests };
};

export const runCounterViewCapacity = async (
  endpoint: string,
  updates: number,
  log: (line: string) => void,
): Promise<CounterViewCapacityResults> => {
  const meter = meteredClient(endpoint);
  const plain = localClient(endpoint);
  const documentClient = createDocumentClient(meter.client);
  const results: CounterViewCapacityResults = {};
  const tagIds = Array.from({ length: TAGS_PER_TODO }, (_, i) => uuid(3, i));
  for (const view of COUNTER_VIEWS) {
    results[view.name] = { before: {}, after: {} };
    const oneItemTable = `bench-${view.name}-one-item-${randomUUID().slice(0, 8)}`;
    await plain.send(
      new CreateTableCommand({
        TableName: oneItemTable,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const tables = { before: oneItemTable, after: await createTable(plain, 'StatsTable') };
    for (const layout of ['before', 'after'] as const) {
      for (const size of COUNTER_VIEW_SIZES) {
        const store = new InMemoryEventStore();
        const options = {
          name: `${view.name}View`,
          streamType: 'todoList',
          client: documentClient,
          tableName: tables[layout],
          store,
          evolve: view.evolve,
          contributions: view.contributions,
        };
        const projection =
          layout === 'after'
            ? counterViewProjection({ ...options, children: view.children })
            : legacyCounterViewProjection(options);
        const listId = uuid(1, size);
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
        const todoIds = Array.from({ length: size }, (_, i) => uuid(2, i));
        // The list, filled and tagged (not measured). The one-item layout cannot hold a full list in
        // some views (its ADD of every counter of a total exceeds DynamoDB's expression size): recorded.
        const fill = projection.applyCommits(listId, [
          await commit([{ type: 'ListCreated', data: { listId, ownerId: uuid(4, 0), title: 'bench' } }]),
          await commit(todoIds.map((todoId) => ({ type: 'TodoAdded', data: { todoId, title: 'todo' } }) as const)),
          await commit(
            todoIds.flatMap((todoId) =>
              tagIds.map((tagId) => ({ type: 'TodoTagged', data: { todoId, tagId } }) as const),
            ),
          ),
        ]);
        try {
          await fill;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const none = summarise([Number.NaN]);
          results[view.name]![layout][size] = { write: none, read: none, requests: none, error: message };
          log(`  7. ${view.name} view, ${layout}, ${size} todos × ${TAGS_PER_TODO} tags: cannot apply: ${message}`);
          continue;
        }
        const { write, read, requests } = await measureUpdates(
          (next) => projection.applyCommits(listId, [next]),
          commit,
          meter,
          { todoIds, tagIds, updates },
        );
        results[view.name]![layout][size] = {
          write: summarise(write),
          read: summarise(read),
          requests: summarise(requests),
        };
        log(
          `  7. ${view.name} view, ${layout === 'before' ? 'one checkpoint item per list' : 'header + one item per todo and per counter'}, ${size} todos × ${TAGS_PER_TODO} tags: ${results[view.name]![layout][size]!.write.p50} write units per update (p50), ${results[view.name]![layout][size]!.write.max} max`,
        );
      }
    }
  }
  return results;
};
