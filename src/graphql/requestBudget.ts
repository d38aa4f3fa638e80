import {
  type GraphQLError,
  getArgumentValues,
  getVariableValues,
  isCompositeType,
  isUnionType,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { RootFieldCostOf } from './graphqlCosts';
import {
  checkBudget,
  priceOperation,
  type PricingSchema,
  type PricingWork,
  type RequestBudget,
} from './requestPricing';

export { rootFieldCount, type PricingWork, type RequestBudget } from './requestPricing';

/** What pricing asks of a graphql-js schema. */
const pricingSchemaOf = (schema: GraphQLSchema): PricingSchema => ({
  rootType: (operation) => (operation === 'mutation' ? schema.getMutationType() : schema.getQueryType())?.name,
  fieldType: (typeName, field) => {
    const type = schema.getType(typeName);
    if (!type || !isCompositeType(type) || isUnionType(type)) return undefined;
    const definition = type.getFields()[field];
    return definition ? String(definition.type) : undefined;
  },
  isComposite: (typeName) => {
    const type = schema.getType(typeName);
    return type !== undefined && isCompositeType(type);
  },
  rootArguments: (root, field, variables) => {
    const type = schema.getType(root);
    const definition =
      type && isCompositeType(type) && !isUnionType(type) ? type.getFields()[field.name.value] : undefined;
    if (!definition) return undefined;
    try {
      return getArgumentValues(definition, field, variables as Record<string, unknown>);
    } catch {
      return {};
    }
  },
  variables: (operation, given) => {
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], { ...given });
    return 'errors' in coerced && coerced.errors ? undefined : (coerced.coerced ?? {});
  },
});

/**
 * The most an operation can cost: every field in the answer counts 1, times the declared
 * size of each list it sits in, and each root field adds its weight (see `priceOperation`).
 */
export const operationCost = (options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Readonly<Record<string, unknown>>;
  costOf?: RootFieldCostOf;
  work?: PricingWork;
}): number => priceOperation({ ...options, schema: pricingSchemaOf(options.schema) });

/**
 * Checks a parsed and validated request against its budget before anything runs. Undefined
 * when it may run (or when graphql-js will refuse it itself: an unknown operation, bad
 * variables); else the error to answer with, TOO_MANY_MUTATIONS or GRAPHQL_TOO_COSTLY.
 */
export const checkRequestBudget = (options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Readonly<Record<string, unknown>> | null;
  budget: RequestBudget;
}): GraphQLError | undefined => checkBudget({ ...options, schema: pricingSchemaOf(options.schema) });
