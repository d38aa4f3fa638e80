/**
 * Part 2 — concurrency. 50 writers on one list at once, then 50 users each on their own
 * list at once. Nothing acknowledged may be lost, nothing may be written twice, every
 * stream's versions run 1, 2, 3 … without a hole, a 409 CONCURRENCY_CONFLICT (allowed: the
 * pipeline gave up after its retries) must have written nothing, and the views converge.
 */
import { TEST_TIMEOUT_MS, reliability } from './support/config';
import { closeConnections, jsonClient, localToken, type RawResponse } from './support/http';
import { recordFigures } from './support/report';
import { runSeed, sharedStack } from './support/sharedStack';
import { auditAcks, readSettledStore, waitForViews, type Ack, type CommandOp } from './support/storeAudit';

const stack = sharedStack();
const api = jsonClient(stack.baseUrl);
const seed = runSeed();
afterAll(closeConnections);

interface Tally {
  requests: number;
  status5xx: number;
  conflicts: number;
  readonly acks: Ack[];
  readonly refused: string[];
  readonly problems: string[];
}

/** Sends one command and files its answer: an ack, a counted 409, or a problem. */
const command = async (
  tally: Tally,
  input: {
    op: CommandOp;
    user: string;
    token: string;
    method: string;
    path: string;
    body?: { title: string };
    correlationId: string;
    listId?: string;
    todoId?: string;
  },
): Promise<Ack | undefined> => {
  tally.requests += 1;
  let response: RawResponse;
  try {
    response = await api.call(input.method, input.path, input.token, input.body, input.correlationId);
  } catch (error) {
    tally.problems.push(`${input.op} ${input.path}: ${String(error)}`);
    return undefined;
  }
  const { status, json } = response;
  if (status >= 500) tally.status5xx += 1;
  if (status >= 200 && status < 300 && Number.isInteger(json?.version)) {
    const ack: Ack = {
      op: input.op,
      user: input.user,
      listId: (json.listId as string | undefined) ?? input.listId ?? '',
      ...((json.todoId ?? input.todoId) === undefined ? {} : { todoId: (json.todoId ?? input.todoId) as string }),
      ...(input.body ? { title: input.body.title } : {}),
      version: json.version as number,
      correlationId: input.correlationId,
    };
    tally.acks.push(ack);
    return ack;
  }
  tally.refused.push(input.correlationId);
  if (status === 409 && json?.error?.code === 'CONCURRENCY_CONFLICT') tally.conflicts += 1;
  else tally.problems.push(`${input.op} ${input.path} answered ${status}: ${response.text.slice(0, 200)}`);
  return undefined;
};

