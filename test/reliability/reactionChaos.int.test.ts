/**
 * Reactions under stream chaos, on DynamoDB Local with the app's real runtime (its commands,
 * Idempotency-Key records, the tagged-todos index): the REAL stream records of a workload where
 * users tag todos and delete tags are delivered to the `untagDeletedTag` reaction the way Lambda
 * may — each record 0 to 3 times (a stream's last one at least once, so gaps are healed from the
 * event store), shuffled, in batches of random sizes, retried from the first reported failure —
 * while the function "dies" now and then between the caused commands and the checkpoint. Whatever
 * the plan: every todo that carried a deleted tag gains exactly one untag commit caused by that
 * deletion (recorded in its commit), no other todo is touched, and every checkpoint ends at its
 * stream's last version. Plans are seeded (RELIABILITY_SEED) so a failing one can be replayed.
 */
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { app } from '../../handlers/app';
import { reactions } from '../../handlers/reactions';
import {
  REACTIONS_TABLE,
  causeOf,
  createProjectionHandler,
  createRuntime,
  dynamoDbReactionCheckpoints,
  reactionProjection,
  type Reaction,
  type ReactionCheckpoints,
} from '../../src';
import { causedCommandRunner } from '../../src/app/reactions';
import { viewTableName } from '../../src/app/definition';
import { taggedTodosView } from '../../handlers/views';
import { createTable, testDynamoDb } from '../support/dynamoDb';
import { readStreamRecords, seededRandom, shuffle } from '../support/streamHarness';
import { reliability } from './support/config';

const { client } = testDynamoDb();
const endpoint = process.env.TEST_DYNAMODB_ENDPOINT!;
const insideReliabilitySuite = process.env.RELIABILITY_REPORT_FILE !== undefined;
const plans = insideReliabilitySuite ? Math.max(4, Math.round(reliability.streamChaos.numRuns / 5)) : 3;
const seed = Number(process.env.RELIABILITY_SEED ?? Date.now() % 2 ** 31);
const untagDeletedTag = reactions.find((r) => r.name === 'untagDeletedTag') as Reaction;

const TABLES = {
  EventsTable: 'events',
  IdempotencyTable: 'idempotency',
  SnapshotsTable: 'snapshots',
  DeadLettersTable: 'deadLetters',
  ReactionsTable: REACTIONS_TABLE,
  TaggedTodosTable: viewTableName(taggedTodosView),
};

/** A fresh stage of the app on DynamoDB Local: its tables and its runtime. */
const freshStage = async (n: number) => {
  const prefix = `test-react${n}-${Math.floor(Math.random() * 1e6)}-`;
  const names = await Promise.all(
    Object.entries(TABLES).map(([id, name]) => createTable(client, id, `${prefix}${name}`)),
  );
  const runtime = createRuntime(
    app,
    { tablePrefix: prefix, graphqlIntrospection: false },
    { DYNAMODB_ENDPOINT: endpoint, AWS_REGION: 'us-east-1' },
  );
  return { prefix, names, runtime };
};

type Todo = { listId: string; todoId: string };

/** Two users, each with three tags on todos of two lists; each deletes two tags. What must be untagged, by tag. */
const workload = async (runtime: ReturnType<typeof createRuntime>, random: () => number) => {
  const run = async (name: string, userId: string, input: { params?: object; body?: object }): Promise<any> =>
    runtime.runCommand(app.commands[name]!, {
      params: input.params,
      body: input.body,
      userId,
      correlationId: `${name}-${userId}`,
    });
  const mustUntag = new Map<string, Todo[]>();
  const kept = new Map<string, Todo[]>();
  for (const userId of ['alice', 'bob']) {
    const tagIds: string[] = [];
    for (const name of ['a', 'b', 'c']) tagIds.push((await run('createTag', userId, { body: { name } })).tagId);
    const carrying = new Map<string, Todo[]>(tagIds.map((id) => [id, []]));
    for (const title of ['one', 'two']) {
      const { listId } = await run('createList', userId, { body: { title } });
      for (let t = 0; t < 4; t += 1) {
        const { todoId } = await run('addTodo', userId, { params: { listId }, body: { title: `t${t}` } });
        for (const tagId of tagIds) {
          if (random() < 0.5) continue;
          await run('tagTodo', userId, { params: { listId, todoId, tagId } });
          carrying.get(tagId)!.push({ listId, todoId });
        }
      }
    }
    const [keptTag, ...deleted] = tagIds;
    for (const tagId of deleted) {
      await run('deleteTag', userId, { params: { tagId } });
      mustUntag.set(tagId, carrying.get(tagId)!);
    }
    kept.set(keptTag!, carrying.get(keptTag!)!);
  }
  return { mustUntag, kept };
};

/** A checkpoint store that dies (after the caused commands ran) on some writes. */
const dying = (
  inner: ReactionCheckpoints,
  random: () => number,
  rate: number,
): ReactionCheckpoints & { crashes: number } => {
  let writes = 0;
  const store = {
    crashes: 0,
    read: inner.read,
    write: async (streamId: string, seen: number, version: number) => {
      // The first write of every plan dies, so each plan proves a crash and its retry; then at random.
      writes += 1;
      if (writes === 1 || random() < rate) {
        store.crashes += 1;
        throw new Error('the function died between the caused commands and the checkpoint');
      }
      return inner.write(streamId, seen, version);
    },
  };
  return store;
};

