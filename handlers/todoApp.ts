/**
 * Wiring of the todo app, shared by its handlers: config, clients, the event store and the
 * command pipeline, built once per container at cold start. No business rules here.
 */
import * as z from 'zod';
import {
  CommandPipeline,
  DynamoDbSnapshotStore,
  StateCache,
  DynamoDbEventStore,
  dynamoDbFromEnv,
  httpRoute,
  requireEnv,
  type Action,
  type RouteRequest,
  type RouteSchemas,
} from '../src';
import {
  TITLE_MAX_LENGTH,
  TODO_LIST_STREAM_TYPE,
  initialTodoListState,
  todoListReducer,
  type TodoListEvent,
  type TodoListState,
} from '../domain/todoList';

export const config = {
  eventsTable: requireEnv(process.env, 'EVENTS_TABLE'),
  listsTable: requireEnv(process.env, 'LISTS_TABLE'),
  statsTable: requireEnv(process.env, 'STATS_TABLE'),
  snapshotsTable: requireEnv(process.env, 'SNAPSHOTS_TABLE'),
};

const { client, documentClient } = dynamoDbFromEnv(process.env);
export { documentClient };
export const eventStore = new DynamoDbEventStore({ client, tableName: config.eventsTable });
export const todoLists = new CommandPipeline<TodoListState, TodoListEvent>({
  store: eventStore,
  aggregate: { streamType: TODO_LIST_STREAM_TYPE, initialState: initialTodoListState, reducer: todoListReducer },
  snapshots: {
    store: new DynamoDbSnapshotStore({ client, tableName: config.snapshotsTable }),
    every: 50,
    onError: (error) => console.error(JSON.stringify({ level: 'WARN', message: 'Snapshot not taken', error: String(error) })),
  },
  // Warm lists skip the read; bounded so a container's memory stays flat.
  cache: new StateCache<TodoListState>(500),
});

/** The GSI of the lists view that serves `GET /lists`. */
export const LISTS_BY_OWNER_INDEX = 'byOwner';

// ── request schemas ──────────────────────────────────────────────────────────
const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'must be an id');
export const titleBody = z.object({ title: z.string().trim().min(1).max(TITLE_MAX_LENGTH) }).strict();
export const listPath = z.object({ listId: id });
export const todoPath = z.object({ listId: id, todoId: id });
export const minVersionQuery = z.object({ minVersion: z.coerce.number().int().min(0).optional() }).strict();

/**
 * A route that runs one todo-list action: builds the payload from the validated request,
 * runs the pipeline on the list's stream, and answers with the ids and the new version.
 */
export const listCommand = <S extends RouteSchemas, P extends { listId: string }>(
  schemas: S,
  action: Action<TodoListState, P, TodoListEvent>,
  payloadOf: (request: RouteRequest<S>) => P,
  options: { statusCode?: number; answer?: (payload: P) => Record<string, string> } = {},
) =>
  httpRoute(schemas, async (request) => {
    const payload = payloadOf(request);
    const { version } = await todoLists.run({
      streamId: payload.listId,
      action,
      payload,
      ctx: { userId: request.userId, now: new Date().toISOString() },
      metadata: { userId: request.userId, correlationId: request.correlationId },
    });
    const ids = options.answer ? options.answer(payload) : { listId: payload.listId };
    return { statusCode: options.statusCode ?? 200, body: { ...ids, version } };
  });

/** Commands on one todo answer with both ids. */
export const todoAnswer = { answer: ({ listId, todoId }: { listId: string; todoId: string }) => ({ listId, todoId }) };
