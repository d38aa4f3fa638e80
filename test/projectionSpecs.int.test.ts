import { dynamoDbViewStores } from '../src/testing';
import { createTable, testDynamoDb } from './support/dynamoDb';
import { projectionSpecs } from './support/projectionSpecs';

const { client, documentClient } = testDynamoDb();

// The projection specs on the kit's DynamoDB view stores, against DynamoDB Local (the same suite runs in memory).
describe('projections, specified with DynamoDB view stores', () => {
  projectionSpecs(
    dynamoDbViewStores(documentClient, (kind) => createTable(client, kind === 'stream' ? 'ListsTable' : 'StatsTable')),
  );
});
