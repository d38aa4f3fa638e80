import { STATS_COUNTERS, TODO_LIST_STREAM_TYPE, evolveListStats, statsContribution, statsOwnerOf, todoListUpcasters } from '../domain/todoList';
import { counterViewProjection, eventSchema, projectionHandlerFromEnv, type ProjectionDeps } from '../src';

/** The stats view: per-owner totals across lists (GET /stats); archived lists do not count. */
export const statsView = ({ documentClient, store, tableName }: ProjectionDeps) =>
  counterViewProjection({
    name: 'statsView',
    streamType: TODO_LIST_STREAM_TYPE,
    client: documentClient,
    tableName,
    store,
    counters: STATS_COUNTERS,
    evolve: evolveListStats,
    totalKeyOf: statsOwnerOf,
    contribution: statsContribution,
  });

export const handler = projectionHandlerFromEnv('STATS_TABLE', statsView, { schema: eventSchema(todoListUpcasters) });
