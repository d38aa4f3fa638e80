/**
 * Every reaction's stream handler (handlers/reactions.ts): `projections/reactions.<name>Reaction`. A
 * reaction runs the app's commands, so its bundle holds the whole runtime (routes and schemas included).
 */
import { reactionHandlersOf } from '../src';
import { runtime } from '../handlers/entries/runtime';

export = reactionHandlersOf(runtime);
