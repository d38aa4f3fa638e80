/**
 * The composition root: config read once at cold start, clients and pipelines built once. The API
 * runtime only: the reaction functions add their handlers (projections/reactions.ts).
 */
import { createApiRuntime } from '../../src';
import { app } from '../app';

export const runtime = createApiRuntime(app);
