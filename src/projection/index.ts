export * from './commitProjection';
export * from './streamViewProjection';
export * from './childItemsViewStore';
export * from './counterViewProjection';
export * from './projectionHandler';
export * from './deadLetters';
export * from './viewStore';
