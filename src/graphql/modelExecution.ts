/**
 * graphql-js's `execute` for a `typeModel` schema and a validated document: the operation picked
 * by name, variables coerced, fields collected (`@skip`, `@include`, fragments), root fields run
 * at once for a query and one after another for mutations, answers completed against their
 * types, and errors located and nulled up to the nearest nullable field, in graphql-js's order.
 */
import {
  GraphQLError,
  Kind,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { DIRECTIVES, introspectionOf } from './modelIntrospection';
import { SCALARS, inspect } from './modelScalars';
import { fieldDefOf, fragmentsOf, typeFromAst, type SchemaIndex } from './modelSchemaIndex';
import { argumentValuesOf, variableValuesOf, type Variables } from './modelValues';
import { itemOf, namedOf, nullableOf, type ModelField } from './typeModel';

export interface ExecutionResult {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly GraphQLError[];
}

type Path = readonly (string | number)[];

interface Execution<C> {
  readonly index: SchemaIndex<C>;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly variables: Variables;
  readonly context: C;
  readonly errors: GraphQLError[];
  readonly introspection: () => ReturnType<typeof introspectionOf<C>>;
}

const isPromise = (value: unknown): value is Promise<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

/** The operation to run: the one named, or the only one. */
export const operationOf = (
  document: DocumentNode,
  operationName: string | undefined,
): OperationDefinitionNode | GraphQLError => {
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName === undefined) {
      if (operation) return new GraphQLError('Must provide operation name if query contains multiple operations.');
      operation = definition;
    } else if (definition.name?.value === operationName) operation = definition;
  }
  if (operation) return operation;
  return new GraphQLError(
    operationName === undefined ? 'Must provide an operation.' : `Unknown operation named "${operationName}".`,
  );
};

export const executeModel = <C>(options: {
  index: SchemaIndex<C>;
  document: DocumentNode;
  context: C;
  variables?: Variables;
  operationName?: string;
}): ExecutionResult | Promise<ExecutionResult> => {
  const { index, document } = options;
  const operation = operationOf(document, options.operationName);
  if (operation instanceof GraphQLError) return { errors: [operation] };
  const variables = variableValuesOf(index, operation.variableDefinitions ?? [], options.variables ?? {});
  if ('errors' in variables) return { errors: variables.errors };
  let introspection: ReturnType<typeof introspectionOf<C>> | undefined;
  const execution: Execution<C> = {
    index,
    fragments: fragmentsOf(document),
    variables: variables.coerced,
    context: options.context,
    errors: [],
    introspection: () => {
      introspection ??= introspectionOf(index.model, index.types);
      return introspection;
    },
  };
  const done = (data: Record<string, unknown> | null): ExecutionResult =>
    execution.errors.length === 0 ? { data } : { errors: execution.errors, data };
  try {
    const root =
      operation.operation === 'query'
        ? index.model.query
        : operation.operation === 'mutation'
          ? index.model.mutation
          : undefined;
    if (root === undefined)
      throw new GraphQLError(`Schema is not configured to execute ${operation.operation} operation.`, {
        nodes: operation,
      });
    const fields = collectFields(execution, root, [operation.selectionSet]);
    const result =
      operation.operation === 'mutation'
        ? executeSerially(execution, root, fields)
        : executeFields(execution, root, undefined, [], fields);
    if (isPromise(result))
      return result.then(done, (error: GraphQLError) => {
        execution.errors.push(error);
        return done(null);
      });
    return done(result);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    execution.errors.push(error);
    return done(null);
  }
};

const directiveValue = <C>(execution: Execution<C>, node: { directives?: readonly DirectiveNode[] }, name: string) => {
  const directive = node.directives?.find((d) => d.name.value === name);
  const def = DIRECTIVES.find((d) => d.name === name);
  return directive && def ? argumentValuesOf(execution.index, def.args, directive, execution.variables).if : undefined;
};
const included = <C>(execution: Execution<C>, node: { directives?: readonly DirectiveNode[] }) =>
  directiveValue(execution, node, 'skip') !== true && directiveValue(execution, node, 'include') !== false;

const matches = <C>(
  execution: Execution<C>,
  condition: FragmentDefinitionNode['typeCondition'] | undefined,
  type: string,
) => !condition || typeFromAst(execution.index, condition) === type;

