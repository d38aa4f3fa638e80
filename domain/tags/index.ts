export * from './events';
export * from './errors';
export * from './state';
export * from './actions';
export * from './views';
export * from './upcasters';
