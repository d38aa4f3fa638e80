/**
 * The serverless.yml parts an app's declaration implies: one function per command, query
 * and view (plus GraphQL and the OpenAPI document), each with its own least-privilege IAM
 * statements and its route or stream mapping, and one table per view. serverless.yml takes
 * them with `${file(src/deploy/fromApp.cjs):functions}` (and `:resources`), so
 * `serverless deploy`, `package` and `offline` see ordinary functions.
 */
import { VIEW_SORT_KEY } from '../projection/childItemsViewStore';
import { readAppSetting, type AppEntries } from './appSetting';
import {
  viewFunctionName,
  viewTableName,
  type AppDefinition,
  type Command,
  type ReadAccess,
  type View,
} from './definition';
import { reactionFunctionName, type Reaction } from '../reaction/reaction';
import { REACTIONS_TABLE } from '../reaction/reactionProjection';

type Json = Record<string, unknown>;

/** Each function's serverless `handler`, from the entries the app's setting declares (src/app/appSetting.ts). */
const handlerOf = (entries: AppEntries) => ({
  http: entries.http,
  graphql: entries.graphql,
  openapi: entries.openapi,
  view: (view: View) => `${entries.views}.${viewFunctionName(view)}`,
  reaction: (reaction: Reaction) => `${entries.reactions}.${reactionFunctionName(reaction)}`,
});

/** The logical ids of the reactions' checkpoints table and of the bus integration events go to. */
export const REACTIONS_TABLE_ID = 'ReactionsTable';
export const INTEGRATION_BUS_ID = 'IntegrationEventBus';

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
/** The CloudFormation logical id of a view's table. */
export const viewTableId = (view: View) => `${pascal(view.name)}Table`;

const arn = (tableId: string) => ({ 'Fn::GetAtt': [tableId, 'Arn'] });
const indexArn = (tableId: string, index: string) => ({ 'Fn::Join': ['/', [arn(tableId), 'index', index]] });
const allow = (actions: string[], resource: unknown) => ({ Effect: 'Allow', Action: actions, Resource: resource });

/**
 * Load (Query) and append (conditional PutItem) on the event log; read and write snapshots;
 * Idempotency-Key records, read, and put in the same transaction as their commit (a
 * TransactWriteItems needs PutItem on each table it writes).
 */
const COMMAND_ACCESS = [
  allow(['dynamodb:Query', 'dynamodb:PutItem'], arn('EventsTable')),
  allow(['dynamodb:GetItem', 'dynamodb:PutItem'], arn('SnapshotsTable')),
  allow(['dynamodb:GetItem', 'dynamodb:PutItem'], arn('IdempotencyTable')),
];

/**
 * A command decided on more than its own stream (`reads`, `commandAcross`) also checks the streams
 * it read in its write's transaction (a ConditionCheck on the events table).
 */
const commandAccess = (command: Pick<Command, 'reads' | 'across'>) =>
  command.reads || command.across
    ? [...COMMAND_ACCESS, allow(['dynamodb:ConditionCheckItem'], arn('EventsTable'))]
    : COMMAND_ACCESS;

const readStatement = (access: ReadAccess) => {
  switch (access.kind) {
    case 'viewItem':
      // A view with children is its header (GetItem) and its children (Query on the table); a
      // counter view's totals are one item per counter, read with one Query.
      return allow(
        access.view.kind === 'counter'
          ? ['dynamodb:Query']
          : hasChildren(access.view)
            ? ['dynamodb:GetItem', 'dynamodb:Query']
            : ['dynamodb:GetItem'],
        arn(viewTableId(access.view)),
      );
    case 'viewIndex':
      return allow(['dynamodb:Query'], indexArn(viewTableId(access.view), access.index));
    case 'events':
      return allow(['dynamodb:Query'], arn('EventsTable'));
    default: {
      const exhaustive: never = access;
      throw new Error(`Unknown access ${JSON.stringify(exhaustive)}`);
    }
  }
};

/** Statements merged by resource, actions sorted: one statement per table or index. */
const merged = (statements: { Action: string[]; Resource: unknown }[]) => {
  const byResource = new Map<string, { resource: unknown; actions: Set<string> }>();
  for (const s of statements) {
    const key = JSON.stringify(s.Resource);
    const entry = byResource.get(key) ?? { resource: s.Resource, actions: new Set<string>() };
    for (const a of s.Action) entry.actions.add(a);
    byResource.set(key, entry);
  }
  return [...byResource.values()].map(({ resource, actions }) => allow([...actions].sort(), resource));
};

const httpApi = (method: string, path: string, auth: 'jwt' | 'none') => ({
  httpApi: { method, path, ...(auth === 'jwt' ? { authorizer: { name: 'jwt' } } : {}) },
});

