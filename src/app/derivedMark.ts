/**
 * The command answers the kit derived (./derivedAnswers.ts), apart from it so that declaring a
 * command across streams (./definition.ts, which projection bundles load) needs no zod.
 */
import type { ApiRoute } from '../http/apiRoute';

export const derivedAnswers = new WeakSet<object>();

/** Refuses a command across streams whose route took a derived answer: it would drop its other streams' versions. */
export const refuseDerivedAnswer = (route: ApiRoute): void => {
  const schema = route.success?.response.schema;
  if (typeof schema === 'object' && schema !== null && derivedAnswers.has(schema)) {
    throw new Error(
      `${route.method} ${route.path}: a command across streams names its answer (with each <name>Version)`,
    );
  }
};
