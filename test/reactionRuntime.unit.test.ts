/**
 * The reaction functions' runtime (src/app/reactionRuntime.ts): built from the app's aggregates, views
 * and reactions only, it serves the same functions as the whole runtime, and finds each caused command
 * in the reaction that causes it (`causes`), the same command object the app declares.
 */
import { app } from '../handlers/app';
import { reactions } from '../handlers/reactions';
import { appViews } from '../handlers/views';
import { createReactionRuntime, createRuntime } from '../src';

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
