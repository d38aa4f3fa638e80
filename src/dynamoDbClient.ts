import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { optionalEnv } from './config';

export interface DynamoDbClientOptions {
  readonly region: string;
  readonly endpoint?: string | undefined;
}

/**
 * A DynamoDB client for AWS, or for DynamoDB Local when an endpoint is given
 * (which accepts any credentials, so fixed local ones are used there).
 */
export const createDynamoDbClient = (options: DynamoDbClientOptions): DynamoDBClient =>
  new DynamoDBClient({
    region: options.region,
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          // DynamoDB Local on SQLite answers "database busy" as a 500 under concurrent writes on a
          // busy machine; the SDK retries 5xx, so give it room to (AWS itself keeps the default 3).
          maxAttempts: 10,
        }
      : {}),
  });

/** The low-level and document clients, configured from `AWS_REGION` and (locally) `DYNAMODB_ENDPOINT`. */
export const dynamoDbFromEnv = (env: NodeJS.ProcessEnv) => {
  const client = createDynamoDbClient({
    region: optionalEnv(env, 'AWS_REGION') ?? 'us-east-1',
    endpoint: optionalEnv(env, 'DYNAMODB_ENDPOINT'),
  });
  return { client, documentClient: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }) };
};
