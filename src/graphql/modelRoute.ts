/**
 * `POST /graphql` for a `typeModel` schema, with the kit's own validation and executor
 * (`modelValidation`, `modelExecution`) and graphql-js's parser alone: what `graphqlRoute`
 * answers for the graphql-js schema made from the same model (`graphqlSchemaOfModel`), the same
 * limits, codes and messages, without graphql-js's type system, rules and executor in the bundle.
 */
import { graphqlEngineRoute, type GraphQLContext, type GraphQLLimits } from './graphqlRoute';
import { executeModel } from './modelExecution';
import { fieldDefOf, kindOf, schemaIndexOf, type SchemaIndex } from './modelSchemaIndex';
import { validateAgainstModel } from './modelValidation';
import { argumentValuesOf, variableValuesOf } from './modelValues';
import { checkBudget, type PricingSchema } from './requestPricing';
import type { SchemaModel } from './typeModel';

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

/** `graphqlRoute` (its authentication, caps, limits and answers) for a `typeModel` schema. */
export const modelRoute = (options: ModelRouteOptions) => {
  const index = schemaIndexOf(options.model);
  const pricing = pricingSchemaOf(index);
  const limits = { maxDepth: options.maxDepth ?? 8, introspection: options.introspection };
  return graphqlEngineRoute(options, {
    validate: (document) => validateAgainstModel(index, document, limits),
    checkBudget: (request) => checkBudget({ schema: pricing, ...request }),
    execute: (request) => executeModel({ index, ...request }),
  });
};
