import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Snapshot, SnapshotStore } from './snapshotStore';

/**
 * Bytes of compressed state per item. DynamoDB caps an item at 400 KB (names and values
 * together); this leaves room for the keys and the bookkeeping attributes.
 */
export const SNAPSHOT_PART_BYTES = 350 * 1024;

type Item = Record<string, AttributeValue>;

/** The item holding part `i` (1…) of a snapshot: its own key, immutable, named by the snapshot's version. */
const partKey = (streamId: string, version: number, i: number) => `${streamId}#snapshot@${version}#${i}`;

/**
 * Snapshots table: partition key `streamId`. The state is stored gzipped (JSON text of a fold
 * compresses several times over), so a snapshot costs a few write units; a state that is
 * still over one item's worth is split into parts, each its own item written before the
 * head item that names them, so a snapshot is never too large to store, whatever the domain
 * allows. A reader that misses a part (a race with a newer snapshot) reads no snapshot and
 * folds from the events: a snapshot is an optimisation, never the truth.
 */
export class DynamoDbSnapshotStore implements SnapshotStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly partBytes: number;

  constructor(options: { client: DynamoDBClient; tableName: string; partBytes?: number }) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.partBytes = options.partBytes ?? SNAPSHOT_PART_BYTES;
  }

  private async item(streamId: string): Promise<Item | undefined> {
    // An eventually consistent read is enough: an older snapshot is still a correct starting point.
    return (
      await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { streamId: { S: streamId } } }))
    ).Item;
  }

  async get<TState>(streamId: string): Promise<Snapshot<TState> | undefined> {
    const head = await this.item(streamId);
    if (!head?.version?.N || !head.reducerVersion?.S) return undefined;
    const version = Number(head.version.N);
    let json: string;
    if (head.state?.S !== undefined)
      json = head.state.S; // stored before compression
    else if (head.stateZ?.B) {
      const parts = Number(head.parts?.N ?? '1');
      const rest = await Promise.all(
        Array.from({ length: parts - 1 }, (_, i) => this.item(partKey(streamId, version, i + 1))),
      );
      if (rest.some((part) => !part?.stateZ?.B)) return undefined;
      json = gunzipSync(Buffer.concat([head.stateZ.B, ...rest.map((part) => part!.stateZ!.B!)])).toString('utf8');
    } else return undefined;
    return { streamId, version, reducerVersion: head.reducerVersion.S, state: JSON.parse(json) as TState };
  }

  async put<TState>(snapshot: Snapshot<TState>): Promise<void> {
    const zipped = gzipSync(JSON.stringify(snapshot.state));
    const chunks: Buffer[] = [];
    for (let at = 0; at < zipped.length || chunks.length === 0; at += this.partBytes)
      chunks.push(zipped.subarray(at, at + this.partBytes));
    // Parts first: the head item must never name a part that is not there yet.
    await Promise.all(
      chunks.slice(1).map((chunk, i) =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: { streamId: { S: partKey(snapshot.streamId, snapshot.version, i + 1) }, stateZ: { B: chunk } },
          }),
        ),
      ),
    );
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            streamId: { S: snapshot.streamId },
            version: { N: String(snapshot.version) },
            reducerVersion: { S: snapshot.reducerVersion },
            stateZ: { B: chunks[0]! },
            parts: { N: String(chunks.length) },
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
