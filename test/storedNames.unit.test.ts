/**
 * Names that are written into DynamoDB and read back by later code: table key attributes,
 * the kit's bookkeeping attributes and item keys, the app's view tables (the domain's stream
 * and event types are pinned in test/domain/storedNames). Renaming one in code does not
 * rename what is stored: every existing stream, view item, snapshot or dead letter under the
 * old name would be orphaned (unreadable, or decoded as unknown). They may never change; a
 * new name needs a migration, not an edit. This test pins them as literals.
 */
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  COUNTER_TABLE_KEY,
  counterCheckpointKey,
  counterTotalKey,
  DEAD_LETTERS_TABLE,
  DynamoDbSnapshotStore,
  dynamoDbDeadLetters,
  EVENTS_TABLE_KEY,
  VIEW_DELETED_ATTRIBUTE,
  VIEW_UPDATED_AT_ATTRIBUTE,
  VIEW_VERSION_ATTRIBUTE,
} from '../src';
import { listsView, statsView, tagCountsView, todoLists } from '../handlers/views';
import { tags, tagsView } from '../handlers/views';

describe('stored names never change', () => {
  it('the aggregates are declared under the stream types of the domain', () => {
    expect([todoLists.streamType, tags.streamType]).toEqual(['todoList', 'tags']);
  });

  it('the events table key: partition streamId, sort version', () => {
    expect(EVENTS_TABLE_KEY).toEqual({ partition: 'streamId', sort: 'version' });
  });

  it("the kit's attributes on view items, and the counter tables' keys", () => {
    expect([VIEW_VERSION_ATTRIBUTE, VIEW_UPDATED_AT_ATTRIBUTE, VIEW_DELETED_ATTRIBUTE]).toEqual([
      'version',
      'updatedAt',
      'deleted',
    ]);
    expect(COUNTER_TABLE_KEY).toBe('pk');
    expect(counterTotalKey('alice')).toBe('total#alice');
    expect(counterCheckpointKey('l1')).toBe('stream#l1');
  });

  it("the app's views: each name names a table, and a stream view's key is its table's key", () => {
    expect([listsView, statsView, tagCountsView, tagsView].map((view) => view.name)).toEqual([
      'lists',
      'stats',
      'tagCounts',
      'tags',
    ]);
    expect([listsView.key, tagsView.key]).toEqual(['listId', 'streamId']);
    expect(listsView.indexes).toMatchObject({ byOwner: { hash: 'ownerId', range: 'createdAt' } });
  });

  it('snapshot items: the head under the stream id, each further part under <streamId>#snapshot@<version>#<i>', async () => {
    const items: Record<string, unknown>[] = [];
    const client = {
      send: async (command: unknown) => {
        if (command instanceof PutItemCommand) items.push(command.input.Item ?? {});
        return {};
      },
    } as unknown as DynamoDBClient;
    // Parts of one byte: a state of any size is split, so every part key shows.
    await new DynamoDbSnapshotStore({ client, tableName: 'snapshots', partBytes: 1 }).put({
      streamId: 'l1',
      version: 7,
      reducerVersion: '1',
      state: { a: 1 },
    });
    const keys = items.map((item) => (item.streamId as { S: string }).S);
    expect(keys.at(-1)).toBe('l1');
    expect(keys.slice(0, 3)).toEqual(['l1#snapshot@7#1', 'l1#snapshot@7#2', 'l1#snapshot@7#3']);
    expect(Object.keys(items.at(-1) ?? {}).sort()).toEqual([
      'parts',
      'reducerVersion',
      'stateZ',
      'streamId',
      'version',
    ]);
  });

  it('dead letters: the table name, and items keyed by view and stream id', async () => {
    expect(DEAD_LETTERS_TABLE).toBe('deadLetters');
    const sent: { input: { Key?: unknown } }[] = [];
    const client = {
      send: async (command: { input: { Key?: unknown } }) => void sent.push(command),
    } as unknown as DynamoDBDocumentClient;
    await dynamoDbDeadLetters(client, 'deadLetters').record('lists', 'l1', [3, 4], new Error('boom'));
    expect(sent.map((c) => c.input.Key)).toEqual([{ view: 'lists', streamId: 'l1' }]);
  });
});
