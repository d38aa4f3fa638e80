/**
 * Part 2b — a hot list. 100 writers (50 in quick mode) add a todo to one list at the same
 * moment. Adds commute, so each must be acknowledged: no 409, no 5xx. In the event store each
 * acknowledged todo is in exactly one commit, the one at the version its writer was told, and
 * the list's versions run 1, 2, 3 … without a hole.
 */
import type { TodoListEvent } from '../../domain/todoList';
import { TEST_TIMEOUT_MS, reliability } from './support/config';
import { closeConnections, jsonClient, localToken, send } from './support/http';
import { recordFigures } from './support/report';
import { runSeed, sharedStack } from './support/sharedStack';
import { auditAcks, readSettledStore, type Ack } from './support/storeAudit';

const stack = sharedStack();
const api = jsonClient(stack.baseUrl);
const seed = runSeed();
afterAll(closeConnections);

const { rounds, writers } = reliability.hotList;

it(
  `acknowledges all ${writers} simultaneous writers on one list, each once and in order (${rounds} round(s), seed ${seed})`,
  async () => {
    const started = Date.now();
    const acks: Ack[] = [];
    const refusals: string[] = [];
    const lists: { listId: string; acked: Ack[] }[] = [];
    for (let round = 1; round <= rounds; round += 1) {
      const prefix = `hot-${seed}-r${round}`;
      const owner = `${prefix}-owner`;
      const token = localToken(owner);
      const created = await api.call('POST', '/lists', token, { title: `${prefix} hot` }, `${prefix}-create`);
      if (created.status !== 201) throw new Error(`could not create the hot list: ${created.status} ${created.text}`);
      const listId = created.json.listId as string;
      acks.push({
        op: 'createList',
        user: owner,
        listId,
        title: `${prefix} hot`,
        version: created.json.version,
        correlationId: `${prefix}-create`,
      });
      const answers = await Promise.all(
        Array.from({ length: writers }, async (_, i) => {
          const correlationId = `${prefix}-w${i}`;
          const title = `added by writer ${i}`;
          const answer = await send(stack.baseUrl, {
            method: 'POST',
            path: `/lists/${listId}/todos`,
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'x-correlation-id': correlationId,
            },
            body: JSON.stringify({ title }),
            // This part checks that no writer is refused or lost; how fast they are is the bench's
            // part 9. On a busy shared machine the last of 100 has waited over 15 s (the default).
            timeoutMs: 120_000,
          }).catch((error: unknown) => ({ status: 0, json: undefined, text: String(error) }));
          if (answer.status !== 201) {
            refusals.push(`writer ${i}: ${answer.status} ${answer.text.slice(0, 200)}`);
            return undefined;
          }
          const ack: Ack = {
            op: 'addTodo',
            user: owner,
            listId,
            todoId: answer.json.todoId,
            title,
            version: answer.json.version,
            correlationId,
          };
          return ack;
        }),
      );
      const acked = answers.filter((a): a is Ack => a !== undefined);
      acks.push(...acked);
      lists.push({ listId, acked });
    }

    const contents = await readSettledStore(stack.dynamoDbEndpoint);
    const audit = auditAcks(contents, acks);
    const hot = lists.map(({ listId, acked }) => {
      const commits = contents.streams.get(listId) ?? [];
      const added = commits.flatMap((c) =>
        c.events
          .filter((e): e is Extract<TodoListEvent, { type: 'TodoAdded' }> => e.type === 'TodoAdded')
          .map((e) => ({ todoId: e.data.todoId, version: c.version })),
      );
      const timesStored = (todoId: string | undefined) => added.filter((a) => a.todoId === todoId).length;
      return {
        versions: commits.map((c) => c.version).join(','),
        // Each acknowledged todo once, in the commit at the version its writer was told.
        storedOnceAtItsVersion: acked.filter(
          (a) => timesStored(a.todoId) === 1 && added.find((x) => x.todoId === a.todoId)?.version === a.version,
        ).length,
        distinctVersions: new Set(acked.map((a) => a.version)).size,
      };
    });

    recordFigures({
      part: '2b. hot list',
      requests: rounds * (writers + 1),
      acknowledged: acks.length,
      foundInStore: audit.found,
      viewDifferences: 0,
      status5xx: refusals.filter((r) => / 5\d\d /.test(r)).length,
      viewBehind503: 0,
      conflicts409: refusals.filter((r) => / 409 /.test(r)).length,
      fuzzCases: 0,
      crashRounds: 0,
      durationMs: Date.now() - started,
      note: `${rounds} round(s) of ${writers} writers adding a todo to one list at once`,
    });

    expect({
      refusals: refusals.slice(0, 10),
      ackProblems: audit.problems.slice(0, 10),
      streamsWithGaps: contents.streamsWithGaps,
    }).toEqual({
      refusals: [],
      ackProblems: [],
      streamsWithGaps: [],
    });
    const contiguous = Array.from({ length: writers + 1 }, (_, i) => i + 1).join(',');
    expect(hot).toEqual(
      lists.map(() => ({ versions: contiguous, storedOnceAtItsVersion: writers, distinctVersions: writers })),
    );
  },
  TEST_TIMEOUT_MS,
);
