import {
  Kind,
  type DirectiveNode,
  type FieldNode,
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
  const walk = new UsageWalk(index, usages);
  walk.directives(node.directives, undefined);
  const { model } = index;
  const parent =
    node.kind === Kind.FRAGMENT_DEFINITION
      ? typeFromAst(index, node.typeCondition)
      : node.operation === 'query'
        ? model.query
        : node.operation === 'mutation'
          ? model.mutation
          : undefined;
  walk.selectionSet(node.selectionSet, objectOrNone(index, parent), undefined);
  return usages;
};

const objectOrNone = (index: AnyIndex, type: string | undefined) =>
  type !== undefined && kindOf(index, type) === 'OBJECT' ? namedOf(type) : undefined;
const argumentOf = (args: ModelField<never>['args'], name: string) =>
  args && Object.hasOwn(args, name) ? args[name] : undefined;

class UsageWalk {
  constructor(
    private readonly index: AnyIndex,
    private readonly usages: VariableUsage[],
  ) {}

  value(v: ValueNode, type: string | undefined, defaultValue: unknown) {
    if (v.kind === Kind.VARIABLE) this.usages.push({ node: v, type, defaultValue });
    else if (v.kind === Kind.LIST) {
      const nullable = type === undefined ? undefined : (nullableOf(type) ?? type);
      const item = nullable === undefined ? undefined : (itemOf(nullable) ?? nullable);
      for (const entry of v.values) this.value(entry, item, undefined);
    } else if (v.kind === Kind.OBJECT) for (const field of v.fields) this.value(field.value, undefined, undefined);
  }

  directives(list: readonly DirectiveNode[] | undefined, field: ModelField<never> | undefined) {
    for (const directive of list ?? []) {
      const known = DIRECTIVES.find((d) => d.name === directive.name.value);
      const args: ModelField['args'] = known ? known.args : field?.args;
      for (const arg of directive.arguments ?? []) {
        const def = argumentOf(args, arg.name.value);
        this.value(arg.value, def?.type, def?.defaultValue);
      }
    }
  }

  selectionSet(set: SelectionSetNode, parent: string | undefined, field: ModelField<never> | undefined) {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) this.field(selection, parent);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        this.directives(selection.directives, field);
        const type = selection.typeCondition ? typeFromAst(this.index, selection.typeCondition) : parent;
        this.selectionSet(selection.selectionSet, objectOrNone(this.index, type), field);
      } else this.directives(selection.directives, field);
    }
  }

  private field(node: FieldNode, parent: string | undefined) {
    const def = parent === undefined ? undefined : fieldDefOf(this.index, parent, node.name.value);
    for (const arg of node.arguments ?? []) {
      const argDef = argumentOf(def?.args, arg.name.value);
      this.value(arg.value, argDef?.type, argDef?.defaultValue);
    }
    this.directives(node.directives, def);
    if (node.selectionSet) this.selectionSet(node.selectionSet, objectOrNone(this.index, def?.type), def);
  }
}
