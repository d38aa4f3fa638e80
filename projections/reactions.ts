/**
 * Every reaction's stream handler (handlers/reactions.ts): `projections/reactions.<name>Reaction`. Its
 * runtime is the reactions' own: the app's aggregates, views and reactions, and the commands they
 * cause (each reaction carries its own), with no route, query or HTTP layer in its bundle.
 */
import { createReactionRuntime } from '../src';
import { reactions } from '../handlers/reactions';
import { appViews } from '../handlers/views';

export = createReactionRuntime({ ...appViews, reactions }).handlers;
