/**
 * The way out for a bad event already in the log: an upcaster that answers null drops the event
 * on read (the kit), and the repairs the app ships with it (the domain): tag events whose ids
 * the kit never minted (`constructor`, `hasOwnProperty`, stored before the edge checked ids).
 */
import { isMintedId } from '../domain/mintedIds';
import { tagsUpcasters } from '../domain/tags';
import { todoListUpcasters, withMintedTodoTagIds } from '../domain/todoList';
import { tags, todoLists } from '../handlers/views';
import { commitFromItem, eventSchema, type Upcasters } from '../src';

const uuid = '0d6f1f4e-8c1b-4a61-9d5e-3f0b8a1c2d3e';
const derived = '7c9e6679-7425-8c2e-9f1a-3b4c5d6e7f80';

describe('an upcaster answering null drops the event on read', () => {
  type E = { type: 'A'; data: { id: string } } | { type: 'B'; data: { x: number } };
  const schema = eventSchema<E>({ A: [(v1: { id: string }) => (v1.id === 'bad' ? null : v1)] } satisfies Upcasters<E>);

  it('leaves the event out of its commit, which keeps its version and its other events', () => {
    const item = {
      streamId: { S: 's' },
      version: { N: '3' },
      streamType: { S: 't' },
      commandId: { S: 'c' },
      at: { S: '2026-01-01T00:00:00.000Z' },
      events: {
        S: JSON.stringify([
          { type: 'A', data: { id: 'bad' } },
          { type: 'B', data: { x: 1 } },
          { type: 'A', data: { id: 'ok' } },
        ]),
      },
    };
    const commit = commitFromItem(item, schema);
    expect(commit.version).toBe(3);
    expect(commit.events).toEqual([
      { type: 'B', data: { x: 1 } },
      { type: 'A', data: { id: 'ok' } },
    ]);
  });

  it('only for the versions it upcasts: an event written at the current version is read as it is', () => {
    expect(schema.fromStored({ type: 'A', data: { id: 'bad' } })).toBeNull();
    expect(schema.fromStored({ type: 'A', data: { id: 'bad' }, v: 2 })).toEqual({ type: 'A', data: { id: 'bad' } });
  });
});

describe('the app drops tag events with ids the kit never minted', () => {
  it('minted ids are UUIDs (random or derived from an Idempotency-Key), nothing else', () => {
    expect([uuid, derived, uuid.toUpperCase()].every(isMintedId)).toBe(true);
    expect(
      ['constructor', 'hasOwnProperty', '__proto__', 'toString', '', `${uuid}x`, ` ${uuid}`, 42, null].some(isMintedId),
    ).toBe(false);
  });

  it('tags: a TagRenamed or TagDeleted stored with a prototype key is dropped, a minted one kept', () => {
    expect(tags.schema.fromStored({ type: 'TagDeleted', data: { tagId: 'hasOwnProperty' } }, 'tags')).toBeNull();
    expect(
      tags.schema.fromStored({ type: 'TagRenamed', data: { tagId: 'constructor', name: 'x' } }, 'tags'),
    ).toBeNull();
    expect(tags.schema.fromStored({ type: 'TagRenamed', data: { tagId: uuid, name: 'x' } }, 'tags')).toEqual({
      type: 'TagRenamed',
      data: { tagId: uuid, name: 'x' },
    });
    expect(tags.schema.fromStored({ type: 'TagCreated', data: { tagId: uuid, name: 'x' } }, 'tags')).toEqual({
      type: 'TagCreated',
      data: { tagId: uuid, name: 'x' },
    });
    expect(Object.keys(tagsUpcasters).sort()).toEqual(['TagDeleted', 'TagRenamed']);
  });

  it('todo lists: TodoTagged/TodoUntagged with a non-minted tag or todo id are dropped; TodoAdded keeps its own upcaster', () => {
    expect(
      todoLists.schema.fromStored({ type: 'TodoTagged', data: { todoId: uuid, tagId: 'constructor' } }, 'todoList'),
    ).toBeNull();
    expect(
      todoLists.schema.fromStored({ type: 'TodoUntagged', data: { todoId: '__proto__', tagId: uuid } }, 'todoList'),
    ).toBeNull();
    expect(
      todoLists.schema.fromStored({ type: 'TodoTagged', data: { todoId: uuid, tagId: derived } }, 'todoList'),
    ).toEqual({ type: 'TodoTagged', data: { todoId: uuid, tagId: derived } });
    expect(
      todoLists.schema.fromStored({ type: 'TodoAdded', data: { todoId: uuid, text: 'milk' } }, 'todoList'),
    ).toEqual({ type: 'TodoAdded', data: { todoId: uuid, title: 'milk' } });
    expect(todoListUpcasters.TodoTagged).toHaveLength(1);
  });

  it('events written from now on are stamped version 2 and never dropped', () => {
    const stored = tags.schema.toStored({ type: 'TagDeleted', data: { tagId: uuid } }, 'tags');
    expect(stored).toEqual({ type: 'TagDeleted', data: { tagId: uuid }, v: 2 });
    expect(
      todoLists.schema.toStored({ type: 'TodoTagged', data: { todoId: uuid, tagId: uuid } }, 'todoList'),
    ).toMatchObject({ v: 2 });
  });

  it('is pure: the data it keeps is the same object, nothing is changed in place', () => {
    const data = Object.freeze({ todoId: uuid, tagId: derived });
    expect(withMintedTodoTagIds(data)).toBe(data);
    expect(withMintedTodoTagIds(data)).toBe(withMintedTodoTagIds(data));
  });
});