/**
 * Delivers a plan: copies, disorder and batch sizes from `random`; a failed batch is retried from
 * its first failure, as Lambda does.
 */
const deliverChaotically = async (
  handler: ReturnType<typeof createProjectionHandler>,
  records: DynamoDBRecord[],
  random: () => number,
) => {
  const lastOfStream = new Map<string, DynamoDBRecord>();
  for (const r of records) lastOfStream.set(r.dynamodb!.Keys!.streamId!.S!, r);
  const last = new Set(lastOfStream.values());
  const copies = records.flatMap((r) => {
    const n = random() < 0.2 ? 0 : random() < 0.3 ? 2 + Math.floor(random() * 2) : 1;
    return Array.from({ length: Math.max(n, last.has(r) ? 1 : 0) }, () => r);
  });
  const queue = shuffle(copies, random);
  let retries = 0;
  while (queue.length > 0) {
    const size = 1 + Math.floor(random() * 10);
    let batch = queue.splice(0, size);
    for (let attempt = 0; batch.length > 0; attempt += 1) {
      if (attempt > 30) throw new Error('a batch kept failing');
      const { batchItemFailures } = await handler({ Records: batch });
      if (batchItemFailures.length === 0) break;
      retries += 1;
      // As Lambda (and src/local/offlineStreams.cjs): again from the earliest failed record of the batch.
      const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
      batch = batch.slice(batch.findIndex((r) => failed.has(r.dynamodb!.SequenceNumber!)));
    }
  }
  return { delivered: copies.length, retries };
};

describe('a reaction under stream chaos on DynamoDB Local', () => {
  it(`has every caused effect exactly once over ${plans} seeded plans (seed ${seed})`, async () => {
    for (let n = 0; n < plans; n += 1) {
      const random = seededRandom(seed + n);
      const { names, runtime, prefix } = await freshStage(n);
      try {
        const { mustUntag, kept } = await workload(runtime, random);
        const records = await readStreamRecords(client, endpoint, `${prefix}events`);
        // The index the reaction reads, caught up with the taggings.
        const index = runtime.projection('taggedTodos');
        expect((await index({ Records: records })).batchItemFailures).toEqual([]);
        const checkpoints = dying(
          dynamoDbReactionCheckpoints(runtime.documentClient, `${prefix}${REACTIONS_TABLE}`, untagDeletedTag.name),
          random,
          0.3,
        );
        const handler = createProjectionHandler(
          reactionProjection({
            reaction: untagDeletedTag,
            checkpoints,
            runCommand: causedCommandRunner(app, runtime.runCommand),
            store: runtime.eventStore,
            context: runtime.queryContext,
            source: app.service,
          }),
          { schema: runtime.schema },
        );
        const { retries } = await deliverChaotically(handler, records, random);

        // Every untag in the lists, with its cause.
        const listIds = [...new Set([...mustUntag.values(), ...kept.values()].flat().map((t) => t.listId))];
        const commits = (await Promise.all(listIds.map((id) => runtime.eventStore.readStream(id)))).flat();
        const untags = commits.flatMap((c) =>
          c.events
            .filter((e) => e.type === 'TodoUntagged')
            .map((e) => ({
              ...(e.data as { todoId: string; tagId: string }),
              listId: c.streamId,
              cause: causeOf(c.metadata.causationId),
            })),
        );
        const expected = [...mustUntag].flatMap(([tagId, todos]) => todos.map((t) => ({ ...t, tagId })));
        const key = (u: { listId: string; todoId: string; tagId: string }) => `${u.listId}/${u.todoId}/${u.tagId}`;
        expect({ plan: n, untags: untags.map(key).sort() }).toEqual({ plan: n, untags: expected.map(key).sort() });
        for (const u of untags)
          expect(u.cause).toMatchObject({
            reaction: 'untagDeletedTag',
            streamId: expect.stringMatching(/^tags#(alice|bob)$/),
          });
        // Each untag was caused by the deletion of its own tag.
        for (const u of untags) {
          const tagCommit = (
            await runtime.eventStore.readStream(u.cause!.streamId, {
              fromVersion: u.cause!.version,
              toVersion: u.cause!.version,
            })
          )[0]!;
          expect(tagCommit.events).toContainEqual({ type: 'TagDeleted', data: { tagId: u.tagId } });
        }
        for (const userId of ['alice', 'bob']) {
          const last = (await runtime.eventStore.readStream(`tags#${userId}`)).at(-1)!.version;
          expect(await checkpoints.read(`tags#${userId}`)).toBe(last);
        }
        // Some plans must have crashed and retried, or the test proved less than it says.
        expect(checkpoints.crashes).toBeGreaterThan(0);
        expect(retries).toBeGreaterThan(0);
      } finally {
        await Promise.all(names.map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
      }
    }
  }, 240_000);
});
