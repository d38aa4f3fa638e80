/**
 * The prices of the GraphQL request budget, kept apart from graphql-js so that an app's
 * declaration can price its queries without pulling GraphQL into every bundle.
 */

/** What a root field costs besides its answer, and how long the lists in its answer can be. */
export interface RootFieldCost {
  /** Its reads and waits, in cost units (`GRAPHQL_COSTS`). */
  readonly weight: number;
  /**
   * Most items of each list in its answer, by the path of field names below the root field
   * (`lines`, `lines.labels`). A list not named here counts `DEFAULT_LIST_SIZE` items.
   */
  readonly listSizes?: Readonly<Record<string, number>>;
}

/** Prices a root field from its (coerced) arguments; undefined: `GRAPHQL_COSTS.read()`, no declared lists. */
export type RootFieldCostOf = (field: {
  operation: 'query' | 'mutation';
  name: string;
  args: Readonly<Record<string, unknown>>;
}) => RootFieldCost | undefined;

/**
 * The unit prices of the request budget. One unit is one value in the answer; reading costs 10
 * units a read unit (4 KB strongly consistent, 8 KB eventually consistent: pass the kilobytes
 * a strongly consistent read would count).
 */
// Frozen rather than `as const` (the same readonly type): Stryker leaves all code inside a type
// assertion unmutated, so the prices could not be mutation-tested.
export const GRAPHQL_COSTS = Object.freeze({
  /** A read of up to `kilobytes` (one GetItem, one page of a Query). */
  read: (kilobytes = 4) => 10 * Math.max(1, Math.ceil(kilobytes / 4)),
  /** Read-your-writes (`minVersion`): the same read every 50 ms for up to 1.5 s. */
  wait: (read: number) => 30 * read,
  /** Commits of one stream, from its start: one Query, about half a read unit a commit. */
  streamRead: (commits: number) => 10 + 5 * Math.max(0, commits),
});

/** The budget of one request when the route names none. */
export const DEFAULT_MAX_COST = 40_000;
/** Mutations in one request when the route names no other number. */
export const DEFAULT_MAX_MUTATIONS = 1;
/** Items counted for a list in an answer whose size nobody declared. */
export const DEFAULT_LIST_SIZE = 100;
