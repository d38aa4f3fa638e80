/** JSON with object keys sorted at every depth (undefined properties left out, as DynamoDB stores them). */
export const canonicalJson = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonicalJson).join(',')}]`
    : value !== null && typeof value === 'object'
      ? `{${Object.keys(value as object)
          .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(value);

/** The same JSON value, whatever the order of object keys (DynamoDB does not keep a map's key order). */
export const sameJson = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
