/**
 * Parts of the kit's validation over a `typeModel` schema (modelValidation.ts) that need no walk
 * state: graphql-js's ValuesOfCorrectType and UniqueInputFieldNames on a value,
 * MaxIntrospectionDepth, and VariablesInAllowedPosition's type test.
 */
import {
  GraphQLError,
  Kind,
  type ASTNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type InlineFragmentNode,
  type ValueNode,
} from 'graphql';
import { SCALARS, printValue } from './modelScalars';
import { itemOf, namedOf, nullableOf } from './typeModel';

export interface Reports {
  readonly report: (message: string, nodes: readonly ASTNode[]) => void;
  readonly reportError: (error: GraphQLError) => void;
}

/** ValuesOfCorrectTypeRule and UniqueInputFieldNamesRule on a value and what it holds. */
export const checkValue = (node: ValueNode, type: string | undefined, reports: Reports): void => {
  if (node.kind === Kind.NULL) {
    if (type?.endsWith('!')) reports.report(`Expected value of type "${type}", found null.`, [node]);
  } else if (node.kind === Kind.LIST) {
    const item = type === undefined ? undefined : itemOf(nullableOf(type) ?? type);
    if (item !== undefined) for (const value of node.values) checkValue(value, item, reports);
    else {
      checkLiteral(node, type, reports);
      uniqueInputFields(node, reports);
    }
  } else if (node.kind === Kind.OBJECT) {
    checkLiteral(node, type, reports);
    uniqueInputFields(node, reports);
  } else if (node.kind !== Kind.VARIABLE) checkLiteral(node, type, reports);
};

const checkLiteral = (node: ValueNode, type: string | undefined, reports: Reports) => {
  if (type === undefined) return;
  const scalar = SCALARS[namedOf(type)];
  const expected = `Expected value of type "${type}", found ${printValue(node)}.`;
  if (!scalar) return reports.report(expected, [node]);
  try {
    if (scalar.literal(node) === undefined) reports.report(expected, [node]);
  } catch (error) {
    if (error instanceof GraphQLError) reports.reportError(error);
    else throw error;
  }
};

const uniqueInputFields = (node: ValueNode, reports: Reports) => {
  if (node.kind === Kind.LIST) for (const value of node.values) uniqueInputFields(value, reports);
  if (node.kind !== Kind.OBJECT) return;
  const seen = new Map<string, ASTNode>();
  for (const field of node.fields) {
    const first = seen.get(field.name.value);
    if (first) reports.report(`There can be only one input field named "${field.name.value}".`, [first, field.name]);
    else seen.set(field.name.value, field.name);
    uniqueInputFields(field.value, reports);
  }
};

const INTROSPECTION_LISTS = new Set(['fields', 'interfaces', 'possibleTypes', 'inputFields']);

/** MaxIntrospectionDepthRule: `fields`, `interfaces`, `possibleTypes`, `inputFields` nested 3 deep. */
export const introspectionTooDeep = (
  root: FieldNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): boolean => {
  const checked = new Map<string, number>();
  const exceeded = new Map<string, number>();
  const visited = new Map<string, number>();
  type Node = FieldNode | InlineFragmentNode | FragmentSpreadNode | FragmentDefinitionNode;
  const spread = (node: FragmentSpreadNode, depth: number): boolean => {
    const name = node.name.value;
    const over = exceeded.get(name);
    if (over !== undefined && over <= depth) return true;
    const seenAt = visited.get(name);
    const checkedAt = checked.get(name);
    if ((seenAt !== undefined && seenAt >= depth) || (checkedAt !== undefined && checkedAt >= depth)) return false;
    const fragment = fragments.get(name);
    if (!fragment) return false;
    visited.set(name, depth);
    if (check(fragment, depth)) {
      exceeded.set(name, depth);
      return true;
    }
    checked.set(name, depth);
    return false;
  };
  const check = (node: Node, depth: number): boolean => {
    if (node.kind === Kind.FRAGMENT_SPREAD) return spread(node, depth);
    const deeper = node.kind === Kind.FIELD && INTROSPECTION_LISTS.has(node.name.value) ? depth + 1 : depth;
    if (deeper >= 3) return true;
    return (node.selectionSet?.selections ?? []).some((child) => check(child, deeper));
  };
  return check(root, 0);
};

/** VariablesInAllowedPositionRule's test: a variable's type fits where it is used. */
export const allowedUsage = (
  declared: string,
  declaredDefault: ValueNode | undefined,
  location: string,
  locationDefault: unknown,
): boolean => {
  const inner = nullableOf(location);
  if (inner !== undefined && !declared.endsWith('!')) {
    const hasDefault = declaredDefault !== undefined && declaredDefault.kind !== Kind.NULL;
    if (!hasDefault && locationDefault === undefined) return false;
    return isSubType(declared, inner);
  }
  return isSubType(declared, location);
};

const isSubType = (sub: string, of: string): boolean => {
  if (sub === of) return true;
  const ofInner = nullableOf(of);
  const subInner = nullableOf(sub);
  if (ofInner !== undefined) return subInner !== undefined && isSubType(subInner, ofInner);
  if (subInner !== undefined) return isSubType(subInner, of);
  const ofItem = itemOf(of);
  const subItem = itemOf(sub);
  if (ofItem !== undefined) return subItem !== undefined && isSubType(subItem, ofItem);
  return false;
};
