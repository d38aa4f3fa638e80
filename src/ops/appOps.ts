/**
 * Operations on an app's views, derived from its declaration, against DynamoDB Local or,
 * with a stage, AWS: rebuild a view from the events table, verify every view item against a
 * fresh fold of its streams, and redrive dead-lettered stream records. Per view: each only
 * ever sees its own aggregate's streams.
 */
// biome-ignore-all lint/style/noExcessiveLinesPerFile: every operation (status, verify, rebuild, redrive) over one client set; split tracked in issue 25
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand, type DynamoDBDocumentClient, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  appEventSchema,
  viewFunctionName,
  viewTableName,
  type AppDefinition,
  type CounterView as AnyCounterView,
  type StreamView as AnyStreamView,
  type View,
} from '../app/definition';

// Ops work on any view of any app: their folds are typed where the views are declared.
// biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
type StreamView = AnyStreamView<any, any>;
// biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
type CounterView = AnyCounterView<any, any>;
import { projectionOf } from '../app/projections';
import { dynamoDbFromEnv } from '../dynamoDbClient';
import { ownRecord } from '../records';
import { DynamoDbEventStore, type Commit } from '../eventStore';
import { counterViewOfItems } from '../projection/counterViewProjection';
import { DEAD_LETTERS_TABLE, dynamoDbDeadLetters, type DeadLetter } from '../projection/deadLetters';
import { storedViewsOfItems } from '../projection/childItemsViewStore';
import { VIEW_DELETED_ATTRIBUTE } from '../projection/streamViewProjection';
import { sameJson as same } from '../json';
import { foldCommits } from '../projection/viewStore';
import { rebuildView } from './rebuildView';
import { createRuntime } from '../app/runtime';
import { REACTIONS_TABLE } from '../reaction/reactionProjection';
import { reactionFunctionName, type Reaction } from '../reaction/reaction';
import { reactionDeadLetters, reactionLags, redriveReactions, storedCheckpoint } from './reactionOps';
import { byStream, scanCommits, type ScanProgress } from './scanCommits';

export interface OpsOptions {
  readonly stage: string;
  /**
   * Names of views and reactions (a reaction by its name or its function's, `untagDeletedTag` or
   * `untagDeletedTagReaction`); all of the app's by default.
   */
  readonly views?: readonly string[];
  /** DynamoDB Local's endpoint; default http://127.0.0.1:8000 (or DYNAMODB_ENDPOINT) for the local stage, none otherwise. */
  readonly endpoint?: string;
  readonly dataDir: string;
  readonly fresh?: boolean;
  readonly resume?: boolean;
  readonly segments?: number;
  readonly log?: (line: string) => void;
}

