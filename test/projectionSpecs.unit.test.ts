import { inMemoryCounterViewStore, inMemoryStreamViewStore } from '../src';
import { projectionSpecs } from './support/projectionSpecs';

// The projection specs on the in-memory view stores (the same suite runs on DynamoDB Local).
describe('projections, specified with in-memory view stores', () => {
  projectionSpecs({
    streamStore: async () => inMemoryStreamViewStore(),
    counterStore: async (view) => {
      const views = inMemoryCounterViewStore(view.contributions);
      return { views, totals: async (key) => views.totals(key) };
    },
  });
});