it(
  `keeps every write of 50 writers on one list and of 50 users on their own lists (seed ${seed})`,
  async () => {
    const started = Date.now();
    const tally: Tally = { requests: 0, status5xx: 0, conflicts: 0, acks: [], refused: [], problems: [] };
    const { rounds, writers, users } = reliability.concurrency;
    const oneListIds: string[] = [];
    const writersPerRound: Ack[][] = [];

    for (let round = 1; round <= rounds; round += 1) {
      const prefix = `conc-${seed}-r${round}`;
      // ── 50 writers, one list ────────────────────────────────────────────────
      const owner = `${prefix}-owner`;
      const token = localToken(owner);
      const created = await command(tally, {
        op: 'createList',
        user: owner,
        token,
        method: 'POST',
        path: '/lists',
        body: { title: `${prefix} shared` },
        correlationId: `${prefix}-create`,
      });
      if (!created) throw new Error(`could not create the shared list: ${tally.problems.join('; ')}`);
      const listId = created.listId;
      oneListIds.push(listId);
      const seedTodos: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const added = await command(tally, {
          op: 'addTodo',
          user: owner,
          token,
          method: 'POST',
          path: `/lists/${listId}/todos`,
          body: { title: `seed ${i}` },
          correlationId: `${prefix}-seed-${i}`,
          listId,
        });
        if (added?.todoId) seedTodos.push(added.todoId);
      }
      // Every write changes something (fresh titles), so each acknowledged one is exactly one commit.
      const racing = await Promise.all(
        Array.from({ length: writers }, (_, i) => {
          const correlationId = `${prefix}-w${i}`;
          if (i % 5 === 0)
            return command(tally, {
              op: 'renameList',
              user: owner,
              token,
              method: 'PATCH',
              path: `/lists/${listId}`,
              body: { title: `renamed by writer ${i}` },
              correlationId,
              listId,
            });
          if (i % 5 === 1) {
            const todoId = seedTodos[i % seedTodos.length]!;
            return command(tally, {
              op: 'renameTodo',
              user: owner,
              token,
              method: 'PATCH',
              path: `/lists/${listId}/todos/${todoId}`,
              body: { title: `todo renamed by writer ${i}` },
              correlationId,
              listId,
              todoId,
            });
          }
          return command(tally, {
            op: 'addTodo',
            user: owner,
            token,
            method: 'POST',
            path: `/lists/${listId}/todos`,
            body: { title: `added by writer ${i}` },
            correlationId,
            listId,
          });
        }),
      );
      writersPerRound.push(racing.filter((a): a is Ack => a !== undefined));

      // ── 50 users, each on their own list ────────────────────────────────────
      await Promise.all(
        Array.from({ length: users }, async (_, u) => {
          const user = `${prefix}-user-${u}`;
          const userToken = localToken(user);
          const id = (step: string) => `${prefix}-u${u}-${step}`;
          const list = await command(tally, {
            op: 'createList',
            user,
            token: userToken,
            method: 'POST',
            path: '/lists',
            body: { title: `list of user ${u}` },
            correlationId: id('create'),
          });
          if (!list) return;
          const base = `/lists/${list.listId}`;
          const a = await command(tally, {
            op: 'addTodo',
            user,
            token: userToken,
            method: 'POST',
            path: `${base}/todos`,
            body: { title: 'first' },
            correlationId: id('add-a'),
            listId: list.listId,
          });
          const b = await command(tally, {
            op: 'addTodo',
            user,
            token: userToken,
            method: 'POST',
            path: `${base}/todos`,
            body: { title: 'second' },
            correlationId: id('add-b'),
            listId: list.listId,
          });
          if (!a?.todoId || !b?.todoId) return;
          await command(tally, {
            op: 'completeTodo',
            user,
            token: userToken,
            method: 'POST',
            path: `${base}/todos/${a.todoId}/complete`,
            correlationId: id('complete-a'),
            listId: list.listId,
            todoId: a.todoId,
          });
          await command(tally, {
            op: 'renameTodo',
            user,
            token: userToken,
            method: 'PATCH',
            path: `${base}/todos/${b.todoId}`,
            body: { title: 'second, renamed' },
            correlationId: id('rename-b'),
            listId: list.listId,
            todoId: b.todoId,
          });
          await command(tally, {
            op: 'renameList',
            user,
            token: userToken,
            method: 'PATCH',
            path: base,
            body: { title: `list of user ${u}, renamed` },
            correlationId: id('rename'),
            listId: list.listId,
          });
          await command(tally, {
            op: 'clearCompleted',
            user,
            token: userToken,
            method: 'POST',
            path: `${base}/clear-completed`,
            correlationId: id('clear'),
            listId: list.listId,
          });
        }),
      );
    }

    const contents = await readSettledStore(stack.dynamoDbEndpoint);
    const audit = auditAcks(contents, tally.acks, tally.refused);
    const views = await waitForViews(stack.dynamoDbEndpoint, contents, reliability.convergeTimeoutMs);

    // On the shared list: 1 create + 3 seed todos + one commit per acknowledged writer, versions distinct.
    const sharedList = oneListIds.map((listId, i) => {
      const commits = contents.streams.get(listId) ?? [];
      const acked = writersPerRound[i]!;
      return {
        commits: commits.length,
        expected: 4 + acked.length,
        distinctVersions: new Set(acked.map((a) => a.version)).size === acked.length,
      };
    });

    recordFigures({
      part: '2. concurrency',
      requests: tally.requests,
      acknowledged: tally.acks.length,
      foundInStore: audit.found,
      viewDifferences: views.differences,
      status5xx: tally.status5xx,
      viewBehind503: 0,
      conflicts409: tally.conflicts,
      fuzzCases: 0,
      crashRounds: 0,
      durationMs: Date.now() - started,
      note: `${rounds} round(s) of ${writers} writers on one list + ${users} users on their own lists; shared list: ${sharedList
        .map((s) => `${s.expected - 4}/${writers} writes acknowledged`)
        .join(', ')}, the rest 409`,
    });

    expect({
      status5xx: tally.status5xx,
      problems: tally.problems.slice(0, 20),
      ackProblems: audit.problems.slice(0, 20),
      streamsWithGaps: contents.streamsWithGaps,
      sharedList: sharedList.map((s) => ({ commits: s.commits, distinctVersions: s.distinctVersions })),
      viewDifferences: views.details.slice(0, 20),
    }).toEqual({
      status5xx: 0,
      problems: [],
      ackProblems: [],
      streamsWithGaps: [],
      sharedList: sharedList.map((s) => ({ commits: s.expected, distinctVersions: true })),
      viewDifferences: [],
    });
    expect(audit.found).toBe(tally.acks.length);
    // Users on their own lists never race: all 7 commands of each are acknowledged.
    expect(tally.acks.filter((a) => a.user.includes('-user-')).length).toBe(rounds * users * 7);
  },
  TEST_TIMEOUT_MS,
);