/** The fields to answer, by response name, from the selection sets of one or more field nodes. */
const collectFields = <C>(
  execution: Execution<C>,
  type: string,
  sets: readonly SelectionSetNode[],
): Map<string, FieldNode[]> => {
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const collect = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selection.kind !== Kind.FIELD) {
        const inner = fragmentSelection(execution, selection, type, visited);
        if (inner) collect(inner);
      } else if (included(execution, selection)) addField(fields, selection);
    }
  };
  for (const set of sets) collect(set);
  return fields;
};

const addField = (fields: Map<string, FieldNode[]>, node: FieldNode) => {
  const name = node.alias?.value ?? node.name.value;
  const known = fields.get(name);
  if (known) known.push(node);
  else fields.set(name, [node]);
};

/** What a fragment brings in: when included and of the type (a spread fragment, the first time only). */
const fragmentSelection = <C>(
  execution: Execution<C>,
  selection: InlineFragmentNode | FragmentSpreadNode,
  type: string,
  visited: Set<string>,
): SelectionSetNode | undefined => {
  if (selection.kind === Kind.INLINE_FRAGMENT)
    return included(execution, selection) && matches(execution, selection.typeCondition, type)
      ? selection.selectionSet
      : undefined;
  const name = selection.name.value;
  if (visited.has(name) || !included(execution, selection)) return undefined;
  visited.add(name);
  const fragment = execution.fragments.get(name);
  return fragment && matches(execution, fragment.typeCondition, type) ? fragment.selectionSet : undefined;
};

const executeSerially = <C>(execution: Execution<C>, type: string, fields: Map<string, FieldNode[]>) => {
  // No prototype: an alias `__proto__` is a key like any other, as in graphql-js.
  const data: Record<string, unknown> = Object.create(null);
  let chain: Promise<void> | undefined;
  for (const [name, nodes] of fields) {
    const step = (): void | Promise<void> => {
      const value = executeField(execution, type, undefined, nodes, [name]);
      if (value === undefined) return;
      if (isPromise(value))
        return value.then((v) => {
          data[name] = v;
        });
      data[name] = value;
    };
    if (chain) chain = chain.then(step);
    else {
      const first = step();
      if (first) chain = first;
    }
  }
  return chain ? chain.then(() => data) : data;
};

const executeFields = <C>(
  execution: Execution<C>,
  type: string,
  source: unknown,
  path: Path,
  fields: Map<string, FieldNode[]>,
): Record<string, unknown> | Promise<Record<string, unknown>> => {
  // No prototype: an alias `__proto__` is a key like any other, as in graphql-js.
  const data: Record<string, unknown> = Object.create(null);
  let pending = false;
  try {
    for (const [name, nodes] of fields) {
      const value = executeField(execution, type, source, nodes, [...path, name]);
      if (value === undefined) continue;
      data[name] = value;
      if (isPromise(value)) pending = true;
    }
  } catch (error) {
    if (pending) {
      // Settle what already runs before the error goes up, as graphql-js does.
      return Promise.all(Object.values(data)).finally(() => {
        throw error;
      }) as Promise<never>;
    }
    throw error;
  }
  if (!pending) return data;
  const names = Object.keys(data);
  return Promise.all(Object.values(data)).then((values) =>
    Object.fromEntries(names.map((name, i) => [name, values[i]])),
  );
};

const locate = (raw: unknown, nodes: readonly FieldNode[], path: Path): GraphQLError => {
  const error = raw instanceof Error ? raw : new Error(`Unexpected error value: ${inspect(raw)}`);
  if (error instanceof GraphQLError && Array.isArray(error.path)) return error;
  const located = error as Partial<GraphQLError>;
  return new GraphQLError(error.message, {
    nodes: located.nodes ?? nodes,
    ...(located.source ? { source: located.source } : {}),
    ...(located.positions ? { positions: located.positions } : {}),
    path,
    originalError: error,
  });
};

const handled = <C>(execution: Execution<C>, error: GraphQLError, type: string) => {
  if (type.endsWith('!')) throw error;
  execution.errors.push(error);
  return null;
};

