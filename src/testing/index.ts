/**
 * What an app's tests use from the kit: given / when / then specs of its deciders. Not exported
 * from the kit's main entry (src/index.ts), so no Lambda bundle carries it.
 */
export * from './decider';
export * from './projectionSpec';
