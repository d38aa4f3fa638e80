/**
 * The todo API's route table: one row per HTTP route, keyed by its function name in
 * serverless.yml. It drives request validation and answer shaping (`apiHandler`), the
 * OpenAPI document (`GET /openapi.json`) and the contract tests. Every status a route can
 * answer is listed, with the error codes it can carry.
 */
import * as z from 'zod';
import { apiRoute, openApiDocument, type ApiResponse } from '../src';
import { graphqlRequest, graphqlResponse } from '../src/graphql/graphqlSchemas';
import {
  errorBody,
  gatewayError,
  listCommandAnswer,
  eventsPage,
  eventsPageQuery,
  listAtQuery,
  listPath,
  listView,
  listsPage,
  listsQuery,
  openApiDocumentSchema,
  stats,
  titleBody,
  todoCommandAnswer,
  todoPath,
} from './apiSchemas';

type Codes = readonly [string, ...string[]];

const STATUS: Record<number, string> = {
  400: 'The request is not valid',
  401: 'No valid bearer token',
  404: "Not found (another user's list is not found either)",
  409: 'Refused by the current state of the list, or a request with the same Idempotency-Key is still running',
  413: 'The body is over 64 KB',
  422: 'This Idempotency-Key was used with a different request',
  500: 'Something went wrong on our side',
  503: 'The view has not caught up with minVersion yet; retry after Retry-After seconds',
};

/** What every route behind `httpRoute` can answer: bad JSON or input, no caller, too big a body, a bug. */
const EVERY_ROUTE: Record<number, readonly string[]> = {
  400: ['MALFORMED_JSON', 'VALIDATION_ERROR'],
  401: ['UNAUTHORIZED'],
  413: ['PAYLOAD_TOO_LARGE'],
  500: ['INTERNAL_ERROR'],
};

const errorResponse = (status: number, codes: Codes): ApiResponse => ({
  description: `${STATUS[status] ?? 'Error'}: ${codes.join(', ')}`,
  // The gateway's authorizer answers 401 in its own shape before the function runs.
  schema: status === 401 ? z.union([errorBody(codes), gatewayError]) : errorBody(codes),
  ...(status === 503
    ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: z.number().int().min(0) } } }
    : {}),
});

/** The error answers of a route: those of every route plus `extra` codes by status. */
const errors = (extra: Record<number, Codes> = {}): Record<number, ApiResponse> => {
  const statuses = [...new Set([...Object.keys(EVERY_ROUTE), ...Object.keys(extra)].map(Number))].sort((a, b) => a - b);
  return Object.fromEntries(
    statuses.map((status) => [status, errorResponse(status, [...(EVERY_ROUTE[status] ?? []), ...(extra[status] ?? [])] as unknown as Codes)]),
  );
};

const ok = (description: string, schema: z.ZodType): ApiResponse => ({ description, schema });

/** Every command route also answers the outcomes of `Idempotency-Key`. */
const commandErrors = (extra: Record<number, Codes> = {}) =>
  errors({ ...extra, 409: [...(extra[409] ?? []), 'IDEMPOTENCY_IN_PROGRESS'], 422: ['IDEMPOTENCY_KEY_REUSED'] } as Record<number, Codes>);

const listNotFound = { 404: ['LIST_NOT_FOUND'] } as const;
const todoNotFound = { 404: ['LIST_NOT_FOUND', 'TODO_NOT_FOUND'] } as const;
const openListChange = { 409: ['LIST_ARCHIVED', 'CONCURRENCY_CONFLICT'] } as const;
const commands = ['commands'];
const queries = ['queries'];

