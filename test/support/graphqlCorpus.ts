/**
 * GraphQL documents for the app's schema, good and bad, for tests that run one document through
 * two engines and compare: every kind of refusal graphql-js's validation has, variables,
 * fragments, directives, aliases and introspection.
 */
const ID = '00000000-0000-4000-8000-000000000001';

export const VALIDATION_CORPUS: readonly string[] = [
  '{ lists { items { listId title } nextToken } }',
  `{ list(listId: "${ID}") { title todos { todoId title tags { name } } } }`,
  '{ stats { lists openTodos completedTodos } tags { items { tagId name todoCount } } }',
  'query Q($l: ID!, $n: Int = 5) { events(listId: $l, limit: $n) { items { version type data at } nextToken } }',
  'mutation M($t: String!) { createList(title: $t) { listId version } }',
  '{ lists { items { ...S } } } fragment S on ListSummary { listId title openCount }',
  '{ lists { items { ... on ListSummary { listId } ... { title } } } }',
  '{ a: stats { lists } b: stats { openTodos } }',
  '{ __typename lists { __typename items { __typename } } }',
  '{ __schema { queryType { name } } }',
  '{ __type(name: "List") { name fields { name type { name kind ofType { name } } } } }',
  '{ __schema { types { name fields { type { fields { name } } } } } }',
  '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }',
  '{ lists @include(if: true) { nextToken } stats @skip(if: false) { lists } }',
  'query($c: Boolean!) { lists @include(if: $c) { nextToken } }',
  'query($c: Boolean) { lists @include(if: $c) { nextToken } }',
  // Refusals.
  '{ nothing }',
  '{ lsts { items { title } } }',
  '{ lists { items { titel } } }',
  '{ lists }',
  '{ stats { lists { x } } }',
  '{ list { title } }',
  '{ list(listId: 1.5) { title } }',
  '{ list(listId: true, atVersion: "x") { title } }',
  '{ lists(limit: [1, 2]) { nextToken } }',
  '{ lists(limit: {a: 1, a: 2}) { nextToken } }',
  '{ lists(limit: 99999999999) { nextToken } }',
  '{ lists(limit: null, bogus: 1, limt: 2) { nextToken } }',
  '{ lists(limit: 1, limit: 2) { nextToken } }',
  '{ list(listId: null) { title } }',
  'query($l: String) { list(listId: $l) { title } }',
  'query($l: ID) { list(listId: $l) { title } }',
  'query($l: ID = "x") { list(listId: $l) { title } }',
  'query($l: ID!, $l: ID!) { list(listId: $l) { title } }',
  'query($u: ID!) { lists { nextToken } }',
  'query Named { list(listId: $nope) { title } }',
  '{ list(listId: $nope) { title } }',
  'query($x: List) { lists { nextToken } }',
  'query($x: Strin) { lists { nextToken } }',
  'query($x: [Int!]! = [1, "a", null]) { lists { nextToken } }',
  'query A { lists { nextToken } } query A { stats { lists } }',
  '{ lists { nextToken } } { stats { lists } }',
  'query A { lists { nextToken } } { stats { lists } }',
  '{ lists { ...F } }',
  '{ lists { ...F } } fragment F on ListsPage { nextToken } fragment F on ListsPage { items { title } }',
  '{ lists { nextToken } } fragment U on ListsPage { nextToken }',
  '{ lists { ...A } } fragment A on ListsPage { ...B } fragment B on ListsPage { ...A }',
  '{ lists { ...A } } fragment A on ListsPage { ...A }',
  '{ lists { ...T } } fragment T on Stats { lists }',
  '{ lists { ... on Stats { lists } } }',
  '{ lists { ... on String { x } } }',
  '{ lists { ...S } } fragment S on String { x }',
  '{ lists { ... on Nope { x } } }',
  '{ lists { ...N } } fragment N on Nope { x }',
  '{ lists @nope { nextToken } }',
  '{ lists @include(if: true) @include(if: false) { nextToken } }',
  '{ lists @include { nextToken } }',
  '{ lists @include(if: true, iff: true) { nextToken } }',
  '{ lists @deprecated { nextToken } }',
  'query @skip(if: true) { lists { nextToken } }',
  '{ lists @nope(limit: "x") { nextToken } }',
  '{ a: stats { lists } a: tags { items { name } } }',
  '{ a: lists(limit: 1) { nextToken } a: lists(limit: 2) { nextToken } }',
  '{ lists { items { x: title x: listId } } }',
  '{ lists { items { v: version v: title } } }',
  '{ s: stats { lists } s: stats { lists: openTodos } }',
  '{ lists { ...F ...G } } fragment F on ListsPage { n: nextToken } fragment G on ListsPage { n: items { title } }',
  'type Foo { a: String } { lists { nextToken } }',
  'schema { query: Query }',
  'subscription { lists { nextToken } }',
  'mutation { lists { nextToken } }',
  'mutation { createList { listId } }',
  'mutation { createList(title: "a") }',
  `mutation { renameTodo(listId: "${ID}", todoId: 5, title: 7) { version } }`,
  '{ __schema { types { name } } nothing }',
  '{ __type { name } }',
  '{ lists(limit: $a, nextToken: $b) { items { title } } }',
  '{ a1 b2 c3 d4 e5 f6 g7 h8 i9 j10 k11 l12 }',
];

