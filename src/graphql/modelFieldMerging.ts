/**
 * graphql-js's OverlappingFieldsCanBeMergedRule (16.15) for a `typeModel` schema: two fields
 * answered under one name must be the same field with the same arguments, of types that can
 * merge, whose own selections merge too. The same walk as graphql-js's: each selection set's
 * fields gathered once (inline fragments merged in, spread fragments compared by name, each pair
 * of fragments once), the same conflicts in the same order, the same abbreviations, and the same
 * complexity budget (over it, validation stops with "Validation aborted.").
 */
import { Kind, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import { kindOf, typeFromAst, type AnyIndex } from './modelSchemaIndex';
import { itemOf, namedOf, nullableOf, type ModelField } from './typeModel';

const MAX_DETAIL_LENGTH = 1000;
const MAX_CONFLICT_NODES = 20;
const MAX_COMPLEXITY_BUDGET = 500_000;

interface FieldDetails {
  readonly parentType: string | undefined;
  readonly node: FieldNode;
  readonly definition: ModelField<never> | undefined;
  readonly isSimpleLeaf: boolean;
  /** Reasons already found against other fields (graphql-js's `comparisons`). */
  comparisons?: Map<FieldDetails, string | null>;
}

interface Collected {
  readonly groupedFieldSet: Map<string, FieldDetails[]>;
  readonly fragmentNames: readonly string[];
  comparedFragments?: Map<string, boolean>;
  overlapping?: Map<Collected, { responseName: string; fields1: FieldDetails[]; fields2: FieldDetails[] }[]>;
}

interface Conflict {
  readonly responseName: string;
  readonly reason: string;
  readonly fields1: readonly FieldNode[];
  readonly fields2: readonly FieldNode[];
}

export interface MergeConflict {
  readonly message: string;
  readonly nodes: readonly FieldNode[];
}

const abbreviated = (text: string) =>
  text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}...` : text;

/** A value as graphql-js compares arguments: kinds and values, object fields sorted by name. */
const stringified = (value: ValueNode): string =>
  JSON.stringify(value, (_key, node: unknown) => {
    const ast = node as ValueNode | { kind: typeof Kind.OBJECT_FIELD; name: { value: string }; value: ValueNode };
    if (typeof node !== 'object' || node === null || typeof (ast as { kind?: unknown }).kind !== 'string') return node;
    switch (ast.kind) {
      case Kind.VARIABLE:
        return [ast.kind, ast.name.value];
      case Kind.OBJECT:
        return [
          ast.kind,
          [...ast.fields].sort((a, b) => (a.name.value < b.name.value ? -1 : a.name.value > b.name.value ? 1 : 0)),
        ];
      case Kind.OBJECT_FIELD:
        return [ast.name.value, ast.value];
      case Kind.LIST:
        return [ast.kind, ast.values];
      case Kind.STRING:
        return [ast.kind, ast.value, ast.block === true];
      default:
        return [ast.kind, 'value' in ast ? ast.value : null];
    }
  });

/** Pairs of fragment names, compared with or without mutually exclusive parents (graphql-js's PairSet). */
class PairSet {
  private readonly data = new Map<string, Map<string, boolean>>();
  has(a: string, b: string, exclusive: boolean) {
    return this.one(a, b, exclusive) || this.one(b, a, exclusive);
  }
  private one(a: string, b: string, exclusive: boolean) {
    const result = this.data.get(a)?.get(b);
    return result === undefined ? false : exclusive ? true : exclusive === result;
  }
  add(a: string, b: string, exclusive: boolean) {
    this.data.set(a, (this.data.get(a) ?? new Map()).set(b, exclusive));
  }
}

export class FieldMerging {
  private readonly comparedFragmentPairs = new PairSet();
  private readonly collected = new Map<string | undefined, Map<SelectionSetNode, Collected>>();
  private readonly strings = new Map<ValueNode, string>();
  private remaining = MAX_COMPLEXITY_BUDGET;

  constructor(
    private readonly index: AnyIndex,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    /** Called when the complexity budget runs out: stops validation. */
    private readonly abort: () => never,
  ) {}

  /** The conflicts a selection set reports (none for one directly in an inline fragment, or of one field). */
  conflictsIn(selectionSet: SelectionSetNode, parent: string | undefined, inInlineFragment: boolean): MergeConflict[] {
    if (inInlineFragment) return [];
    const [first] = selectionSet.selections;
    if (selectionSet.selections.length <= 1 && first?.kind !== Kind.INLINE_FRAGMENT) return [];
    return this.within(parent, selectionSet).map(({ responseName, reason, fields1, fields2 }) => ({
      message: `Fields "${abbreviated(responseName)}" conflict because ${reason}. Use different aliases on the fields to fetch both if this was intentional.`,
      nodes: [...fields1, ...fields2],
    }));
  }

  private spend(cost: number) {
    this.remaining -= cost;
    if (this.remaining < 0) this.abort();
  }

  private within(parent: string | undefined, selectionSet: SelectionSetNode): Conflict[] {
    const conflicts: Conflict[] = [];
    const collected = this.collect(parent, selectionSet);
    for (const [responseName, fields] of collected.groupedFieldSet)
      for (let i = 0; i < fields.length; i++)
        for (let j = i + 1; j < fields.length; j++) {
          const conflict = this.findConflict(false, responseName, fields[i] as FieldDetails, fields[j] as FieldDetails);
          if (conflict) conflicts.push(conflict);
        }
    const names = collected.fragmentNames;
    if (names.length !== 0 && (collected.groupedFieldSet.size !== 0 || names.length > 1))
      for (let i = 0; i < names.length; i++) {
        this.betweenFieldsAndFragment(conflicts, false, collected, names[i] as string);
        for (let j = i + 1; j < names.length; j++)
          this.betweenFragments(conflicts, false, names[i] as string, names[j] as string);
      }
    return conflicts;
  }

  private betweenFieldsAndFragment(conflicts: Conflict[], exclusive: boolean, collected: Collected, name: string) {
    this.spend(1);
    if (collected.groupedFieldSet.size === 0) return;
    collected.comparedFragments ??= new Map();
    const compared = collected.comparedFragments.get(name);
    // Only a non-exclusive comparison can be reused for overlapping parents.
    if (compared === false || (exclusive && compared === true)) return;
    collected.comparedFragments.set(name, exclusive);
    const fragment = this.fragments.get(name);
    if (!fragment) return;
    const collected2 = this.collectFragment(fragment);
    if (collected === collected2) return;
    this.between(conflicts, exclusive, collected, collected2);
    for (const referenced of collected2.fragmentNames)
      this.betweenFieldsAndFragment(conflicts, exclusive, collected, referenced);
  }

  private betweenFragments(conflicts: Conflict[], exclusive: boolean, name1: string, name2: string) {
    this.spend(2);
    if (name1 === name2 || this.comparedFragmentPairs.has(name1, name2, exclusive)) return;
    this.comparedFragmentPairs.add(name1, name2, exclusive);
    const fragment1 = this.fragments.get(name1);
    const fragment2 = this.fragments.get(name2);
    if (!fragment1 || !fragment2) return;
    const collected1 = this.collectFragment(fragment1);
    const collected2 = this.collectFragment(fragment2);
    this.between(conflicts, exclusive, collected1, collected2);
    for (const referenced of collected2.fragmentNames) this.betweenFragments(conflicts, exclusive, name1, referenced);
    for (const referenced of collected1.fragmentNames) this.betweenFragments(conflicts, exclusive, referenced, name2);
  }

  private betweenSubSelections(exclusive: boolean, a: FieldDetails, b: FieldDetails): Conflict[] {
    const conflicts: Conflict[] = [];
    const named = (d: FieldDetails) => (d.definition ? namedOf(d.definition.type) : undefined);
    const collected1 = this.collect(named(a), a.node.selectionSet as SelectionSetNode);
    const collected2 = this.collect(named(b), b.node.selectionSet as SelectionSetNode);
    this.between(conflicts, exclusive, collected1, collected2);
    for (const name of collected2.fragmentNames) this.betweenFieldsAndFragment(conflicts, exclusive, collected1, name);
    for (const name of collected1.fragmentNames) this.betweenFieldsAndFragment(conflicts, exclusive, collected2, name);
    for (const name1 of collected1.fragmentNames)
      for (const name2 of collected2.fragmentNames) this.betweenFragments(conflicts, exclusive, name1, name2);
    return conflicts;
  }

  private between(conflicts: Conflict[], exclusive: boolean, collected1: Collected, collected2: Collected) {
    if (collected1.groupedFieldSet.size === 0 || collected2.groupedFieldSet.size === 0) return;
    for (const { responseName, fields1, fields2 } of this.overlapping(collected1, collected2))
      for (const field1 of fields1)
        for (const field2 of fields2) {
          const conflict = this.findConflict(exclusive, responseName, field1, field2);
          if (conflict) conflicts.push(conflict);
        }
  }

  private overlapping(collected1: Collected, collected2: Collected) {
    collected1.overlapping ??= new Map();
    const known = collected1.overlapping.get(collected2);
    if (known) return known;
    const found: { responseName: string; fields1: FieldDetails[]; fields2: FieldDetails[] }[] = [];
    for (const [responseName, fields1] of collected1.groupedFieldSet) {
      this.spend(1);
      const fields2 = collected2.groupedFieldSet.get(responseName);
      if (fields2 !== undefined) found.push({ responseName, fields1, fields2 });
    }
    collected1.overlapping.set(collected2, found);
    return found;
  }

  private findConflict(parentsExclusive: boolean, responseName: string, a: FieldDetails, b: FieldDetails) {
    const isObject = (type: string | undefined) => type !== undefined && kindOf(this.index, type) === 'OBJECT';
    const exclusive =
      parentsExclusive || (a.parentType !== b.parentType && isObject(a.parentType) && isObject(b.parentType));
    this.spend(2);
    const type1 = a.definition?.type;
    const type2 = b.definition?.type;
    if (a.isSimpleLeaf && b.isSimpleLeaf && type1 === type2 && a.node.name.value === b.node.name.value)
      return undefined;
    if (!exclusive) {
      const reason = this.namesAndArguments(a, b);
      if (reason !== null) return { responseName, reason, fields1: [a.node], fields2: [b.node] };
    }
    if (type1 !== undefined && type2 !== undefined && this.typesConflict(type1, type2))
      return {
        responseName,
        reason: `they return conflicting types "${type1}" and "${type2}"`,
        fields1: [a.node],
        fields2: [b.node],
      };
    if (!a.node.selectionSet || !b.node.selectionSet) return undefined;
    return subfieldConflicts(this.betweenSubSelections(exclusive, a, b), responseName, a.node, b.node);
  }

  private namesAndArguments(a: FieldDetails, b: FieldDetails): string | null {
    a.comparisons ??= new Map();
    const known = a.comparisons.get(b);
    if (known !== undefined) return known;
    const name1 = a.node.name.value;
    const name2 = b.node.name.value;
    const reason =
      name1 !== name2
        ? `"${abbreviated(name1)}" and "${abbreviated(name2)}" are different fields`
        : this.sameArguments(a.node, b.node)
          ? null
          : 'they have differing arguments';
    a.comparisons.set(b, reason);
    return reason;
  }

  private sameArguments(a: FieldNode, b: FieldNode): boolean {
    const args1 = a.arguments ?? [];
    const args2 = b.arguments ?? [];
    if (args1.length === 0) return args2.length === 0;
    if (args1.length !== args2.length) return false;
    const values2 = new Map(args2.map((arg) => [arg.name.value, arg.value]));
    return args1.every((arg) => {
      this.spend(1);
      const other = values2.get(arg.name.value);
      return other !== undefined && this.stringOf(arg.value) === this.stringOf(other);
    });
  }

  private stringOf(value: ValueNode): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    const text = stringified(value);
    this.strings.set(value, text);
    return text;
  }

  /** Whether two field types cannot merge: list against non-list, nullable against not, different leaves. */
  private typesConflict(a: string, b: string): boolean {
    if (a === b) return false;
    this.spend(1);
    const item1 = itemOf(a);
    const item2 = itemOf(b);
    if (item1 !== undefined) return item2 === undefined || this.typesConflict(item1, item2);
    if (item2 !== undefined) return true;
    const inner1 = nullableOf(a);
    const inner2 = nullableOf(b);
    if (inner1 !== undefined) return inner2 === undefined || this.typesConflict(inner1, inner2);
    if (inner2 !== undefined) return true;
    return kindOf(this.index, a) !== 'OBJECT' || kindOf(this.index, b) !== 'OBJECT';
  }

  private collectFragment(fragment: FragmentDefinitionNode): Collected {
    return this.collect(typeFromAst(this.index, fragment.typeCondition), fragment.selectionSet);
  }

  /** A selection set's fields by response name (inline fragments merged in) and the fragments it spreads. */
  private collect(parent: string | undefined, selectionSet: SelectionSetNode): Collected {
    const bySet = this.collected.get(parent) ?? new Map<SelectionSetNode, Collected>();
    this.collected.set(parent, bySet);
    const known = bySet.get(selectionSet);
    if (known) return known;
    const groupedFieldSet = new Map<string, FieldDetails[]>();
    const fragmentNames = new Set<string>();
    this.collectInto(parent, selectionSet, groupedFieldSet, fragmentNames);
    const collected = { groupedFieldSet, fragmentNames: [...fragmentNames] };
    bySet.set(selectionSet, collected);
    return collected;
  }

  private collectInto(
    parent: string | undefined,
    selectionSet: SelectionSetNode,
    fields: Map<string, FieldDetails[]>,
    fragmentNames: Set<string>,
  ) {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.alias?.value ?? selection.name.value;
        const list = fields.get(name) ?? [];
        fields.set(name, list);
        list.push({
          parentType: parent,
          node: selection,
          definition: this.ownField(parent, selection.name.value),
          isSimpleLeaf: (selection.arguments?.length ?? 0) === 0 && !selection.selectionSet,
        });
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) fragmentNames.add(selection.name.value);
      else {
        const type = selection.typeCondition ? typeFromAst(this.index, selection.typeCondition) : parent;
        this.collectInto(type, selection.selectionSet, fields, fragmentNames);
      }
    }
  }

  /** A type's own field (not `__typename` and introspection's meta fields, as graphql-js here). */
  private ownField(parent: string | undefined, name: string): ModelField<never> | undefined {
    const type = parent === undefined ? undefined : this.index.types.get(parent);
    return type?.kind === 'OBJECT' && Object.hasOwn(type.fields, name) ? type.fields[name] : undefined;
  }
}

/** The conflicts of two fields' selections as one conflict of the two fields (graphql-js's subfieldConflicts). */
const subfieldConflicts = (
  conflicts: readonly Conflict[],
  responseName: string,
  node1: FieldNode,
  node2: FieldNode,
) => {
  if (conflicts.length === 0) return undefined;
  let message = '';
  for (const { responseName: name, reason } of conflicts) {
    message += `${message === '' ? '' : ' and '}subfields "${abbreviated(name)}" conflict because ${reason}`;
    if (message.length > MAX_DETAIL_LENGTH) break;
  }
  return {
    responseName,
    reason: abbreviated(message),
    fields1: conflictNodes(node1, conflicts, 'fields1'),
    fields2: conflictNodes(node2, conflicts, 'fields2'),
  };
};

const conflictNodes = (node: FieldNode, conflicts: readonly Conflict[], side: 'fields1' | 'fields2') => {
  const nodes = [node];
  for (const conflict of conflicts) {
    // Locations start with the enclosing field; the rest are taken from the end.
    nodes.push(...conflict[side].slice(-(MAX_CONFLICT_NODES - nodes.length)));
    if (nodes.length === MAX_CONFLICT_NODES) break;
  }
  return nodes;
};
