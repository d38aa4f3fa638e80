/**
 * Check-then-act across streams, on DynamoDB Local through the app's runtime: a command decided
 * on more than its own stream writes only if every stream it decided on is still as it read it.
 * A rival command (another process) changes a stream between the decision and the write; the
 * command must then decide again on fresh states — and here be refused, writing nothing.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { app } from '../handlers/app';
import { tags, todoLists } from '../handlers/views';
import { createRuntime, type AppRuntime } from '../src';
import { createTable, testDynamoDb } from './support/dynamoDb';

const { client } = testDynamoDb();
const prefix = `move-race-${randomUUID().slice(0, 8)}-`;
const env = { DYNAMODB_ENDPOINT: process.env.TEST_DYNAMODB_ENDPOINT, AWS_REGION: 'us-east-1' };
/** A fresh runtime is another process: its own client, nothing cached. */
const freshRuntime = () => createRuntime(app, { tablePrefix: prefix, graphqlIntrospection: false }, env);

beforeAll(async () => {
  const tables = [
    ['EventsTable', 'events'],
    ['SnapshotsTable', 'snapshots'],
    ['IdempotencyTable', 'idempotency'],
  ] as const;
  for (const [id, name] of tables) await createTable(client, id, `${prefix}${name}`);
}, 60_000);

type Answer = Record<string, unknown> & { version: number };
const run = async (runtime: AppRuntime, name: keyof typeof app.commands, params: Record<string, string>, body = {}) => {
  const input = { params, body, userId: 'alice', correlationId: randomUUID() };
  return (await runtime.runCommand(app.commands[name]!, input as never)) as Answer;
};
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: { code?: string; httpStatus?: number }) => ({ code: error.code, status: error.httpStatus }),
  );
const typesOf = async (runtime: AppRuntime, streamId: string) =>
  (await runtime.eventStore.readStream(streamId)).flatMap((c) => c.events.map((e) => e.type));

/** Runs `rival` once, just before the client's first write to the events table (a put or a transaction). */
const rivalBeforeFirstWrite = (target: DynamoDBClient, rival: () => Promise<unknown>) => {
  const writes = new Set(['PutItemCommand', 'TransactWriteItemsCommand']);
  let armed = true;
  const sent: string[] = [];
  target.middlewareStack.add(
    <A, R>(next: (args: A) => Promise<R>, ctx: { commandName?: string }) =>
      async (args: A): Promise<R> => {
        if (ctx.commandName && writes.has(ctx.commandName)) {
          sent.push(ctx.commandName);
          if (armed) {
            armed = false;
            await rival();
          }
        }
        return next(args);
      },
    { step: 'initialize', name: `rival-${randomUUID()}` },
  );
  return { fired: () => !armed, writes: () => sent };
};

describe('a decision on several streams is checked when it writes', () => {
  it('a move whose target is archived before its write is decided again and refused, writing nothing', async () => {
    const setup = freshRuntime();
    const from = (await run(setup, 'createList', {}, { title: 'From' })).listId as string;
    const to = (await run(setup, 'createList', {}, { title: 'To' })).listId as string;
    const todoId = (await run(setup, 'addTodo', { listId: from }, { title: 'travels' })).todoId as string;

    const mover = freshRuntime();
    const rival = freshRuntime();
    const race = rivalBeforeFirstWrite(mover.client, () => run(rival, 'archiveList', { listId: to }));
    const refused = await refusal(run(mover, 'moveTodo', { listId: from, todoId }, { toListId: to }));
    expect(race.fired()).toBe(true);
    expect(refused).toEqual({ code: 'LIST_ARCHIVED', status: 409 });
    // One write tried (lost), then the fresh decision refused before writing.
    expect(race.writes()).toEqual(['TransactWriteItemsCommand']);
    expect(await typesOf(setup, todoLists.streamIdOf(from))).toEqual(['ListCreated', 'TodoAdded']);
    expect(await typesOf(setup, todoLists.streamIdOf(to))).toEqual(['ListCreated', 'ListArchived']);
  });

  it('a move whose target fills up before its write is decided again and refused with LIST_FULL', async () => {
    const setup = freshRuntime();
    const from = (await run(setup, 'createList', {}, { title: 'From' })).listId as string;
    const to = (await run(setup, 'createList', {}, { title: 'Nearly full' })).listId as string;
    const todoId = (await run(setup, 'addTodo', { listId: from }, { title: 'travels' })).todoId as string;
    for (let i = 0; i < 499; i += 1) await run(setup, 'addTodo', { listId: to }, { title: `t${i}` });

    const mover = freshRuntime();
    const rival = freshRuntime();
    const fill = () => run(rival, 'addTodo', { listId: to }, { title: 'the 500th' });
    const race = rivalBeforeFirstWrite(mover.client, fill);
    const refused = await refusal(run(mover, 'moveTodo', { listId: from, todoId }, { toListId: to }));
    expect(race.fired()).toBe(true);
    expect(refused).toEqual({ code: 'LIST_FULL', status: 409 });
    expect(await typesOf(setup, todoLists.streamIdOf(from))).toEqual(['ListCreated', 'TodoAdded']);
    expect((await setup.eventStore.readStream(todoLists.streamIdOf(to))).length).toBe(501);
  }, 120_000);

  it('a move that lost a race to an unrelated change on its source moves on the fresh state', async () => {
    const setup = freshRuntime();
    const from = (await run(setup, 'createList', {}, { title: 'From' })).listId as string;
    const to = (await run(setup, 'createList', {}, { title: 'To' })).listId as string;
    const todoId = (await run(setup, 'addTodo', { listId: from }, { title: 'travels' })).todoId as string;
    const mover = freshRuntime();
    const rival = freshRuntime();
    rivalBeforeFirstWrite(mover.client, () => run(rival, 'completeTodo', { listId: from, todoId }));
    const moved = await run(mover, 'moveTodo', { listId: from, todoId }, { toListId: to });
    // Completed by the rival first: it travels completed, and the versions count the rival's commit.
    expect(moved).toMatchObject({ listId: from, todoId, toListId: to, version: 4, toVersion: 2 });
    const after = await setup.eventStore.readStream(todoLists.streamIdOf(to), { fromVersion: 2 });
    const [into] = after.flatMap((c) => c.events);
    const data = { todoId, title: 'travels', completed: true, tagIds: [], fromListId: from };
    expect(into).toEqual({ type: 'TodoMovedIn', data });
  });

  it('tagging with a tag deleted before the write decides again: TAG_NOT_FOUND, nothing written', async () => {
    const setup = freshRuntime();
    const tagId = (await run(setup, 'createTag', {}, { name: 'soon gone' })).tagId as string;
    const listId = (await run(setup, 'createList', {}, { title: 'Tagged' })).listId as string;
    const todoId = (await run(setup, 'addTodo', { listId }, { title: 'paint' })).todoId as string;

    const tagger = freshRuntime();
    const rival = freshRuntime();
    const race = rivalBeforeFirstWrite(tagger.client, () => run(rival, 'deleteTag', { tagId }));
    const refused = await refusal(run(tagger, 'tagTodo', { listId, todoId, tagId }));
    expect(race.fired()).toBe(true);
    expect(refused).toEqual({ code: 'TAG_NOT_FOUND', status: 404 });
    expect(await typesOf(setup, todoLists.streamIdOf(listId))).toEqual(['ListCreated', 'TodoAdded']);
    expect(await typesOf(setup, tags.streamIdOf('alice'))).toEqual(['TagCreated', 'TagDeleted']);
  });
});
