import { dynamoDbCounterViewStore, readCounterTotals, streamViewStore } from '../src';
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
        views: dynamoDbCounterViewStore({
          client: documentClient,
          tableName,
          contributions: view.contributions,
          children: view.children,
        }),
        totals: (key) => readCounterTotals(documentClient, tableName, key),
      };
    },
  });
});
