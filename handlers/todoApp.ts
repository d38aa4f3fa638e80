/**
 * Wiring of the todo app, shared by its handlers: config, clients, the event store and the
 * command pipeline, built once per container at cold start. No business rules here.
 */
import {
  CommandPipeline,
  DynamoDbSnapshotStore,
  StateCache,
  DynamoDbEventStore,
  apiHandler,
  idempotentRequests,
  eventSchema,
  dynamoDbFromEnv,
  requireEnv,
  type RouteRequest,
  type RouteSchemas,
} from '../src';
import {
  TODO_LIST_STREAM_TYPE,
  initialTodoListState,
  todoListReducer,
  todoListUpcasters,
  type TodoListEvent,
  type TodoListState,
} from '../domain/todoList';
import type { ListCommand } from './todoCommands';

export const config = {
  eventsTable: requireEnv(process.env, 'EVENTS_TABLE'),
  listsTable: requireEnv(process.env, 'LISTS_TABLE'),
  statsTable: requireEnv(process.env, 'STATS_TABLE'),
  snapshotsTable: requireEnv(process.env, 'SNAPSHOTS_TABLE'),
  idempotencyTable: requireEnv(process.env, 'IDEMPOTENCY_TABLE'),
};

const { client, documentClient } = dynamoDbFromEnv(process.env);
export { documentClient };
export const eventStore = new DynamoDbEventStore({ client, tableName: config.eventsTable, schema: eventSchema(todoListUpcasters) });
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

// ── commands ─────────────────────────────────────────────────────────────────
/** What a command needs from a validated request, whether it came over REST or GraphQL. */
export type CommandRequest<S extends RouteSchemas> = Pick<RouteRequest<S>, 'body' | 'params' | 'userId' | 'correlationId'>;

/**
 * Runs one command through the pipeline on its list's stream. Answers the payload and the
 * new version; the route's answer schema (REST) or GraphQL type keeps only the ids of it.
 */
export const runListCommand = async <S extends RouteSchemas, P extends { listId: string }>(
  command: ListCommand<S, P>,
  request: CommandRequest<S>,
): Promise<P & { version: number }> => {
  const payload = command.payloadOf(request);
  const { version } = await todoLists.run({
    streamId: payload.listId,
    action: command.action,
    payload,
    ctx: { userId: request.userId, now: new Date().toISOString() },
    metadata: { userId: request.userId, correlationId: request.correlationId },
  });
  return { ...payload, version };
};

/** The REST route of a command: validated by its route, answered with its route's status and schema. */
export const listCommandRoute = <S extends RouteSchemas, P extends { listId: string }>(command: ListCommand<S, P>) =>
  apiHandler(command.route, (request) => runListCommand(command, request), idempotency);

/** `Idempotency-Key` on every command route (see `idempotentRequests`). */
const idempotency = idempotentRequests({ client, tableName: config.idempotencyTable });
