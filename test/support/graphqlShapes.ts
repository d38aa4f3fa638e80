/**
 * Hostile GraphQL documents on the todo schema, each at most `MAX_GRAPHQL_QUERY_LENGTH`
 * (10,000) characters: the shapes that made pricing, validation or parsing do more than linear
 * work, or that tried to price a request below what it runs. Shared by the unit tests
 * (graphqlShapes.unit.test.ts), the reliability test (graphqlShapes.rel.test.ts) and the bench.
 */
import { Lexer, Source, TokenKind } from 'graphql';
import { MAX_GRAPHQL_QUERY_LENGTH } from '../../src/graphql/graphqlSchemas';

/** The route's default token cap (`maxTokens`). */
export const MAX_TOKENS = 1000;

/** Lexical tokens in a query, as `parse`'s `maxTokens` counts them (comments aside). */
export const tokensOf = (query: string) => {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count += 1;
  return count;
};

/** Within the route's caps: at most 10,000 characters and 1,000 tokens. */
export const withinCaps = (query: string) => query.length <= MAX_GRAPHQL_QUERY_LENGTH && tokensOf(query) <= MAX_TOKENS;

const LIST_ID = '00000000-0000-4000-8000-000000000000';

/** `levels` fragments on `on`, each spreading the next `width` times; the last selects `leaf`. */
const fanOutFragments = (levels: number, on: string, leaf: string, width = 2) =>
  Array.from({ length: levels }, (_, i) =>
    i === levels - 1
      ? `fragment F${i} on ${on} { ${leaf} }`
      : `fragment F${i} on ${on} { ${Array.from({ length: width }, () => `...F${i + 1}`).join(' ')} }`,
  ).join(' ');

/** `{ ...F0 }` where F0 … F(levels-1) double at each level: 2^(levels-1) root fields when expanded. */
export const rootFanOut = (levels: number, width = 2) =>
  `{ ...F0 } ${fanOutFragments(levels, 'Query', 'stats { lists }', width)}`;

/** The same fan-out of mutations: 2^(levels-1) `archiveList` when expanded. */
export const mutationFanOut = (levels: number, listId = LIST_ID) =>
  `mutation { ...F0 } ${fanOutFragments(levels, 'Mutation', `archiveList(listId: "${listId}") { version }`)}`;

/** The fan-out below a root field: 2^(levels-1) copies of a list's todos. */
export const nestedFanOut = (levels: number) =>
  `{ list(listId: "${LIST_ID}") { ...F0 } } ${fanOutFragments(levels, 'List', 'todos { title }')}`;

const withinLength = (query: string) => query.length <= MAX_GRAPHQL_QUERY_LENGTH;

/** The largest `n` (from 2) whose shape still `fits`: 10,000 characters by default. */
export const mostLevels = (shape: (n: number) => string, fits: (query: string) => boolean = withinLength) => {
  let levels = 2;
  while (fits(shape(levels + 1))) levels += 1;
  return levels;
};

/** `count` times `<alias><i>: <field>`. */
export const aliases = (count: number, field: string, alias = 'a') =>
  `{ ${Array.from({ length: count }, (_, i) => `${alias}${i}: ${field}`).join(' ')} }`;

/** As many aliases of `field` as `fit`. */
export const manyAliases = (field: string, fits: (query: string) => boolean = withinLength) =>
  aliases(
    mostLevels((n) => aliases(n, field), fits),
    field,
  );

/** `count` fields all answered as `a`, each asking a different list: every pair conflicts (GraphQL's overlap check is quadratic). */
export const conflictingAliases = (count: number) =>
  `{ ${Array.from({ length: count }, (_, i) => `a: list(listId: "l${i}") { title }`).join(' ')} }`;

/** One wide fragment on List (`fields` aliases of its todos), spread under `roots` aliases of `list`. */
export const wideFragment = (fields: number, roots: number) =>
  `${aliases(roots, `list(listId: "${LIST_ID}") { ...W }`, 'l')} fragment W on List { ${Array.from({ length: fields }, (_, i) => `t${i}: todos { title tags { name } }`).join(' ')} }`;

/** Inline fragments nested `levels` deep (they do not count as depth), `stats` at the bottom. */
export const deepInline = (levels: number) => `{ ${'... { '.repeat(levels)}stats { lists }${' }'.repeat(levels)} }`;

/** Every alias of `stats` with the same two directives. */
export const directives = (fits: (query: string) => boolean = withinLength) =>
  manyAliases('stats @skip(if: false) @include(if: true) { lists }', fits);

/** A field with a negative `limit` (priced negatively on main) next to `waits` read-your-writes waits. */
export const negativeLimitWithWaits = (waits: number, limit = -2147483648, listId = LIST_ID) =>
  `{ n: lists(limit: ${limit}) { items { listId } } ${Array.from({ length: waits }, (_, i) => `w${i}: list(listId: "${listId}", minVersion: 999999) { title }`).join(' ')} }`;

/**
 * The worst shapes, by name: each at most 10,000 characters (most of them refused by the
 * 1,000-token cap before pricing, so pricing is measured on them without it), and the same
 * kinds cut to fit the caps, which reach validation and pricing through the route.
 */
export const worstShapes = (): Record<string, string> => {
  const wideRoots = mostLevels((n) => wideFragment(20, n));
  return {
    'root fan-out, 20 levels': rootFanOut(20),
    'root fan-out, 24 levels': rootFanOut(24),
    'root fan-out, 40 levels': rootFanOut(40),
    [`root fan-out, ${mostLevels(rootFanOut)} levels (most in 10,000 characters)`]: rootFanOut(mostLevels(rootFanOut)),
    [`root fan-out, ${mostLevels(rootFanOut, withinCaps)} levels (most within the caps)`]: rootFanOut(
      mostLevels(rootFanOut, withinCaps),
    ),
    'root fan-out ×8, 30 levels': rootFanOut(30, 8),
    'mutation fan-out, 24 levels': mutationFanOut(24),
    [`mutation fan-out, ${mostLevels(mutationFanOut)} levels`]: mutationFanOut(mostLevels(mutationFanOut)),
    'nested fan-out, 24 levels': nestedFanOut(24),
    [`nested fan-out, ${mostLevels(nestedFanOut)} levels`]: nestedFanOut(mostLevels(nestedFanOut)),
    [`nested fan-out, ${mostLevels(nestedFanOut, withinCaps)} levels (within the caps)`]: nestedFanOut(
      mostLevels(nestedFanOut, withinCaps),
    ),
    'aliases of stats': manyAliases('stats { lists }'),
    'aliases of stats within the caps': manyAliases('stats { lists }', withinCaps),
    'aliases of list todos tags': manyAliases(`list(listId: "${LIST_ID}") { todos { tags { name } } }`),
    [`one alias for ${mostLevels(conflictingAliases, withinCaps)} conflicting fields (within the caps)`]:
      conflictingAliases(mostLevels(conflictingAliases, withinCaps)),
    [`a 20-field fragment under ${wideRoots} aliases`]: wideFragment(20, wideRoots),
    [`inline fragments ${mostLevels(deepInline)} deep`]: deepInline(mostLevels(deepInline)),
    [`inline fragments ${mostLevels(deepInline, withinCaps)} deep (within the caps)`]: deepInline(
      mostLevels(deepInline, withinCaps),
    ),
    'directives on aliases': directives(),
    'directives on aliases within the caps': directives(withinCaps),
    'negative limit with 60 waits': negativeLimitWithWaits(60),
  };
};