export const apiRoutes = {
  // ── commands ───────────────────────────────────────────────────────────────
  createList: apiRoute({
    method: 'POST',
    path: '/lists',
    summary: 'Create a list',
    tags: commands,
    auth: 'jwt',
    request: { body: titleBody },
    responses: { 201: ok('Created', listCommandAnswer), ...commandErrors({ 409: ['LIST_ALREADY_EXISTS', 'CONCURRENCY_CONFLICT'] }) },
  }),
  renameList: apiRoute({
    method: 'PATCH',
    path: '/lists/{listId}',
    summary: 'Rename a list',
    tags: commands,
    auth: 'jwt',
    request: { body: titleBody, params: listPath },
    responses: { 200: ok('Renamed (or already so named)', listCommandAnswer), ...commandErrors({ ...listNotFound, ...openListChange }) },
  }),
  archiveList: apiRoute({
    method: 'DELETE',
    path: '/lists/{listId}',
    summary: 'Archive a list; it takes no more changes',
    tags: commands,
    auth: 'jwt',
    request: { params: listPath },
    responses: { 200: ok('Archived (or already archived)', listCommandAnswer), ...commandErrors({ ...listNotFound, 409: ['CONCURRENCY_CONFLICT'] }) },
  }),
  addTodo: apiRoute({
    method: 'POST',
    path: '/lists/{listId}/todos',
    summary: 'Add a todo to a list',
    tags: commands,
    auth: 'jwt',
    request: { body: titleBody, params: listPath },
    responses: {
      201: ok('Added', todoCommandAnswer),
      ...commandErrors({ ...listNotFound, 409: ['LIST_ARCHIVED', 'LIST_FULL', 'TODO_ALREADY_EXISTS', 'CONCURRENCY_CONFLICT'] }),
    },
  }),
  renameTodo: apiRoute({
    method: 'PATCH',
    path: '/lists/{listId}/todos/{todoId}',
    summary: 'Rename a todo',
    tags: commands,
    auth: 'jwt',
    request: { body: titleBody, params: todoPath },
    responses: { 200: ok('Renamed (or already so named)', todoCommandAnswer), ...commandErrors({ ...todoNotFound, ...openListChange }) },
  }),
  completeTodo: apiRoute({
    method: 'POST',
    path: '/lists/{listId}/todos/{todoId}/complete',
    summary: 'Complete a todo',
    tags: commands,
    auth: 'jwt',
    request: { params: todoPath },
    responses: { 200: ok('Completed (or already completed)', todoCommandAnswer), ...commandErrors({ ...todoNotFound, ...openListChange }) },
  }),
  reopenTodo: apiRoute({
    method: 'POST',
    path: '/lists/{listId}/todos/{todoId}/reopen',
    summary: 'Reopen a completed todo',
    tags: commands,
    auth: 'jwt',
    request: { params: todoPath },
    responses: { 200: ok('Reopened (or already open)', todoCommandAnswer), ...commandErrors({ ...todoNotFound, ...openListChange }) },
  }),
  removeTodo: apiRoute({
    method: 'DELETE',
    path: '/lists/{listId}/todos/{todoId}',
    summary: 'Remove a todo',
    tags: commands,
    auth: 'jwt',
    request: { params: todoPath },
    responses: { 200: ok('Removed', todoCommandAnswer), ...commandErrors({ ...todoNotFound, ...openListChange }) },
  }),
  clearCompleted: apiRoute({
    method: 'POST',
    path: '/lists/{listId}/clear-completed',
    summary: 'Remove every completed todo, in one commit',
    tags: commands,
    auth: 'jwt',
    request: { params: listPath },
    responses: { 200: ok('Cleared (or nothing to clear)', listCommandAnswer), ...commandErrors({ ...listNotFound, ...openListChange }) },
  }),
  // ── queries ────────────────────────────────────────────────────────────────
  getLists: apiRoute({
    method: 'GET',
    path: '/lists',
    summary: "The caller's lists, newest first, paged",
    tags: queries,
    auth: 'jwt',
    request: { query: listsQuery },
    responses: { 200: ok('A page of lists', listsPage), ...errors({ 400: ['INVALID_NEXT_TOKEN'], 503: ['VIEW_BEHIND'] }) },
  }),
  getList: apiRoute({
    method: 'GET',
    path: '/lists/{listId}',
    summary: 'One list with its todos',
    tags: queries,
    auth: 'jwt',
    request: { params: listPath, query: listAtQuery },
    responses: { 200: ok('The list (now, or as it was after `atVersion`)', listView), ...errors({ ...listNotFound, 404: ['LIST_NOT_FOUND', 'VERSION_NOT_FOUND'], 503: ['VIEW_BEHIND'] }) },
  }),
  getListEvents: apiRoute({
    method: 'GET',
    path: '/lists/{listId}/events',
    summary: "A list's events, from the event store",
    tags: queries,
    auth: 'jwt',
    request: { params: listPath, query: eventsPageQuery },
    responses: { 200: ok('A page of the list\'s events, in version order, with who and which request wrote each', eventsPage), ...errors(listNotFound) },
  }),
  getStats: apiRoute({
    method: 'GET',
    path: '/stats',
    summary: "The caller's totals",
    tags: queries,
    auth: 'jwt',
    request: {},
    responses: { 200: ok('Totals over the open lists', stats), ...errors() },
  }),
  // ── GraphQL and this document ──────────────────────────────────────────────
  graphql: apiRoute({
    method: 'POST',
    path: '/graphql',
    summary: 'GraphQL: the same commands (mutations) and queries',
    description:
      'Queries `lists`, `list` (also `atVersion`), `stats`, `events` (paged); one mutation per command. ' +
      'A well-formed request is answered 200; domain errors are in `errors[].extensions.code` with the REST codes.',
    tags: ['graphql'],
    auth: 'jwt',
    request: { body: graphqlRequest },
    responses: { 200: ok('The GraphQL response', graphqlResponse), ...errors() },
  }),
  openapi: apiRoute({
    method: 'GET',
    path: '/openapi.json',
    summary: 'This document (public)',
    tags: ['meta'],
    auth: 'none',
    request: {},
    responses: { 200: ok('The OpenAPI 3.1 document', openApiDocumentSchema), 500: errorResponse(500, ['INTERNAL_ERROR']) },
  }),
};

/** The OpenAPI 3.1 document of `apiRoutes`. */
export const todoApiDocument = () =>
  openApiDocument({
    info: {
      title: 'todo-cqrs',
      version: '0.1.0',
      description:
        'Todo lists on CQRS and event sourcing. Every route but this document needs `Authorization: Bearer <JWT>`; ' +
        "the caller is the token's `sub`. Errors are `{ error: { code, message, details? } }`.",
    },
    routes: apiRoutes,
  });
