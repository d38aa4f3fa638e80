/**
 * The todo app: its aggregates, each in its folder (handlers/todoLists/, handlers/tags/: aggregate and views,
 * schemas, commands, queries), and its reactions. This declaration is all the kit needs: it derives the Lambda handlers (handlers/entries/runtime.ts), the serverless functions
 * with their IAM and stream mappings (serverless.yml), OpenAPI and GraphQL from it.
 */
import { defineApp } from '../src';
import { reactions } from './reactions';
import * as tags from './tags';
import * as todoLists from './todoLists';
import { appViews } from './views';

export const app = defineApp({
  ...appViews,
  title: 'todo-cqrs',
  version: '0.2.0',
  description:
    'Todo lists and tags on CQRS and event sourcing. Every route but this document needs `Authorization: Bearer <JWT>`; ' +
    "the caller is the token's `sub`. Errors are `{ error: { code, message, details? } }`.",
  contact: { name: 'The todo-cqrs maintainers' },
  license: { name: 'MIT', identifier: 'MIT' },
  servers: [
    {
      url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
      description: 'A deployed stage (`npx serverless info --stage <stage>` prints its URL)',
      variables: {
        apiId: { default: 'your-api-id', description: "The stage's HTTP API id" },
        region: { default: 'us-east-1', description: 'The AWS region it is deployed to' },
      },
    },
    { url: 'http://127.0.0.1:3000', description: 'The local stack (`npm start`)' },
  ],
  commands: { ...todoLists.commands, ...tags.commands },
  queries: { ...todoLists.queries, ...tags.queries },
  reactions,
  graphqlDescription:
    'In this app a list holds at most 500 todos, a todo 10 tags, an owner 100 tags; `list` costs 520, ' +
    '`list(atVersion: N)` 45 + 5·N.',
});
