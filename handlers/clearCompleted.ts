import { clearCompleted } from '../domain/todoList';
import { listCommand, listPath } from './todoApp';

/** POST /lists/{listId}/clear-completed → 200 { listId, version }: one commit, many events. */
export const handler = listCommand({ params: listPath }, clearCompleted, (r) => ({ listId: r.params.listId }));
