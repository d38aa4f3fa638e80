import { TODO_LIST_STREAM_TYPE, evolveListView, todoListUpcasters } from '../domain/todoList';
import { eventSchema, projectionHandlerFromEnv, streamViewProjection, type ProjectionDeps } from '../src';

/** The lists view: one item per list (GET /lists/{listId}, and GET /lists through its owner index). */
export const listsView = ({ documentClient, store, tableName }: ProjectionDeps) =>
  streamViewProjection({
    name: 'listsView',
    streamType: TODO_LIST_STREAM_TYPE,
    client: documentClient,
    tableName,
    keyAttribute: 'listId',
    store,
    evolve: evolveListView,
  });

export const handler = projectionHandlerFromEnv('LISTS_TABLE', listsView, { schema: eventSchema(todoListUpcasters) });
