/**
 * The todo API's schemas, written once: they validate requests (REST routes and GraphQL
 * arguments), shape answers, and generate both the OpenAPI document and the GraphQL types
 * (the kit derives both from the app's declaration, handlers/app.ts). `z.meta({ id })` names a schema in
 * both; the schema named `ID` is GraphQL's ID scalar. They use `zod/mini` (any zod 4 schema works): its
 * functions tree-shake, so a function starts ~30 ms sooner than with classic `zod` (bench part 6).
 */
import * as z from 'zod/mini';
import { kitId, queryInt, routesFor, textField } from '../../src';
import { tag, todoList } from '../../domain';

// ── requests ─────────────────────────────────────────────────────────────────
/** A list, todo or tag id: only what the kit mints (a lower-case UUID), in paths, queries and answers alike. */
export const id = kitId;
const count = z.int().check(z.minimum(0));
/** How this app's routes are built: error codes from its domain's unions (a code it does not raise does not compile), path parameters are ids. */
export const route = routesFor<todoList.TodoListErrorCode | tag.TagsErrorCode>({ pathParam: id });
const version = queryInt({ min: 0 });
const minVersion = z.optional(version).check(
  z.meta({
    description:
      'Read-your-writes: wait up to 1.5 s for the view to reach this version (the one a command returned), else 503 VIEW_BEHIND',
  }),
);
const page = {
  limit: z.optional(queryInt({ min: 1, max: 100 })).check(z.meta({ description: 'Page size, 1 to 100 (default 50)' })),
  nextToken: z
    .optional(z.string().check(z.maxLength(2048)))
    .check(z.meta({ description: 'The `nextToken` of the previous page' })),
};

export const titleBody = z.strictObject({ title: textField({ max: todoList.TITLE_MAX_LENGTH }) });
export const nameBody = z.strictObject({ name: textField({ max: tag.TAG_NAME_MAX_LENGTH }) });
export const moveBody = z.strictObject({ toListId: id });
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

// ── answers ──────────────────────────────────────────────────────────────────
export const listCommandAnswer = z.object({ listId: id, version: count }).check(
  z.meta({
    id: 'ListCommandAnswer',
    description: "The list's version after the command (unchanged when it changed nothing)",
  }),
);
export const todoCommandAnswer = z.object({ listId: id, todoId: id, version: count }).check(
  z.meta({
    id: 'TodoCommandAnswer',
    description: "The list's version after the command (unchanged when it changed nothing)",
  }),
);
export const moveAnswer = z
  .object({ listId: id, todoId: id, toListId: id, version: count, toVersion: count })
  .check(z.meta({ id: 'MoveAnswer', description: "Both lists' versions after the move (`version`: the source's)" }));

export const tagCommandAnswer = z
  .object({ tagId: id, version: count })
  .check(z.meta({ id: 'TagCommandAnswer', description: "Your tags' version after the command" }));
export const tagSummary = z.object({ tagId: id, name: z.string(), todoCount: count }).check(z.meta({ id: 'Tag' }));
export const tagsPage = z
  .object({ items: z.array(tagSummary) })
  .check(
    z.meta({ id: 'Tags', description: 'Your live tags by name, with how many of your todos in open lists carry each' }),
  );

export const tagRef = z
  .object({ tagId: id, name: z.string() })
  .check(z.meta({ id: 'TagRef', description: "A tag on a todo, with the tag's current name" }));
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
