import { renameList } from '../domain/todoList';
import { listCommand, listPath, titleBody } from './todoApp';

/** PATCH /lists/{listId} → 200 { listId, version } */
export const handler = listCommand({ body: titleBody, params: listPath }, renameList, (r) => ({
  listId: r.params.listId,
  title: r.body.title,
}));
