/**
 * The peers, each driven the way its documentation shows, running the same domain
 * (our actions and reducer) on the same commands. They live in bench/node_modules (their
 * own package, installed by `npm run bench`), so they are loaded with `require` and typed
 * here by the little of their API the bench uses: `npm run typecheck` then checks bench/
 * without the peers installed, and the main install stays lean.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  TODO_LIST_EVENT_TYPES,
  initialTodoListState,
  todoListReducer,
  type TodoListEvent,
  type TodoListState,
} from '../domain/todoList';
import { contextNow, type TodoCommand } from './workload';
import type { CommandContext } from '../src';

/** Something that runs todo commands: a kit, a peer, or a floor. */
export interface CommandSystem {
  readonly name: string;
  run(command: TodoCommand): Promise<unknown>;
}

/** Whether two appends racing at the same expected version can both succeed (they must not). */
export interface RaceProbe {
  readonly name: string;
  racingAppendsBothWin(): Promise<boolean>;
}

const load = <T>(name: string): T => require(name) as T;

// ── Castore (@castore/core + adapters) ─────────────────────────────────────
interface CastoreEvent {
  readonly aggregateId: string;
  readonly version: number;
  readonly type: string;
  readonly timestamp?: string;
  readonly payload?: unknown;
  readonly metadata?: unknown;
}
interface CastoreAggregate {
  readonly aggregateId: string;
  readonly version: number;
  readonly list: TodoListState;
}
interface CastoreEventStore {
  getAggregate(aggregateId: string): Promise<{ aggregate: CastoreAggregate | undefined }>;
  pushEvent(event: CastoreEvent, options?: { prevAggregate?: CastoreAggregate }): Promise<unknown>;
}
interface CastoreStorageAdapter {
  pushEvent(event: CastoreEvent, options: { eventStoreId: string }): Promise<unknown>;
}
interface CastoreCore {
  EventType: new (options: { type: string }) => unknown;
  EventStore: new (options: {
    eventStoreId: string;
    eventTypes: unknown[];
    reducer: (aggregate: CastoreAggregate | undefined, event: CastoreEvent) => CastoreAggregate;
    eventStorageAdapter: CastoreStorageAdapter;
  }) => CastoreEventStore;
  Command: new (options: {
    commandId: string;
    requiredEventStores: CastoreEventStore[];
    handler: (input: TodoCommand & { ctx: CommandContext }, stores: CastoreEventStore[]) => Promise<unknown>;
  }) => { handler: (input: TodoCommand & { ctx: CommandContext }, stores: CastoreEventStore[]) => Promise<unknown> };
}

const CASTORE_STORE_ID = 'todoLists';

const castoreReducer = (aggregate: CastoreAggregate | undefined, event: CastoreEvent): CastoreAggregate => ({
  aggregateId: event.aggregateId,
  version: event.version,
  list: todoListReducer(aggregate?.list ?? initialTodoListState, {
    type: event.type,
    data: event.payload,
  } as TodoListEvent),
});

/** Castore's documented shape: an EventStore with a reducer, a Command that gets the aggregate and pushes events. */
const castoreSystem = (name: string, adapter: CastoreStorageAdapter): CommandSystem => {
  const { EventStore, EventType, Command } = load<CastoreCore>('@castore/core');
  const store = new EventStore({
    eventStoreId: CASTORE_STORE_ID,
    eventTypes: TODO_LIST_EVENT_TYPES.map((type) => new EventType({ type })),
    reducer: castoreReducer,
    eventStorageAdapter: adapter,
  });
  const command = new Command({
    commandId: 'RUN_TODO_COMMAND',
    requiredEventStores: [store],
    handler: async (input, [lists]) => {
      const { aggregate } = await lists!.getAggregate(input.listId);
      const events = input.action(aggregate?.list ?? initialTodoListState, input.payload, input.ctx);
      let version = aggregate?.version ?? 0;
      for (const event of events) {
        version += 1;
        await lists!.pushEvent(
          {
            aggregateId: input.listId,
            version,
            type: event.type,
            payload: event.data,
            timestamp: input.ctx.now,
            metadata: { userId: input.ctx.userId },
          },
          { prevAggregate: aggregate },
        );
      }
      return version;
    },
  });
  return { name, run: (c) => command.handler({ ...c, ctx: contextNow() }, [store]) };
};

/** Castore on DynamoDB: `DynamoDBSingleTableEventStorageAdapter`, one item per event. */
export const castoreDynamoDb = (client: DynamoDBClient, tableName: string): CommandSystem => {
  const { DynamoDBSingleTableEventStorageAdapter } = load<{
    DynamoDBSingleTableEventStorageAdapter: new (options: {
      tableName: string;
      dynamoDBClient: DynamoDBClient;
    }) => CastoreStorageAdapter;
  }>('@castore/event-storage-adapter-dynamodb');
  return castoreSystem('castore', new DynamoDBSingleTableEventStorageAdapter({ tableName, dynamoDBClient: client }));
};

/** The table Castore's DynamoDB adapter documents: `aggregateId` + `version`, and the `initialEvents` index. */
export const castoreTableDefinition = (tableName: string) => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST' as const,
  AttributeDefinitions: [
    { AttributeName: 'aggregateId', AttributeType: 'S' as const },
    { AttributeName: 'version', AttributeType: 'N' as const },
    { AttributeName: 'eventStoreId', AttributeType: 'S' as const },
    { AttributeName: 'timestamp', AttributeType: 'S' as const },
  ],
  KeySchema: [
    { AttributeName: 'aggregateId', KeyType: 'HASH' as const },
    { AttributeName: 'version', KeyType: 'RANGE' as const },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'initialEvents',
      KeySchema: [
        { AttributeName: 'eventStoreId', KeyType: 'HASH' as const },
        { AttributeName: 'timestamp', KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' as const },
    },
  ],
});

