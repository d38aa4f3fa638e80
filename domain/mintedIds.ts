/**
 * The shape of every id the kit mints: a UUID (random, or derived from an Idempotency-Key).
 * Pure, so the domain's repairs can check ids that were stored before the edge checked them.
 */
const MINTED_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isMintedId = (id: unknown): id is string => typeof id === 'string' && MINTED_ID.test(id);
