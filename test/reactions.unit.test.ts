/**
 * The reaction runner (src/reaction) with the in-memory event store and the todo app's own
 * commands (the real `runCommand`, Idempotency-Keys and all): a deleted tag leaves every todo that
 * carries it exactly once, whatever Lambda does with the records — duplicates, reordering, a
 * redelivery after a crash between the caused command and the checkpoint, a view that moved on in
 * between — a caused command the domain refuses is an answer, and a poisoned reaction dead-letters
 * its own stream, not the others. Integration events carry the causing commit as their id.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { app } from '../handlers/app';
import { reactions } from '../handlers/reactions';
import { taggedTodosView } from '../handlers/views';
import {
  InMemoryEventStore,
  cause,
  causeOf,
  createProjectionHandler,
  createRuntime,
  inMemoryIntegrationPublisher,
  inMemoryReactionCheckpoints,
  itemFromCommit,
  reaction,
  reactionProjection,
  type Commit,
  type QueryContext,
  type Reaction,
  type ReactionCheckpoints,
} from '../src';
import { causedCommandRunner } from '../src/app/reactions';
import { expectedCounterTotals } from '../src/ops/appOps';
import { reactionLags } from '../src/ops/reactionOps';
import { tags } from '../handlers/views';

const [untagDeletedTag, publishTodoCompleted] = reactions as [Reaction, Reaction];

/** The todo app on an in-memory event store; the tagged-todos index folded from the store on every read. */
const rig = () => {
  const store = new InMemoryEventStore();
  const runtime = createRuntime(
    app,
    { tablePrefix: 'unit-', graphqlIntrospection: false },
    { AWS_REGION: 'us-east-1' },
    { eventStore: store },
  );
  const listIds: string[] = [];
  /** Streams left out of the index (a view behind). */
  const hidden = new Set<string>();
  const context = {
    totals: async (_view: unknown, key: string) => {
      const streams = await Promise.all(listIds.filter((id) => !hidden.has(id)).map((id) => store.readStream(id)));
      return expectedCounterTotals(taggedTodosView, streams).get(key) ?? {};
    },
  } as unknown as QueryContext;
  const run = async (name: keyof typeof app.commands, input: { params?: object; body?: object }, userId = 'alice') =>
    (await runtime.runCommand(app.commands[name]!, {
      params: input.params,
      body: input.body,
      userId,
      correlationId: `req-${name}`,
    })) as { version: number; listId: string; todoId: string; tagId: string };
  const runCommand = causedCommandRunner(app, runtime.runCommand);
  const calls: string[] = [];
  const projectionOf = (
    r: Reaction,
    checkpoints: ReactionCheckpoints = inMemoryReactionCheckpoints(),
    publisher = inMemoryIntegrationPublisher(),
  ) =>
    reactionProjection({
      reaction: r,
      checkpoints,
      runCommand: (input) => {
        calls.push(input.idempotencyKey);
        return runCommand(input);
      },
      store,
      context,
      publisher,
      source: 'todo-cqrs',
    });
  return { store, runtime, listIds, hidden, run, projectionOf, calls };
};

/** alice's tag on three todos of two lists (and one todo without it), then the tag deleted. */
const taggedAndDeleted = async () => {
  const r = rig();
  const { tagId } = await r.run('createTag', { body: { name: 'urgent' } });
  const { tagId: other } = await r.run('createTag', { body: { name: 'later' } });
  const todos: { listId: string; todoId: string }[] = [];
  for (const title of ['home', 'work']) {
    const { listId } = await r.run('createList', { body: { title } });
    r.listIds.push(listId);
    for (const t of ['a', 'b']) {
      const { todoId } = await r.run('addTodo', { params: { listId }, body: { title: t } });
      todos.push({ listId, todoId });
    }
  }
  const carrying = [todos[0]!, todos[1]!, todos[2]!];
  for (const todo of carrying) await r.run('tagTodo', { params: { ...todo, tagId } });
  await r.run('tagTodo', { params: { ...todos[3]!, tagId: other } });
  await r.run('deleteTag', { params: { tagId } });
  const tagCommits = await r.store.readStream(tags.streamIdOf('alice'));
  return { ...r, tagId: tagId as string, other: other as string, carrying, tagCommits, deletion: tagCommits.at(-1)! };
};

