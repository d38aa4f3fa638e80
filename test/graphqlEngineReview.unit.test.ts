import { graphqlCostOf, graphqlModelOf, graphqlSchemaOf } from '../src/app/graphql';
import { graphqlRoute } from '../src/graphql/graphqlRoute';
import { modelRoute } from '../src/graphql/modelRoute';
import { logger } from '../src/observability';
import { both, ID, runtime } from './support/graphqlSideBySide';

beforeAll(() => {
  jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
});
afterAll(() => jest.restoreAllMocks());

const deep = (n: number): unknown => (n === 0 ? 1 : [deep(n - 1)]);
const deepObject = (n: number): unknown => (n === 0 ? 1 : { a: deepObject(n - 1) });

/** [name, query, variables, operationName] */
const PROBES: [string, string, unknown?, unknown?][] = [
  ['__proto__ as a field', '{ __proto__ }'],
  ['constructor as a field', '{ constructor }'],
  ['toString as a field', '{ stats { toString } }'],
  ['hasOwnProperty as a sub field', '{ stats { hasOwnProperty lists } }'],
  ['__proto__ as an alias', '{ __proto__: stats { lists } }'],
  ['constructor as an alias', '{ constructor: stats { lists } toString: stats { lists } }'],
  ['__proto__ as an inner alias', '{ stats { __proto__: lists constructor: openTodos } }'],
  ['__proto__ as an argument', '{ lists(__proto__: 1) { nextToken } }'],
  ['constructor as an argument', '{ lists(constructor: 1) { nextToken } }'],
  ['toString as an argument', `mutation { archiveList(listId: "${ID}", toString: "x") { version } }`],
  [
    '__proto__ as a variable',
    'query($__proto__: Int) { lists(limit: $__proto__) { nextToken } }',
    { ['__proto__']: 3 },
  ],
  [
    'constructor as a variable',
    'query($constructor: Int) { lists(limit: $constructor) { nextToken } }',
    { constructor: 3 },
  ],
  ['constructor variable not given', 'query($constructor: Int) { lists(limit: $constructor) { nextToken } }', {}],
  ['toString variable, undefined', 'query($toString: Int!) { lists(limit: $toString) { nextToken } }', {}],
  [
    'a __proto__ variable object',
    'query($v: Int) { lists(limit: $v) { nextToken } }',
    JSON.parse('{"__proto__": {"v": 5}}'),
  ],
  ['__proto__ as a fragment name', 'fragment __proto__ on Stats { lists } { stats { ...__proto__ } }'],
  ['constructor as a fragment name', '{ stats { ...constructor } }'],
  ['toString as an unknown fragment', '{ stats { ...toString } }'],
  ['hasOwnProperty fragment defined', 'fragment hasOwnProperty on Stats { lists } { stats { ...hasOwnProperty } }'],
  ['constructor as a type condition', '{ stats { ... on constructor { lists } } }'],
  ['Object as a type condition', 'fragment F on Object { a } { stats { ...F } }'],
  ['toString as a variable type', 'query($v: toString) { stats { lists } }', { v: 1 }],
  ['__proto__ as a variable type', 'query($v: __proto__) { stats { lists } }', { v: 1 }],
  ['constructor as an operation name', 'query constructor { stats { lists } }', {}, 'constructor'],
  ['toString operation asked, absent', 'query A { stats { lists } }', {}, 'toString'],
  [
    '__proto__ operation asked',
    'query __proto__ { stats { lists } } query B { tags { items { name } } }',
    {},
    '__proto__',
  ],
  ['constructor as a directive', '{ stats @constructor { lists } }'],
  ['__proto__ as a directive', '{ stats @__proto__ { lists } }'],
  ['an unknown directive', '{ stats @nope { lists } }'],
  ['a directive in the wrong place', 'query @skip(if: true) { stats { lists } }'],
  ['a repeated skip', '{ stats @skip(if: false) @skip(if: false) { lists } }'],
  ['skip without if', '{ stats @skip { lists } }'],
  ['skip with a string', '{ stats @skip(if: "yes") { lists } }'],
  ['skip with an unknown argument', '{ stats @skip(if: false, x: 1) { lists } }'],
  ['skip with a variable, Boolean (nullable)', 'query($s: Boolean) { stats @skip(if: $s) { lists } }', { s: true }],
  ['skip with a variable of type Int', 'query($s: Int) { stats @skip(if: $s) { lists } }', { s: 1 }],
  ['include false with a variable', 'query($s: Boolean!) { stats @include(if: $s) { lists } }', { s: false }],
  [
    'include on a fragment spread',
    'query($s: Boolean!) { stats { ...F @include(if: $s) } } fragment F on Stats { lists }',
    { s: false },
  ],
  [
    'skip on an inline fragment',
    'query($s: Boolean!) { stats { ... @skip(if: $s) { lists } openTodos } }',
    { s: true },
  ],
  ['skip and include both', '{ stats @skip(if: false) @include(if: false) { lists } }'],
  [
    'a skipped mutation',
    `mutation($s: Boolean!) { archiveList(listId: "${ID}") @skip(if: $s) { version } }`,
    { s: true },
  ],
  ['a skip variable given as string', 'query($s: Boolean!) { stats @skip(if: $s) { lists } }', { s: 'true' }],
  ['a deprecated directive in a query', '{ stats @deprecated { lists } }'],
  ['specifiedBy in a query', '{ stats @specifiedBy(url: "x") { lists } }'],
  ['a fragment cycle', 'fragment A on Stats { ...B } fragment B on Stats { ...A } { stats { ...A } }'],
  ['a self fragment', 'fragment A on Stats { lists ...A } { stats { ...A } }'],
  [
    'a three fragment cycle',
    'fragment A on Stats { ...B } fragment B on Stats { ...C } fragment C on Stats { ...A lists } { stats { ...A } }',
  ],
  ['an unused fragment cycle', 'fragment A on Stats { ...A } { stats { lists } }'],
  ['a fragment on a wrong type', 'fragment A on Tags { items { name } } { stats { ...A } }'],
  ['a fragment on a scalar', 'fragment A on Int { x } { stats { lists } }'],
  ['an unused fragment', 'fragment A on Stats { lists } { stats { lists } }'],
  ['a duplicated fragment', 'fragment A on Stats { lists } fragment A on Stats { openTodos } { stats { ...A } }'],
  ['duplicate operation names', 'query A { stats { lists } } query A { tags { items { name } } }', {}, 'A'],
  ['anonymous and named', '{ stats { lists } } query A { tags { items { name } } }', {}, 'A'],
  ['a subscription with a name', 'subscription S { stats { lists } }', {}, 'S'],
  ['a subscription with two roots', 'subscription { stats { lists } tags { items { name } } }'],
  ['a mutation on a query field', 'mutation { stats { lists } }'],
  ['a query of a mutation field', `{ archiveList(listId: "${ID}") { version } }`],
  ['a type definition in the document', 'type X { a: Int } { stats { lists } }'],
  ['a schema extension', 'extend type Query { x: Int } { stats { lists } }'],
  ['only a fragment', 'fragment A on Stats { lists }'],
  ['__proto__ as an introspection alias', '{ __schema { __proto__: queryType { __proto__: name } } }'],
  ['__proto__ as an alias of __typename', '{ __proto__: __typename stats { __proto__: __typename } }'],
  ['__proto__ as a mutation alias', `mutation { __proto__: archiveList(listId: "${ID}") { __proto__: version } }`],
  ['introspection __schema', '{ __schema { queryType { name } } }'],
  ['introspection __type', '{ __type(name: "Stats") { name fields { name } } }'],
  ['introspection __type of __proto__', '{ __type(name: "__proto__") { name } }'],
  ['introspection __type of constructor', '{ __type(name: "constructor") { name } }'],
  ['introspection __type without name', '{ __type { name } }'],
  ['introspection __typename at the root', '{ __typename }'],
  ['__typename in a mutation', 'mutation { __typename }'],
  ['__typename in a subscription', 'subscription { __typename }'],
  ['introspection in a fragment', 'fragment F on Query { __schema { types { name } } } { ...F }'],
  ['introspection aliased', '{ s: __schema { t: types { n: name } } }'],
  ['introspection in a mutation', 'mutation { __schema { queryType { name } } }'],
  [
    'introspection nested deep',
    '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }',
  ],
  ['__type with a variable', 'query($n: String!) { __type(name: $n) { name } }', { n: 'Query' }],
  ['__type with an Int variable', 'query($n: Int) { __type(name: $n) { name } }', { n: 1 }],
  ['__typename with arguments', '{ __typename(x: 1) }'],
  ['__typename with a selection', '{ __typename { x } }'],
  ['an unknown variable', '{ lists(limit: $n) { nextToken } }', { n: 1 }],
  ['an unused variable', 'query($n: Int) { stats { lists } }', { n: 'x' }],
  ['a duplicate variable', 'query($n: Int, $n: Int) { lists(limit: $n) { nextToken } }', { n: 1 }],
  ['a variable of an output type', 'query($n: Stats) { stats { lists } }', { n: 1 }],
  ['a variable of an unknown type', 'query($n: Nope) { stats { lists } }', { n: 1 }],
  ['a default of the wrong type', 'query($n: Int = "x") { lists(limit: $n) { nextToken } }', {}],
  ['a default null for a non-null', 'query($n: Int! = null) { lists(limit: $n) { nextToken } }', {}],
  ['a default with a variable', 'query($n: Int = $m, $m: Int) { lists(limit: $n) { nextToken } }', {}],
  ['a nullable variable for a non-null arg', 'query($l: ID) { list(listId: $l) { title } }', { l: ID }],
  ['a nullable variable with default for non-null', 'query($l: ID = "x") { list(listId: $l) { title } }', {}],
  ['a list variable for ID', 'query($l: [ID]) { list(listId: $l) { title } }', { l: [ID] }],
  ['a String variable for an ID arg', 'query($l: String!) { list(listId: $l) { title } }', { l: ID }],
  ['an Int variable for an ID arg', 'query($l: Int!) { list(listId: $l) { title } }', { l: 1 }],
  ['an ID variable for a String arg', 'mutation($t: ID!) { createList(title: $t) { listId } }', { t: 'x' }],
  ['an ID variable for an Int arg', 'query($n: ID) { lists(limit: $n) { nextToken } }', { n: 1 }],
  ['a Float variable for an Int arg', 'query($n: Float) { lists(limit: $n) { nextToken } }', { n: 1 }],
  ['a JSON variable', 'query($n: JSON) { lists(limit: $n) { nextToken } }', { n: 1 }],
  ['an enum variable', 'query($n: EventType) { lists(limit: $n) { nextToken } }', { n: 'ListCreated' }],
  ['an Int beyond 32 bits', 'query($n: Int) { lists(limit: $n) { nextToken } }', { n: 2 ** 31 }],
  ['an Int literal beyond 32 bits', '{ lists(limit: 2147483648) { nextToken } }'],
  ['a negative Int literal', '{ lists(limit: -2147483648) { nextToken } }'],
  ['an Int 1e3', 'query($n: Int) { lists(limit: $n) { nextToken } }', { n: 1e3 }],
  ['an Int as a string', 'query($n: Int) { lists(limit: $n) { nextToken } }', { n: '3' }],
  ['an Int as true', 'query($n: Int) { lists(limit: $n) { nextToken } }', { n: true }],
  ['an Int as an object', 'query($n: Int) { lists(limit: $n) { nextToken } }', { n: { valueOf: 3 } }],
  ['an ID as a float', 'query($l: ID!) { list(listId: $l) { title } }', { l: 1.5 }],
  ['an ID as a boolean', 'query($l: ID!) { list(listId: $l) { title } }', { l: true }],
  ['an ID as a huge int', 'query($l: ID!) { list(listId: $l) { title } }', { l: 1e21 }],
  ['a String as a number', 'mutation($t: String!) { createList(title: $t) { listId } }', { t: 5 }],
  ['a list of lists deep', 'query($v: [[[[Int]]]]) { stats { lists } }', { v: deep(4) }],
  ['a list variable nested too deep', 'query($v: [Int]) { stats { lists } }', { v: deep(200) }],
  ['a JSON-like object deep for Int', 'query($n: Int) { lists(limit: $n) { nextToken } }', { n: deepObject(200) }],
  [
    'a huge list for a scalar',
    'query($n: Int) { lists(limit: $n) { nextToken } }',
    { n: Array.from({ length: 20000 }, () => 1) },
  ],
  [
    'a huge list of a list type',
    'query($v: [Int]) { stats { lists } }',
    { v: Array.from({ length: 20000 }, (_, i) => i) },
  ],
  [
    'a huge list of wrong items',
    'query($v: [Int!]!) { stats { lists } }',
    { v: Array.from({ length: 5000 }, () => 'x') },
  ],
  ['a single value for a list variable', 'query($v: [Int]) { stats { lists } }', { v: 1 }],
  ['variables as an array', 'query($n: Int) { lists(limit: $n) { nextToken } }', [1]],
  ['variables as a string', 'query($n: Int) { lists(limit: $n) { nextToken } }', 'x'],
  ['variables as null', 'query($n: Int) { lists(limit: $n) { nextToken } }', null],
  ['an object literal for a scalar', '{ lists(limit: { a: 1 }) { nextToken } }'],
  ['a list literal for a scalar', '{ lists(limit: [1]) { nextToken } }'],
  ['an enum literal for a scalar', '{ lists(limit: ONE) { nextToken } }'],
  ['a null literal for a non-null', '{ list(listId: null) { title } }'],
  ['a missing required argument', '{ list { title } }'],
  ['a duplicate argument', '{ lists(limit: 1, limit: 2) { nextToken } }'],
  ['a string for an ID literal', '{ list(listId: 5) { title } }'],
  ['a float for an Int literal', '{ lists(limit: 1.0) { nextToken } }'],
  ['a block string argument', `mutation { createList(title: """ a \n b """) { listId } }`],
  ['a unicode escape', 'mutation { createList(title: "\\u0000\\uD83D") { listId } }'],
  ['fields that conflict', '{ stats { a: lists a: openTodos } }'],
  ['fields that conflict through fragments', '{ stats { a: lists ...F } } fragment F on Stats { a: openTodos }'],
  ['args that conflict', '{ l: lists(limit: 1) { nextToken } l: lists(limit: 2) { nextToken } }'],
  [
    'args that conflict with a variable',
    'query($n: Int) { l: lists(limit: $n) { nextToken } l: lists(limit: 2) { nextToken } }',
    { n: 2 },
  ],
  ['a missing selection', '{ stats }'],
  ['a selection on a leaf', '{ stats { lists { x } } }'],
  ['a selection on an enum', `{ events(listId: "${ID}") { items { type { x } } } }`],
  ['a selection on JSON', `{ events(listId: "${ID}") { items { data { x } } } }`],
  ['an empty document', ''],
  ['only whitespace', '   '],
  ['a syntax error', '{ stats { '],
  ['a lone brace', '}'],
  ['a comment only', '# hi'],
  ['a big alias fan', `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: stats { lists }`).join(' ')} }`],
  [
    'many fragments spreading each other',
    `${Array.from({ length: 30 }, (_, i) => `fragment F${i} on Stats { lists ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F30 on Stats { lists } { stats { ...F0 } }`,
  ],
  ['many inline fragments nested', `{ stats { ${'... { '.repeat(60)}lists${' }'.repeat(60)} } }`],
  [
    'many conflicting inline fragments',
    `{ stats { ${Array.from({ length: 100 }, (_, i) => `... { a: ${i % 2 ? 'lists' : 'openTodos'} }`).join(' ')} } }`,
  ],
  ['deep list nesting', `{ list(listId: "${ID}") { todos { tags { name } } } }`],
  [
    'a depth bomb',
    `{ ${'lists { items { '.repeat(1)}title } } ${'__schema { types { fields { type { fields { type { fields { type { name } } } } } } } }'} }`,
  ],
];

describe.each([false, true])('probes, introspection %s', (introspection) => {
  const options = { introspection, costOf: graphqlCostOf(runtime) };
  const routes = {
    graphqlJs: graphqlRoute({ schema: graphqlSchemaOf(runtime), ...options }),
    model: modelRoute({ model: graphqlModelOf(runtime), ...options }),
  };

  // A rest parameter: jest takes a callback with more parameters than a row has for a `done` callback.
  it.each(PROBES)('answers %s alike', async (...row: unknown[]) => {
    const [, query, variables, operationName] = row;
    const body = `{"query":${JSON.stringify(query)},"variables":${JSON.stringify(variables) ?? 'null'},"operationName":${JSON.stringify(operationName) ?? 'null'}}`;
    const { graphqlJs, model, calls, modelCalls } = await both(routes, body);
    expect(model).toEqual(graphqlJs);
    expect(modelCalls).toEqual(calls);
    expect(model.status).toBeLessThan(500);
  });
});
