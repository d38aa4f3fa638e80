export type * from './contracts';
export * from './errors';
export * from './config';
export * from './dynamoDbClient';
export * from './eventStore';
export * from './commandPipeline';
export * from './projection';
export * from './readModel';
export * from './http/httpRoute';
export * from './http/jsonErrors';
export * from './http/apiRoute';
export * from './http/openApiDocument';
export { queryInt, textField, type QueryIntOptions, type TextFieldOptions } from './http/fieldSchemas';
// GraphQL is imported from './graphql' by the functions that serve it, so other bundles stay small.
export * from './ids';
export * from './snapshots';
export * from './stateCache';
export * from './ops';
export * from './http/idempotency';