/** Every TodoUntagged in the lists, with the cause its commit records. */
const untags = async (r: ReturnType<typeof rig>) =>
  (await Promise.all(r.listIds.map((id) => r.store.readStream(id)))).flat().flatMap((c) =>
    c.events
      .filter((e) => e.type === 'TodoUntagged')
      .map((e) => ({
        listId: c.streamId,
        ...(e.data as { todoId: string; tagId: string }),
        cause: causeOf(c.metadata.causationId),
        correlationId: c.metadata.correlationId,
      })),
  );

const record = (commit: Commit, n: number): DynamoDBRecord => ({
  eventID: `e${n}`,
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: String(n),
    Keys: { streamId: { S: commit.streamId }, version: { N: String(commit.version) } },
    NewImage: itemFromCommit(commit) as never,
  },
});

describe('a reaction: a deleted tag leaves every todo that carries it', () => {
  it('untags each todo once, each caused commit recording its cause beside the correlation id', async () => {
    const r = await taggedAndDeleted();
    const outcome = await r.projectionOf(untagDeletedTag).applyCommits(r.deletion.streamId, r.tagCommits);
    expect(outcome.applied).toBe(r.tagCommits.length);
    const found = await untags(r);
    expect(
      found
        .map(({ listId, todoId, tagId }) => ({ listId, todoId, tagId }))
        .sort((a, b) => a.todoId.localeCompare(b.todoId)),
    ).toEqual(r.carrying.map((t) => ({ ...t, tagId: r.tagId })).sort((a, b) => a.todoId.localeCompare(b.todoId)));
    for (const u of found) {
      expect(u.cause).toEqual({ reaction: 'untagDeletedTag', streamId: 'tags#alice', version: r.deletion.version });
      expect(u.correlationId).toBe('req-deleteTag');
    }
    // The other tag stays where it is.
    const lists = await Promise.all(
      r.listIds.map((id) => r.runtime.pipelineOf(app.commands.untagTodo!.aggregate).load(id)),
    );
    const remaining = lists.flatMap((l) =>
      (l.state as { todos: { tagIds?: string[] }[] }).todos.flatMap((t) => t.tagIds ?? []),
    );
    expect(remaining).toEqual([r.other]);
  });

  it('has its effect once when the deletion arrives twice in a batch, again later, and out of order', async () => {
    const r = await taggedAndDeleted();
    const projection = r.projectionOf(untagDeletedTag);
    const [first, ...rest] = r.tagCommits;
    await projection.applyCommits(r.deletion.streamId, [r.deletion, r.deletion, ...[...rest].reverse(), first!]);
    await projection.applyCommits(r.deletion.streamId, [r.deletion]);
    await projection.applyCommits(r.deletion.streamId, [first!, r.deletion]);
    expect(await untags(r)).toHaveLength(3);
  });

  it('heals a gap: a deletion that never arrives is read from the event store when a later commit does', async () => {
    const r = await taggedAndDeleted();
    const later = await r.run('createTag', { body: { name: 'after' } });
    const commits = await r.store.readStream('tags#alice');
    // Only the commit after the deletion arrives.
    const outcome = await r.projectionOf(untagDeletedTag).applyCommits('tags#alice', [commits.at(-1)!]);
    expect(later.version).toBe(r.deletion.version + 1);
    expect(outcome.healed).toBe(commits.length - 1);
    expect(await untags(r)).toHaveLength(3);
  });

  it('after a crash between the caused commands and the checkpoint, a redelivery replays their answers', async () => {
    const r = await taggedAndDeleted();
    const inner = inMemoryReactionCheckpoints();
    let crash = true;
    const crashing: ReactionCheckpoints = {
      read: inner.read,
      write: async (...args) => {
        if (crash) throw new Error('the function died before its checkpoint');
        return inner.write(...args);
      },
    };
    // An index that has not yet seen the untags (views lag): the redelivery causes the same three commands.
    const behind = reaction({
      name: 'untagDeletedTag',
      on: tags,
      events: ['TagDeleted'],
      run: ({ data: { tagId } }) => r.carrying.map((todo) => cause('untagTodo', { params: { ...todo, tagId } })),
    });
    const projection = r.projectionOf(behind, crashing);
    await expect(projection.applyCommits('tags#alice', r.tagCommits)).rejects.toThrow(/died/);
    expect(await untags(r)).toHaveLength(3);
    const firstKeys = [...r.calls];
    expect(firstKeys).toHaveLength(3);
    crash = false;
    await projection.applyCommits('tags#alice', r.tagCommits);
    // The same keys ran again, and were answered from their records.
    expect(r.calls.slice(firstKeys.length).sort()).toEqual([...firstKeys].sort());
    expect(await untags(r)).toHaveLength(3);
    expect(inner.versions.get('tags#alice')).toBe(r.deletion.version);
  });

  // A key by position in run's answer would shift onto another command: refused as reused (422), the stream stuck.
  it('keeps each caused command its key when the index moved on between two deliveries', async () => {
    const r = await taggedAndDeleted();
    const inner = inMemoryReactionCheckpoints();
    // The first delivery's index names three todos; by the redelivery it has seen the first two untags only.
    let seen = r.carrying;
    const moving = reaction({
      name: 'untagDeletedTag',
      on: tags,
      events: ['TagDeleted'],
      run: ({ data: { tagId } }) => seen.map((todo) => cause('untagTodo', { params: { ...todo, tagId } })),
    });
    const projection = r.projectionOf(moving, {
      read: inner.read,
      write: async () => Promise.reject(new Error('crash')),
    });
    await expect(projection.applyCommits('tags#alice', r.tagCommits)).rejects.toThrow('crash');
    seen = [r.carrying[2]!];
    await r.projectionOf(moving, inner).applyCommits('tags#alice', r.tagCommits);
    expect(await untags(r)).toHaveLength(3);
    expect(inner.versions.get('tags#alice')).toBe(r.deletion.version);
  });

  it('takes a caused command the domain refuses (the todo was removed meanwhile) as its answer', async () => {
    const r = await taggedAndDeleted();
    const [gone, , kept] = r.carrying as [
      { listId: string; todoId: string },
      unknown,
      { listId: string; todoId: string },
    ];
    await r.run('removeTodo', { params: gone });
    // An index behind the lists: it still names the removed todo.
    const behind = reaction({
      name: 'untagDeletedTag',
      on: tags,
      events: ['TagDeleted'],
      run: ({ data: { tagId } }) => [gone, kept].map((todo) => cause('untagTodo', { params: { ...todo, tagId } })),
    });
    const checkpoints = inMemoryReactionCheckpoints();
    await r.projectionOf(behind, checkpoints).applyCommits('tags#alice', r.tagCommits);
    expect(checkpoints.versions.get('tags#alice')).toBe(r.deletion.version);
    expect((await untags(r)).map((u) => u.todoId)).toEqual([kept.todoId]);
  });

  it('dead-letters the one stream a poisoned reaction fails on, and reacts to the others of the batch', async () => {
    const r = rig();
    await r.run('createTag', { body: { name: 'x' } }, 'alice');
    await r.run('createTag', { body: { name: 'y' } }, 'bob');
    const commits = [...(await r.store.readStream('tags#alice')), ...(await r.store.readStream('tags#bob'))];
    const done: string[] = [];
    const poisoned = reaction({
      name: 'poisoned',
      on: tags,
      events: ['TagCreated'],
      run: (_event, commit) => {
        if (commit.userId === 'alice') throw new Error('cannot react to alice');
        done.push(commit.streamId);
        return [];
      },
    });
    const letters: { view: string; streamId: string; versions: readonly number[] }[] = [];
    const handler = createProjectionHandler(r.projectionOf(poisoned), {
      deadLetters: { record: async (view, streamId, versions) => void letters.push({ view, streamId, versions }) },
    });
    const answer = await handler({ Records: commits.map(record) });
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: '0' }]);
    expect(letters).toEqual([{ view: 'poisonedReaction', streamId: 'tags#alice', versions: [1] }]);
    expect(done).toEqual(['tags#bob']);
  });
});

