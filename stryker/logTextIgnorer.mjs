// A Stryker ignorer: mutants inside text meant for people only, never for a program or a test.
// - A log call (`logger.error(...)`, `console.warn(...)`): what and how it logs is not behaviour.
//   Removing the call altogether is still a mutant (Stryker's statement/block mutators see it).
// - The human message of an error: a string or template argument of `new XError(...)` or of
//   `super(...)` inside a class extending Error. An error's code (SNAKE_CASE, such as
//   'CONCURRENCY_CONFLICT') is the contract clients rely on and stays mutated.
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

const LOG_OBJECTS = new Set(['logger', 'console']);
const ERROR_CODE = /^[A-Z][A-Z0-9_]*$/;

const isLogCall = (node) =>
  node.type === 'CallExpression' &&
  node.callee.type === 'MemberExpression' &&
  node.callee.object.type === 'Identifier' &&
  LOG_OBJECTS.has(node.callee.object.name);

const isErrorConstruction = (path) => {
  const { node } = path;
  if (node.type === 'NewExpression') return node.callee.type === 'Identifier' && /Error$/.test(node.callee.name);
  if (node.type !== 'CallExpression' || node.callee.type !== 'Super') return false;
  const owner = path.findParent((p) => p.isClassDeclaration() || p.isClassExpression());
  const base = owner?.node.superClass;
  return base?.type === 'Identifier' && /Error$/.test(base.name);
};

const isHumanText = (node) =>
  node.type === 'TemplateLiteral' || (node.type === 'StringLiteral' && !ERROR_CODE.test(node.value));

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'log-text', {
    shouldIgnore(path) {
      if (path.isExpressionStatement() && isLogCall(path.node.expression))
        return 'Log text: read by people, not by programs';
      if (
        isHumanText(path.node) &&
        path.parentPath &&
        path.listKey === 'arguments' &&
        isErrorConstruction(path.parentPath)
      ) {
        return 'Error message text: the code field is the contract, the message is for people';
      }
      return undefined;
    },
  }),
];
