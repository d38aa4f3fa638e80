// What each named mutation run mutates. Every run uses the unit test project only (fast, no
// DynamoDB Local); see stryker/README.md for the modules left out and why.
'use strict';

/** @type {Record<string, { describe: string, mutate: string[] }>} */
module.exports = {
  domain: {
    describe: 'the todo app domain: actions, reducers, views, errors, stored names',
    mutate: ['domain/**/*.ts'],
  },
  pipeline: {
    describe: 'command pipeline, state cache, in-memory event store, event schemas, snapshots port',
    mutate: [
      'src/commandPipeline.ts',
      'src/stateCache.ts',
      'src/errors.ts',
      'src/eventStore/eventStore.ts',
      'src/eventStore/inMemoryEventStore.ts',
      'src/eventStore/eventSchema.ts',
      'src/snapshots/snapshotStore.ts',
    ],
  },
  http: {
    describe: 'HTTP glue: route, JSON errors, field schemas',
    mutate: ['src/http/httpRoute.ts', 'src/http/jsonErrors.ts', 'src/http/fieldSchemas.ts'],
  },
};