describe('the cause a caused command records', () => {
  it('is kept by a command that reads another stream (tagTodo) and by one across streams (moveTodo)', async () => {
    const r = rig();
    const { tagId } = await r.run('createTag', { body: { name: 'urgent' } });
    const { listId } = await r.run('createList', { body: { title: 'home' } });
    const { listId: toListId } = await r.run('createList', { body: { title: 'work' } });
    const { todoId } = await r.run('addTodo', { params: { listId }, body: { title: 'a' } });
    const runCaused = causedCommandRunner(app, r.runtime.runCommand);
    const caused = { userId: 'alice', correlationId: 'req-x', causationId: 'someReaction:tags#alice:7' };
    await runCaused({
      ...caused,
      command: 'tagTodo',
      params: { listId, todoId, tagId },
      body: {},
      idempotencyKey: 'k1',
    });
    await runCaused({
      ...caused,
      command: 'moveTodo',
      params: { listId, todoId },
      body: { toListId },
      idempotencyKey: 'k2',
    });
    const last = async (id: string) => (await r.store.readStream(id)).at(-1)!;
    const [tagged, movedOut, movedIn] = [
      (await r.store.readStream(listId)).at(-2)!,
      await last(listId),
      await last(toListId),
    ];
    expect([tagged, movedOut, movedIn].map((c) => [c.events[0]!.type, c.metadata.causationId])).toEqual([
      ['TodoTagged', caused.causationId],
      [movedOut.events[0]!.type, caused.causationId],
      [movedIn.events[0]!.type, caused.causationId],
    ]);
  });
});

