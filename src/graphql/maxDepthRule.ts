import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/**
 * How deep an operation nests fields, counting through fragments, or the first depth found over
 * `maxDepth` (the walk stops there). `{ lists { items { title } } }` is 3 deep. Introspection
 * fields do not count. Each fragment is measured once, so spreading one many times costs nothing more.
 */
export const operationDepth = (
  operation: OperationDefinitionNode,
  fragmentNamed: (name: string) => FragmentDefinitionNode | undefined,
  maxDepth: number,
): number => {
  const fragmentDepths = new Map<string, number>();
  // Fragments already being expanded count as 0 (NoFragmentCyclesRule reports the cycle).
  const depthOf = (selectionSet: SelectionSetNode | undefined, expanding: ReadonlySet<string>): number => {
    let deepest = 0;
    for (const selection of selectionSet?.selections ?? []) {
      deepest = Math.max(deepest, selectionDepth(selection, expanding));
      // Stop walking once over the limit: the answer is already known.
      if (deepest > maxDepth) return deepest;
    }
    return deepest;
  };
  const selectionDepth = (selection: SelectionSetNode['selections'][number], expanding: ReadonlySet<string>) => {
    // Introspection (__schema, __type) is allowed only where it is switched on (locally), and
    // its standard query alone is 15 deep: it is left to the introspection rule.
    if (selection.kind === Kind.FIELD)
      return selection.name.value.startsWith('__') ? 0 : 1 + depthOf(selection.selectionSet, expanding);
    if (selection.kind === Kind.INLINE_FRAGMENT) return depthOf(selection.selectionSet, expanding);
    const name = selection.name.value;
    const fragment = fragmentNamed(name);
    if (!fragment || expanding.has(name)) return 0;
    const depth = fragmentDepths.get(name) ?? depthOf(fragment.selectionSet, new Set([...expanding, name]));
    fragmentDepths.set(name, depth);
    return depth;
  };
  return depthOf(operation.selectionSet, new Set());
};

/** The refusal of an operation over `maxDepth`. */
export const tooDeepError = (operation: OperationDefinitionNode, maxDepth: number) =>
  new GraphQLError(`The operation is nested more than ${maxDepth} fields deep`, {
    nodes: [operation],
    extensions: { code: 'QUERY_TOO_DEEP' },
  });

/**
 * A validation rule that refuses operations nested deeper than `maxDepth` fields (see
 * `operationDepth`). Runs before any resolver, so a deep query costs one parse and one walk, never a read.
 */
export const maxDepthRule =
  (maxDepth: number): ValidationRule =>
  (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      if (operationDepth(operation, (name) => context.getFragment(name) ?? undefined, maxDepth) > maxDepth)
        context.reportError(tooDeepError(operation, maxDepth));
    },
  });
