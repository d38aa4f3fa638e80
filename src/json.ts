/**
 * JSON with object keys sorted at every depth: equal JSON values give equal text, whatever
 * their spacing or key order (undefined properties left out, as DynamoDB stores them; an
 * undefined array item is null, as JSON.stringify writes it).
 */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

/** The same JSON value, whatever the order of object keys (DynamoDB does not keep a map's key order). */
export const sameJson = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
