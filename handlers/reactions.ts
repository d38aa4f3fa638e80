/**
 * What the todo app does when something happens (src/reaction), one row a reaction named by its key: a
 * deleted tag leaves every todo that carries it (found in the tagged-todos index, handlers/views.ts),
 * and a completed todo is told to the outside world as the public `TodoCompleted`
 * (docs/integration-events.md). The decisions are the domain's pure functions.
 */
import { todoList } from '../domain';
import { reactionsOf } from '../src';
import { todoListCommands } from './todoLists/commands';
import { taggedTodosView, tags, todoLists } from './views';

export const reactions = reactionsOf(todoListCommands, (on) => ({
  untagDeletedTag: on(tags, 'TagDeleted')
    .readsTotals(taggedTodosView, 'tagId')
    .cause('untagTodo', todoList.untagsOfDeletedTag),
  publishTodoCompleted: on(todoLists, 'TodoCompleted').publish('TodoCompleted', todoList.todoCompletedV1),
}));
