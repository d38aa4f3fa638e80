/**
 * The todo-list commands' schemas: request bodies and answers. They validate requests (REST routes and
 * GraphQL arguments), shape answers, and generate both the OpenAPI document and the GraphQL types (the
 * kit derives both from the app's declaration, handlers/app.ts). `z.meta({ id })` names a schema in
 * both; the schema named `ID` is GraphQL's ID scalar. The queries' schemas are in ./querySchemas.ts,
 * so a function that runs commands only (a reaction) does not build them.
 */
import * as z from 'zod/mini';
import { todoList } from '../../domain';
import { commandAnswer, textField } from '../../src';
import { count, id } from '../api';

export const titleBody = z.strictObject({ title: textField({ max: todoList.TITLE_MAX_LENGTH }) });
export const moveBody = z.strictObject({ toListId: id });

// ── answers ──
const unchanged = "The list's version after the command (unchanged when it changed nothing)";
export const listCommandAnswer = commandAnswer('ListCommandAnswer', ['listId'], unchanged);
export const todoCommandAnswer = commandAnswer('TodoCommandAnswer', ['listId', 'todoId'], unchanged);
export const moveAnswer = z
  .object({ listId: id, todoId: id, toListId: id, version: count, toVersion: count })
  .check(z.meta({ id: 'MoveAnswer', description: "Both lists' versions after the move (`version`: the source's)" }));
