import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { STATS_COUNTERS, type OwnerStats } from '../domain/todoList';
import { COUNTER_TABLE_KEY, counterTotalKey, httpRoute } from '../src';
import { config, documentClient } from './todoApp';

/** GET /stats → 200 { lists, openTodos, completedTodos } for the caller (archived lists not counted). */
export const handler = httpRoute({}, async ({ userId }) => {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: config.statsTable, Key: { [COUNTER_TABLE_KEY]: counterTotalKey(userId) } }),
  );
  const stats = Object.fromEntries(STATS_COUNTERS.map((c) => [c, Number(Item?.[c] ?? 0)])) as unknown as OwnerStats;
  return { statusCode: 200, body: stats };
});
