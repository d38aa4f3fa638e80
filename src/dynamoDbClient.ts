import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, type TranslateConfig } from '@aws-sdk/lib-dynamodb';
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

/**
 * How every document client of the kit turns items into DynamoDB attributes.
 * - `removeUndefinedValues`: an optional field left undefined is omitted, not an error.
 * - `convertClassInstanceToMap`: util-dynamodb picks a map by `value.constructor.name === 'Object'`,
 *   so a view map keyed by an outside string named `constructor` (its own key, not the prototype's)
 *   was refused ("Unsupported type passed"); with this it is written as a map. It also writes a
 *   class instance (a `Date` too) as a map of its enumerable own fields instead of refusing it;
 *   a `Set`, a `Map`, arrays, binaries and plain objects are marshalled as before.
 * A `__proto__` key is still dropped by util-dynamodb's map building (records keep it as an own key).
 */
export const DOCUMENT_CLIENT_CONFIG: TranslateConfig = {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
};

/** A document client over `client` with the kit's marshalling options. */
export const createDocumentClient = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, DOCUMENT_CLIENT_CONFIG);

/** The low-level and document clients, configured from `AWS_REGION` and (locally) `DYNAMODB_ENDPOINT`. */
export const dynamoDbFromEnv = (env: NodeJS.ProcessEnv) => {
  const client = createDynamoDbClient({
    region: optionalEnv(env, 'AWS_REGION') ?? 'us-east-1',
    endpoint: optionalEnv(env, 'DYNAMODB_ENDPOINT'),
  });
  return { client, documentClient: createDocumentClient(client) };
};
