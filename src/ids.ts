import { randomUUID } from 'node:crypto';

/**
 * A new random id (UUID v4) for aggregates, their children and commands. Node builds a UUID by
 * concatenating its hex pairs, which V8 keeps as a tree of a dozen string pieces (≈ 490 bytes); the
 * lowercasing (a no-op on its text) gives one flat string (≈ 66 bytes). It matters where ids are
 * kept: every commit the in-memory store holds keeps its command id.
 */
export const newId = (): string => randomUUID().toLowerCase();
