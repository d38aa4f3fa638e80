import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { DomainEvent } from '../contracts';
import {
  ConcurrencyError,
  KeyTakenError,
  assertGroup,
  commitFromInput,
  metadataOf,
  isLiveKey,
  type AppendInput,
  type CommandKey,
  type CommitSnapshot,
  type KeyRecord,
  type Commit,
  type EventStore,
  type ReadStreamOptions,
} from './eventStore';
import { identitySchema, type EventSchema, type StoredEvent } from './eventSchema';
import { appendStreamsToDynamoDb } from './dynamoDbMultiStream';
import type { MultiStreamAppendInput } from './multiStreamAppend';

/** Key schema of the events table, shared with the table definition and tests. */
export const EVENTS_TABLE_KEY = { partition: 'streamId', sort: 'version' } as const;
/** Key of the command-keys table (the `idempotency` table) and its TTL attribute. */
export const KEYS_TABLE_KEY = { partition: 'id', ttl: 'expiration' } as const;

type Item = Record<string, AttributeValue>;

/**
 * The largest snapshot (gzipped JSON) kept in a commit's item: a state this small adds a few
 * write units to one commit in `every`, keeps the item and its stream record far below
 * DynamoDB's 400 KB, and saves every load of a long stream its second read. A larger state is
 * kept by the snapshot store alone (split into parts there when it must be).
 */
export const MAX_KEPT_SNAPSHOT_BYTES = 32 * 1024;

export interface DynamoDbEventStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Schema versions and upcasters of the events; none by default. */
  readonly schema?: EventSchema;
  /** Where command keys are recorded (partition key `id`, TTL on `expiration`); needed for keyed appends. */
  readonly keysTableName?: string;
}

/**
 * One item per commit: `streamId` (S) + `version` (N), the events as one JSON string
 * (exact round-trip, one attribute to marshal), and the commit's metadata.
 */
