/** The composition root: config read once at cold start, clients and pipelines built once. */
import { createRuntime } from '../../src';
import { app } from '../app';

export const runtime = createRuntime(app);
