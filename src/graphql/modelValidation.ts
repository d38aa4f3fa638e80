/**
 * graphql-js's `validate(schema, document, specifiedRules + the kit's depth and introspection
 * rules, { maxErrors: 10 })` for a `typeModel` schema: the same rules, messages, locations and
 * order, written for what such a schema holds (object types, enums, scalars, scalar arguments,
 * the specified directives). SDL in a document is refused by ExecutableDefinitions.
 */
import {
  GraphQLError,
  Kind,
  type ArgumentNode,
  type DefinitionNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type InlineFragmentNode,
  type NamedTypeNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type TypeNode,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';
import { FieldMerging } from './modelFieldMerging';
import { DIRECTIVES } from './modelIntrospection';
import {
  didYouMean,
  fieldDefOf,
  fragmentSpreadsOf,
  fragmentsOf,
  isInputRef,
  kindOf,
  suggestionList,
  typeFromAst,
  type AnyIndex,
} from './modelSchemaIndex';
import { variableUsagesOf, type VariableUsage } from './modelVariableUsages';
import { operationDepth, tooDeepError } from './maxDepthRule';
import { allowedUsage, checkValue, introspectionTooDeep } from './modelValidationRules';
import { namedOf, type ModelArgument, type ModelField } from './typeModel';

export interface ModelValidationOptions {
  readonly maxDepth: number;
  /** Off: fields of introspection's types are refused (NoSchemaIntrospectionCustomRule). */
  readonly introspection: boolean;
}

const MAX_ERRORS = 10;
const ABORT = Symbol('abort');

/** Where a walk is: the object type of the selection set, and the innermost field's definition. */
interface Place {
  readonly parent: string | undefined;
  readonly field: ModelField<never> | undefined;
  readonly fieldName?: string;
}

const directiveNamed = (name: string) => DIRECTIVES.find((d) => d.name === name);
const printType = (node: TypeNode): string =>
  node.kind === Kind.NAMED_TYPE
    ? node.name.value
    : node.kind === Kind.LIST_TYPE
      ? `[${printType(node.type)}]`
      : `${printType(node.type)}!`;
const namedTypeOf = (node: TypeNode): NamedTypeNode => (node.kind === Kind.NAMED_TYPE ? node : namedTypeOf(node.type));
const argumentOf = (args: ModelField['args'], name: string): ModelArgument | undefined =>
  args && Object.hasOwn(args, name) ? args[name] : undefined;
const isExecutable = (definition: DefinitionNode) =>
  definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION;

/** The errors graphql-js's validation would give, at most 10 and a last one saying it stopped. */
export const validateAgainstModel = (
  index: AnyIndex,
  document: DocumentNode,
  options: ModelValidationOptions,
): GraphQLError[] => {
  const validation = new Validation(index, document, options);
  try {
    validation.run();
  } catch (error) {
    if (error !== ABORT) throw error;
  }
  return validation.errors;
};

class Validation {
  readonly errors: GraphQLError[] = [];
  private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  private readonly merging: FieldMerging;
  private readonly operationNames = new Map<string, OperationDefinitionNode['name']>();
  private readonly fragmentNames = new Map<string, FragmentDefinitionNode['name']>();
  private readonly definedTypes = new Set<string>();
  private readonly cycles = {
    visited: new Set<string>(),
    path: [] as FragmentSpreadNode[],
    at: new Map<string, number>(),
  };
  private remainingWork = 50_000;

  constructor(
    private readonly index: AnyIndex,
    private readonly document: DocumentNode,
    private readonly options: ModelValidationOptions,
  ) {
    this.fragments = fragmentsOf(document);
    this.merging = new FieldMerging(index, this.fragments, () => this.aborted());
  }

  private report(message: string, nodes: GraphQLError['nodes'], extensions?: Record<string, unknown>) {
    this.reportError(new GraphQLError(message, { nodes: nodes ?? null, ...(extensions ? { extensions } : {}) }));
  }

  private reportError(error: GraphQLError) {
    if (this.errors.length >= MAX_ERRORS) {
      this.errors.push(new GraphQLError('Too many validation errors, error limit reached. Validation aborted.'));
      throw ABORT;
    }
    this.errors.push(error);
  }

  /** graphql-js bounds the work of following fragments (ValidationContext's fragment work). */
  private spend(cost: number) {
    this.remainingWork -= cost;
    if (this.remainingWork < 0) this.aborted();
  }

  /** graphql-js's validationAbortedError: stops validation, not counted in the 10. */
  private aborted(): never {
    this.errors.push(new GraphQLError('Validation aborted.'));
    throw ABORT;
  }

  run() {
    const definitions = this.document.definitions;
    for (const definition of definitions) {
      if (isExecutable(definition)) continue;
      const name = 'name' in definition && definition.name ? `"${definition.name.value}"` : 'schema';
      this.report(`The ${name} definition is not executable.`, [definition]);
      if (definition.kind.endsWith('TypeDefinition') && 'name' in definition && definition.name)
        this.definedTypes.add(definition.name.value);
    }
    const operations = definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    for (const definition of definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) this.operation(definition, operations.length);
      else if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragmentDefinition(definition);
    }
    const used = new Set(this.referencedFragments(operations).map((f) => f.name.value));
    for (const definition of definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION && !used.has(definition.name.value))
        this.report(`Fragment "${definition.name.value}" is never used.`, [definition]);
  }

  /** ValidationContext.getRecursivelyReferencedFragmentsForOperations, with its work counted. */
  private referencedFragments(operations: readonly OperationDefinitionNode[]): FragmentDefinitionNode[] {
    const names = new Set(operations.flatMap((op) => fragmentSpreadsOf(op.selectionSet).map((s) => s.name.value)));
    this.spend(names.size);
    const found: FragmentDefinitionNode[] = [];
    for (const name of names) {
      const fragment = this.fragments.get(name);
      if (!fragment) continue;
      found.push(fragment);
      const spreads = fragmentSpreadsOf(fragment.selectionSet);
      this.spend(spreads.length);
      for (const spread of spreads) names.add(spread.name.value);
    }
    return found;
  }

  private recursiveUsages(operation: OperationDefinitionNode): VariableUsage[] {
    const fragments = this.referencedFragments([operation]);
    this.spend(fragments.length);
    const inFragments = fragments.flatMap((fragment) => {
      const usages = variableUsagesOf(this.index, fragment);
      this.spend(usages.length);
      return usages;
    });
    this.spend(inFragments.length);
    return [...variableUsagesOf(this.index, operation), ...inFragments];
  }

  private operation(operation: OperationDefinitionNode, count: number) {
    const name = operation.name;
    if (name) {
      const first = this.operationNames.get(name.value);
      if (first) this.report(`There can be only one operation named "${name.value}".`, [first, name]);
      else this.operationNames.set(name.value, name);
    }
    if (!name && count > 1) this.report('This anonymous operation must be the only defined operation.', [operation]);
    const definitions = operation.variableDefinitions ?? [];
    const byName = new Map<string, VariableDefinitionNode[]>();
    for (const definition of definitions) {
      const key = definition.variable.name.value;
      byName.set(key, [...(byName.get(key) ?? []), definition]);
    }
    for (const [key, nodes] of byName)
      if (nodes.length > 1)
        this.report(
          `There can be only one variable named "$${key}".`,
          nodes.map((n) => n.variable.name),
        );
    this.uniqueDirectives(operation.directives);
    if (operationDepth(operation, (f) => this.fragments.get(f), this.options.maxDepth) > this.options.maxDepth)
      this.reportError(tooDeepError(operation, this.options.maxDepth));
    const { model } = this.index;
    const root =
      operation.operation === 'query' ? model.query : operation.operation === 'mutation' ? model.mutation : undefined;
    for (const definition of definitions) this.variableDefinition(definition);
    this.directives(operation.directives, operation.operation.toUpperCase(), { parent: undefined, field: undefined });
    this.selectionSet(operation.selectionSet, { parent: root, field: undefined });
    this.variablesOf(operation, definitions);
  }

  /** NoUndefinedVariables, NoUnusedVariables and VariablesInAllowedPosition, as the operation is left. */
  private variablesOf(operation: OperationDefinitionNode, definitions: readonly VariableDefinitionNode[]) {
    const usages = this.recursiveUsages(operation);
    const defined = new Map(definitions.map((d) => [d.variable.name.value, d]));
    const name = operation.name?.value;
    for (const { node } of usages) {
      const variable = node.name.value;
      if (!defined.has(variable))
        this.report(
          name
            ? `Variable "$${variable}" is not defined by operation "${name}".`
            : `Variable "$${variable}" is not defined.`,
          [node, operation],
        );
    }
    const used = new Set(usages.map((u) => u.node.name.value));
    for (const definition of definitions) {
      const variable = definition.variable.name.value;
      if (!used.has(variable))
        this.report(
          name
            ? `Variable "$${variable}" is never used in operation "${name}".`
            : `Variable "$${variable}" is never used.`,
          [definition],
        );
    }
    for (const usage of usages) {
      const definition = defined.get(usage.node.name.value);
      const declared = definition ? typeFromAst(this.index, definition.type) : undefined;
      if (!definition || !usage.type || declared === undefined) continue;
      if (!allowedUsage(declared, definition.defaultValue, usage.type, usage.defaultValue))
        this.report(
          `Variable "$${usage.node.name.value}" of type "${declared}" used in position expecting type "${usage.type}".`,
          [definition, usage.node],
        );
    }
  }

  private variableDefinition(definition: VariableDefinitionNode) {
    const type = typeFromAst(this.index, definition.type);
    if (type !== undefined && !isInputRef(this.index, type))
      this.report(
        `Variable "$${definition.variable.name.value}" cannot be non-input type "${printType(definition.type)}".`,
        [definition.type],
      );
    this.uniqueDirectives(definition.directives);
    this.knownType(namedTypeOf(definition.type));
    if (definition.defaultValue)
      this.value(definition.defaultValue, type !== undefined && isInputRef(this.index, type) ? type : undefined);
    this.directives(definition.directives, 'VARIABLE_DEFINITION', { parent: undefined, field: undefined });
  }

  private knownType(node: NamedTypeNode) {
    const name = node.name.value;
    if (this.index.types.has(name) || this.definedTypes.has(name)) return;
    const names = [...this.index.types.keys(), ...this.definedTypes];
    this.report(`Unknown type "${name}".${didYouMean(suggestionList(name, names))}`, [node]);
  }

  private fragmentDefinition(fragment: FragmentDefinitionNode) {
    const type = typeFromAst(this.index, fragment.typeCondition);
    if (type !== undefined && kindOf(this.index, type) !== 'OBJECT')
      this.report(
        `Fragment "${fragment.name.value}" cannot condition on non composite type "${fragment.typeCondition.name.value}".`,
        [fragment.typeCondition],
      );
    const first = this.fragmentNames.get(fragment.name.value);
    if (first) this.report(`There can be only one fragment named "${fragment.name.value}".`, [first, fragment.name]);
    else this.fragmentNames.set(fragment.name.value, fragment.name);
    this.detectCycles(fragment);
    this.uniqueDirectives(fragment.directives);
    this.knownType(fragment.typeCondition);
    const place = { parent: kindOf(this.index, type) === 'OBJECT' ? type : undefined, field: undefined };
    this.directives(fragment.directives, 'FRAGMENT_DEFINITION', place);
    this.selectionSet(fragment.selectionSet, place);
  }

  /** NoFragmentCyclesRule's walk. */
  private detectCycles(fragment: FragmentDefinitionNode) {
    const { visited, path, at } = this.cycles;
    const name = fragment.name.value;
    if (visited.has(name)) return;
    visited.add(name);
    const spreads = fragmentSpreadsOf(fragment.selectionSet);
    if (spreads.length === 0) return;
    at.set(name, path.length);
    for (const spread of spreads) {
      const index = at.get(spread.name.value);
      path.push(spread);
      if (index === undefined) {
        const next = this.fragments.get(spread.name.value);
        if (next) this.detectCycles(next);
      } else {
        const cycle = path.slice(index);
        const via = cycle
          .slice(0, -1)
          .map((s) => `"${s.name.value}"`)
          .join(', ');
        this.report(
          `Cannot spread fragment "${spread.name.value}" within itself${via === '' ? '.' : ` via ${via}.`}`,
          cycle,
        );
      }
      path.pop();
    }
    at.delete(name);
  }

  private selectionSet(selectionSet: SelectionSetNode, place: Place, inInlineFragment = false) {
    for (const conflict of this.merging.conflictsIn(selectionSet, place.parent, inInlineFragment))
      this.report(conflict.message, conflict.nodes);
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) this.field(selection, place);
      else if (selection.kind === Kind.INLINE_FRAGMENT) this.inlineFragment(selection, place);
      else this.fragmentSpread(selection, place);
    }
  }

  private field(node: FieldNode, { parent }: Place) {
    const name = node.name.value;
    const def = parent === undefined ? undefined : fieldDefOf(this.index, parent, name);
    const type = def?.type;
    if (type !== undefined) this.leafOrNot(node, type);
    if (parent !== undefined && !def) {
      const parentType = this.index.types.get(parent);
      const fields = parentType?.kind === 'OBJECT' ? Object.keys(parentType.fields) : [];
      this.report(`Cannot query field "${name}" on type "${parent}".${didYouMean(suggestionList(name, fields))}`, [
        node,
      ]);
    }
    this.uniqueDirectives(node.directives);
    this.uniqueArguments(node.arguments);
    if ((name === '__schema' || name === '__type') && introspectionTooDeep(node, this.fragments))
      this.report('Maximum introspection depth exceeded', [node]);
    if (!this.options.introspection && type !== undefined && namedOf(type).startsWith('__'))
      this.report(`GraphQL introspection has been disabled, but the requested query contained the field "${name}".`, [
        node,
      ]);
    const place = { parent, field: def, fieldName: name };
    for (const argument of node.arguments ?? [])
      this.argument(argument, argumentOf(def?.args, argument.name.value), place);
    this.directives(node.directives, 'FIELD', place);
    if (node.selectionSet)
      this.selectionSet(node.selectionSet, {
        parent: type !== undefined && kindOf(this.index, type) === 'OBJECT' ? namedOf(type) : undefined,
        field: def,
        fieldName: name,
      });
    if (def) this.requiredArguments(node, def);
  }

  /** ScalarLeafsRule. */
  private leafOrNot(node: FieldNode, type: string) {
    const name = node.name.value;
    if (kindOf(this.index, type) !== 'OBJECT') {
      if (node.selectionSet)
        this.report(`Field "${name}" must not have a selection since type "${type}" has no subfields.`, [
          node.selectionSet,
        ]);
    } else if (!node.selectionSet) {
      this.report(
        `Field "${name}" of type "${type}" must have a selection of subfields. Did you mean "${name} { ... }"?`,
        [node],
      );
    }
  }

  /** ProvidedRequiredArgumentsRule, as a field is left. */
  private requiredArguments(node: FieldNode, def: ModelField<never>) {
    const given = new Set((node.arguments ?? []).map((a) => a.name.value));
    for (const [arg, { type, defaultValue }] of Object.entries(def.args ?? {}))
      if (!given.has(arg) && type.endsWith('!') && defaultValue === undefined)
        this.report(
          `Field "${node.name.value}" argument "${arg}" of type "${type}" is required, but it was not provided.`,
          [node],
        );
  }

  /** KnownArgumentNames (for a field, or the field around a directive) and the value's checks. */
  private argument(node: ArgumentNode, def: ModelArgument | undefined, { parent, field, fieldName }: Place) {
    if (!def && field && parent !== undefined && fieldName !== undefined) {
      const known = Object.keys(field.args ?? {});
      this.report(
        `Unknown argument "${node.name.value}" on field "${parent}.${fieldName}".${didYouMean(suggestionList(node.name.value, known))}`,
        [node],
      );
    }
    this.value(node.value, def?.type);
  }

  private inlineFragment(node: InlineFragmentNode, place: Place) {
    const type = node.typeCondition ? typeFromAst(this.index, node.typeCondition) : place.parent;
    const composite = type !== undefined && kindOf(this.index, type) === 'OBJECT';
    if (node.typeCondition && type !== undefined && !composite)
      this.report(`Fragment cannot condition on non composite type "${node.typeCondition.name.value}".`, [
        node.typeCondition,
      ]);
    if (composite && place.parent !== undefined && type !== place.parent)
      this.report(
        `Fragment cannot be spread here as objects of type "${place.parent}" can never be of type "${type}".`,
        [node],
      );
    this.uniqueDirectives(node.directives);
    if (node.typeCondition) this.knownType(node.typeCondition);
    this.directives(node.directives, 'INLINE_FRAGMENT', place);
    this.selectionSet(node.selectionSet, { ...place, parent: composite ? type : undefined }, true);
  }

  private fragmentSpread(node: FragmentSpreadNode, place: Place) {
    const name = node.name.value;
    const fragment = this.fragments.get(name);
    if (!fragment) this.report(`Unknown fragment "${name}".`, [node.name]);
    const type = fragment ? typeFromAst(this.index, fragment.typeCondition) : undefined;
    if (
      type !== undefined &&
      kindOf(this.index, type) === 'OBJECT' &&
      place.parent !== undefined &&
      type !== place.parent
    )
      this.report(
        `Fragment "${name}" cannot be spread here as objects of type "${place.parent}" can never be of type "${type}".`,
        [node],
      );
    this.uniqueDirectives(node.directives);
    this.directives(node.directives, 'FRAGMENT_SPREAD', place);
  }

  private uniqueDirectives(directives: readonly DirectiveNode[] | undefined) {
    const seen = new Map<string, DirectiveNode>();
    for (const directive of directives ?? []) {
      const name = directive.name.value;
      if (!directiveNamed(name)) continue;
      const first = seen.get(name);
      if (first) this.report(`The directive "@${name}" can only be used once at this location.`, [first, directive]);
      else seen.set(name, directive);
    }
  }

  private uniqueArguments(args: readonly ArgumentNode[] | undefined) {
    const byName = new Map<string, ArgumentNode[]>();
    for (const arg of args ?? []) byName.set(arg.name.value, [...(byName.get(arg.name.value) ?? []), arg]);
    for (const [name, nodes] of byName)
      if (nodes.length > 1)
        this.report(
          `There can be only one argument named "${name}".`,
          nodes.map((n) => n.name),
        );
  }

  private directives(directives: readonly DirectiveNode[] | undefined, location: string, place: Place) {
    for (const directive of directives ?? []) this.directive(directive, location, place);
  }

  private directive(directive: DirectiveNode, location: string, place: Place) {
    const name = directive.name.value;
    const known = directiveNamed(name);
    if (!known) this.report(`Unknown directive "@${name}".`, [directive]);
    else if (!(known.locations as readonly string[]).includes(location))
      this.report(`Directive "@${name}" may not be used on ${location}.`, [directive]);
    const args: ModelField['args'] = known?.args;
    if (known)
      for (const arg of directive.arguments ?? [])
        if (!argumentOf(args, arg.name.value))
          this.report(
            `Unknown argument "${arg.name.value}" on directive "@${name}".${didYouMean(suggestionList(arg.name.value, Object.keys(args ?? {})))}`,
            [arg],
          );
    this.uniqueArguments(directive.arguments);
    // Inside a directive graphql-js checks argument names against the directive only.
    for (const arg of directive.arguments ?? [])
      this.value(arg.value, argumentOf(known ? args : place.field?.args, arg.name.value)?.type);
    const given = new Set((directive.arguments ?? []).map((a) => a.name.value));
    for (const [arg, { type }] of Object.entries<ModelArgument>(args ?? {}))
      if (!given.has(arg) && type.endsWith('!'))
        this.report(`Directive "@${name}" argument "${arg}" of type "${type}" is required, but it was not provided.`, [
          directive,
        ]);
  }

  /** ValuesOfCorrectTypeRule and UniqueInputFieldNamesRule on a value and what it holds. */
  private value(node: ValueNode, type: string | undefined) {
    checkValue(node, type, {
      report: (message, nodes) => this.report(message, nodes),
      reportError: (error) => this.reportError(error),
    });
  }
}