describe('a reaction that publishes: TodoCompleted for the outside world', () => {
  it('publishes the public shape with the causing commit as its id, again (same id) on redelivery', async () => {
    const r = rig();
    const { listId } = await r.run('createList', { body: { title: 'l' } });
    const { todoId } = await r.run('addTodo', { params: { listId }, body: { title: 't' } });
    const { version } = await r.run('completeTodo', { params: { listId, todoId } });
    const commits = await r.store.readStream(listId);
    const publisher = inMemoryIntegrationPublisher();
    await r.projectionOf(publishTodoCompleted, inMemoryReactionCheckpoints(), publisher).applyCommits(listId, commits);
    await r.projectionOf(publishTodoCompleted, inMemoryReactionCheckpoints(), publisher).applyCommits(listId, commits);
    const completed = commits.at(-1)!;
    const entry = {
      id: `${listId}:${version}`,
      source: 'todo-cqrs',
      type: 'TodoCompleted',
      time: completed.at,
      detail: { version: 1, listId, todoId, ownerId: 'alice', completedAt: completed.at },
    };
    expect(publisher.sent).toEqual([entry, entry]);
  });
});

describe('verify: events a reaction has not yet reacted to', () => {
  it('names each stream whose followed events are past the reaction checkpoint, and only those', async () => {
    const r = await taggedAndDeleted();
    const streams = new Map([['tags#alice', r.tagCommits], ...r.listIds.map((id) => [id, [] as Commit[]] as const)]);
    for (const id of r.listIds) streams.set(id, await r.store.readStream(id));
    const checkpoints = new Map([['tags#alice', r.deletion.version - 1]]);
    const lags = await reactionLags(reactions, streams, async (reaction, streamId) =>
      reaction.name === 'untagDeletedTag' ? (checkpoints.get(streamId) ?? 0) : Number.MAX_SAFE_INTEGER,
    );
    expect(lags).toEqual([
      {
        reaction: 'untagDeletedTag',
        streamId: 'tags#alice',
        reactedTo: r.deletion.version - 1,
        pendingTo: r.deletion.version,
        pendingCommits: 1,
        pendingSince: r.deletion.at,
      },
    ]);
    // Reacted to: nothing pending; commits without a followed event never count.
    checkpoints.set('tags#alice', r.deletion.version);
    expect(await reactionLags(reactions, streams, async () => checkpoints.get('tags#alice')!)).toEqual([]);
  });
});

describe('the stream handler under partial failure', () => {
  // The chaos harness read the first reported failure and restarted there: when the stream that failed
  // first in time came later in the batch, the earlier stream's records were skipped (seed 1369344620).
  it('reports failed records in the batch order, whatever order their streams failed in', async () => {
    const commit = (streamId: string, version: number): Commit => ({
      streamId,
      version,
      streamType: 'tags',
      commandId: `c-${streamId}-${version}`,
      at: '2026-12-07T00:00:00.000Z',
      events: [{ type: 'TagCreated', data: { tagId: `t${version}`, name: 'x' } }],
      metadata: { userId: 'u', correlationId: 'c' },
    });
    const handler = createProjectionHandler({
      name: 'slowFirst',
      streamType: 'tags',
      // The batch's first stream fails last.
      applyCommits: async (streamId) => {
        if (streamId === 'tags#early') await new Promise((resolve) => setTimeout(resolve, 30));
        throw new Error(`${streamId} failed`);
      },
    });
    const records = [
      record(commit('tags#early', 1), 1),
      record(commit('tags#late', 1), 2),
      record(commit('tags#early', 2), 3),
    ];
    const { batchItemFailures } = await handler({ Records: records });
    expect(batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['1', '2', '3']);
  });
});
