import { createList } from '../domain/todoList';
import { newId } from '../src';
import { listCommand, titleBody } from './todoApp';

/** POST /lists → 201 { listId, version } */
export const handler = listCommand({ body: titleBody }, createList, (r) => ({ listId: newId(), title: r.body.title }), {
  statusCode: 201,
});