/** The stream mapping every projection shares (see serverless.yml for the reasons of each value). */
const STREAM = {
  type: 'dynamodb',
  arn: { 'Fn::GetAtt': ['EventsTable', 'StreamArn'] },
  startingPosition: 'TRIM_HORIZON',
  batchSize: 100,
  // One batch per shard at a time. Factor 10 is SAFE: Lambda then keeps order per item only, each
  // commit is an item (streamId + version), and the views stay exactly-once under that (conditional
  // writes, one-read gap healing, lost races retried with jitter: test/projectionRaces.int.test.ts,
  // test/reliability/parallelProjections.int.test.ts). But it is not faster: it scatters each
  // stream's commits over ten lanes that race for the same view item, where one batch folds them
  // into one write and already applies its streams in parallel. Measured (bench part 10, README
  // Capacity): 0.3-0.5x the commits/s of factor 1. A bigger batchSize is the lever to try first.
  parallelizationFactor: 1,
  functionResponseType: 'ReportBatchItemFailures',
  bisectBatchOnFunctionError: true,
  maximumRetryAttempts: 5,
  // The stream keeps records 24 h; after that a record can only be dead-lettered.
  maximumRecordAgeInSeconds: 86400,
  destinations: { onFailure: { arn: { 'Fn::GetAtt': ['ProjectionsDeadLetterQueue', 'Arn'] }, type: 'sqs' } },
};

const hasChildren = (view: View) => view.kind === 'stream' && view.children !== undefined;
/** A table with a sort key, read with Query: a stream view with children, every counter view. */
const hasItems = (view: View) => view.kind === 'counter' || hasChildren(view);

/** What a view's projection does on its own table. */
const viewTableActions = (view: View) =>
  view.kind === 'counter'
    ? // Header, changed children (Put/Delete) and counters (UpdateItem ADD) in one transaction;
      // the stream's partition read with Query; a counter back at 0 deleted (conditional DeleteItem).
      ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']
    : hasChildren(view)
      ? // Header and changed children in one transaction; large changes under a claim (UpdateItem).
        ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']
      : ['dynamodb:GetItem', 'dynamodb:PutItem'];

const viewAccess = (view: View) => [
  allow(viewTableActions(view), arn(viewTableId(view))),
  // Gap healing reads the event log; projections never write it.
  allow(['dynamodb:Query'], arn('EventsTable')),
  allow(['sqs:SendMessage'], { 'Fn::GetAtt': ['ProjectionsDeadLetterQueue', 'Arn'] }),
  // Files a stream it could not apply by stream id and version (redriven from the events table).
  allow(['dynamodb:UpdateItem'], arn('DeadLettersTable')),
];

/**
 * A reaction runs commands (the command access, Idempotency-Key records included), reads what it
 * declares, moves its checkpoints, heals gaps and files dead letters as a view does, and, if the
 * app has a bus, puts events on that bus only.
 */
const reactionAccess = (reaction: Reaction, bus: boolean) => [
  ...COMMAND_ACCESS,
  ...(reaction.reads ?? []).map(readStatement),
  allow(['dynamodb:GetItem', 'dynamodb:PutItem'], arn(REACTIONS_TABLE_ID)),
  allow(['sqs:SendMessage'], { 'Fn::GetAtt': ['ProjectionsDeadLetterQueue', 'Arn'] }),
  allow(['dynamodb:UpdateItem'], arn('DeadLettersTable')),
  ...(bus ? [allow(['events:PutEvents'], arn(INTEGRATION_BUS_ID))] : []),
];

/** Queries: one read each, 256 MB is plenty; 6 s leaves room for minVersion's 1.5 s wait. */
const QUERY_SIZE = { memorySize: 256, timeout: 6 };
/** Projections: 512 MB / 60 s for a batch of 100 commits plus gap healing. */
const VIEW_SIZE = { memorySize: 512, timeout: 60 };

/**
 * `entries`: where the functions' entry files are; by default those the setting of the project in
 * the current folder declares (package.json `cqrsKit`).
 */
