/** The todo app's projections as tests build them: from the app's declaration, on the test's own tables. */
import {
  listsView as listsViewDefinition,
  statsView as statsViewDefinition,
  tagCountsView as tagCountsDefinition,
} from '../../handlers/views';
import { tagsView as tagsViewDefinition } from '../../handlers/views';
import { projectionOf } from '../../src/app/projections';
import type { ProjectionDeps } from '../../src';

export const listsView = (deps: ProjectionDeps) => projectionOf(listsViewDefinition, deps);
export const statsView = (deps: ProjectionDeps) => projectionOf(statsViewDefinition, deps);
export const tagCountsView = (deps: ProjectionDeps) => projectionOf(tagCountsDefinition, deps);
export const tagsView = (deps: ProjectionDeps) => projectionOf(tagsViewDefinition, deps);
