/**
 * The projection functions' composition root: the app's aggregates and views only (no routes,
 * no zod in their bundles); config read once, one DynamoDB client, handlers built on first use.
 */
import { createProjectionRuntime } from '../../src';
import { appViews } from '../views';

export const projections = createProjectionRuntime(appViews);
