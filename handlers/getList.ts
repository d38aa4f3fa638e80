import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { listNotFound, type ListView } from '../domain/todoList';
import { httpRoute, readAtLeast } from '../src';
import { config, documentClient, listPath, minVersionQuery } from './todoApp';

type StoredListView = ListView & { version: number };

/** GET /lists/{listId}[?minVersion=N] → 200 { listId, title, archived, todos, version } */
export const handler = httpRoute({ params: listPath, query: minVersionQuery }, async ({ params, query, userId }) => {
  const item = await readAtLeast(
    async () =>
      (await documentClient.send(new GetCommand({ TableName: config.listsTable, Key: { listId: params.listId } })))
        .Item as StoredListView | undefined,
    // Another owner's list never counts as caught up: it is answered as missing below.
    (view) => (view && view.ownerId === userId ? view.version : 0),
    query.minVersion,
  );
  if (!item || item.ownerId !== userId) throw listNotFound(params.listId);
  const { listId, title, archived, todos, version } = item;
  return { statusCode: 200, body: { listId, title, archived, todos, version } };
});
