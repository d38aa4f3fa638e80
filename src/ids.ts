import { randomUUID } from 'node:crypto';

/** A new random id (UUID v4) for lists, todos and commands. */
export const newId = (): string => randomUUID();
