/**
 * The pricing of a request (`operationCost`) and its budget check, over what a schema answers
 * about its types (`PricingSchema`): graphql-js's schemas (requestBudget.ts) and the kit's type
 * model (modelRoute.ts) price alike.
 */
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_LIST_SIZE, GRAPHQL_COSTS, type RootFieldCostOf } from './graphqlCosts';
import { itemOf, namedOf, nullableOf } from './typeModel';

/** What pricing asks of a schema. Types are named in SDL notation (`[Line!]!`). */
export interface PricingSchema {
  readonly rootType: (operation: 'query' | 'mutation') => string | undefined;
  /** A field's type on a composite type; undefined for a union (no fields of its own) or an unknown field. */
  readonly fieldType: (type: string, field: string) => string | undefined;
  readonly isComposite: (type: string) => boolean;
  /**
   * A root field's arguments as its resolver will get them: `{}` when they cannot be coerced,
   * undefined when the root type has no such field.
   */
  readonly rootArguments: (
    root: string,
    field: FieldNode,
    variables: Readonly<Record<string, unknown>>,
  ) => Record<string, unknown> | undefined;
  /** The operation's variables, coerced; undefined when they cannot be (execution refuses them). */
  readonly variables: (
    operation: OperationDefinitionNode,
    given: Readonly<Record<string, unknown>>,
  ) => Record<string, unknown> | undefined;
}

/**
 * Work done while pricing, for tests that bound it by structure rather than by time: the
 * selections (fields, inline fragments, fragment spreads) visited, and how many spreads and
 * root fields were answered from memory instead of walked again.
 */
export interface PricingWork {
  visits: number;
  memoHits: number;
}

/**
 * The most an operation can cost: every field in the answer counts 1, times the declared
 * size of each list it sits in, and each root field adds its weight. Fragments are expanded
 * (each measured once per place), variables are applied, `@skip`/`@include` are ignored (an
 * upper bound). Introspection fields cost nothing (allowed only where switched on).
 *
 * The work is linear in the document, whatever it spreads: a fragment is priced once per root
 * field price list and path, and its cost reused wherever it is spread again (fragments that
 * each spread the next twice expand to 2^n fields, and were once walked that many times).
 * An app's price is never trusted below the floor: a negative or NaN weight counts 0, a
 * negative list size 0 and a NaN one `DEFAULT_LIST_SIZE`, and every field counts at least 1.
 */
export const priceOperation = (options: {
  schema: PricingSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Readonly<Record<string, unknown>>;
  costOf?: RootFieldCostOf;
  work?: PricingWork;
}): number => {
  const { schema, document, operation, variables, costOf } = options;
  const work = options.work ?? { visits: 0, memoHits: 0 };
  const fragments = fragmentsOf(document);
  const kind = operation.operation === 'mutation' ? 'mutation' : 'query';
  const rootType = schema.rootType(kind);
  if (rootType === undefined) return 0;
  // Fragment costs by the list sizes they were priced with: root fields with the same sizes share them.
  const memos = new Map<string, Map<string, number>>();

  return sumOverRootFields(operation.selectionSet, fragments, work, (field) => {
    const args = schema.rootArguments(rootType, field, variables);
    if (args === undefined) return 0;
    const priced = costOf?.({ operation: kind, name: field.name.value, args });
    const sizes = listSizesOf(priced?.listSizes);
    const sizesKey = JSON.stringify(sizes);
    const memo = memos.get(sizesKey) ?? new Map<string, number>();
    memos.set(sizesKey, memo);
    const answer = fieldCost({ type: rootType, field, path: ROOT, sizes, fragments, memo, schema, work });
    return atLeastZero(priced === undefined ? GRAPHQL_COSTS.read() : priced.weight) + answer;
  });
};

/** A price from an app, as the budget counts it: a number above 0, or 0 (negative, NaN, not a number). */
const atLeastZero = (value: unknown): number => (typeof value === 'number' && value > 0 ? value : 0);

/** An app's declared list sizes, own keys only (a field may be called `constructor`), none below 0; NaN is undeclared. */
const listSizesOf = (declared: Readonly<Record<string, number>> | undefined): Readonly<Record<string, number>> => {
  const sizes: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const [path, size] of Object.entries(declared ?? {}))
    if (typeof size === 'number' && !Number.isNaN(size)) sizes[path] = Math.max(0, size);
  return sizes;
};

const fragmentsOf = (document: DocumentNode) => {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return fragments;
};

/**
 * The sum of `valueOfField` over the root fields of a selection, through fragments and inline
 * fragments, counting a root field as many times as it is spread, in time linear in the
 * document: each root field node is valued once and each fragment summed once.
 */
const sumOverRootFields = (
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  work: PricingWork,
  valueOfField: (field: FieldNode) => number,
): number => {
  const fields = new Map<FieldNode, number>();
  const sums = new Map<string, number>();
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one recursive walk over the selection kinds, with memoised fragments
  const sum = (set: SelectionSetNode): number => {
    let total = 0;
    for (const selection of set.selections) {
      work.visits += 1;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const known = fields.get(selection);
        if (known !== undefined) work.memoHits += 1;
        const value = known ?? valueOfField(selection);
        fields.set(selection, value);
        total += value;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += sum(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment) continue;
        const known = sums.get(name);
        if (known !== undefined) {
          work.memoHits += 1;
          total += known;
          continue;
        }
        // A cycle (refused by validation before this runs) would meet itself here: count it once.
        sums.set(name, 0);
        const value = sum(fragment.selectionSet);
        sums.set(name, value);
        total += value;
      }
    }
    return total;
  };
  return sum(selectionSet);
};

/** The path of the root field's parent: marks the root field, whose own path is ''. */
const ROOT = '<root>';