export interface Difference {
  readonly view: string;
  readonly key: string;
  /**
   * `behind`: still catching up (not a difference); `unappliable`: the view cannot take the
   * stream (its fold throws, or a dead letter says its write was refused), see `error`.
   */
  readonly kind: 'missing' | 'differs' | 'extra' | 'behind' | 'unreadable' | 'unappliable';
  readonly expected?: unknown;
  readonly actual?: unknown;
  readonly error?: string;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The fold's answer, or the error it threw: one stream's fold never stops verify. */
const attempt = <T>(fold: () => T): { value: T } | { error: string } => {
  try {
    return { value: fold() };
  } catch (error) {
    return { error: messageOf(error) };
  }
};

// ── what a view must hold: a fresh fold of its streams ──
/** The item a stream view must hold for a stream (a tombstone if the view was deleted). */
export const expectedStreamViewItem = (view: StreamView, commits: readonly Commit[]) => {
  const last = commits.at(-1);
  if (!last) return undefined;
  const folded = foldCommits(null, commits, view.evolve);
  return {
    ...(folded ?? { [VIEW_DELETED_ATTRIBUTE]: true }),
    [view.key]: last.streamId,
    version: last.version,
    updatedAt: last.at,
  };
};

/** The totals a counter view must hold, by total key, from the streams' folds (zeros left out). */
export const expectedCounterTotals = (view: CounterView, streams: Iterable<readonly Commit[]>) => {
  // Counters are outside strings (a tag id): summed in Maps, so `constructor` or `__proto__` is a counter like any other.
  const totals = new Map<string, Map<string, number>>();
  for (const commits of streams) {
    const source = foldCommits(null, commits, view.evolve);
    if (source === null) continue;
    for (const [key, contribution] of Object.entries(view.contributions(source))) {
      const total = totals.get(key) ?? new Map<string, number>();
      for (const [counter, amount] of Object.entries(contribution))
        total.set(counter, (total.get(counter) ?? 0) + amount);
      totals.set(key, total);
    }
  }
  return new Map([...totals].map(([key, total]) => [key, nonZero(ownRecord(total))]));
};

const nonZero = (counters: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(counters).filter(([, v]) => typeof v === 'number' && v !== 0)) as Record<
    string,
    number
  >;

const scanAll = async (documentClient: DynamoDBDocumentClient, tableName: string) => {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: ScanCommandOutput = await documentClient.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};

/**
 * Every stream's view as stored, by stream id: its item, or (a view with children) its header
 * and children joined as `readStreamView` reads them; `claimed` while a large write is under way.
 */
export const storedStreamViews = async (
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  view: StreamView,
) => {
  const items = await scanAll(documentClient, tableName);
  if (view.children) return storedViewsOfItems({ keyAttribute: view.key, children: view.children }, items);
  return new Map(
    items.map((item) => [
      String(item[view.key]),
      { view: item as Record<string, unknown> | undefined, claimed: false },
    ]),
  );
};

/**
 * Every item of a stream view against a fold of its stream ("behind" = the stream has newer
 * commits). A stream whose fold throws, or that lags with a dead letter filed, is `unappliable`:
 * it will not catch up by itself.
 */
const verifyStreamView = async (
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  view: StreamView,
  streams: Map<string, Commit[]>,
  letters: ReadonlyMap<string, DeadLetter>,
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one comparison of stored and rebuilt views, row by row
) => {
  const differences: Difference[] = [];
  const stored = await storedStreamViews(documentClient, tableName, view);
  for (const [streamId, commits] of streams) {
    const { view: item, claimed } = stored.get(streamId) ?? { view: undefined, claimed: false };
    const head = commits.at(-1)?.version ?? 0;
    const whole = attempt(() => expectedStreamViewItem(view, commits));
    const letter = letters.get(streamId);
    const lagging = !item || Number(item.version) < head;
    if ('error' in whole || (letter && lagging)) {
      const error = 'error' in whole ? whole.error : letter!.error;
      differences.push({
        view: view.name,
        key: streamId,
        kind: 'unappliable',
        expected: head,
        actual: item?.version,
        error,
      });
      continue;
    }
    if (claimed) {
      // A write too large for one transaction is under way: its children are not one state yet.
      differences.push({
        view: view.name,
        key: streamId,
        kind: 'behind',
        expected: commits.at(-1)?.version,
        actual: item?.version,
      });
      continue;
    }
    if (!item) {
      differences.push({ view: view.name, key: streamId, kind: 'missing', expected: whole.value });
      continue;
    }
    const version = Number(item.version);
    const expected = expectedStreamViewItem(
      view,
      commits.filter((c) => c.version <= version),
    );
    if (!same(item, expected))
      differences.push({ view: view.name, key: streamId, kind: 'differs', expected, actual: item });
    else if (version < head)
      differences.push({ view: view.name, key: streamId, kind: 'behind', expected: head, actual: version });
  }
  for (const [key, { view: item }] of stored)
    if (!streams.has(key)) differences.push({ view: view.name, key, kind: 'extra', actual: item });
  return differences;
};

/**
 * Every total against the folds; totals are only judged once every checkpoint has caught up. A
 * stream that cannot be applied (its fold throws, or it lags with a dead letter filed) is
 * `unappliable`, and the totals are judged with what the view holds of it (its commits up to
 * its checkpoint), so one poisoned list does not hide every other owner's totals.
 */
const verifyCounterView = async (
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  view: CounterView,
  streams: Map<string, Commit[]>,
  letters: ReadonlyMap<string, DeadLetter>,
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one comparison of stored and rebuilt counters, key by key
) => {
  const differences: Difference[] = [];
  const judged = new Map<string, Commit[]>();
  const { totals: actualTotals, headers } = counterViewOfItems(await scanAll(documentClient, tableName));
  for (const [streamId, commits] of streams) {
    const header = headers.get(streamId);
    // A change cut into steps and left half-way is not a version yet: behind until the next apply finishes it.
    const seen = header && !header.pending ? header.version : 0;
    const head = commits.at(-1)?.version ?? 0;
    const whole = attempt(() => expectedCounterTotals(view, [commits]));
    const letter = letters.get(streamId);
    if ('error' in whole || (letter && seen < head)) {
      differences.push({
        view: view.name,
        key: streamId,
        kind: 'unappliable',
        expected: head,
        actual: seen,
        error: 'error' in whole ? whole.error : letter!.error,
      });
      const held = commits.filter((c) => c.version <= seen);
      if (!('error' in attempt(() => expectedCounterTotals(view, [held])))) judged.set(streamId, held);
    } else if (seen < head)
      differences.push({ view: view.name, key: streamId, kind: 'behind', expected: head, actual: seen });
    else judged.set(streamId, commits);
  }
  if (differences.some((d) => d.kind === 'behind')) return differences;
  const expectedTotals = expectedCounterTotals(view, judged.values());
  for (const key of new Set([...expectedTotals.keys(), ...actualTotals.keys()])) {
    const expected = expectedTotals.get(key) ?? {};
    const actual = ownRecord(actualTotals.get(key) ?? []);
    if (!same(actual, expected)) differences.push({ view: view.name, key, kind: 'differs', expected, actual });
  }
  return differences;
};

// ── the operations ──
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: one closure over the ops clients shared by every operation; split tracked in issue 25
export const appOps = (app: AppDefinition, options: OpsOptions) => {
  const log = options.log ?? ((line: string) => console.log(line));
  // DynamoDB Local when an endpoint is given (always for the local stage), else AWS.
  const endpoint =
    options.endpoint ??
    (options.stage === 'local' ? (process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000') : undefined);
  const { client, documentClient } = dynamoDbFromEnv({
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    DYNAMODB_ENDPOINT: endpoint,
  });
  const table = (name: string) => `${app.service}-${options.stage}-${name}`;
  const schema = appEventSchema(app);
  const store = new DynamoDbEventStore({ client, tableName: table('events'), schema });
  const isReactionNamed = (name: string) => (r: Reaction) => r.name === name || reactionFunctionName(r) === name;
  const views: View[] = (options.views ?? app.views.map((v) => v.name)).flatMap((name) => {
    const view = app.views.find((v) => v.name === name);
    if (view) return [view];
    if ((app.reactions ?? []).some(isReactionNamed(name))) return [];
    const reactionNames = (app.reactions ?? []).map((r) => r.name);
    throw new Error(
      `No view or reaction ${name}; the app's views are ${app.views.map((v) => v.name).join(', ')}${reactionNames.length > 0 ? `, its reactions ${reactionNames.join(', ')}` : ''}`,
    );
  });
  /** The reactions named (all of them when nothing is named). */
  const reactions: Reaction[] =
    options.views === undefined
      ? [...(app.reactions ?? [])]
      : (app.reactions ?? []).filter((r) => options.views!.some((name) => isReactionNamed(name)(r)));
  const viewTable = (view: View) => table(viewTableName(view));
  const projection = (view: View) => projectionOf(view, { documentClient, store, tableName: viewTable(view) });
  const journal = dynamoDbDeadLetters(documentClient, table(DEAD_LETTERS_TABLE));
  /** A view's dead letters by stream; none when the stack has no dead-letter table. */
  const lettersOf = async (viewOrFunction: View | string) => {
    const name = typeof viewOrFunction === 'string' ? viewOrFunction : viewFunctionName(viewOrFunction);
    try {
      return new Map((await journal.list(name)).map((l) => [l.streamId, l]));
    } catch (error) {
      if ((error as { name?: string }).name === 'ResourceNotFoundException') return new Map<string, DeadLetter>();
      throw error;
    }
  };

  /** npm run rebuild */
  const rebuild = async () => {
    // A rebuild re-runs every commit: for a reaction that would cause its commands again (answered from
    // their keys) for nothing; what a reaction missed is redriven.
    if (options.views !== undefined && reactions.length > 0)
      throw new Error(
        `${reactions.map((r) => r.name).join(', ')} is a reaction: it is not rebuilt; npm run redrive re-runs its dead letters`,
      );
    const results = [];
    for (const view of views) {
      const progressFile = path.join(options.dataDir, `rebuild-${options.stage}-${view.name}.json`);
      const progress =
        options.resume && existsSync(progressFile)
          ? (JSON.parse(readFileSync(progressFile, 'utf8')) as ScanProgress)
          : undefined;
      mkdirSync(options.dataDir, { recursive: true });
      const started = Date.now();
      const result = await rebuildView({
        client,
        eventsTable: table('events'),
        schema,
        projection: projection(view),
        ...(options.fresh && !progress ? { fresh: { viewTable: viewTable(view) } } : {}),
        segments: options.segments ?? 4,
        progress,
        onProgress: (p) => writeFileSync(progressFile, JSON.stringify(p)),
        deadLetters: journal,
        onJournalError: (streamId, error) => log(`  dead letter of ${streamId} not filed: ${messageOf(error)}`),
      });
      writeFileSync(progressFile, JSON.stringify({}));
      log(
        `rebuilt ${view.name}: ${result.streams} streams, ${result.commits} commits read, ${result.applied} applied, ` +
          `${result.duplicates} already there, ${result.cleared} items cleared first, ` +
          `${result.failed.length} streams failed, ${Date.now() - started} ms`,
      );
      for (const f of result.failed)
        log(`  failed ${f.streamId} (versions ${f.fromVersion}–${f.toVersion}), filed as a dead letter: ${f.error}`);
      results.push({ view: view.name, ...result });
    }
    return results;
  };

  /** npm run verify: every view item against a fresh fold of its own aggregate's streams. */
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: views, counter views and reactions in one pass; to be split per kind
  const verify = async (): Promise<Difference[]> => {
    const all: Commit[] = [];
    const differences: Difference[] = [];
    // A commit no code can read is itself a difference (no view can hold it), not a reason to stop.
    const onUnreadable = (item: Record<string, { S?: string; N?: string }>, error: unknown) => {
      const key = `${item.streamId?.S ?? '?'}@${item.version?.N ?? '?'}`;
      differences.push({
        view: 'events',
        key,
        kind: 'unreadable',
        actual: error instanceof Error ? error.message : String(error),
      });
      log(`  unreadable commit ${key}: ${error instanceof Error ? error.message : String(error)}`);
    };
    await scanCommits({
      client,
      tableName: table('events'),
      schema,
      segments: options.segments ?? 4,
      onPage: async (c) => void all.push(...c),
      onUnreadable,
    });
    for (const view of views) {
      const streams = byStream(
        all.filter((c) => c.streamType === view.aggregate.streamType).sort((a, b) => a.version - b.version),
      );
      const letters = await lettersOf(view);
      const found =
        view.kind === 'stream'
          ? await verifyStreamView(documentClient, viewTable(view), view, streams, letters)
          : await verifyCounterView(documentClient, viewTable(view), view, streams, letters);
      const real = found.filter((d) => d.kind !== 'behind');
      const behind = found.length - real.length;
      log(
        `${view.name}: ${streams.size} stream${streams.size === 1 ? '' : 's'}, ${real.length} difference${real.length === 1 ? '' : 's'}${behind ? `, ${behind} behind (still catching up)` : ''}`,
      );
      for (const d of real) {
        if (d.kind === 'unappliable')
          log(`  unappliable ${d.key}: the view holds version ${d.actual ?? 'none'} of ${d.expected}: ${d.error}`);
        else
          log(
            `  ${d.kind} ${d.key}\n    expected ${JSON.stringify(d.expected)}\n    actual   ${JSON.stringify(d.actual)}`,
          );
      }
      differences.push(...found);
    }
    // Events a reaction follows that it has not yet reacted to (still catching up, or dead-lettered).
    const streams = byStream([...all].sort((a, b) => a.version - b.version));
    const lags = await reactionLags(reactions, streams, storedCheckpoint(documentClient, table(REACTIONS_TABLE)));
    for (const reaction of reactions) {
      const own = lags.filter((l) => l.reaction === reaction.name);
      // A stream it lags on with a dead letter filed will not catch up by itself: unappliable, as in a view.
      const letters = await lettersOf(reactionFunctionName(reaction));
      log(
        `${reaction.name} (reaction): ${own.length} streams with events not yet reacted to, ${letters.size} dead-lettered (unappliable)`,
      );
      for (const l of own) {
        const letter = letters.get(l.streamId);
        log(
          `  ${letter ? 'unappliable ' : ''}${l.streamId}: reacted to ${l.reactedTo}, ${l.pendingCommits} commits pending up to ${l.pendingTo}${letter ? `: ${letter.error}` : ''}`,
        );
      }
      differences.push(
        ...own.map((l) => {
          const letter = letters.get(l.streamId);
          return {
            view: reactionFunctionName(reaction),
            key: l.streamId,
            kind: letter ? ('unappliable' as const) : ('behind' as const),
            expected: l.pendingTo,
            actual: l.reactedTo,
            ...(letter ? { error: letter.error } : {}),
          };
        }),
      );
      // A letter on a stream with no lag to show (its commit unreadable, so not in the scan) is unappliable too.
      const checkpoint = storedCheckpoint(documentClient, table(REACTIONS_TABLE));
      for (const letter of letters.values()) {
        if (own.some((l) => l.streamId === letter.streamId)) continue;
        const reactedTo = await checkpoint(reaction, letter.streamId);
        log(
          `  unappliable ${letter.streamId}: reacted to ${reactedTo}, failed from ${letter.fromVersion}: ${letter.error}`,
        );
        differences.push({
          view: reactionFunctionName(reaction),
          key: letter.streamId,
          kind: 'unappliable',
          expected: letter.toVersion,
          actual: reactedTo,
          error: letter.error,
        });
      }
    }
    return differences;
  };

  /**
   * npm run redrive: each dead-lettered stream is re-applied from the events table, from its
   * first failed version on, through the (fixed) projection's exactly-once path; it never
   * reads the DynamoDB stream, so it works at any time. A letter is removed once its stream
   * applies (unless it failed again meanwhile). When a view has none left, its notices are
   * cleared too: the local runner's file, or on AWS its messages in the SQS queue.
   */
  const redrive = async () => {
    const summary: {
      view: string;
      redriven: number;
      stillFailing: number;
      commits: number;
      failed: { streamId: string; fromVersion: number; error: string }[];
    }[] = [];
    for (const view of views) {
      const apply = projection(view);
      let redriven = 0;
      let commits = 0;
      const failed: { streamId: string; fromVersion: number; error: string }[] = [];
      for (const letter of await journal.list(apply.name)) {
        try {
          const run = await store.readStream(letter.streamId, { fromVersion: letter.fromVersion });
          const outcome = await apply.applyCommits(letter.streamId, run);
          commits += outcome.applied;
          if (await journal.remove(letter)) redriven += 1;
          else {
            failed.push({
              streamId: letter.streamId,
              fromVersion: letter.fromVersion,
              error: 'failed again meanwhile',
            });
            log(
              `  ${letter.streamId} from version ${letter.fromVersion} failed again meanwhile (its function is still retrying it): the letter stays for the next redrive`,
            );
          }
        } catch (error) {
          failed.push({ streamId: letter.streamId, fromVersion: letter.fromVersion, error: messageOf(error) });
          log(`  ${letter.streamId} from version ${letter.fromVersion} still fails: ${messageOf(error)}`);
          // The letter stays, with this attempt's error; the other letters are still tried.
          await journal
            .record(apply.name, letter.streamId, [letter.fromVersion, letter.toVersion], error)
            .catch(() => undefined);
        }
      }
      const stillFailing = failed.length;
      if (stillFailing === 0) await clearNotices(viewFunctionName(view));
      summary.push({ view: view.name, redriven, stillFailing, commits, failed });
      log(
        `redrive ${view.name}: ${redriven} streams redriven (${commits} commits applied), ${stillFailing} still failing`,
      );
    }
    if (reactions.length > 0) {
      for (const r of await redriveAllReactions()) {
        summary.push({
          view: reactionFunctionName({ name: r.reaction }),
          redriven: r.redriven,
          stillFailing: r.stillFailing,
          commits: 0,
          failed: r.failed,
        });
      }
    }
    return summary;
  };

  /** Reactions run the app's commands: redriven through its runtime, on this stage's tables. */
  const redriveAllReactions = async () => {
    if (reactions.length === 0) return [];
    const runtime = createRuntime(
      app,
      { tablePrefix: table(''), graphqlIntrospection: false },
      {
        AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
        DYNAMODB_ENDPOINT: endpoint,
        INTEGRATION_EVENTS_FILE:
          endpoint !== undefined ? path.join(options.dataDir, 'integration-events.jsonl') : undefined,
        INTEGRATION_BUS_NAME: process.env.INTEGRATION_BUS_NAME,
      },
    );
    const redriven = await redriveReactions({
      app: { reactions },
      documentClient,
      deadLettersTable: table(DEAD_LETTERS_TABLE),
      store,
      projectionOf: runtime.reactionProjection,
      log,
    });
    for (const r of redriven) if (r.stillFailing === 0) await clearNotices(reactionFunctionName({ name: r.reaction }));
    return redriven;
  };

  /** Each reaction's streams with events not yet reacted to, and its dead letters (the console's Reactions panel). */
  const reactionStatus = async () => {
    const all: Commit[] = [];
    await scanCommits({
      client,
      tableName: table('events'),
      schema,
      segments: options.segments ?? 4,
      onPage: async (c) => void all.push(...c),
      onUnreadable: () => undefined,
    });
    const streams = byStream([...all].sort((a, b) => a.version - b.version));
    const lags = await reactionLags(
      app.reactions ?? [],
      streams,
      storedCheckpoint(documentClient, table(REACTIONS_TABLE)),
    );
    const letters = await reactionDeadLetters(app, documentClient, table(DEAD_LETTERS_TABLE));
    return (app.reactions ?? []).map((r) => ({
      name: r.name,
      functionName: reactionFunctionName(r),
      on: r.on.streamType,
      events: [...r.events],
      behind: lags.filter((l) => l.reaction === r.name),
      deadLetters: letters.filter((l) => l.view === reactionFunctionName(r)),
    }));
  };

  /** The failure notices of a projection once nothing is left to redrive: they carry nothing a redrive needs. */
  const clearNotices = async (functionName: string) => {
    if (endpoint !== undefined) {
      const file = path.join(options.dataDir, 'dead-letters', `${functionName}.jsonl`);
      if (existsSync(file)) writeFileSync(file, '');
      return;
    }
    const queueUrl = process.env.DLQ_URL;
    if (queueUrl) await deleteQueueNotices(queueUrl, functionName);
  };

  /** npm run dead-letters: what is waiting to be redriven, per view. */
  const deadLetters = async () => {
    const all = (await Promise.all(views.map((v) => journal.list(viewFunctionName(v))))).flat();
    all.push(...(await reactionDeadLetters({ reactions }, documentClient, table(DEAD_LETTERS_TABLE))));
    for (const l of all)
      log(
        `${l.view} ${l.streamId} from version ${l.fromVersion} (to ${l.toVersion}), ${l.failures} failed deliveries, last at ${l.failedAt}: ${l.error}`,
      );
    log(`${all.length} dead letters`);
    return all;
  };

  return {
    rebuild,
    verify,
    redrive,
    redriveAllReactions,
    reactionStatus,
    deadLetters,
    endpoint,
    table,
    viewTable,
    store,
    client,
    documentClient,
  };
};

/** Deletes a projection's on-failure notices (shard and sequence ranges) from the SQS queue. */
const deleteQueueNotices = async (queueUrl: string, functionName: string) => {
  const sqs = new SQSClient({});
  for (let round = 0; round < 100; round += 1) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 30,
      }),
    );
    if (Messages.length === 0) return;
    for (const message of Messages) {
      const body = JSON.parse(message.Body ?? '{}') as { requestContext?: { functionArn?: string } };
      if (body.requestContext?.functionArn?.includes(functionName)) {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      }
    }
  }
};

