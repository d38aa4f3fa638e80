import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { HttpError, httpRoute, readAtLeast } from '../src';
import { LISTS_BY_OWNER_INDEX, config, documentClient } from './todoApp';

const query = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).optional(),
    nextToken: z.string().max(2048).optional(),
    // Read-your-writes for one list: wait until `listId` shows at least `minVersion`.
    minVersion: z.coerce.number().int().min(0).optional(),
    listId: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((q) => q.minVersion === undefined || q.listId !== undefined, {
    message: 'minVersion needs listId (the list whose version the command returned)',
    path: ['listId'],
  });

const startKey = z.object({ listId: z.string(), ownerId: z.string(), createdAt: z.string() }).strict();

/** A page token is the view's LastEvaluatedKey; one naming another owner is refused, not used. */
const decodeToken = (token: string | undefined, userId: string) => {
  if (token === undefined) return undefined;
  try {
    const key = startKey.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    if (key.ownerId === userId) return key;
  } catch {
    // fall through to the 400 below
  }
  throw new HttpError(400, 'INVALID_NEXT_TOKEN', 'nextToken is not a token this API gave you');
};

interface ListRow {
  listId: string;
  title: string;
  openCount: number;
  completedCount: number;
  archived: boolean;
  version: number;
}

/** GET /lists[?limit&nextToken&listId&minVersion] → 200 { items, nextToken? }, newest first. */
export const handler = httpRoute({ query }, async ({ query: q, userId }) => {
  const exclusiveStartKey = decodeToken(q.nextToken, userId);
  const page = await readAtLeast(
    () =>
      documentClient.send(
        new QueryCommand({
          TableName: config.listsTable,
          IndexName: LISTS_BY_OWNER_INDEX,
          KeyConditionExpression: 'ownerId = :o',
          ExpressionAttributeValues: { ':o': userId },
          ScanIndexForward: false,
          Limit: q.limit ?? 50,
          ExclusiveStartKey: exclusiveStartKey,
        }),
      ),
    (result) => ((result.Items ?? []) as ListRow[]).find((i) => i.listId === q.listId)?.version ?? 0,
    q.minVersion,
  );
  const items = ((page.Items ?? []) as ListRow[]).map(({ listId, title, openCount, completedCount, archived, version }) => ({
    listId,
    title,
    openCount,
    completedCount,
    archived,
    version,
  }));
  const nextToken = page.LastEvaluatedKey
    ? Buffer.from(JSON.stringify(page.LastEvaluatedKey), 'utf8').toString('base64url')
    : undefined;
  return { statusCode: 200, body: nextToken ? { items, nextToken } : { items } };
});
