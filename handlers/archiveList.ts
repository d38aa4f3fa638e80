import { archiveList } from '../domain/todoList';
import { listCommand, listPath } from './todoApp';

/** DELETE /lists/{listId} → 200 { listId, version }: archives the list. */
export const handler = listCommand({ params: listPath }, archiveList, (r) => ({ listId: r.params.listId }));