/**
 * Where the ops act: the stack `npm start` runs, found the way src/local/start.cjs finds it.
 * `--endpoint url`, else `--dynamodb-port n` (any stage); for the local stage, else the
 * environment `npm start` reads: DYNAMODB_ENDPOINT, else DYNAMODB_PORT, else port 8000.
 * Another stage without either flag is AWS (undefined).
 */
export const opsEndpoint = (
  stage: string,
  flags: { endpoint?: string; dynamoDbPort?: string },
  env: Readonly<Record<string, string | undefined>>,
) => {
  const port = (value: string) => {
    if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535)
      throw new Error(`A DynamoDB port is 1 to 65535, not ${value}`);
    return `http://127.0.0.1:${Number(value)}`;
  };
  if (flags.endpoint) return flags.endpoint;
  if (flags.dynamoDbPort) return port(flags.dynamoDbPort);
  if (stage !== 'local') return undefined;
  if (env.DYNAMODB_ENDPOINT) return env.DYNAMODB_ENDPOINT;
  return port(env.DYNAMODB_PORT || '8000');
};

/**
 * `npm run rebuild|verify|redrive|dead-letters -- [--view name | --reaction name] [--stage s] [--fresh] [--resume]
 * [--segments n] [--data-dir d] [--endpoint url | --dynamodb-port n]`. Says where it acts before
 * it does; exits non-zero when a stream could not be applied (rebuild, redrive) or verify found
 * a difference (an unappliable stream is one).
 */
