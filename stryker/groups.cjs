// What each named mutation run mutates, and the unit test files that must kill its mutants.
// Stryker's jest runner runs every test file of the run for each mutant (a test name filter
// only skips tests inside them), so each run names the few files that test its modules: the
// whole unit project per mutant would cost a minute a mutant on 2 cores. Modules left out of
// every run, and why: stryker/README.md.
'use strict';

/** @type {Record<string, { describe: string, mutate: string[], tests: string[], timeoutMS?: number }>} */
module.exports = {
  domain: {
    describe: 'the todo app domain: actions, reducers, views, errors, upcasters, stored names',
    mutate: ['domain/**/*.ts'],
    // The domain's own tests import no kit code at run time: a mutant costs a second, not ten.
    tests: ['test/domain/*.unit.test.ts'],
  },
  pipeline: {
    describe: 'command pipeline, state cache, in-memory event store, event schemas, snapshots port',
    timeoutMS: 20000,
    mutate: [
      'src/commandPipeline.ts',
      'src/stateCache.ts',
      'src/eventStore/eventStore.ts',
      'src/eventStore/inMemoryEventStore.ts',
      'src/eventStore/eventSchema.ts',
      'src/snapshots/snapshotStore.ts',
      'src/commandKeys.ts',
    ],
    tests: [
      'test/commandPipeline.unit.test.ts',
      'test/commandKeys.unit.test.ts',
      'test/snapshotsAndCache.unit.test.ts',
      'test/snapshotLoad.unit.test.ts',
      'test/staleCacheRetries.unit.test.ts',
      'test/pipelineCatchUp.unit.test.ts',
      'test/eventSchema*.unit.test.ts',
      'test/eventStore.inMemory.unit.test.ts',
      'test/inMemoryEventStore.unit.test.ts',
      'test/pipelineRetries.unit.test.ts',
    ],
  },
  http: {
    describe: 'HTTP glue: route, JSON errors, HTTP-mappable errors, field schemas, read-your-writes',
    timeoutMS: 20000,
    mutate: [
      'src/http/httpRoute.ts',
      'src/http/jsonErrors.ts',
      'src/errors.ts',
      'src/http/fieldSchemas.ts',
      'src/readModel.ts',
    ],
    tests: [
      'test/readAtLeast.unit.test.ts',
      'test/httpRoute*.unit.test.ts',
      'test/httpAnswers.unit.test.ts',
      'test/httpRequests.unit.test.ts',
      'test/callerIdentity.unit.test.ts',
      'test/fieldSchemas.unit.test.ts',
    ],
  },
  projection: {
    describe: 'exactly-once projection over the in-memory view stores, commit ranges',
    mutate: ['src/projection/viewStore.ts', 'src/projection/commitProjection.ts'],
    tests: ['test/projectionSpecs.unit.test.ts', 'test/exactlyOnceProjection.unit.test.ts'],
  },
  // GraphQL in two runs of about half an hour each at concurrency 1 (one run of ~600 mutants took
  // an hour). All three test files drive the route: graphql.unit on a small zod-built schema,
  // graphqlBudget.unit on one with unions, interfaces and mutations, graphqlLimits.unit on the todo schema.
  'graphql-limits': {
    describe: 'GraphQL limits: request budget (cost, mutation count), depth rule, prices',
    mutate: ['src/graphql/requestBudget.ts', 'src/graphql/maxDepthRule.ts', 'src/graphql/graphqlCosts.ts'],
    tests: ['test/graphqlLimits.unit.test.ts', 'test/graphqlBudget.unit.test.ts', 'test/graphql.unit.test.ts'],
  },
  'graphql-schema': {
    describe: 'GraphQL schema: zod to GraphQL types, schemas from the declaration, the route',
    mutate: ['src/graphql/zodGraphQLTypes.ts', 'src/graphql/graphqlSchemas.ts', 'src/graphql/graphqlRoute.ts'],
    // The reviewed OpenAPI document publishes the request, response and error schemas of POST /graphql.
    tests: [
      'test/graphql.unit.test.ts',
      'test/graphqlLimits.unit.test.ts',
      'test/graphqlBudget.unit.test.ts',
      'test/openApiDocument.unit.test.ts',
    ],
  },
  app: {
    describe: 'the declaration: aggregates, commands, routes, OpenAPI, page tokens, its GraphQL schema',
    mutate: [
      'src/app/definition.ts',
      'src/app/routes.ts',
      'src/app/openApi.ts',
      'src/app/pageTokens.ts',
      'src/app/graphql.ts',
      'src/http/apiRoute.ts',
      'src/http/openApiDocument.ts',
    ],
    tests: [
      'test/openApi*.unit.test.ts',
      'test/appRoutes.unit.test.ts',
      'test/graphql.unit.test.ts',
      'test/graphqlLimits.unit.test.ts',
      'test/pageTokens.unit.test.ts',
      'test/appDefinition.unit.test.ts',
      'test/commandDeclaration.unit.test.ts',
      'test/appGraphql.unit.test.ts',
    ],
  },
  deploy: {
    describe: 'Lambda runtime dates, IAM role tidying',
    mutate: ['src/deploy/lambdaRuntimes.ts', 'src/deploy/tidyIamRoles.cjs'],
    tests: ['test/lambdaRuntime.unit.test.ts', 'test/tidyIamRoles.unit.test.ts'],
  },
};
