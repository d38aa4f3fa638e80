/**
 * The todo app: its aggregates and views (handlers/views.ts), commands and queries. This declaration is all the
 * kit needs: it derives the Lambda handlers (handlers/entries/runtime.ts), the serverless functions
 * with their IAM and stream mappings (serverless.yml), OpenAPI and GraphQL from it.
 */
import { defineApp } from '../src';
import { queries } from './todoLists/queries';
import { reactions } from './reactions';
import { tagCommands } from './tags/commands';
import { todoListCommands } from './todoLists/commands';
import { appViews } from './views';

export const app = defineApp({
  ...appViews,
  title: 'todo-cqrs',
  version: '0.2.0',
  description:
    'Todo lists and tags on CQRS and event sourcing. Every route but this document needs `Authorization: Bearer <JWT>`; ' +
    "the caller is the token's `sub`. Errors are `{ error: { code, message, details? } }`.",
  commands: { ...todoListCommands, ...tagCommands },
  queries,
  reactions,
  graphqlDescription:
    'In this app a list holds at most 500 todos, a todo 10 tags, an owner 100 tags; `list` costs 520, ' +
    '`list(atVersion: N)` 45 + 5·N.',
});
