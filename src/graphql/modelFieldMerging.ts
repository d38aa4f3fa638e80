/**
 * graphql-js's OverlappingFieldsCanBeMergedRule for a `typeModel` schema (object types only):
 * two fields answered under one name must be the same field with the same arguments, of types
 * that can merge, whose own selections merge too. Each selection set's fields are gathered once
 * (fragments expanded once each, a field node counted once however often it is spread) and each
 * pair of field nodes is compared and reported once, so a document of fragments that spread each
 * other twice costs what its size does, never 2^n. The conflicts are graphql-js's; a conflict
 * inside a fragment is reported at the first selection set that spreads it, where graphql-js
 * reports it at the fragment's definition.
 */
import {
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type ObjectValueNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { printValue } from './modelScalars';
import { fieldDefOf, kindOf, typeFromAst, type AnyIndex } from './modelSchemaIndex';
import { itemOf, namedOf, nullableOf } from './typeModel';

interface Gathered {
  readonly node: FieldNode;
  /** The object type the field is selected on, when known. */
  readonly parent: string | undefined;
  readonly type: string | undefined;
}

interface Gathering {
  readonly byName: Map<string, Gathered[]>;
  readonly seen: Set<FieldNode>;
  readonly expanding: Set<string>;
}

type Reason = string | readonly (readonly [string, Reason])[];
interface Conflict {
  readonly responseName: string;
  readonly reason: Reason;
  readonly fields1: readonly FieldNode[];
  readonly fields2: readonly FieldNode[];
}

export interface MergeConflict {
  readonly message: string;
  readonly nodes: readonly FieldNode[];
}

const reasonMessage = (reason: Reason): string =>
  typeof reason === 'string'
    ? reason
    : reason.map(([name, sub]) => `subfields "${name}" conflict because ${reasonMessage(sub)}`).join(' and ');

/** A value printed with its object fields sorted, as graphql-js compares arguments. */
const sortedValue = (value: ValueNode): string => {
  if (value.kind === Kind.OBJECT) {
    const fields = [...(value as ObjectValueNode).fields].sort((a, b) => a.name.value.localeCompare(b.name.value));
    return `{${fields.map((f) => `${f.name.value}: ${sortedValue(f.value)}`).join(', ')}}`;
  }
  if (value.kind === Kind.LIST) return `[${value.values.map(sortedValue).join(', ')}]`;
  return printValue(value);
};

const sameArguments = (a: FieldNode, b: FieldNode): boolean => {
  const args1 = a.arguments ?? [];
  const args2 = b.arguments ?? [];
  if (args1.length !== args2.length) return false;
  const values2 = new Map(args2.map((arg) => [arg.name.value, arg.value]));
  return args1.every((arg) => {
    const other = values2.get(arg.name.value);
    return other !== undefined && sortedValue(arg.value) === sortedValue(other);
  });
};

/** Whether two field types cannot merge: list against non-list, nullable against not, different leaves. */
const typesConflict = (index: AnyIndex, a: string, b: string): boolean => {
  const item1 = itemOf(a);
  const item2 = itemOf(b);
  if (item1 !== undefined) return item2 === undefined || typesConflict(index, item1, item2);
  if (item2 !== undefined) return true;
  const inner1 = nullableOf(a);
  const inner2 = nullableOf(b);
  if (inner1 !== undefined) return inner2 === undefined || typesConflict(index, inner1, inner2);
  if (inner2 !== undefined) return true;
  const leaf = (ref: string) => kindOf(index, ref) !== 'OBJECT';
  return (leaf(a) || leaf(b)) && a !== b;
};

/** Checks every selection set of a document; reports each conflicting pair once. */
export class FieldMerging {
  private readonly gathered = new WeakMap<SelectionSetNode, Map<string, Gathered[]>>();
  private readonly compared = [new WeakMap<FieldNode, Map<FieldNode, Conflict | null>>(), new WeakMap()];
  private readonly reported = new WeakMap<FieldNode, Set<FieldNode>>();

  constructor(
    private readonly index: AnyIndex,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  ) {}

  conflictsIn(selectionSet: SelectionSetNode, parent: string | undefined): MergeConflict[] {
    const found: MergeConflict[] = [];
    for (const fields of this.fieldsOf(selectionSet, parent).values()) {
      for (let i = 0; i < fields.length; i++) {
        for (let j = i + 1; j < fields.length; j++) {
          const [a, b] = [fields[i] as Gathered, fields[j] as Gathered];
          const conflict = this.conflictOf(a, b, false);
          if (!conflict || this.reported.get(a.node)?.has(b.node)) continue;
          this.reported.set(a.node, (this.reported.get(a.node) ?? new Set()).add(b.node));
          found.push({
            message: `Fields "${conflict.responseName}" conflict because ${reasonMessage(conflict.reason)}. Use different aliases on the fields to fetch both if this was intentional.`,
            nodes: [...conflict.fields1, ...conflict.fields2],
          });
        }
      }
    }
    return found;
  }

  /** The fields a selection set answers, by response name, fragments expanded (each node once). */
  private fieldsOf(selectionSet: SelectionSetNode, parent: string | undefined): Map<string, Gathered[]> {
    const known = this.gathered.get(selectionSet);
    if (known) return known;
    const gathering = {
      byName: new Map<string, Gathered[]>(),
      seen: new Set<FieldNode>(),
      expanding: new Set<string>(),
    };
    this.gather(gathering, selectionSet, parent);
    this.gathered.set(selectionSet, gathering.byName);
    return gathering.byName;
  }

  private gather(gathering: Gathering, set: SelectionSetNode, type: string | undefined) {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) this.gatherField(gathering, selection, type);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? typeFromAst(this.index, selection.typeCondition) : type;
        this.gather(gathering, selection.selectionSet, condition);
      } else {
        const fragment = this.fragments.get(selection.name.value);
        if (!fragment || gathering.expanding.has(fragment.name.value)) continue;
        gathering.expanding.add(fragment.name.value);
        this.gather(gathering, fragment.selectionSet, typeFromAst(this.index, fragment.typeCondition));
      }
    }
  }

  private gatherField({ byName, seen }: Gathering, node: FieldNode, type: string | undefined) {
    if (seen.has(node)) return;
    seen.add(node);
    const name = node.alias?.value ?? node.name.value;
    const def = type === undefined ? undefined : fieldDefOf(this.index, type, node.name.value);
    const gathered = { node, parent: type, type: def?.type };
    const list = byName.get(name);
    if (list) list.push(gathered);
    else byName.set(name, [gathered]);
  }

  private conflictOf(a: Gathered, b: Gathered, exclusiveParents: boolean): Conflict | undefined {
    if (a.node === b.node) return undefined;
    const memo = this.compared[exclusiveParents ? 1 : 0] as WeakMap<FieldNode, Map<FieldNode, Conflict | null>>;
    const known = memo.get(a.node)?.get(b.node);
    if (known !== undefined) return known ?? undefined;
    const conflict = this.compare(a, b, exclusiveParents);
    memo.set(a.node, (memo.get(a.node) ?? new Map()).set(b.node, conflict ?? null));
    return conflict;
  }

  private compare(a: Gathered, b: Gathered, exclusiveParents: boolean): Conflict | undefined {
    const responseName = a.node.alias?.value ?? a.node.name.value;
    const isObject = (type: string | undefined) => type !== undefined && kindOf(this.index, type) === 'OBJECT';
    const exclusive = exclusiveParents || (a.parent !== b.parent && isObject(a.parent) && isObject(b.parent));
    const conflict = (reason: Reason, fields1: FieldNode[] = [a.node], fields2: FieldNode[] = [b.node]) => ({
      responseName,
      reason,
      fields1,
      fields2,
    });
    if (!exclusive) {
      if (a.node.name.value !== b.node.name.value)
        return conflict(`"${a.node.name.value}" and "${b.node.name.value}" are different fields`);
      if (!sameArguments(a.node, b.node)) return conflict('they have differing arguments');
    }
    if (a.type !== undefined && b.type !== undefined && typesConflict(this.index, a.type, b.type))
      return conflict(`they return conflicting types "${a.type}" and "${b.type}"`);
    if (!a.node.selectionSet || !b.node.selectionSet) return undefined;
    const subs = this.subConflicts(a, b, exclusive);
    if (subs.length === 0) return undefined;
    return conflict(
      subs.map((sub) => [sub.responseName, sub.reason] as const),
      [a.node, ...subs.flatMap((sub) => sub.fields1)],
      [b.node, ...subs.flatMap((sub) => sub.fields2)],
    );
  }

  /** Conflicts between the selections of two fields answered under one name. */
  private subConflicts(a: Gathered, b: Gathered, exclusive: boolean): Conflict[] {
    const named = (type: string | undefined) => (type === undefined ? undefined : namedOf(type));
    const fields1 = this.fieldsOf(a.node.selectionSet as SelectionSetNode, named(a.type));
    const fields2 = this.fieldsOf(b.node.selectionSet as SelectionSetNode, named(b.type));
    const subs: Conflict[] = [];
    for (const [name, list1] of fields1)
      for (const f1 of list1)
        for (const f2 of fields2.get(name) ?? []) {
          const sub = this.conflictOf(f1, f2, exclusive);
          if (sub) subs.push(sub);
        }
    return subs;
  }
}
