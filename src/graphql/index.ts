export * from './graphqlRoute';
export * from './graphqlSchemas';
export * from './maxDepthRule';
export * from './zodGraphQLTypes';
export * from './graphqlCosts';
export * from './requestBudget';
export { modelRoute, type ModelRouteOptions } from './modelRoute';
export {
  schemaModel,
  type ModelArgument,
  type ModelField,
  type ModelObjectType,
  type ModelType,
  type SchemaModel,
} from './typeModel';
export { ZodTypeModel } from './zodTypeModel';