export const opsMain = async (
  app: AppDefinition,
  command: string,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the CLI: one branch per command
) => {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i === -1 ? undefined : argv[i + 1];
  };
  if (!['rebuild', 'verify', 'redrive', 'dead-letters'].includes(command))
    throw new Error(`Unknown command ${command}: rebuild, verify, redrive or dead-letters`);
  // --view names a view or a reaction; --reaction says it is one.
  const view = value('view') ?? value('reaction') ?? 'all';
  const stage = value('stage') ?? 'local';
  const endpoint = opsEndpoint(stage, { endpoint: value('endpoint'), dynamoDbPort: value('dynamodb-port') }, env);
  const ops = appOps(app, {
    stage,
    ...(view === 'all' ? {} : { views: [view] }),
    endpoint,
    dataDir: path.resolve(value('data-dir') ?? env.DATA_DIR ?? '.dynamodb/data'),
    fresh: argv.includes('--fresh'),
    resume: argv.includes('--resume'),
    segments: Number(value('segments') ?? 4),
  });
  console.log(
    `${command} on stage ${stage}, ${endpoint ? `DynamoDB at ${endpoint}` : `AWS (${env.AWS_REGION ?? 'the default region'})`}, tables ${ops.table('…')}`,
  );
  if (command === 'rebuild') {
    const failed = (await ops.rebuild()).flatMap((r) => r.failed.map((f) => `${r.view} ${f.streamId}`));
    if (failed.length > 0)
      console.error(
        `${failed.length} streams could not be applied (filed as dead letters; see npm run dead-letters): ${failed.join(', ')}`,
      );
    process.exitCode = failed.length > 0 ? 1 : 0;
  } else if (command === 'verify') {
    const real = (await ops.verify()).filter((d) => d.kind !== 'behind');
    if (real.length > 0)
      console.error(`${real.length} differences: ${real.map((d) => `${d.view} ${d.kind} ${d.key}`).join(', ')}`);
    process.exitCode = real.length > 0 ? 1 : 0;
  } else if (command === 'redrive') {
    const failed = (await ops.redrive()).flatMap((r) => r.failed.map((f) => `${r.view} ${f.streamId}`));
    if (failed.length > 0) console.error(`${failed.length} streams still fail: ${failed.join(', ')}`);
    process.exitCode = failed.length > 0 ? 1 : 0;
  } else await ops.deadLetters();
};
