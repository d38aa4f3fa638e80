import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/**
 * A validation rule that refuses operations nested deeper than `maxDepth` fields, counting
 * through fragments. `{ lists { items { title } } }` is 3 deep. Runs before any resolver,
 * so a deep query costs one parse and one walk, never a read. Introspection fields do not count.
 */
export const maxDepthRule =
  (maxDepth: number): ValidationRule =>
  (context: ValidationContext): ASTVisitor => {
    // Each fragment is measured once, so spreading one fragment many times costs nothing more.
    const fragmentDepths = new Map<string, number>();
    // Depth of a selection set; fragments already being expanded count as 0 (NoFragmentCyclesRule reports the cycle).
    // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one recursive walk over the selection kinds
    const depthOf = (selectionSet: SelectionSetNode | undefined, expanding: ReadonlySet<string>): number => {
      let deepest = 0;
      for (const selection of selectionSet?.selections ?? []) {
        let depth = 0;
        if (selection.kind === Kind.FIELD) {
          // Introspection (__schema, __type) is allowed only where it is switched on (locally), and
          // its standard query alone is 15 deep: it is left to NoSchemaIntrospectionCustomRule.
          if (!selection.name.value.startsWith('__')) depth = 1 + depthOf(selection.selectionSet, expanding);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          depth = depthOf(selection.selectionSet, expanding);
        } else {
          const name = selection.name.value;
          const fragment = context.getFragment(name);
          if (fragment && !expanding.has(name)) {
            depth = fragmentDepths.get(name) ?? depthOf(fragment.selectionSet, new Set([...expanding, name]));
            fragmentDepths.set(name, depth);
          }
        }
        deepest = Math.max(deepest, depth);
        // Stop walking once over the limit: the answer is already known.
        if (deepest > maxDepth) return deepest;
      }
      return deepest;
    };
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, new Set());
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`The operation is nested more than ${maxDepth} fields deep`, {
              nodes: [operation],
              extensions: { code: 'QUERY_TOO_DEEP' },
            }),
          );
        }
      },
    };
  };
