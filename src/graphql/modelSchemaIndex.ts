/**
 * What validation and execution ask of a `typeModel` schema, as graphql-js's `TypeInfo` and
 * `ValidationContext` answer it: a field's definition (introspection's meta fields included),
 * the type an AST names, fragments and their spreads, and graphql-js's suggestions.
 */
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type SelectionSetNode,
  type TypeNode,
} from 'graphql';
import { META_FIELDS, allTypesOf } from './modelIntrospection';
import { namedOf, type ModelField, type ModelType, type SchemaModel } from './typeModel';

export interface SchemaIndex<C = unknown> {
  readonly model: SchemaModel<C>;
  /** Every type, meta types included, in graphql-js's order. */
  readonly types: ReadonlyMap<string, ModelType<C>>;
}

/** Any schema's index, whatever its resolvers' context. */
export type AnyIndex = SchemaIndex<never>;

export const schemaIndexOf = <C>(model: SchemaModel<C>): SchemaIndex<C> => ({ model, types: allTypesOf(model) });

/** A field of a composite type, as graphql-js finds it: `__typename` everywhere, `__schema` and `__type` on the query root. */
export const fieldDefOf = <C>(index: SchemaIndex<C>, parent: string, name: string): ModelField<C> | undefined => {
  if (name === '__typename') return META_FIELDS.__typename as ModelField<C>;
  if ((name === '__schema' || name === '__type') && parent === index.model.query)
    return META_FIELDS[name] as ModelField<C>;
  const type = index.types.get(parent);
  return type?.kind === 'OBJECT' && Object.hasOwn(type.fields, name) ? type.fields[name] : undefined;
};

/** The type an AST names, in SDL notation; undefined when it names an unknown type. */
export const typeFromAst = (index: AnyIndex, node: TypeNode): string | undefined => {
  if (node.kind === Kind.NON_NULL_TYPE) {
    const inner = typeFromAst(index, node.type);
    return inner === undefined ? undefined : `${inner}!`;
  }
  if (node.kind === Kind.LIST_TYPE) {
    const inner = typeFromAst(index, node.type);
    return inner === undefined ? undefined : `[${inner}]`;
  }
  return index.types.has(node.name.value) ? node.name.value : undefined;
};

export const kindOf = (index: AnyIndex, ref: string | undefined) =>
  ref === undefined ? undefined : index.types.get(namedOf(ref))?.kind;
/** Scalars and enums: what an argument or variable may be (the model has no input objects). */
export const isInputRef = (index: AnyIndex, ref: string) => kindOf(index, ref) !== 'OBJECT';

export const fragmentsOf = (document: DocumentNode): Map<string, FragmentDefinitionNode> => {
  const fragments = new Map<string, FragmentDefinitionNode>();
  // The last of two with one name, as graphql-js (validation refuses the document anyway).
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return fragments;
};

/** The spreads under a selection set, in graphql-js's order (`ValidationContext.getFragmentSpreads`). */
export const fragmentSpreadsOf = (selectionSet: SelectionSetNode): FragmentSpreadNode[] => {
  const spreads: FragmentSpreadNode[] = [];
  const sets = [selectionSet];
  for (let set = sets.pop(); set; set = sets.pop()) {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) spreads.push(selection);
      else if (selection.selectionSet) sets.push(selection.selectionSet);
    }
  }
  return spreads;
};

// graphql-js's suggestionList: options within a lexical distance of 40 % of the input, nearest first.
const lexicalDistance = (input: string, option: string, threshold: number): number | undefined => {
  if (input === option) return 0;
  const inputLower = input.toLowerCase();
  const optionLower = option.toLowerCase();
  if (inputLower === optionLower) return 1;
  let a = optionLower;
  let b = inputLower;
  if (a.length < b.length) [a, b] = [b, a];
  if (a.length - b.length > threshold) return undefined;
  const rows = [0, 1, 2].map(() => new Array<number>(b.length + 1).fill(0));
  for (let j = 0; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const up = rows[(i - 1) % 3] as number[];
    const row = rows[i % 3] as number[];
    row[0] = i;
    let smallest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let cell = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        cell = Math.min(cell, ((rows[(i - 2) % 3] as number[])[j - 2] as number) + 1);
      smallest = Math.min(smallest, cell);
      row[j] = cell;
    }
    if (smallest > threshold) return undefined;
  }
  const distance = (rows[a.length % 3] as number[])[b.length] as number;
  return distance <= threshold ? distance : undefined;
};

const naturalCompare = (a: string, b: string): number => {
  const digits = /^\d+/;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const numA = digits.exec(a.slice(i))?.[0];
    const numB = digits.exec(b.slice(j))?.[0];
    if (numA !== undefined && numB !== undefined) {
      const diff = Number(numA) - Number(numB);
      if (diff !== 0) return diff;
      i += numA.length;
      j += numB.length;
    } else {
      if (a.charCodeAt(i) !== b.charCodeAt(j)) return a.charCodeAt(i) - b.charCodeAt(j);
      i += 1;
      j += 1;
    }
  }
  return a.length - i - (b.length - j);
};

export const suggestionList = (input: string, options: readonly string[]): string[] => {
  const threshold = Math.floor(input.length * 0.4) + 1;
  const distances = new Map<string, number>();
  for (const option of options) {
    const distance = lexicalDistance(input, option, threshold);
    if (distance !== undefined) distances.set(option, distance);
  }
  return [...distances.keys()].sort(
    (a, b) => (distances.get(a) as number) - (distances.get(b) as number) || naturalCompare(a, b),
  );
};

export const didYouMean = (suggestions: readonly string[]): string => {
  const quoted = suggestions.slice(0, 5).map((s) => `"${s}"`);
  if (quoted.length === 0) return '';
  if (quoted.length <= 2) return ` Did you mean ${quoted.join(' or ')}?`;
  const last = quoted.pop();
  return ` Did you mean ${quoted.join(', ')}, or ${last}?`;
};
