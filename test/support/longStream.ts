import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { TODO_LIST_STREAM_TYPE, type TodoListEvent } from '../../domain/todoList';
import { itemFromCommit, type Commit } from '../../src';

/**
 * Writes a todo-list stream of `n` commits straight into an events table (25 per batch):
 * created, then alternately a todo added and removed. Returns the commits.
 */
export const seedLongStream = async (client: DynamoDBClient, tableName: string, streamId: string, n: number) => {
  const commits: Commit<TodoListEvent>[] = [];
  for (let v = 1; v <= n; v += 1) {
    const events: TodoListEvent[] =
      v === 1
        ? [{ type: 'ListCreated', data: { listId: streamId, ownerId: 'alice', title: 'long' } }]
        : v % 2 === 0
          ? [{ type: 'TodoAdded', data: { todoId: `t${v}`, title: `todo ${v}` } }]
          : [{ type: 'TodoRemoved', data: { todoId: `t${v - 1}` } }];
    commits.push({
      streamId,
      version: v,
      streamType: TODO_LIST_STREAM_TYPE,
      commandId: randomUUID(),
      at: '2026-01-01T00:00:00.000Z',
      events,
      metadata: { userId: 'alice' },
    });
  }
  for (let i = 0; i < commits.length; i += 25) {
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [tableName]: commits.slice(i, i + 25).map((c) => ({ PutRequest: { Item: itemFromCommit(c) } })),
        },
      }),
    );
  }
  return commits;
};
