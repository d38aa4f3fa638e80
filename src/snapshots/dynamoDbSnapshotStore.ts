import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { Snapshot, SnapshotStore } from './snapshotStore';

/** Snapshots table: partition key `streamId`; the state is one JSON string attribute. */
export class DynamoDbSnapshotStore implements SnapshotStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(options: { client: DynamoDBClient; tableName: string }) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async get<TState>(streamId: string): Promise<Snapshot<TState> | undefined> {
    // An eventually consistent read is enough: an older snapshot is still a correct starting point.
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { streamId: { S: streamId } } }));
    if (!Item?.version?.N || !Item.state?.S || !Item.reducerVersion?.S) return undefined;
    return { streamId, version: Number(Item.version.N), reducerVersion: Item.reducerVersion.S, state: JSON.parse(Item.state.S) as TState };
  }

  async put<TState>(snapshot: Snapshot<TState>): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            streamId: { S: snapshot.streamId },
            version: { N: String(snapshot.version) },
            reducerVersion: { S: snapshot.reducerVersion },
            state: { S: JSON.stringify(snapshot.state) },
          },
          // Two containers may snapshot the same stream: never replace a newer one with an older one.
          ConditionExpression: 'attribute_not_exists(streamId) OR version < :v',
          ExpressionAttributeValues: { ':v': { N: String(snapshot.version) } },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
