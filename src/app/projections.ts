import type { CommitProjection, ProjectionDeps } from '../projection';
import { counterViewProjection } from '../projection/counterViewProjection';
import { streamViewProjection } from '../projection/streamViewProjection';
import { viewFunctionName, type View } from './definition';

/** The projection that keeps a declared view: exactly-once, fed only its aggregate's commits. */
export const projectionOf = (view: View, deps: ProjectionDeps): CommitProjection => {
  const common = {
    name: viewFunctionName(view),
    streamType: view.aggregate.streamType,
    client: deps.documentClient,
    tableName: deps.tableName,
    store: deps.store,
  };
  return view.kind === 'stream'
    ? streamViewProjection({ ...common, keyAttribute: view.key, evolve: view.evolve, children: view.children })
    : counterViewProjection({
        ...common,
        evolve: view.evolve,
        contributions: view.contributions,
        children: view.children,
      });
};
