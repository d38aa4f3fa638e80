import { inMemoryViewStores } from '../src/testing';
import { projectionSpecs } from './support/projectionSpecs';

// The projection specs on the kit's in-memory view stores (the same suite runs on DynamoDB Local).
describe('projections, specified with in-memory view stores', () => {
  projectionSpecs(inMemoryViewStores);
});
