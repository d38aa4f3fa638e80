/**
 * Part 11 — a move across two lists (one atomic write on two streams) against single commands,
 * in the same run, through the app's runtime on DynamoDB Local (no HTTP): the move's p50 beside
 * a single command's and beside two single commands back to back (remove from one list, add to
 * the other: what a move glued by hand costs, without its atomicity). Interleaved round-robin,
 * so all three see the same machine. Alone: bench/movesAlone.ts.
 */
import { randomUUID } from 'node:crypto';
import { app } from '../handlers/app';
import { createRuntime, type AppRuntime } from '../src';
import { createTable } from '../test/support/dynamoDb';
import { summarise, type Summary } from './stats';

export interface MovesConfig {
  readonly rounds: number;
  readonly warmup: number;
}

export interface MovesResults {
  readonly rounds: number;
  /** One move: both lists loaded, one TransactWriteItems (two commits). */
  readonly moveMs: Summary;
  /** One single command on a warm list (completeTodo / reopenTodo, alternately). */
  readonly singleMs: Summary;
  /** Two single commands back to back: removeTodo on one list, then addTodo on another. */
  readonly twoSinglesMs: Summary;
}

type Log = (line: string) => void;

const run = (runtime: AppRuntime, name: keyof typeof app.commands, params: Record<string, string>, body = {}) => {
  const input = { params, body, userId: 'bench', correlationId: randomUUID() };
  return runtime.runCommand(app.commands[name]!, input as never) as Promise<Record<string, unknown>>;
};

const timed = async (work: () => Promise<unknown>) => {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

export const runMoves = async (endpoint: string, config: MovesConfig, log: Log = () => {}): Promise<MovesResults> => {
  const prefix = `bench-moves-${randomUUID().slice(0, 8)}-`;
  const env = { DYNAMODB_ENDPOINT: endpoint, AWS_REGION: 'us-east-1' };
  const runtime = createRuntime(app, { tablePrefix: prefix, graphqlIntrospection: false }, env);
  const tables = [
    ['EventsTable', 'events'],
    ['SnapshotsTable', 'snapshots'],
    ['IdempotencyTable', 'idempotency'],
  ] as const;
  for (const [id, name] of tables) await createTable(runtime.client, id, `${prefix}${name}`);
  const list = async (title: string) => String((await run(runtime, 'createList', {}, { title })).listId);
  const [a, b, single, glueFrom, glueTo] = (await Promise.all(
    ['A', 'B', 'single', 'glue from', 'glue to'].map(list),
  )) as [string, string, string, string, string];
  const moving = String((await run(runtime, 'addTodo', { listId: a }, { title: 'travels' })).todoId);
  const toggled = String((await run(runtime, 'addTodo', { listId: single }, { title: 'toggles' })).todoId);
  let glued = String((await run(runtime, 'addTodo', { listId: glueFrom }, { title: 'glued' })).todoId);
  let gluedAt = glueFrom;
  let movingAt = a;
  const samples = { move: [] as number[], single: [] as number[], two: [] as number[] };
  log(`  11. ${config.rounds} moves, single commands and pairs of single commands, round-robin…`);
  for (let r = 0; r < config.warmup + config.rounds; r += 1) {
    const to = movingAt === a ? b : a;
    const move = await timed(() => run(runtime, 'moveTodo', { listId: movingAt, todoId: moving }, { toListId: to }));
    movingAt = to;
    const toggle = r % 2 === 0 ? 'completeTodo' : 'reopenTodo';
    const one = await timed(() => run(runtime, toggle, { listId: single, todoId: toggled }));
    const other = gluedAt === glueFrom ? glueTo : glueFrom;
    let added = '';
    const two = await timed(async () => {
      await run(runtime, 'removeTodo', { listId: gluedAt, todoId: glued });
      added = String((await run(runtime, 'addTodo', { listId: other }, { title: 'glued' })).todoId);
    });
    glued = added;
    gluedAt = other;
    if (r >= config.warmup) {
      samples.move.push(move);
      samples.single.push(one);
      samples.two.push(two);
    }
  }
  runtime.client.destroy();
  const { move, single: one, two } = samples;
  return { rounds: config.rounds, moveMs: summarise(move), singleMs: summarise(one), twoSinglesMs: summarise(two) };
};
