/**
 * The reaction functions' runtime (src/app/reactionRuntime.ts): built from the app's aggregates, views
 * and reactions only, it serves the same functions as the whole runtime, and finds each caused command
 * in the reaction that causes it (`causes`), the same command object the app declares.
 */
import { app } from '../handlers/app';
import { reactions } from '../handlers/reactions';
import { appViews } from '../handlers/views';
import { randomUUID } from 'node:crypto';
import {
  InMemoryEventStore,
  cause,
  createReactionRuntime,
  createRuntime,
  reaction,
  type AppReactions,
  type Commit,
  type QueryContext,
  type Reaction,
} from '../src';
import { reactionProjections, type ReactionDeps } from '../src/app/reactions';
import { appEventSchema } from '../src/app/definition';
import { tags } from '../handlers/views';

const config = { tablePrefix: 'unit-', graphqlIntrospection: false };
const env = { AWS_REGION: 'us-east-1' };

describe('createReactionRuntime', () => {
  it('serves every reaction function the whole runtime serves, by the same names', () => {
    const own = createReactionRuntime({ ...appViews, reactions }, config, env);
    const whole = createRuntime(app, config, env);
    expect(Object.keys(own.handlers).sort()).toEqual(Object.keys(whole.reactions).sort());
    expect(Object.keys(own.handlers).sort()).toEqual(['publishTodoCompletedReaction', 'untagDeletedTagReaction']);
  });

  it("carries each short-form reaction's caused commands: the app's own command objects, nothing else", () => {
    const byName = Object.fromEntries(reactions.map((r) => [r.name, r]));
    expect(byName.untagDeletedTag?.causes).toEqual({ untagTodo: app.commands.untagTodo });
    expect(byName.untagDeletedTag?.causes?.untagTodo).toBe(app.commands.untagTodo);
    expect(byName.publishTodoCompleted?.causes).toBeUndefined();
  });
});

/**
 * Which command a reaction's `cause(name, …)` runs, as both runtimes resolve it (reactionProjections): the
 * whole runtime (tests, `npm run redrive`) is given the app's commands, the reaction function none, so a
 * command found only among the app's would run in one and fail in the other. Caused commands are recorded
 * here, not run; the checkpoints' client answers nothing (no checkpoint yet) and takes every write.
 */
describe("a reaction's caused commands", () => {
  const listId = randomUUID();
  const todoId = randomUUID();
  const tagId = randomUUID();
  const deleted: Commit = {
    streamId: `tags#alice`,
    version: 1,
    streamType: tags.streamType,
    commandId: 'c1',
    at: '2026-12-07T00:00:00.000Z',
    events: [{ type: 'TagDeleted', data: { tagId } }],
    metadata: { userId: 'alice', correlationId: 'req-1' },
  };
  const projectionsOf = (of: AppReactions) => {
    const ran: [unknown, Record<string, unknown>][] = [];
    const projectionOf = reactionProjections(of, {
      documentClient: { send: async () => ({}) } as unknown as ReactionDeps['documentClient'],
      eventStore: new InMemoryEventStore(),
      schema: appEventSchema(app),
      table: (name) => name,
      queryContext: {} as QueryContext,
      runCommand: async (command, input) => {
        ran.push([command, input]);
        return {};
      },
      env: {},
    });
    return { ran, projectionOf };
  };
  const untag = (causes?: Reaction['causes']) =>
    reaction({
      name: 'untagEverywhere',
      on: tags,
      events: ['TagDeleted'],
      ...(causes ? { causes } : {}),
      run: () => [cause('untagTodo', { params: { listId, todoId, tagId } })],
    });

  it("runs only those it carries, in the whole runtime as in its function: none found among the app's", async () => {
    const unlisted = untag();
    for (const declared of [app, { service: app.service, reactions: [unlisted] }]) {
      const { ran, projectionOf } = projectionsOf(declared);
      await expect(projectionOf(unlisted).applyCommits(deleted.streamId, [deleted])).rejects.toThrow(
        /untagEverywhere caused untagTodo, which it does not list in `causes`/,
      );
      expect(ran).toEqual([]);
    }
  });

  it('runs one it carries with its Idempotency-Key and cause, as the causing user', async () => {
    const listed = untag({ untagTodo: app.commands.untagTodo! });
    const { ran, projectionOf } = projectionsOf({ service: app.service, reactions: [listed] });
    await projectionOf(listed).applyCommits(deleted.streamId, [deleted]);
    expect(ran).toHaveLength(1);
    expect(ran[0]![0]).toBe(app.commands.untagTodo);
    expect(ran[0]![1]).toMatchObject({
      params: { listId, todoId, tagId },
      userId: 'alice',
      correlationId: 'req-1',
      causationId: 'untagEverywhere:tags#alice:1',
      idempotencyKey: expect.stringMatching(/^reaction-/),
    });
  });

  it('runs, of two reactions carrying different commands under one name, each its own', async () => {
    const renames = (
      name: string,
      command: Reaction['causes'],
      params: Readonly<Record<string, unknown>>,
      body: Readonly<Record<string, unknown>>,
    ) =>
      reaction({
        name,
        on: tags,
        events: ['TagDeleted'],
        causes: command,
        run: () => [cause('rename', { params, body })],
      });
    const first = renames('renameTheTag', { rename: app.commands.renameTag! }, { tagId }, { name: 'gone' });
    const second = renames('renameTheList', { rename: app.commands.renameList! }, { listId }, { title: 'gone' });
    const { ran, projectionOf } = projectionsOf({ service: app.service, reactions: [first, second] });
    await projectionOf(first).applyCommits(deleted.streamId, [deleted]);
    await projectionOf(second).applyCommits(deleted.streamId, [deleted]);
    expect(ran.map(([command]) => command)).toEqual([app.commands.renameTag, app.commands.renameList]);
  });
});
