/**
 * An event's stored schema version decides which upcasters run. A version that cannot have
 * been written (0, negative, fractional, or newer than this code) must be refused with the
 * schema's own error, never half-upcast or passed through.
 */
import { eventSchema, identitySchema, schemaByStreamType } from '../src';

type E = { type: 'A'; data: { n: number } } | { type: 'B'; data: { x: number } };

const schema = eventSchema<E>({ A: [(v1: { n: string }) => ({ n: Number(v1.n) })] });

describe('eventSchema refuses impossible schema versions', () => {
  it.each([0, -1, 1.5, Number.NaN])('version %p of an upcast type', (v) => {
    expect(() => schema.fromStored({ type: 'A', data: { n: '1' }, v })).toThrow(
      new Error(`Event A has schema version ${v}; this code knows 1 to 2`),
    );
  });

  it.each([0, -1, 0.5])('version %p of a type without upcasters', (v) => {
    expect(() => schema.fromStored({ type: 'B', data: { x: 1 }, v })).toThrow(
      new Error(`Event B has schema version ${v}; this code knows 1 to 1`),
    );
  });

  it('accepts the current version as it is and version 1 through the chain', () => {
    expect(schema.fromStored({ type: 'A', data: { n: 2 }, v: 2 })).toEqual({ type: 'A', data: { n: 2 } });
    expect(schema.fromStored({ type: 'A', data: { n: '2' }, v: 1 })).toEqual({ type: 'A', data: { n: 2 } });
  });
});

describe('identitySchema', () => {
  it('stores an event as it is, with no schema version', () => {
    const event = { type: 'B', data: { x: 1 } };
    expect(identitySchema.toStored(event)).toEqual({ type: 'B', data: { x: 1 } });
  });

  it('reads only the type and data of a stored event', () => {
    expect(identitySchema.fromStored({ type: 'B', data: { x: 1 }, v: 1 })).toStrictEqual({ type: 'B', data: { x: 1 } });
  });
});

describe('schemaByStreamType', () => {
  const byType = schemaByStreamType({ one: schema, two: identitySchema });

  it("encodes and decodes each commit with its own stream type's schema", () => {
    expect(byType.toStored({ type: 'A', data: { n: 1 } }, 'one')).toEqual({ type: 'A', data: { n: 1 }, v: 2 });
    expect(byType.toStored({ type: 'A', data: { n: 1 } }, 'two')).toEqual({ type: 'A', data: { n: 1 } });
    expect(byType.fromStored({ type: 'A', data: { n: '3' } }, 'one')).toEqual({ type: 'A', data: { n: 3 } });
    expect(byType.fromStored({ type: 'A', data: { n: '3' } }, 'two')).toEqual({ type: 'A', data: { n: '3' } });
  });

  it('refuses a stream type it has no schema for, and a commit without one', () => {
    expect(() => byType.fromStored({ type: 'A', data: {} }, 'three')).toThrow(
      'No event schema for stream type three; known: one, two',
    );
    expect(() => byType.toStored({ type: 'A', data: {} })).toThrow('No event schema for stream type undefined');
  });
});
