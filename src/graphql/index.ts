export * from './graphqlRoute';
export * from './graphqlSchemas';
export * from './maxDepthRule';
export * from './zodGraphQLTypes';
