import { randomUUID } from 'node:crypto';

/** A new random id (UUID v4) for aggregates, their children and commands. */
export const newId = (): string => randomUUID();