const inMemoryCastoreAdapter = (): CastoreStorageAdapter => {
  const { InMemoryEventStorageAdapter } = load<{ InMemoryEventStorageAdapter: new () => CastoreStorageAdapter }>(
    '@castore/event-storage-adapter-in-memory',
  );
  return new InMemoryEventStorageAdapter();
};

export const castoreInMemory = (): CommandSystem => castoreSystem('castore', inMemoryCastoreAdapter());

const castoreRace: RaceProbe = {
  name: 'castore',
  async racingAppendsBothWin() {
    const adapter = inMemoryCastoreAdapter();
    const event = (version: number, n: number): CastoreEvent => ({
      aggregateId: 'race',
      version,
      type: 'Happened',
      timestamp: '2026-01-01T00:00:00.000Z',
      payload: { n },
    });
    await adapter.pushEvent(event(1, 0), { eventStoreId: CASTORE_STORE_ID });
    const results = await Promise.allSettled(
      [1, 2].map((n) => adapter.pushEvent(event(2, n), { eventStoreId: CASTORE_STORE_ID })),
    );
    return results.every((r) => r.status === 'fulfilled');
  },
};

// ── evtstore ──────────────────────────────────────────────────────────────
interface EvtstoreProvider {
  append(stream: string, aggregateId: string, version: number, events: unknown[]): Promise<unknown>;
  createEvents(stream: string, aggregateId: string, version: number, events: unknown[]): unknown[];
}
interface EvtstoreAggregate {
  readonly list: TodoListState;
}
interface Evtstore {
  createAggregate(options: {
    stream: string;
    create: () => EvtstoreAggregate;
    fold: (event: TodoListEvent, aggregate: EvtstoreAggregate) => EvtstoreAggregate;
  }): unknown;
  createDomainV2(options: { provider: EvtstoreProvider }, aggregates: { list: unknown }): { domain: { list: unknown } };
  createCommands(
    aggregate: unknown,
    handlers: {
      run: (
        command: TodoCommand & { ctx: CommandContext },
        aggregate: EvtstoreAggregate,
      ) => Promise<readonly TodoListEvent[]>;
    },
  ): { run: (aggregateId: string, body: Omit<TodoCommand, 'listId'> & { ctx: CommandContext }) => Promise<unknown> };
}
const evtstoreProvider = () =>
  load<{ createProvider: () => EvtstoreProvider }>('evtstore/provider/memory').createProvider();

/** evtstore: `createDomainV2` + `createCommands` on its in-memory provider. */
export const evtstoreInMemory = (): CommandSystem => {
  const { createAggregate, createDomainV2, createCommands } = load<Evtstore>('evtstore');
  const { domain } = createDomainV2(
    { provider: evtstoreProvider() },
    {
      list: createAggregate({
        stream: 'todoList',
        create: () => ({ list: initialTodoListState }),
        fold: (event, aggregate) => ({ list: todoListReducer(aggregate.list, event) }),
      }),
    },
  );
  const commands = createCommands(domain.list, {
    run: async (command, aggregate) => command.action(aggregate.list, command.payload, command.ctx),
  });
  return {
    name: 'evtstore',
    run: ({ listId, action, payload }) => commands.run(listId, { action, payload, ctx: contextNow() }),
  };
};

const evtstoreRace: RaceProbe = {
  name: 'evtstore',
  async racingAppendsBothWin() {
    const provider = evtstoreProvider();
    const append = (version: number, n: number) =>
      provider.append('race', 'a', version, provider.createEvents('race', 'a', version, [{ type: 'Happened', n }]));
    await append(1, 0);
    const results = await Promise.allSettled([append(2, 1), append(2, 2)]);
    return results.every((r) => r.status === 'fulfilled');
  },
};

// ── Emmett (@event-driven-io/emmett) ──────────────────────────────────────
interface EmmettStore {
  appendToStream(streamName: string, events: unknown[], options?: { expectedStreamVersion?: bigint }): Promise<unknown>;
}
interface Emmett {
  getInMemoryEventStore(): EmmettStore;
  CommandHandler(options: {
    evolve: (state: TodoListState, event: TodoListEvent) => TodoListState;
    initialState: () => TodoListState;
  }): (store: EmmettStore, id: string, handle: (state: TodoListState) => TodoListEvent[]) => Promise<unknown>;
}

/** Emmett: `CommandHandler({ evolve, initialState })` on `getInMemoryEventStore()`. */
export const emmettInMemory = (): CommandSystem => {
  const emmett = load<Emmett>('@event-driven-io/emmett');
  const store = emmett.getInMemoryEventStore();
  const handle = emmett.CommandHandler({ evolve: todoListReducer, initialState: () => initialTodoListState });
  return {
    name: 'emmett',
    run: ({ listId, action, payload }) => {
      const ctx = contextNow();
      return handle(store, listId, (state) => [...action(state, payload, ctx)]);
    },
  };
};

const emmettRace: RaceProbe = {
  name: 'emmett',
  async racingAppendsBothWin() {
    const store = load<Emmett>('@event-driven-io/emmett').getInMemoryEventStore();
    const event = (n: number) => ({ type: 'Happened', data: { n } });
    await store.appendToStream('race', [event(0)]);
    const results = await Promise.allSettled(
      [1, 2].map((n) => store.appendToStream('race', [event(n)], { expectedStreamVersion: 1n })),
    );
    return results.every((r) => r.status === 'fulfilled');
  },
};

export const peerRaceProbes: readonly RaceProbe[] = [evtstoreRace, emmettRace, castoreRace];
