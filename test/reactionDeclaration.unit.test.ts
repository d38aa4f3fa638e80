/**
 * The short form of a reaction (`reactionsOf`): one row each, named by its key, with its event names,
 * the decision's event type and the caused command's name and fields checked by the compiler (the
 * `@ts-expect-error` rows fail `tsc --noEmit` if they ever compile), and the decision a pure function of
 * domain/ (tested here as one). What the rows declare runs as the long form does (test/reactions.unit.test.ts).
 */
import { todoList } from '../domain';
import { reactions } from '../handlers/reactions';
import { todoListCommands } from '../handlers/todoLists/commands';
import { taggedTodosView, tags, todoLists } from '../handlers/views';
import { reactionsOf, type CausingCommit, type QueryContext } from '../src';

const commit: CausingCommit = {
  streamId: 'tags#alice',
  id: 'alice',
  version: 4,
  at: '2026-01-02T03:04:05.000Z',
  userId: 'alice',
};

describe('the domain decisions of the todo app reactions', () => {
  it('untagsOfDeletedTag: one untag per todo still carrying the tag, none for one untagged since', () => {
    const carrying = { 'l1/t1': 1, 'l1/t2': 0, 'l2/t3': 1 };
    expect(todoList.untagsOfDeletedTag({ data: { tagId: 'g' } }, commit, carrying)).toEqual([
      { listId: 'l1', todoId: 't1', tagId: 'g' },
      { listId: 'l2', todoId: 't3', tagId: 'g' },
    ]);
    expect(todoList.untagsOfDeletedTag({ data: { tagId: 'g' } }, commit, {})).toEqual([]);
  });
});

describe('reactionsOf: a reaction in one row', () => {
  it('names each reaction by its key and keeps its aggregate, events and reads', () => {
    expect(reactions.map((r) => [r.name, r.on.streamType, r.events, r.reads])).toEqual([
      ['untagDeletedTag', tags.streamType, ['TagDeleted'], [{ kind: 'viewItem', view: taggedTodosView }]],
      ['publishTodoCompleted', todoLists.streamType, ['TodoCompleted'], undefined],
    ]);
  });

  it('reads the totals under the event field it names and splits caused fields into path params and body', async () => {
    const asked: string[] = [];
    const context = {
      totals: async (view: { name: string }, key: string) => {
        asked.push(`${view.name}:${key}`);
        return { 'l1/t1': 1 };
      },
    } as unknown as QueryContext;
    const [untag] = reactions;
    const effects = await untag!.run({ type: 'TagDeleted', data: { tagId: 'g' } }, commit, context);
    expect(asked).toEqual(['taggedTodos:g']);
    expect(effects).toEqual([
      { kind: 'command', command: 'untagTodo', params: { listId: 'l1', todoId: 't1', tagId: 'g' }, body: {} },
    ]);
    const [renamed] = reactionsOf(todoListCommands, (on) => ({
      renameOnCreate: on(todoLists, 'ListCreated').cause('renameList', (event) => [
        { listId: event.data.listId, title: `${event.data.title}!` },
      ]),
    }));
    const created = { type: 'ListCreated', data: { listId: 'l9', title: 'home', ownerId: 'alice' } } as const;
    expect(await renamed!.run(created, commit, context)).toEqual([
      { kind: 'command', command: 'renameList', params: { listId: 'l9' }, body: { title: 'home!' } },
    ]);
  });

  it('publishes the public shape the decision returns', async () => {
    const [, published] = reactions;
    const event = { type: 'TodoCompleted', data: { todoId: 't1' } };
    const listCommit = { ...commit, streamId: 'l1', id: 'l1' };
    expect(await published!.run(event, listCommit, {} as QueryContext)).toEqual([
      {
        kind: 'publish',
        type: 'TodoCompleted',
        detail: { version: 1, listId: 'l1', todoId: 't1', ownerId: 'alice', completedAt: commit.at },
      },
    ]);
  });

  it('refuses, when declared, a command the commands given do not hold', () => {
    const commands = todoListCommands as unknown as Record<string, (typeof todoListCommands)['untagTodo']>;
    expect(() => reactionsOf(commands, (on) => ({ x: on(tags, 'TagDeleted').cause('nope', () => []) }))).toThrow(
      'No command nope to cause',
    );
  });

  it('checks event names, event payloads, read fields and caused command names and fields at compile time', () => {
    const declare = () =>
      reactionsOf(todoListCommands, (on) => ({
        // @ts-expect-error: not an event of the tags aggregate
        a: on(tags, 'TodoCompleted').publish('X', () => ({})),
        // @ts-expect-error: TagDeleted carries no `name`
        b: on(tags, 'TagDeleted').publish('X', (event) => ({ name: event.data.name })),
        c: on(tags, 'TagDeleted')
          // @ts-expect-error: TagDeleted has no field `listId` to read the totals by
          .readsTotals(taggedTodosView, 'listId')
          .publish('X', () => ({})),
        // @ts-expect-error: not a command of the commands given
        d: on(tags, 'TagDeleted').cause('deleteTag', () => []),
        // @ts-expect-error: untagTodo's fields are listId, todoId and tagId (strings)
        e: on(tags, 'TagDeleted').cause('untagTodo', (event) => [{ listId: 'l', todoId: 7, tagId: event.data.tagId }]),
        // @ts-expect-error: untagTodo needs a todoId
        f: on(tags, 'TagDeleted').cause('untagTodo', (event) => [{ listId: 'l', tagId: event.data.tagId }]),
        g: on(tags, 'TagDeleted')
          .readsTotals(taggedTodosView, 'tagId')
          // @ts-expect-error: the totals read is a record of counts, not a list
          .cause('untagTodo', (_e, _c, read) => read),
        ok: on(tags, 'TagDeleted')
          .readsTotals(taggedTodosView, 'tagId')
          .cause('untagTodo', todoList.untagsOfDeletedTag),
      }));
    // The compiler's refusals are the `@ts-expect-error` rows (tsc --noEmit); at run time the unknown command throws.
    expect(declare).toThrow('No command deleteTag to cause');
  });
});
