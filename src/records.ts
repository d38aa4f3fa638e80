/**
 * Records keyed by strings from outside (ids, owner ids, names): read and written only through
 * these functions, a key such as `__proto__`, `constructor`, `toString` or `hasOwnProperty` is
 * a key like any other. `record[key]` on a plain object finds what every object inherits
 * (`{}['constructor']` is a function), and `record[key] = value` with `__proto__` replaces
 * the prototype instead of storing anything.
 *
 * Pure and free of imports, so domain code may import it as values (the one such module of the
 * kit). Records are ordinary objects: they compare, clone and serialise into snapshots, view
 * items and DynamoDB maps like the rest of a state, and one read back from JSON or DynamoDB is
 * read as safely, since `getOwn` and `hasOwn` look at own properties only. (A record without
 * a prototype would not survive those round trips, so it could not be what keeps code safe.)
 */

/** A record whose keys come from outside: read it with `getOwn`/`hasOwn`, change it with `withOwn`/`withoutOwn`. */
export type OwnRecord<V> = Readonly<Record<string, V>>;

/**
 * A record holding `entries` (a `Map` or key–value pairs). `Object.fromEntries` defines each key
 * as an own property (`__proto__` too) where an assignment would run the `__proto__` setter.
 */
export const ownRecord = <V>(entries: Iterable<readonly [string, V]> = []): OwnRecord<V> => Object.fromEntries(entries);

/** Whether `key` is one of the record's own keys (never an inherited name). */
export const hasOwn = (record: OwnRecord<unknown> | null | undefined, key: string): boolean =>
  record !== null && record !== undefined && Object.hasOwn(record, key);

/** The value at `key`, or `undefined` when the record has no own `key`. */
export const getOwn = <V>(record: OwnRecord<V> | null | undefined, key: string): V | undefined =>
  hasOwn(record, key) ? record![key] : undefined;

/** A copy of the record with `key` set to `value`. A computed key in a literal defines it, `__proto__` included. */
export const withOwn = <V>(record: OwnRecord<V>, key: string, value: V): OwnRecord<V> => ({ ...record, [key]: value });

/** A copy of the record without `key` (the record itself is not changed). */
export const withoutOwn = <V>(record: OwnRecord<V>, key: string): OwnRecord<V> => {
  const { [key]: _removed, ...rest } = record;
  return rest;
};
