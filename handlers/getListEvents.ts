import { assertCanRead, foldTodoList, type TodoListEvent } from '../domain/todoList';
import { httpRoute } from '../src';
import { eventStore, listPath } from './todoApp';

/** GET /lists/{listId}/events → 200 { items: [{ version, type, data, at }] } from the event store. */
export const handler = httpRoute({ params: listPath }, async ({ params, userId }) => {
  const commits = await eventStore.readStream<TodoListEvent>(params.listId);
  assertCanRead(foldTodoList(commits.flatMap((c) => c.events)), params.listId, { userId, now: '' });
  const items = commits.flatMap((c) => c.events.map((e) => ({ version: c.version, type: e.type, data: e.data, at: c.at })));
  return { statusCode: 200, body: { items } };
});
