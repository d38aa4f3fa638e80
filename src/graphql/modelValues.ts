/**
 * graphql-js's `getVariableValues`, `getArgumentValues` and `valueFromAST` for a `typeModel`
 * schema (scalar and enum inputs, lists of them), with graphql-js's messages.
 */
import {
  GraphQLError,
  Kind,
  type DirectiveNode,
  type FieldNode,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';
import { SCALARS, inspect, printValue } from './modelScalars';
import { kindOf, typeFromAst, type AnyIndex } from './modelSchemaIndex';
import { itemOf, nullableOf, type ModelArgument } from './typeModel';

export type Variables = Readonly<Record<string, unknown>>;

const leafLiteral = (index: AnyIndex, type: string, node: ValueNode, variables?: Variables): unknown => {
  const scalar = SCALARS[type];
  if (scalar) return scalar.literal(node, variables);
  const enumType = index.types.get(type);
  return node.kind === Kind.ENUM && enumType?.kind === 'ENUM' && enumType.values.includes(node.value)
    ? node.value
    : undefined;
};

/** A literal (or variable) as a value of `type`; undefined when it is not one. */
export const valueFromAst = (
  index: AnyIndex,
  node: ValueNode,
  type: string,
  variables: Variables | undefined,
): unknown => {
  if (node.kind === Kind.VARIABLE) {
    const value = variables?.[node.name.value];
    return value === null && type.endsWith('!') ? undefined : value;
  }
  const inner = nullableOf(type);
  if (inner !== undefined) return node.kind === Kind.NULL ? undefined : valueFromAst(index, node, inner, variables);
  if (node.kind === Kind.NULL) return null;
  const item = itemOf(type);
  if (item !== undefined) return listFromAst(index, node, item, variables);
  try {
    return leafLiteral(index, type, node, variables);
  } catch {
    return undefined;
  }
};

const listFromAst = (index: AnyIndex, node: ValueNode, item: string, variables: Variables | undefined): unknown => {
  if (node.kind !== Kind.LIST) {
    const one = valueFromAst(index, node, item, variables);
    return one === undefined ? undefined : [one];
  }
  const values: unknown[] = [];
  for (const entry of node.values) {
    const missing = entry.kind === Kind.VARIABLE && variables?.[entry.name.value] === undefined;
    if (missing && item.endsWith('!')) return undefined;
    const value = missing ? null : valueFromAst(index, entry, item, variables);
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
};

type OnError = (path: readonly (string | number)[], value: unknown, error: GraphQLError) => void;

const coerceInput = (
  index: AnyIndex,
  value: unknown,
  type: string,
  onError: OnError,
  path: (string | number)[],
): unknown => {
  const inner = nullableOf(type);
  if (inner !== undefined) {
    if (value != null) return coerceInput(index, value, inner, onError, path);
    onError(path, value, new GraphQLError(`Expected non-nullable type "${type}" not to be null.`));
    return undefined;
  }
  if (value == null) return null;
  const item = itemOf(type);
  if (item !== undefined) {
    const iterable = typeof value === 'object' && typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function';
    return iterable
      ? Array.from(value as Iterable<unknown>, (entry, i) => coerceInput(index, entry, item, onError, [...path, i]))
      : [coerceInput(index, value, item, onError, path)];
  }
  const scalar = SCALARS[type];
  if (!scalar) {
    if (typeof value === 'string' && kindOf(index, type) === 'ENUM') return value;
    onError(path, value, new GraphQLError(`Expected type "${type}".`));
    return undefined;
  }
  try {
    return scalar.value(value);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    onError(path, value, error);
    return undefined;
  }
};

/** The operation's variables, coerced to their declared types; or the errors (at most 50, then a last). */
export const variableValuesOf = (
  index: AnyIndex,
  definitions: readonly VariableDefinitionNode[],
  inputs: Variables,
): { coerced: Record<string, unknown> } | { errors: GraphQLError[] } => {
  const errors: GraphQLError[] = [];
  const onError = (error: GraphQLError) => {
    if (errors.length >= 50)
      throw new GraphQLError('Too many errors processing variables, error limit reached. Execution aborted.');
    errors.push(error);
  };
  const coerced: Record<string, unknown> = {};
  try {
    for (const definition of definitions) coerceVariable(index, definition, inputs, coerced, onError);
    if (errors.length === 0) return { coerced };
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    errors.push(error);
  }
  return { errors };
};

const coerceVariable = (
  index: AnyIndex,
  definition: VariableDefinitionNode,
  inputs: Variables,
  coerced: Record<string, unknown>,
  onError: (error: GraphQLError) => void,
) => {
  const name = definition.variable.name.value;
  const type = typeFromAst(index, definition.type);
  if (type === undefined || kindOf(index, type) === 'OBJECT') {
    const shown = type ?? printTypeNode(definition.type);
    onError(
      new GraphQLError(`Variable "$${name}" expected value of type "${shown}" which cannot be used as an input type.`, {
        nodes: definition.type,
      }),
    );
    return;
  }
  if (!Object.hasOwn(inputs, name)) {
    if (definition.defaultValue) coerced[name] = valueFromAst(index, definition.defaultValue, type, undefined);
    else if (type.endsWith('!'))
      onError(
        new GraphQLError(`Variable "$${name}" of required type "${type}" was not provided.`, { nodes: definition }),
      );
    return;
  }
  const value = inputs[name];
  if (value === null && type.endsWith('!')) {
    onError(
      new GraphQLError(`Variable "$${name}" of non-null type "${type}" must not be null.`, { nodes: definition }),
    );
    return;
  }
  coerced[name] = coerceInput(
    index,
    value,
    type,
    (path, invalid, error) => {
      const at =
        path.length > 0 ? ` at "${name}${path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}"` : '';
      onError(
        new GraphQLError(`Variable "$${name}" got invalid value ${inspect(invalid)}${at}; ${error.message}`, {
          nodes: definition,
          originalError: error,
        }),
      );
    },
    [],
  );
};

const printTypeNode = (node: VariableDefinitionNode['type']): string =>
  node.kind === Kind.NAMED_TYPE
    ? node.name.value
    : node.kind === Kind.LIST_TYPE
      ? `[${printTypeNode(node.type)}]`
      : `${printTypeNode(node.type)}!`;

/** A field's (or directive's) arguments as its resolver gets them; throws graphql-js's error when one cannot be. */
export const argumentValuesOf = (
  index: AnyIndex,
  args: Readonly<Record<string, ModelArgument>> | undefined,
  node: FieldNode | DirectiveNode,
  variables: Variables,
): Record<string, unknown> => {
  const coerced: Record<string, unknown> = {};
  const given = new Map((node.arguments ?? []).map((arg) => [arg.name.value, arg.value]));
  for (const [name, def] of Object.entries(args ?? {})) {
    const value = given.get(name);
    if (!value || (value.kind === Kind.VARIABLE && !Object.hasOwn(variables, value.name.value))) {
      if (def.defaultValue !== undefined) coerced[name] = def.defaultValue;
      else if (def.type.endsWith('!')) throw notProvided(name, def.type, node, value);
      continue;
    }
    coerced[name] = argumentValue(index, name, def.type, value, variables);
  }
  return coerced;
};

const notProvided = (name: string, type: string, node: FieldNode | DirectiveNode, value: ValueNode | undefined) =>
  value?.kind === Kind.VARIABLE
    ? new GraphQLError(
        `Argument "${name}" of required type "${type}" was provided the variable "$${value.name.value}" which was not provided a runtime value.`,
        { nodes: value },
      )
    : new GraphQLError(`Argument "${name}" of required type "${type}" was not provided.`, { nodes: node });

const argumentValue = (index: AnyIndex, name: string, type: string, value: ValueNode, variables: Variables) => {
  const isNull = value.kind === Kind.VARIABLE ? variables[value.name.value] == null : value.kind === Kind.NULL;
  if (isNull && type.endsWith('!'))
    throw new GraphQLError(`Argument "${name}" of non-null type "${type}" must not be null.`, { nodes: value });
  const result = valueFromAst(index, value, type, variables);
  if (result === undefined)
    throw new GraphQLError(`Argument "${name}" has invalid value ${printValue(value)}.`, { nodes: value });
  return result;
};