/** More refusals: directives inside directives' scope, SDL beside operations, values of every kind. */
export const MORE_CORPUS: readonly string[] = [
  '{ lists @nope(iff: 1, limit: "x") { nextToken } }',
  '{ lists { ...F @include(if: 1) } } fragment F on ListsPage @skip(if: true) { nextToken }',
  'query($v: Int) @include(if: $v) { lists { nextToken } }',
  'query($v: Boolean = 1) { lists @skip(if: $v) { nextToken } }',
  'query($v: [Boolean]) { lists @skip(if: $v) { nextToken } }',
  'query($v: Boolean! = true) { lists @skip(if: $v) { nextToken } }',
  '{ lists(limit: """block""", nextToken: ENUMY) { nextToken } }',
  '{ lists(limit: 1.0, nextToken: 5) { nextToken } }',
  '{ stats { ... on Stats @include(if: true) { lists } ... @skip(if: false) { openTodos } } }',
  '{ stats { lists: openTodos lists } }',
  `{ list(listId: "a") { todos { t: title } } list(listId: "a") { todos { t: completed } } }`,
  `{ l: list(listId: "a") { title } l: list(listId: "b") { title } }`,
  `{ l: list(listId: "a", atVersion: 1) { title } l: list(atVersion: 1, listId: "a") { title } }`,
  'fragment F on Query { stats { lists } } { ...F ...F }',
  '{ __schema { directives { name args { name defaultValue } locations } } }',
  '{ __type(name: "__Type") { fields(includeDeprecated: true) { name args { name type { name } defaultValue } } } }',
  'query($n: String!) { __type(name: $n) { name } }',
  'extend type Query { x: String } { lists { nextToken } }',
  'directive @x on FIELD { lists { nextToken } }',
  '{ lists { items { ...S } } } fragment S on ListSummary { ...T } fragment T on ListSummary { title ...S }',
];

/**
 * Random documents on the app's schema, from a seed: fields (real, misspelt, introspection's),
 * aliases that collide, arguments of every kind of value, directives known and not, inline
 * fragments and spreads on fitting and unfitting types, variables declared or not. Most are refused
 * for several reasons at once.
 */
export const randomDocuments = (seed: number, count: number): string[] => {
  let state = seed;
  const rnd = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const pick = <T>(xs: readonly T[]) => xs[rnd(xs.length)] as T;
  const names = ['lists', 'list', 'stats', 'tags', 'events', 'items', 'title', 'listId', 'todos', 'name'];
  const more = ['nextToken', 'version', 'x', '__typename', '__schema', '__type', 'types', 'fields', 'type', 'kind'];
  const fields = [...names, ...more, 'ofType', 'createList', 'archiveList', 'todoId', 'completed', 'openTodos', 'data'];
  const values = ['1', '-5', '2147483648', '1.5', '"a"', `"${ID}"`, 'true', 'null', 'FOO', '[1, 2]', '{a: 1}', '$v'];
  const argNames = [
    'limit',
    'listId',
    'nextToken',
    'minVersion',
    'atVersion',
    'title',
    'name',
    'if',
    'todoId',
    'bogus',
  ];
  const types = ['Query', 'List', 'ListsPage', 'Stats', 'String', 'Nope', 'Mutation', '__Type', 'Todo'];
  const field = (depth: number) => {
    const alias = rnd(4) === 0 ? `${pick(['a', 'b', 'title'])}: ` : '';
    const args = rnd(3) === 0 ? `(${pick(argNames)}: ${pick(values)})` : '';
    const directive = rnd(6) === 0 ? ` @${pick(['skip', 'include', 'nope', 'deprecated'])}(if: ${pick(values)})` : '';
    const below = rnd(2) === 0 && depth <= 4 ? ` { ${selection(depth + 1)} }` : '';
    return `${alias}${pick(fields)}${args}${directive}${below}`;
  };
  const selection = (depth: number): string =>
    Array.from({ length: 1 + rnd(3) }, () => {
      const r = rnd(10);
      if (r < 6 || depth > 3) return field(depth);
      return r < 8 ? `... on ${pick(types)} { ${selection(depth + 1)} }` : `...${pick(['F', 'G', 'H'])}`;
    }).join(' ');
  const operations = [
    '',
    'query Q',
    'mutation',
    'query($v: Int)',
    'query($v: ID!)',
    'subscription',
    'query($v: [Int])',
  ];
  return Array.from({ length: count }, () => {
    const fragments = Array.from(
      { length: rnd(3) },
      () => `fragment ${pick(['F', 'G', 'H'])} on ${pick(types)} { ${selection(1)} }`,
    );
    return `${pick(operations)} { ${selection(0)} } ${fragments.join(' ')}`;
  });
};
