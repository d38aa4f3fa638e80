/**
 * The app declaration's checks and the names it derives: stream ids (stored in the events
 * table) and view table names. A declaration the checks refuse never deploys.
 */
import { app } from '../handlers/app';
import { tags, tagsView } from '../handlers/views';
import { listsView, statsView, todoLists } from '../handlers/views';
import { defineAggregate, defineApp, reaction, type Reaction } from '../src';
import { appEventSchema, viewTableName } from '../src/app/definition';
import { serverlessFunctions } from '../src/app/serverless';

const aggregate = (streamPrefix?: string) =>
  defineAggregate({
    streamType: 'thing',
    initialState: null,
    reducer: (state: null) => state,
    ...(streamPrefix === undefined ? {} : { streamPrefix }),
  });

describe('defineAggregate', () => {
  it('stores an aggregate’s ids under its prefix, and reads them back without it', () => {
    expect(tags.streamIdOf('alice')).toBe('tags#alice');
    expect(tags.idOf('tags#alice')).toBe('alice');
    expect(todoLists.streamIdOf('l1')).toBe('l1');
    expect(todoLists.idOf('l1')).toBe('l1');
  });

  it('takes its stream type and # as the prefix when none is given, and none when given as empty', () => {
    expect(aggregate().streamPrefix).toBe('thing#');
    expect(aggregate().streamIdOf('t1')).toBe('thing#t1');
    expect(aggregate('').streamIdOf('t1')).toBe('t1');
  });

  it('refuses a stream type that makes no prefix when none is given', () => {
    expect(() => defineAggregate({ streamType: 'my thing', initialState: null, reducer: (s: null) => s })).toThrow(
      /streamType my thing is no name for a stream prefix: give streamPrefix/,
    );
  });

  it.each(['tags#', 'tagCounts2#'])('takes %s as a prefix', (prefix) => {
    expect(aggregate(prefix).streamPrefix).toBe(prefix);
  });

  it.each(['tags', 'Tags#', '2tags#', 'my tags#', 'x/tags#', 'tags#x'])(
    'refuses %s as a prefix: a name followed by #',
    (prefix) => {
      expect(() => aggregate(prefix)).toThrow(/must be a name followed by #/);
    },
  );
});

describe('viewTableName', () => {
  it('is the view’s name, with -items for a view whose children are items of their own (another key schema)', () => {
    expect([listsView, tagsView, statsView].map(viewTableName)).toEqual(['lists-items', 'tags', 'stats-items']);
  });
});

/** A reaction on tags that carries `causes` (it causes nothing: only its declaration is checked). */
const carrying = (causes: Reaction['causes']): Reaction =>
  reaction({ name: 'carrying', on: tags, events: ['TagDeleted'], causes, run: () => [] });

describe('defineApp refuses a declaration that types cannot catch', () => {
  const [firstView] = app.views;
  const [firstCommand] = Object.entries(app.commands);
  const [firstQuery] = Object.entries(app.queries);
  it.each([
    [
      'two aggregates of one stream type',
      { aggregates: [todoLists, tags, aggregate('other#'), aggregate('more#')] },
      /share a stream type/,
    ],
    [
      'two aggregates of one prefix',
      { aggregates: [todoLists, tags, { ...tags, streamType: 'tags2' }] },
      /share a stream prefix/,
    ],
    [
      'a command on an undeclared aggregate',
      { aggregates: [todoLists] },
      /runs on an aggregate the app does not declare/,
    ],
    ['a view of an undeclared aggregate', { commands: {}, aggregates: [tags] }, /projects an undeclared aggregate/],
    ['two views of one name', { views: [...app.views, firstView!] }, /two views share a name/],
    ['a query named like a command', { queries: { ...app.queries, [firstCommand![0]]: firstQuery![1] } }, /used twice/],
    ['two commands on one route', { commands: { ...app.commands, again: firstCommand![1] } }, /share a route/],
    [
      // The reaction's function would run a command the API does not have (its route, its checks).
      'a reaction causing a command the app does not declare',
      { commands: Object.fromEntries(Object.entries(app.commands).filter(([name]) => name !== 'untagTodo')) },
      /reaction untagDeletedTag causes untagTodo, which is not one of the app's commands/,
    ],
    [
      'a reaction causing a copy of an app command',
      { reactions: [...(app.reactions ?? []), carrying({ untagTodo: { ...app.commands.untagTodo! } })] },
      /reaction carrying causes untagTodo, which is not one of the app's commands/,
    ],
  ])('%s', (_name, change, message) => {
    expect(() => defineApp({ ...app, ...change } as typeof app)).toThrow(message);
    expect(() => defineApp({ ...app, ...change } as typeof app)).toThrow(/^App todo-cqrs: /);
  });

  it('and takes the todo app as declared', () => {
    expect(defineApp(app)).toBe(app);
  });

  it("and takes a reaction carrying one of the app's commands under a name of its own", () => {
    const declared = { ...app, reactions: [...(app.reactions ?? []), carrying({ untag: app.commands.untagTodo! })] };
    expect(defineApp(declared)).toBe(declared);
  });
});

describe('appEventSchema', () => {
  const schema = appEventSchema(app);

  it('reads each commit with its own aggregate’s upcasters: a todo stored in its first shape comes back in today’s', () => {
    expect(schema.fromStored({ type: 'TodoAdded', data: { todoId: 't1', text: 'milk' } }, 'todoList')).toEqual({
      type: 'TodoAdded',
      data: { todoId: 't1', title: 'milk' },
    });
    const stored = schema.toStored({ type: 'TodoAdded', data: { todoId: 't1', title: 'milk' } }, 'todoList');
    expect(stored).toEqual({ type: 'TodoAdded', data: { todoId: 't1', title: 'milk' }, v: 2 });
    expect(schema.fromStored(stored, 'todoList')).toEqual({ type: 'TodoAdded', data: { todoId: 't1', title: 'milk' } });
  });

  it('knows every aggregate of the app by its stream type, and no other', () => {
    const tagCreated = { type: 'TagCreated', data: { tagId: 'g1', name: 'home' } };
    expect(schema.fromStored(schema.toStored(tagCreated, 'tags'), 'tags')).toEqual(tagCreated);
    expect(() => schema.toStored(tagCreated, 'nothing')).toThrow(/No event schema for stream type nothing/);
  });
});

describe('a counter view', () => {
  it('moves its totals in place: its projection may update items of its own table', () => {
    const functions = serverlessFunctions(app) as Record<
      string,
      { iamRoleStatements: { Action: string[]; Resource: unknown }[] }
    >;
    for (const [name, table] of [
      ['statsView', 'StatsTable'],
      ['tagCountsView', 'TagCountsTable'],
    ] as const) {
      const own = functions[name]!.iamRoleStatements.find(
        (s) => JSON.stringify(s.Resource) === JSON.stringify({ 'Fn::GetAtt': [table, 'Arn'] }),
      );
      expect({ name, actions: own?.Action }).toEqual({
        name,
        actions: expect.arrayContaining(['dynamodb:UpdateItem']),
      });
    }
  });
});