const resolverOf = <C>(execution: Execution<C>, def: ModelField<C>, parent: string, name: string) => {
  if (def.resolve) return def.resolve;
  if (name === '__typename') return () => parent;
  if (name === '__schema' && parent === execution.index.model.query) return () => execution.introspection().schema;
  if (name === '__type' && parent === execution.index.model.query)
    return (_: unknown, args: Record<string, unknown>) => execution.introspection().type(args.name as string);
  return defaultResolver(name);
};

/** graphql-js's default resolver: the source's property of the field's name, called when a method. */
const defaultResolver =
  (name: string) =>
  (source: unknown, args: Record<string, unknown>, context: unknown): unknown => {
    if ((typeof source !== 'object' || source === null) && typeof source !== 'function') return undefined;
    const property = (source as Record<string, unknown>)[name];
    return typeof property === 'function'
      ? (property as (a: unknown, c: unknown) => unknown).call(source, args, context)
      : property;
  };

const executeField = <C>(
  execution: Execution<C>,
  parent: string,
  source: unknown,
  nodes: readonly FieldNode[],
  path: Path,
): unknown => {
  const node = nodes[0] as FieldNode;
  const def = fieldDefOf(execution.index, parent, node.name.value);
  if (!def) return undefined;
  const where = { parent, name: node.name.value, nodes };
  try {
    const args = argumentValuesOf(execution.index, def.args, node, execution.variables);
    const result = resolverOf(execution, def, parent, node.name.value)(source, args, execution.context);
    const completed = isPromise(result)
      ? result.then((resolved) => complete(execution, def.type, where, path, resolved))
      : complete(execution, def.type, where, path, result);
    if (isPromise(completed))
      return completed.then(undefined, (raw) => handled(execution, locate(raw, nodes, path), def.type));
    return completed;
  } catch (raw) {
    return handled(execution, locate(raw, nodes, path), def.type);
  }
};

interface Where {
  readonly parent: string;
  readonly name: string;
  readonly nodes: readonly FieldNode[];
}

const complete = <C>(execution: Execution<C>, type: string, where: Where, path: Path, result: unknown): unknown => {
  if (result instanceof Error) throw result;
  const inner = nullableOf(type);
  if (inner !== undefined) {
    const completed = complete(execution, inner, where, path, result);
    if (completed === null) throw new Error(`Cannot return null for non-nullable field ${where.parent}.${where.name}.`);
    return completed;
  }
  if (result == null) return null;
  const item = itemOf(type);
  if (item !== undefined) return completeList(execution, item, where, path, result);
  const named = execution.index.types.get(namedOf(type));
  if (named?.kind === 'OBJECT')
    return executeFields(
      execution,
      named.name,
      result,
      path,
      collectFields(
        execution,
        named.name,
        where.nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])),
      ),
    );
  if (named?.kind === 'ENUM') {
    if (typeof result === 'string' && named.values.includes(result)) return result;
    throw new GraphQLError(`Enum "${named.name}" cannot represent value: ${inspect(result)}`);
  }
  const scalar = SCALARS[namedOf(type)];
  const serialized = scalar ? scalar.serialize(result) : result;
  if (serialized == null)
    throw new Error(
      `Expected \`${namedOf(type)}.serialize(${inspect(result)})\` to return non-nullable value, returned: ${inspect(serialized)}`,
    );
  return serialized;
};

const completeList = <C>(execution: Execution<C>, item: string, where: Where, path: Path, result: unknown) => {
  if (typeof result !== 'object' || typeof (result as Iterable<unknown>)[Symbol.iterator] !== 'function')
    throw new GraphQLError(`Expected Iterable, but did not find one for field "${where.parent}.${where.name}".`);
  let pending = false;
  const values = Array.from(result as Iterable<unknown>, (entry, i) => {
    const itemPath = [...path, i];
    try {
      const completed = isPromise(entry)
        ? entry.then((resolved) => complete(execution, item, where, itemPath, resolved))
        : complete(execution, item, where, itemPath, entry);
      if (!isPromise(completed)) return completed;
      pending = true;
      return completed.then(undefined, (raw) => handled(execution, locate(raw, where.nodes, itemPath), item));
    } catch (raw) {
      return handled(execution, locate(raw, where.nodes, itemPath), item);
    }
  });
  return pending ? Promise.all(values) : values;
};
