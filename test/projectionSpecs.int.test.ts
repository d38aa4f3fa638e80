import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { COUNTER_TABLE_KEY, counterTotalKey, dynamoDbCounterViewStore, streamViewStore } from '../src';
import { createTable, testDynamoDb } from './support/dynamoDb';
import { projectionSpecs } from './support/projectionSpecs';

const { client, documentClient } = testDynamoDb();

// The projection specs on the DynamoDB view stores, against DynamoDB Local (the same suite runs in memory).
describe('projections, specified with DynamoDB view stores', () => {
  projectionSpecs({
    streamStore: async (view) =>
      streamViewStore({
        client: documentClient,
        tableName: await createTable(client, 'ListsTable'),
        keyAttribute: view.key,
        children: view.children,
      }),
    counterStore: async (view) => {
      const tableName = await createTable(client, 'StatsTable');
      return {
        views: dynamoDbCounterViewStore({ client: documentClient, tableName, contributions: view.contributions }),
        totals: async (key) => {
          const { Item } = await documentClient.send(
            new GetCommand({
              TableName: tableName,
              Key: { [COUNTER_TABLE_KEY]: counterTotalKey(key) },
              ConsistentRead: true,
            }),
          );
          const { [COUNTER_TABLE_KEY]: _key, ...counters } = Item ?? {};
          return counters as Record<string, number>;
        },
      };
    },
  });
});
