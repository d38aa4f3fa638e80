/**
 * The todo-list queries' schemas: query strings and the views' answers (see ./schemas.ts for the
 * commands'), written once for REST, GraphQL and OpenAPI alike.
 */
import * as z from 'zod/mini';
import { todoList } from '../../domain';
import { queryInt } from '../../src';
import { count, id, minVersion, page } from '../api';
import { tagRef } from '../tags/schemas';

export const listsQuery = z
  .strictObject({
    ...page,
    minVersion,
    listId: z.optional(id).check(z.meta({ description: 'The list `minVersion` is about' })),
  })
  .check(
    z.refine((q) => q.minVersion === undefined || q.listId !== undefined, {
      message: 'minVersion needs listId (the list whose version the command returned)',
      path: ['listId'],
    }),
  );

/** A list as it is now (`minVersion`) or as it was at a past version (`atVersion`, folded from the event store). */
const readOptions = {
  minVersion,
  atVersion: z
    .optional(queryInt({ min: 1 }))
    .check(z.meta({ description: 'The list as it was right after this version' })),
};
const exclusiveVersions = z.refine<{ minVersion?: number; atVersion?: number }>(
  (q) => q.minVersion === undefined || q.atVersion === undefined,
  {
    message: 'minVersion and atVersion exclude each other',
    path: ['atVersion'],
  },
);
/** `GET /lists/{listId}?minVersion=N` or `?atVersion=N` (and GraphQL's `list(listId, minVersion, atVersion)`). */
export const listAtQuery = z.strictObject(readOptions).check(exclusiveVersions);

/** `GET /lists/{listId}/events?limit&nextToken`: a page holds `limit` commits (one command each, one or more events). */
export const eventsPageQuery = z.strictObject(page);

// ── answers ──

export const todo = z
  .object({ todoId: id, title: z.string(), completed: z.boolean(), tags: z.array(tagRef) })
  .check(z.meta({ id: 'Todo', description: 'A todo; `tags` holds its live tags (`[]` when none)' }));
export const listView = z
  .object({ listId: id, title: z.string(), archived: z.boolean(), todos: z.array(todo), version: count })
  .check(z.meta({ id: 'List', description: 'A todo list; `version` is the last command it reflects' }));
export const listSummary = z
  .object({
    listId: id,
    title: z.string(),
    openCount: count,
    completedCount: count,
    archived: z.boolean(),
    version: count,
  })
  .check(z.meta({ id: 'ListSummary' }));
export const listsPage = z
  .object({ items: z.array(listSummary), nextToken: z.optional(z.string()) })
  .check(z.meta({ id: 'ListsPage', description: "The caller's lists, newest first" }));

export const stats = z
  .object({ lists: count, openTodos: count, completedTodos: count })
  .check(
    z.meta({ id: 'Stats', description: "The caller's totals; archived lists are not counted" }),
  ) satisfies z.ZodMiniType<todoList.OwnerStats>;

const listEventFields = {
  version: count.check(z.meta({ description: 'The commit (command) that recorded the event' })),
  type: z.enum(todoList.TODO_LIST_EVENT_TYPES).check(z.meta({ id: 'EventType' })),
  data: z.record(z.string(), z.unknown()),
  at: z.iso.datetime(),
  userId: z.optional(z.string()).check(z.meta({ description: 'Who sent the command (audit)' })),
  correlationId: z
    .optional(z.string())
    .check(z.meta({ description: 'The request that wrote the commit (X-Correlation-Id or the gateway request id)' })),
  causationId: z.optional(z.string()).check(
    z.meta({
      description: 'What caused the commit when a reaction ran it: `<reaction>:<streamId>:<version>` of its cause',
    }),
  ),
};
export const listEvent = z.object(listEventFields).check(z.meta({ id: 'Event' }));
export const eventsPage = z
  .object({ items: z.array(listEvent), nextToken: z.optional(z.string()) })
  .check(z.meta({ id: 'EventsPage', description: 'Events in version order; `nextToken` while more commits follow' }));
