/**
 * The todo app: its aggregates, commands, views and queries. This declaration is all the
 * kit needs: it derives the Lambda handlers (handlers/runtime.ts), the serverless functions
 * with their IAM and stream mappings (serverless.yml), OpenAPI and GraphQL from it.
 */
import { defineApp } from '../src';
import { queries } from './queries';
import { tagCommands, tags, tagsView } from './tags';
import { listsView, statsView, tagCountsView, todoListCommands, todoLists } from './todoLists';

export const app = defineApp({
  service: 'todo-cqrs',
  title: 'todo-cqrs',
  version: '0.2.0',
  description:
    'Todo lists and tags on CQRS and event sourcing. Every route but this document needs `Authorization: Bearer <JWT>`; ' +
    "the caller is the token's `sub`. Errors are `{ error: { code, message, details? } }`.",
  aggregates: [todoLists, tags],
  commands: { ...todoListCommands, ...tagCommands },
  views: [listsView, statsView, tagCountsView, tagsView],
  queries,
});
