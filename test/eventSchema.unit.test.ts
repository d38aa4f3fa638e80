import { todoAddedV1ToV2, todoListUpcasters } from '../domain/todoList';
import { eventSchema, identitySchema, type Upcasters } from '../src';

type E = { type: 'A'; data: { n: number; label: string } } | { type: 'B'; data: { x: number } };

describe('eventSchema', () => {
  const schema = eventSchema<E>({
    A: [(v1: { n: string }) => ({ n: Number(v1.n) }), (v2: { n: number }) => ({ n: v2.n, label: `#${v2.n}` })],
  } satisfies Upcasters<E>);

  it('runs the whole chain from the stored version to the current one', () => {
    expect(schema.fromStored({ type: 'A', data: { n: '7' } })).toEqual({ type: 'A', data: { n: 7, label: '#7' } });
    expect(schema.fromStored({ type: 'A', data: { n: 7 }, v: 2 })).toEqual({ type: 'A', data: { n: 7, label: '#7' } });
    expect(schema.fromStored({ type: 'A', data: { n: 7, label: 'x' }, v: 3 })).toEqual({
      type: 'A',
      data: { n: 7, label: 'x' },
    });
  });

  it('leaves types without upcasters alone and stamps only changed types', () => {
    expect(schema.fromStored({ type: 'B', data: { x: 1 } })).toEqual({ type: 'B', data: { x: 1 } });
    expect(schema.toStored({ type: 'B', data: { x: 1 } })).toEqual({ type: 'B', data: { x: 1 } });
    expect(schema.toStored({ type: 'A', data: { n: 1, label: 'a' } })).toEqual({
      type: 'A',
      data: { n: 1, label: 'a' },
      v: 3,
    });
  });

  it('refuses a version this code does not know (written by newer code, or garbage)', () => {
    expect(() => schema.fromStored({ type: 'A', data: {}, v: 4 })).toThrow(/schema version 4/);
    expect(() => schema.fromStored({ type: 'B', data: {}, v: 2 })).toThrow(/schema version 2/);
    expect(() => schema.fromStored({ type: 'A', data: {}, v: 0 })).toThrow();
  });

  it('identity keeps events as they are', () => {
    expect(identitySchema.fromStored({ type: 'B', data: { x: 1 }, v: 1 })).toEqual({ type: 'B', data: { x: 1 } });
  });

  it("upcasts the todo domain's TodoAdded v1 (text) to v2 (title)", () => {
    expect(todoAddedV1ToV2({ todoId: 't', text: 'milk' })).toEqual({ todoId: 't', title: 'milk' });
    expect(
      eventSchema(todoListUpcasters).fromStored({ type: 'TodoAdded', data: { todoId: 't', text: 'milk' } }),
    ).toEqual({
      type: 'TodoAdded',
      data: { todoId: 't', title: 'milk' },
    });
  });
});
