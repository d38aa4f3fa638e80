import { CreateTableCommand, type CreateTableCommandInput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { app } from '../../handlers/app';
import { dynamoDbFromEnv } from '../../src';
import { serverlessReactionResources, serverlessViewTables } from '../../src/app/serverless';

// js-yaml ships with the toolchain; its CloudFormation tags are read as plain values.
const yaml = require('js-yaml') as {
  Type: new (tag: string, options: { kind: string; construct: (data: unknown) => unknown }) => unknown;
  Schema: { create: (types: unknown[]) => unknown };
  load: (text: string, options: { schema: unknown }) => unknown;
};

const cfnTags = [
  'Ref',
  'GetAtt',
  'Sub',
  'Join',
  'Select',
  'Split',
  'If',
  'Equals',
  'ImportValue',
  'FindInMap',
  'GetAZs',
  'Base64',
  'Not',
  'And',
  'Or',
  'Condition',
];
const schema = yaml.Schema.create(
  cfnTags.flatMap((tag) =>
    ['scalar', 'sequence', 'mapping'].map(
      (kind) => new yaml.Type(`!${tag}`, { kind, construct: (data) => ({ [tag]: data }) }),
    ),
  ),
);

type TableResource = { Type: string; Properties: Record<string, unknown> };

/** serverless.yml as plain data (CloudFormation tags become `{ Tag: value }`). */
export const serverlessYml = (): Record<string, unknown> =>
  yaml.load(readFileSync(path.join(__dirname, '..', '..', 'serverless.yml'), 'utf8'), { schema }) as Record<
    string,
    unknown
  >;

/**
 * The DynamoDB tables of serverless.yml by logical id (the one place the schema is written):
 * its own resources, and the view tables it derives from the app's declaration.
 */
export const tableDefinitions = (): Record<string, Record<string, unknown>> => {
  const doc = serverlessYml() as { resources: (string | { Resources?: Record<string, TableResource> })[] };
  const written = Object.assign(
    {},
    ...doc.resources.map((part) => (typeof part === 'object' ? (part.Resources ?? {}) : {})),
  ) as Record<string, TableResource>;
  const derived = { ...serverlessViewTables(app, 'test-'), ...serverlessReactionResources(app, 'test-') } as Record<
    string,
    TableResource
  >;
  return Object.fromEntries(
    Object.entries({ ...written, ...derived })
      .filter(([, r]) => r.Type === 'AWS::DynamoDB::Table')
      .map(([id, r]) => [id, r.Properties]),
  );
};

/** Clients on the test run's DynamoDB Local (started by the jest global setup). */
export const testDynamoDb = () => {
  const endpoint = process.env.TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('TEST_DYNAMODB_ENDPOINT is not set: run integration tests through jest (npm test)');
  return dynamoDbFromEnv({ DYNAMODB_ENDPOINT: endpoint, AWS_REGION: 'us-east-1' });
};

const LOCAL_UNSUPPORTED = [
  'PointInTimeRecoverySpecification',
  'DeletionProtectionEnabled',
  'Tags',
  'SSESpecification',
  'TimeToLiveSpecification',
];

/** Creates the serverless.yml table `logicalId` under a fresh unique name; returns the name. */
export const createTable = async (client: DynamoDBClient, logicalId: string, name?: string): Promise<string> => {
  const definition = tableDefinitions()[logicalId];
  if (!definition) throw new Error(`serverless.yml has no table ${logicalId}`);
  const input = Object.fromEntries(
    Object.entries(definition).filter(([k]) => !LOCAL_UNSUPPORTED.includes(k)),
  ) as Record<string, unknown>;
  const stream = input.StreamSpecification as { StreamViewType?: string } | undefined;
  const tableName = name ?? `test-${logicalId}-${randomUUID().slice(0, 8)}`;
  await client.send(
    new CreateTableCommand({
      ...(input as unknown as CreateTableCommandInput),
      TableName: tableName,
      ...(stream
        ? { StreamSpecification: { StreamEnabled: true, StreamViewType: stream.StreamViewType as 'NEW_IMAGE' } }
        : {}),
    }),
  );
  return tableName;
};