export class DynamoDbEventStore implements EventStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly schema: EventSchema;
  private readonly keysTableName: string | undefined;

  constructor(options: DynamoDbEventStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.schema = options.schema ?? identitySchema;
    this.keysTableName = options.keysTableName;
  }

  private keysTable(): string {
    if (!this.keysTableName) throw new Error('A keyed append needs the store to have keysTableName');
    return this.keysTableName;
  }

  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one paged read with snapshot, range and limit options
  async readStream<TEvent extends DomainEvent = DomainEvent>(
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<Commit<TEvent>[]> {
    const from = options.fromVersion ?? 1;
    const to = options.toVersion;
    if (to !== undefined && to < from) return [];
    if (options.last !== undefined && options.last <= 0) return [];
    const commits: Commit<TEvent>[] = [];
    let startKey: Item | undefined;
    // For `last`, read backwards from the end and stop after `last` items.
    const backwards = options.last !== undefined;
    // Versions start at 1: reading from the start (the usual load) needs no condition on the version.
    const whole = to === undefined && from <= 1;
    const keyCondition = {
      KeyConditionExpression: whole
        ? '#s = :s'
        : to === undefined
          ? '#s = :s AND #v >= :from'
          : '#s = :s AND #v BETWEEN :from AND :to',
      ExpressionAttributeNames: {
        '#s': EVENTS_TABLE_KEY.partition,
        ...(whole ? {} : { '#v': EVENTS_TABLE_KEY.sort }),
      } as Record<string, string>,
      ExpressionAttributeValues: {
        ':s': { S: streamId },
        ...(whole ? {} : { ':from': { N: String(from) } }),
        ...(to === undefined ? {} : { ':to': { N: String(to) } }),
      },
    };
    // A stream can exceed one 1 MB page: follow LastEvaluatedKey to the end.
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          ...keyCondition,
          // A command must fold the latest commit, or it would only lose the append race.
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          ...(backwards ? { ScanIndexForward: false, Limit: (options.last ?? 0) - commits.length } : {}),
        }),
      );
      for (const item of page.Items ?? [])
        commits.push(commitFromItem<TEvent>(item, this.schema, options.withSnapshots));
      startKey = page.LastEvaluatedKey;
    } while (startKey && (!backwards || commits.length < (options.last ?? 0)));
    return backwards ? commits.reverse() : commits;
  }

  /** The conditional put of one commit (with the snapshot taken at it, if small enough). */
  private putOf(commit: Commit, snapshot: CommitSnapshot | undefined) {
    return {
      TableName: this.tableName,
      Item: withSnapshot(itemFromCommit(commit, this.schema), snapshot),
      // Optimistic concurrency: the version slot must be free, or another writer won.
      ConditionExpression: 'attribute_not_exists(#v)',
      ExpressionAttributeNames: { '#v': EVENTS_TABLE_KEY.sort },
    };
  }

  /**
   * A group of consecutive commits in one `TransactWriteItems`, each still its own item and
   * conditional put: all are written or none. A transaction costs two write units per item
   * (a lone put one), so the pipeline only groups commands that waited on one stream.
   */
  async appendMany<TEvent extends DomainEvent>(inputs: readonly AppendInput<TEvent>[]): Promise<Commit<TEvent>[]> {
    assertGroup(inputs);
    if (inputs.length === 1) return [await this.append(inputs[0]!)];
    const commits = inputs.map((input) => commitFromInput(input));
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: commits.map((commit, i) => ({ Put: this.putOf(commit, inputs[i]!.snapshot) })),
        }),
      );
    } catch (error) {
      // A slot taken, or another transaction on the same items in flight: a lost race.
      if (
        error instanceof TransactionCanceledException &&
        (error.CancellationReasons ?? []).some(
          (r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict',
        )
      ) {
        throw new ConcurrencyError(inputs[0]!.streamId, inputs[0]!.expectedVersion);
      }
      throw error;
    }
    return commits;
  }

  async append<TEvent extends DomainEvent>(input: AppendInput<TEvent>): Promise<Commit<TEvent>> {
    const commit = commitFromInput(input);
    const put = this.putOf(commit, input.snapshot);
    if (input.key) {
      await this.appendKeyed(put, input.key, commit);
      return commit;
    }
    try {
      await this.client.send(new PutItemCommand(put));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConcurrencyError(input.streamId, input.expectedVersion);
      }
      throw error;
    }
    return commit;
  }

  /**
   * The commit and its key in one transaction: both are written or neither. A retry of the
   * same call (a lost answer) is idempotent through the request token the SDK sets and keeps
   * across its retries; any later attempt finds the key taken.
   */
  private async appendKeyed(put: PutItemCommand['input'], key: CommandKey, commit: Commit): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: put as NonNullable<NonNullable<TransactWriteItemsCommand['input']['TransactItems']>[number]['Put']>,
            },
            {
              Put: {
                TableName: this.keysTable(),
                Item: {
                  [KEYS_TABLE_KEY.partition]: { S: key.id },
                  fingerprint: { S: key.fingerprint },
                  result: { S: key.result },
                  streamId: { S: commit.streamId },
                  version: { N: String(commit.version) },
                  [KEYS_TABLE_KEY.ttl]: { N: String(key.expiresAt) },
                },
                // An expired key may still be there (TTL deletes eventually): it no longer counts.
                ConditionExpression: 'attribute_not_exists(#id) OR #exp <= :now',
                ExpressionAttributeNames: { '#id': KEYS_TABLE_KEY.partition, '#exp': KEYS_TABLE_KEY.ttl },
                ExpressionAttributeValues: { ':now': { N: String(now) } },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const [commitReason, keyReason] = error.CancellationReasons ?? [];
        // The key first: a command that already took effect is answered, not retried.
        if (keyReason?.Code === 'ConditionalCheckFailed') throw new KeyTakenError(key.id);
        // The version slot taken, or another transaction on the same items in flight: a lost race.
        if (
          commitReason?.Code === 'ConditionalCheckFailed' ||
          [commitReason, keyReason].some((r) => r?.Code === 'TransactionConflict')
        ) {
          throw new ConcurrencyError(commit.streamId, commit.version - 1);
        }
      }
      throw error;
    }
  }

  /** Commits on several streams, checks on the streams only read, and the key: one transaction. */
  async appendStreams<TEvent extends DomainEvent>(input: MultiStreamAppendInput<TEvent>): Promise<Commit<TEvent>[]> {
    const { client, tableName, keysTableName, schema } = this;
    const itemOf = (commit: Commit, snapshot: CommitSnapshot | undefined) =>
      withSnapshot(itemFromCommit(commit, schema), snapshot);
    return appendStreamsToDynamoDb({ client, tableName, keysTableName, itemOf }, input);
  }

  async readKey(id: string): Promise<KeyRecord | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.keysTable(),
        Key: { [KEYS_TABLE_KEY.partition]: { S: id } },
        ConsistentRead: true,
      }),
    );
    if (!Item?.fingerprint?.S || !Item.streamId?.S || Item.result?.S === undefined) return undefined;
    const record: KeyRecord = {
      id,
      fingerprint: Item.fingerprint.S,
      result: Item.result.S,
      streamId: Item.streamId.S,
      version: Number(Item.version?.N),
      expiresAt: Number(Item[KEYS_TABLE_KEY.ttl]?.N),
    };
    return isLiveKey(record) ? record : undefined;
  }
}

