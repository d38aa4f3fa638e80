import { projections } from '../handlers/projections';

export const handler = projections.projection('tagCounts');
