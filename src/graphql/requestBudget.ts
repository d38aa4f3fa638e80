import {
  GraphQLError,
  Kind,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isCompositeType,
  isListType,
  isUnionType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_LIST_SIZE, GRAPHQL_COSTS, type RootFieldCostOf } from './graphqlCosts';

/**
 * The most an operation can cost: every field in the answer counts 1, times the declared
 * size of each list it sits in, and each root field adds its weight. Fragments are expanded
 * (each measured once per place), variables are applied, `@skip`/`@include` are ignored (an
 * upper bound). Introspection fields cost nothing (allowed only where switched on).
 */
export const operationCost = (options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Readonly<Record<string, unknown>>;
  costOf?: RootFieldCostOf;
}): number => {
  const { schema, document, operation, variables, costOf } = options;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const kind = operation.operation === 'mutation' ? 'mutation' : 'query';
  const rootType = kind === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!rootType) return 0;

  return rootFieldsOf(operation.selectionSet, fragments).reduce((total, field) => {
    const definition = rootType.getFields()[field.name.value];
    if (!definition) return total;
    const args = argumentsOf(definition, field, variables);
    const priced = costOf?.({ operation: kind, name: field.name.value, args });
    // Each root field has its own argument values, so fragments are memoized per root field.
    const memo = new Map<string, number>();
    const sizes = priced?.listSizes ?? {};
    const answer = fieldCost({ type: rootType, field, path: ROOT, sizes, fragments, memo, schema });
    return total + (priced?.weight ?? GRAPHQL_COSTS.read()) + answer;
  }, 0);
};

/** The path of the root field's parent: marks the root field, whose own path is ''. */
const ROOT = '<root>';

interface Walk {
  readonly type: GraphQLCompositeType;
  readonly path: string;
  readonly sizes: Readonly<Record<string, number>>;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly memo: Map<string, number>;
  readonly schema: GraphQLSchema;
}

/** One field: itself, and its selection times the size of every list its type wraps. */
const fieldCost = (walk: Walk & { field: FieldNode }): number => {
  const name = walk.field.name.value;
  if (name.startsWith('__')) return 0;
  // A union has no fields of its own (but __typename): its members' come through fragments.
  const definition = isUnionType(walk.type) ? undefined : walk.type.getFields()[name];
  if (!definition) return 0;
  // Paths are relative to the root field: `todos` below `list`, and '' for the root field itself.
  const path = walk.path === ROOT ? '' : walk.path === '' ? name : `${walk.path}.${name}`;
  let multiplier = 1;
  let type = getNullableType(definition.type);
  while (isListType(type)) {
    multiplier *= walk.sizes[path] ?? DEFAULT_LIST_SIZE;
    type = getNullableType(type.ofType);
  }
  const named = getNamedType(definition.type);
  // A list of scalars is that many values; an object, interface or union, its selection as many times.
  if (!walk.field.selectionSet || !isCompositeType(named)) return multiplier;
  return 1 + multiplier * selectionCost({ ...walk, type: named, path }, walk.field.selectionSet);
};

const selectionCost = (walk: Walk, selectionSet: SelectionSetNode): number => {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      total += fieldCost({ ...walk, field: selection });
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      total += selectionCost(withCondition(walk, selection.typeCondition?.name.value), selection.selectionSet);
    } else {
      const fragment = walk.fragments.get(selection.name.value);
      if (!fragment) continue;
      const key = `${fragment.name.value}@${walk.path}`;
      const known = walk.memo.get(key);
      if (known !== undefined) {
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

const withCondition = (walk: Walk, typeName: string | undefined): Walk => {
  const type = typeName === undefined ? undefined : walk.schema.getType(typeName);
  return type && isCompositeType(type) ? { ...walk, type } : walk;
};

/** The root fields of an operation, through fragments (what a mutation count counts). */
export const rootFieldsOf = (selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] =>
  selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value.startsWith('__') ? [] : [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFieldsOf(selection.selectionSet, fragments, seen);
    const fragment = fragments.get(selection.name.value);
    if (!fragment || seen.has(fragment.name.value)) return [];
    return rootFieldsOf(fragment.selectionSet, fragments, new Set([...seen, fragment.name.value]));
  });

/** A field's arguments as its resolver will get them; none when they cannot be coerced (the field fails before it runs). */
const argumentsOf = (definition: Parameters<typeof getArgumentValues>[0], field: FieldNode, variables: Readonly<Record<string, unknown>>) => {
  try {
    return getArgumentValues(definition, field, variables as Record<string, unknown>);
  } catch {
    return {};
  }
};

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
export const checkRequestBudget = (options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Readonly<Record<string, unknown>> | null;
  budget: RequestBudget;
}): GraphQLError | undefined => {
  const { schema, document, budget } = options;
  const operation = getOperationAST(document, options.operationName ?? undefined);
  if (!operation) return undefined;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], { ...(options.variables ?? {}) });
  if ('errors' in coerced && coerced.errors) return undefined;
  const variables = coerced.coerced ?? {};
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  if (operation.operation === 'mutation') {
    const mutations = rootFieldsOf(operation.selectionSet, fragments).length;
    if (mutations > budget.maxMutations) {
      return new GraphQLError(
        `The request holds ${mutations} mutations; at most ${budget.maxMutations} may run in one request: send one request a command`,
        { nodes: [operation], extensions: { code: 'TOO_MANY_MUTATIONS', details: { mutations, maxMutations: budget.maxMutations } } },
      );
    }
  }
  const cost = operationCost({ schema, document, operation, variables, ...(budget.costOf ? { costOf: budget.costOf } : {}) });
  if (cost > budget.maxCost) {
    return new GraphQLError(
      `The request would cost ${formatCost(cost)}, over the limit of ${formatCost(budget.maxCost)} per request ` +
        '(a value in the answer costs 1 times the sizes of the lists it is in; reads and waits cost more): ask for fewer fields, aliases or items',
      { nodes: [operation], extensions: { code: 'GRAPHQL_TOO_COSTLY', details: { cost: Number.isFinite(cost) ? Math.ceil(cost) : null, maxCost: budget.maxCost } } },
    );
  }
  return undefined;
};

const formatCost = (cost: number) => (Number.isFinite(cost) ? Math.ceil(cost).toLocaleString('en-US') : 'more than any number');