/** The stored shape of a commit. Exported for the projection runner, which reads the same items from the stream. */
export const itemFromCommit = (commit: Commit, schema: EventSchema = identitySchema): Item => {
  const item: Item = {
    streamId: { S: commit.streamId },
    version: { N: String(commit.version) },
    streamType: { S: commit.streamType },
    commandId: { S: commit.commandId },
    at: { S: commit.at },
    events: { S: JSON.stringify(commit.events.map((e) => schema.toStored(e, commit.streamType))) },
  };
  const { userId, correlationId, causationId } = commit.metadata;
  if (userId !== undefined) item.userId = { S: userId };
  if (correlationId !== undefined) item.correlationId = { S: correlationId };
  if (causationId !== undefined) item.causationId = { S: causationId };
  return item;
};

/** DynamoDB's limit on one item: attribute names and values together. */
const MAX_ITEM_BYTES = 400 * 1024;

/** An item's size as DynamoDB counts it, from above (a number counted as its text). */
const itemBytes = (item: Item): number => {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    bytes += Buffer.byteLength(name);
    if (value.S !== undefined) bytes += Buffer.byteLength(value.S);
    else if (value.N !== undefined) bytes += value.N.length;
    else if (value.B !== undefined) bytes += value.B.length;
  }
  return bytes;
};

/**
 * The commit's item with the snapshot kept in it (`snapshotZ`, gzipped JSON), if it is small
 * enough and the item still fits: a snapshot never makes a commit too large to write.
 */
export const withSnapshot = (item: Item, snapshot: CommitSnapshot | undefined): Item => {
  if (!snapshot) return item;
  const zipped = gzipSync(JSON.stringify(snapshot.state));
  if (zipped.length > MAX_KEPT_SNAPSHOT_BYTES) return item;
  const kept: Item = { ...item, snapshotZ: { B: zipped }, snapshotReducer: { S: snapshot.reducerVersion } };
  return itemBytes(kept) + 1024 > MAX_ITEM_BYTES ? item : kept;
};

/** The snapshot kept in a commit's item; none if it has none or it cannot be read (a snapshot is never the truth). */
const snapshotFromItem = (item: Item): CommitSnapshot | undefined => {
  const zipped = item.snapshotZ?.B;
  const reducerVersion = item.snapshotReducer?.S;
  if (!zipped || reducerVersion === undefined) return undefined;
  try {
    return { reducerVersion, state: JSON.parse(gunzipSync(zipped).toString('utf8')) as unknown };
  } catch {
    return undefined;
  }
};

const s = (item: Item, name: string): string | undefined => item[name]?.S;

const required = (item: Item, name: string): string => {
  const value = s(item, name) ?? item[name]?.N;
  if (value === undefined) throw new Error(`Commit item lacks attribute ${name}`);
  return value;
};

export const commitFromItem = <TEvent extends DomainEvent = DomainEvent>(
  item: Item,
  schema: EventSchema = identitySchema,
  withSnapshots = false,
): Commit<TEvent> => {
  const metadata = metadataOf(s(item, 'userId'), s(item, 'correlationId'), s(item, 'causationId'));
  const events = JSON.parse(required(item, 'events')) as unknown;
  if (!Array.isArray(events)) throw new Error('Commit item has no events list');
  const streamType = required(item, 'streamType');
  const snapshot = withSnapshots ? snapshotFromItem(item) : undefined;
  return {
    streamId: required(item, 'streamId'),
    version: Number(required(item, 'version')),
    streamType,
    commandId: required(item, 'commandId'),
    at: required(item, 'at'),
    // An event an upcaster dropped (null) is left out; the commit keeps its version.
    events: (events as StoredEvent[]).flatMap((e) => schema.fromStored(e, streamType) ?? []) as TEvent[],
    metadata,
    ...(snapshot ? { snapshot } : {}),
  };
};