interface Walk {
  readonly type: string;
  readonly path: string;
  readonly sizes: Readonly<Record<string, number>>;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly memo: Map<string, number>;
  readonly schema: PricingSchema;
  readonly work: PricingWork;
}

/** One field: itself, and its selection times the size of every list its type wraps. */
const fieldCost = (walk: Walk & { field: FieldNode }): number => {
  const name = walk.field.name.value;
  if (name.startsWith('__')) return 0;
  // A union has no fields of its own (but __typename): its members' come through fragments.
  const definition = walk.schema.fieldType(walk.type, name);
  if (definition === undefined) return 0;
  // Paths are relative to the root field: `lines` below `order`, and '' for the root field itself.
  const path = walk.path === ROOT ? '' : walk.path === '' ? name : `${walk.path}.${name}`;
  let multiplier = 1;
  for (
    let type = itemOf(nullableOf(definition) ?? definition);
    type !== undefined;
    type = itemOf(nullableOf(type) ?? type)
  )
    multiplier *= walk.sizes[path] ?? DEFAULT_LIST_SIZE;
  const named = namedOf(definition);
  // A list of scalars is that many values (a field is at least 1); an object, interface or union, its selection as many times.
  if (!walk.field.selectionSet || !walk.schema.isComposite(named)) return Math.max(1, multiplier);
  return 1 + multiplier * selectionCost({ ...walk, type: named, path }, walk.field.selectionSet);
};

const selectionCost = (walk: Walk, selectionSet: SelectionSetNode): number => {
  let total = 0;
  for (const selection of selectionSet.selections) {
    walk.work.visits += 1;
    if (selection.kind === Kind.FIELD) {
      total += fieldCost({ ...walk, field: selection });
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      total += selectionCost(withCondition(walk, selection.typeCondition?.name.value), selection.selectionSet);
    } else {
      const fragment = walk.fragments.get(selection.name.value);
      if (!fragment) continue;
      // The type is the fragment's own condition: its cost depends only on where it is (the path) and the sizes.
      const key = `${fragment.name.value}@${walk.path}`;
      const known = walk.memo.get(key);
      if (known !== undefined) {
        walk.work.memoHits += 1;
        total += known;
        continue;
      }
      // A cycle (refused by validation before this runs) would meet itself here: count it once.
      walk.memo.set(key, 0);
      const cost = selectionCost(withCondition(walk, fragment.typeCondition.name.value), fragment.selectionSet);
      walk.memo.set(key, cost);
      total += cost;
    }
  }
  return total;
};

const withCondition = (walk: Walk, typeName: string | undefined): Walk =>
  typeName !== undefined && walk.schema.isComposite(typeName) ? { ...walk, type: typeName } : walk;

/** How many root fields an operation runs, through fragments, each spread counted (what the mutation limit counts). */
export const rootFieldCount = (
  document: DocumentNode,
  operation: OperationDefinitionNode,
  work: PricingWork = { visits: 0, memoHits: 0 },
): number => sumOverRootFields(operation.selectionSet, fragmentsOf(document), work, () => 1);

export interface RequestBudget {
  readonly maxCost: number;
  readonly maxMutations: number;
  readonly costOf?: RootFieldCostOf;
}

/**
 * Checks a parsed and validated request against its budget before anything runs. Undefined
 * when it may run (or when graphql-js will refuse it itself: an unknown operation, bad
 * variables); else the error to answer with, TOO_MANY_MUTATIONS or GRAPHQL_TOO_COSTLY.
 */
export const checkBudget = (options: {
  schema: PricingSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Readonly<Record<string, unknown>> | null;
  budget: RequestBudget;
}): GraphQLError | undefined => {
  const { schema, document, budget } = options;
  const operation = operationAst(document, options.operationName ?? undefined);
  if (!operation) return undefined;
  const variables = schema.variables(operation, { ...(options.variables ?? {}) });
  if (variables === undefined) return undefined;
  if (operation.operation === 'mutation') {
    const mutations = rootFieldCount(document, operation);
    if (mutations > budget.maxMutations) {
      return new GraphQLError(
        `The request holds ${mutations} mutations; at most ${budget.maxMutations} may run in one request: send one request a command`,
        {
          nodes: [operation],
          extensions: { code: 'TOO_MANY_MUTATIONS', details: { mutations, maxMutations: budget.maxMutations } },
        },
      );
    }
  }
  const cost = priceOperation({
    schema,
    document,
    operation,
    variables,
    ...(budget.costOf ? { costOf: budget.costOf } : {}),
  });
  // Not `cost > maxCost`: a NaN cost is no number within the budget.
  if (!(cost <= budget.maxCost)) {
    return new GraphQLError(
      `The request would cost ${formatCost(cost)}, over the limit of ${formatCost(budget.maxCost)} per request ` +
        '(a value in the answer costs 1 times the sizes of the lists it is in; reads and waits cost more): ask for fewer fields, aliases or items',
      {
        nodes: [operation],
        extensions: {
          code: 'GRAPHQL_TOO_COSTLY',
          details: { cost: Number.isFinite(cost) ? Math.ceil(cost) : null, maxCost: budget.maxCost },
        },
      },
    );
  }
  return undefined;
};

const formatCost = (cost: number) =>
  Number.isFinite(cost) ? Math.ceil(cost).toLocaleString('en-US') : 'more than any number';

/** graphql-js's `getOperationAST`: the operation named, or the only one. */
const operationAst = (document: DocumentNode, name: string | undefined): OperationDefinitionNode | undefined => {
  let found: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (name === undefined) {
      if (found) return undefined;
      found = definition;
    } else if (definition.name?.value === name) return definition;
  }
  return found;
};
