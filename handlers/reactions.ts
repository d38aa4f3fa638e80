/**
 * What the todo app does when something happens (src/reaction): a deleted tag leaves every todo
 * that carries it (found in the tagged-todos index, handlers/views.ts), and a completed todo is
 * told to the outside world as the public `TodoCompleted` (docs/integration-events.md).
 */
import { todoList } from '../domain';
import { cause, publish, reaction, reads } from '../src';
import { taggedTodosView, tags, todoLists } from './views';

export const reactions = [
  reaction({
    name: 'untagDeletedTag',
    on: tags,
    events: ['TagDeleted'],
    reads: [reads.item(taggedTodosView)],
    run: async ({ data: { tagId } }, _commit, views) =>
      todoList
        .todosCarrying(await views.totals(taggedTodosView, tagId))
        .map((todo) => cause('untagTodo', { params: { ...todo, tagId } })),
  }),
  reaction({
    name: 'publishTodoCompleted',
    on: todoLists,
    events: ['TodoCompleted'],
    run: (event, commit) => [publish('TodoCompleted', { ...todoList.todoCompletedV1(event, commit) })],
  }),
];
