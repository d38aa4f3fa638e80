/**
 * What every aggregate's API shares: ids, how routes are built (error codes from the domain's
 * unions), counts, paging and read-your-writes. Each aggregate's own schemas are in its folder
 * (handlers/<aggregate>/schemas.ts). They use `zod/mini` (any zod 4 schema works): its functions
 * tree-shake, so a function starts ~30 ms sooner than with classic `zod` (bench part 6).
 */
import * as z from 'zod/mini';
import type * as domain from '../domain';
import { type DomainErrorCode, kitId, minVersionQuery, queriesOf, queryInt, routesFor } from '../src';

/** A list, todo or tag id: only what the kit mints (a lower-case UUID), in paths, queries and answers alike. */
export const id = kitId;
export const count = z.int().check(z.minimum(0));
/** How this app's routes are built: error codes from what its domain raises (a code it does not raise does not compile), path parameters are ids. */
export const route = routesFor<DomainErrorCode<typeof domain>>({ pathParam: id });
/**
 * How this app's queries are declared, one call each: `get(path, summary, { answer, read, run })`. Pure: a
 * bundle that declares no query (a reaction's, which imports the commands and so this file) leaves the builder out.
 */
export const get = /* @__PURE__ */ queriesOf(route);
/** `?minVersion=N`, the kit's (as `readYourWrites: true` offers it). */
export const minVersion = minVersionQuery.shape.minVersion;
export const page = {
  limit: z.optional(queryInt({ min: 1, max: 100 })).check(z.meta({ description: 'Page size, 1 to 100 (default 50)' })),
  nextToken: z
    .optional(z.string().check(z.maxLength(2048)))
    .check(z.meta({ description: 'The `nextToken` of the previous page' })),
};
