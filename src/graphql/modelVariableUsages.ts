import {
  Kind,
  type DirectiveNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  type VariableNode,
} from 'graphql';
import { DIRECTIVES } from './modelIntrospection';
import { fieldDefOf, kindOf, typeFromAst, type AnyIndex } from './modelSchemaIndex';
import { itemOf, namedOf, nullableOf, type ModelField } from './typeModel';

/** A variable where it is used: the type expected there, and that position's default. */
export interface VariableUsage {
  readonly node: VariableNode;
  readonly type: string | undefined;
  readonly defaultValue: unknown;
}

/**
 * The variables an operation or fragment uses (not counting the fragments it spreads), in
 * document order, each with the type its position expects: `ValidationContext.getVariableUsages`.
 */
export const variableUsagesOf = (
  index: AnyIndex,
  node: OperationDefinitionNode | FragmentDefinitionNode,
): VariableUsage[] => {
  const usages: VariableUsage[] = [];
  const value = (v: ValueNode, type: string | undefined, defaultValue: unknown) => {
    if (v.kind === Kind.VARIABLE) usages.push({ node: v, type, defaultValue });
    else if (v.kind === Kind.LIST) {
      const nullable = type === undefined ? undefined : (nullableOf(type) ?? type);
      const item = nullable === undefined ? undefined : (itemOf(nullable) ?? nullable);
      for (const entry of v.values) value(entry, item, undefined);
    } else if (v.kind === Kind.OBJECT) for (const field of v.fields) value(field.value, undefined, undefined);
  };
  const directives = (list: readonly DirectiveNode[] | undefined, field: ModelField<never> | undefined) => {
    for (const directive of list ?? []) {
      const known = DIRECTIVES.find((d) => d.name === directive.name.value);
      const args: ModelField['args'] = known ? known.args : field?.args;
      for (const arg of directive.arguments ?? []) {
        const def = args && Object.hasOwn(args, arg.name.value) ? args[arg.name.value] : undefined;
        value(arg.value, def?.type, def?.defaultValue);
      }
    }
  };
  const selectionSet = (set: SelectionSetNode, parent: string | undefined, field: ModelField<never> | undefined) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const def = parent === undefined ? undefined : fieldDefOf(index, parent, selection.name.value);
        for (const arg of selection.arguments ?? []) {
          const argDef = def?.args && Object.hasOwn(def.args, arg.name.value) ? def.args[arg.name.value] : undefined;
          value(arg.value, argDef?.type, argDef?.defaultValue);
        }
        directives(selection.directives, def);
        const type = def?.type;
        if (selection.selectionSet)
          selectionSet(
            selection.selectionSet,
            kindOf(index, type) === 'OBJECT' ? namedOf(type as string) : undefined,
            def,
          );
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        directives(selection.directives, field);
        const type = selection.typeCondition ? typeFromAst(index, selection.typeCondition) : parent;
        selectionSet(selection.selectionSet, kindOf(index, type) === 'OBJECT' ? type : undefined, field);
      } else {
        directives(selection.directives, field);
      }
    }
  };
  directives(node.directives, undefined);
  const { model } = index;
  const parent =
    node.kind === Kind.FRAGMENT_DEFINITION
      ? typeFromAst(index, node.typeCondition)
      : node.operation === 'query'
        ? model.query
        : node.operation === 'mutation'
          ? model.mutation
          : undefined;
  selectionSet(node.selectionSet, kindOf(index, parent) === 'OBJECT' ? parent : undefined, undefined);
  return usages;
};
