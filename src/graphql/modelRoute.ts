/**
 * `POST /graphql` for a `typeModel` schema, with the kit's own validation and executor
 * (`modelValidation`, `modelExecution`) and graphql-js's parser alone: what `graphqlRoute`
 * answers for the graphql-js schema made from the same model (`graphqlSchemaOfModel`), the same
 * limits, codes and messages, without graphql-js's type system, rules and executor in the bundle.
 */
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import type * as z from 'zod';
import { httpRoute, type RouteRequest } from '../http/httpRoute';
import { DEFAULT_MAX_COST, DEFAULT_MAX_MUTATIONS } from './graphqlCosts';
import {
  DEFAULT_MAX_ANSWER_BYTES,
  formatGraphQLError,
  withinAnswerLimit,
  type GraphQLContext,
  type GraphQLLimits,
} from './graphqlRoute';
import { graphqlRequest, type graphqlResponse } from './graphqlSchemas';
import { executeModel } from './modelExecution';
import { fieldDefOf, kindOf, schemaIndexOf, type SchemaIndex } from './modelSchemaIndex';
import { validateAgainstModel } from './modelValidation';
import { argumentValuesOf, variableValuesOf } from './modelValues';
import { checkBudget, type PricingSchema } from './requestPricing';
import type { SchemaModel } from './typeModel';

type GraphQLResponseJson = z.output<typeof graphqlResponse>;

export interface ModelRouteOptions extends GraphQLLimits {
  readonly model: SchemaModel<GraphQLContext>;
}

/** What pricing asks of a type model. */
const pricingSchemaOf = (index: SchemaIndex<GraphQLContext>): PricingSchema => ({
  rootType: (operation) => (operation === 'mutation' ? index.model.mutation : index.model.query),
  fieldType: (type, field) => (field.startsWith('__') ? undefined : fieldDefOf(index, type, field)?.type),
  isComposite: (type) => kindOf(index, type) === 'OBJECT',
  rootArguments: (root, field, variables) => {
    const definition = fieldDefOf(index, root, field.name.value);
    if (!definition) return undefined;
    try {
      return argumentValuesOf(index, definition.args, field, variables);
    } catch {
      return {};
    }
  },
  variables: (operation, given) => {
    const coerced = variableValuesOf(index, operation.variableDefinitions ?? [], given);
    return 'coerced' in coerced ? coerced.coerced : undefined;
  },
});

const runGraphQL = async (
  options: ModelRouteOptions,
  index: SchemaIndex<GraphQLContext>,
  pricing: PricingSchema,
  request: RouteRequest<{ body: typeof graphqlRequest }>,
): Promise<GraphQLResponseJson> => {
  const { query, variables, operationName } = request.body;
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: options.maxTokens ?? 1000 });
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { errors: [formatGraphQLError(error, 'GRAPHQL_PARSE_FAILED')] };
  }
  const invalid = validateAgainstModel(index, document, {
    maxDepth: options.maxDepth ?? 8,
    introspection: options.introspection,
  });
  if (invalid.length > 0)
    return { errors: invalid.map((error) => formatGraphQLError(error, 'GRAPHQL_VALIDATION_FAILED')) };
  const overBudget = checkBudget({
    schema: pricing,
    document,
    operationName,
    variables,
    budget: {
      maxCost: options.maxCost ?? DEFAULT_MAX_COST,
      maxMutations: options.maxMutations ?? DEFAULT_MAX_MUTATIONS,
      ...(options.costOf ? { costOf: options.costOf } : {}),
    },
  });
  if (overBudget) return { errors: [formatGraphQLError(overBudget, 'GRAPHQL_TOO_COSTLY')] };
  const context: GraphQLContext = {
    userId: request.userId,
    correlationId: request.correlationId,
    event: request.event,
  };
  const result = await executeModel({
    index,
    document,
    context,
    ...(variables ? { variables } : {}),
    ...(operationName ? { operationName } : {}),
  });
  const response = {
    ...(result.data === undefined ? {} : { data: result.data }),
    // Errors without a field path are about the request itself: its variables or operation name.
    ...(result.errors ? { errors: result.errors.map((error) => formatGraphQLError(error, 'BAD_USER_INPUT')) } : {}),
  };
  return withinAnswerLimit(response, options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES);
};

/** `graphqlRoute` (its authentication, caps, limits and answers) for a `typeModel` schema. */
export const modelRoute = (options: ModelRouteOptions) => {
  const index = schemaIndexOf(options.model);
  const pricing = pricingSchemaOf(index);
  return httpRoute({ body: graphqlRequest }, async (request) => ({
    statusCode: 200,
    body: await runGraphQL(options, index, pricing, request),
  }));
};
