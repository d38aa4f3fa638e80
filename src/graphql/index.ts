export * from './graphqlRoute';
export * from './graphqlSchemas';
export * from './maxDepthRule';
export * from './zodGraphQLTypes';
export * from './graphqlCosts';
export * from './requestBudget';