export const serverlessFunctions = (app: AppDefinition, entries: AppEntries = readAppSetting().entries): Json => {
  const entry = handlerOf(entries);
  const functions: Json = {};
  for (const [name, command] of Object.entries(app.commands)) {
    functions[name] = {
      handler: entry.http,
      iamRoleStatements: merged(commandAccess(command)),
      events: [httpApi(command.route.method, command.route.path, command.route.auth)],
    };
  }
  for (const [name, query] of Object.entries(app.queries)) {
    functions[name] = {
      handler: entry.http,
      ...QUERY_SIZE,
      iamRoleStatements: merged(query.reads.map(readStatement)),
      events: [httpApi(query.route.method, query.route.path, query.route.auth)],
    };
  }
  // GraphQL runs every command (with Idempotency-Key, as REST) and every query: the union of their access.
  functions.graphql = {
    handler: entry.graphql,
    iamRoleStatements: merged([
      ...Object.values(app.commands).flatMap(commandAccess),
      ...Object.values(app.queries).flatMap((q) => q.reads.map(readStatement)),
    ]),
    events: [httpApi('POST', '/graphql', 'jwt')],
  };
  // Every method and path no route declares (API Gateway's `$default` route): 404 or 405 in the
  // API's own error shape instead of the gateway's. No data access, but behind the JWT authorizer
  // like every route but the document: a public route is a function anyone can invoke (and pay for).
  functions.defaultRoute = {
    handler: entry.http,
    ...QUERY_SIZE,
    iamRoleStatements: [],
    events: [httpApi('*', '*', 'jwt')],
  };
  // Its own role with no data access: the document is built from the declaration. Public on purpose.
  functions.openapi = {
    handler: entry.openapi,
    ...QUERY_SIZE,
    iamRoleStatements: [],
    events: [httpApi('GET', '/openapi.json', 'none')],
  };
  for (const view of app.views) {
    functions[viewFunctionName(view)] = {
      handler: entry.view(view),
      ...VIEW_SIZE,
      iamRoleStatements: merged(viewAccess(view)),
      events: [{ stream: STREAM }],
    };
  }
  // Every reaction gets the bus's name; only its role says whether it may put events on it.
  const bus = (app.reactions ?? []).length > 0;
  for (const reaction of app.reactions ?? []) {
    functions[reactionFunctionName(reaction)] = {
      handler: entry.reaction(reaction),
      ...VIEW_SIZE,
      iamRoleStatements: merged(reactionAccess(reaction, bus)),
      environment: { INTEGRATION_BUS_NAME: { Ref: INTEGRATION_BUS_ID } },
      events: [{ stream: STREAM }],
    };
  }
  return functions;
};

/**
 * What an app with reactions adds to the stack: the checkpoints table (one item per reaction and
 * stream; it goes with the stack: a reaction re-run from scratch is answered from its keys) and the
 * EventBridge bus integration events go to.
 */
export const serverlessReactionResources = (app: AppDefinition, tablePrefix: string): Json =>
  (app.reactions ?? []).length === 0
    ? {}
    : {
        [REACTIONS_TABLE_ID]: {
          Type: 'AWS::DynamoDB::Table',
          DeletionPolicy: 'Delete',
          Properties: {
            TableName: `${tablePrefix}${REACTIONS_TABLE}`,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [
              { AttributeName: 'reaction', AttributeType: 'S' },
              { AttributeName: 'streamId', AttributeType: 'S' },
            ],
            KeySchema: [
              { AttributeName: 'reaction', KeyType: 'HASH' },
              { AttributeName: 'streamId', KeyType: 'RANGE' },
            ],
          },
        },
        [INTEGRATION_BUS_ID]: { Type: 'AWS::Events::EventBus', Properties: { Name: `${tablePrefix}integration` } },
      };

/** One on-demand table per view, rebuildable from the event log (so it goes with the stack). */
export const serverlessViewTables = (app: AppDefinition, tablePrefix: string): Json =>
  Object.fromEntries(
    app.views.map((view) => {
      const key = view.kind === 'stream' ? view.key : 'pk';
      const sortKey = hasItems(view) ? [VIEW_SORT_KEY] : [];
      const indexes = view.kind === 'stream' ? Object.entries(view.indexes ?? {}) : [];
      const attributes = new Set([
        key,
        ...sortKey,
        ...indexes.flatMap(([, i]) => [i.hash, ...(i.range ? [i.range] : [])]),
      ]);
      return [
        viewTableId(view),
        {
          Type: 'AWS::DynamoDB::Table',
          DeletionPolicy: 'Delete',
          Properties: {
            TableName: `${tablePrefix}${viewTableName(view)}`,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
            KeySchema: [
              { AttributeName: key, KeyType: 'HASH' },
              ...sortKey.map((name) => ({ AttributeName: name, KeyType: 'RANGE' })),
            ],
            ...(indexes.length
              ? {
                  GlobalSecondaryIndexes: indexes.map(([name, index]) => ({
                    IndexName: name,
                    KeySchema: [
                      { AttributeName: index.hash, KeyType: 'HASH' },
                      ...(index.range ? [{ AttributeName: index.range, KeyType: 'RANGE' }] : []),
                    ],
                    Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.include] },
                  })),
                }
              : {}),
          },
        },
      ];
    }),
  );
