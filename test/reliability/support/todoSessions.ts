/**
 * A client session of the todo API as a small state machine: it keeps what it was told
 * (its list, its todos, the last version), picks a plausible next request from a weighted
 * mix (adds, completes, reopens, renames, removals, clear-completed, reads of the list,
 * the lists, the stats and the history), and turns each answer into an acknowledgement.
 * The load (autocannon), the concurrency and the crash parts drive the same sessions.
 */
import type { Ack, CommandOp } from './storeAudit';

export type QueryOp = 'getList' | 'getLists' | 'getStats' | 'getEvents';

export interface PlannedRequest {
  readonly op: CommandOp | QueryOp;
  readonly method: string;
  readonly path: string;
  readonly body?: { title: string };
  readonly correlationId: string;
  readonly todoId?: string;
  readonly title?: string;
  /** For reads with ?minVersion: the version this session already saw acknowledged. */
  readonly minVersion?: number;
}

export interface Session {
  readonly user: string;
  readonly token: string;
  listId?: string;
  version: number;
  readonly todos: Map<string, { title: string; completed: boolean }>;
  /** Commands of this session answered 2xx. */
  readonly acks: Ack[];
  /** Correlation ids of commands answered with a 4xx/409 (they must have written nothing). */
  readonly refused: string[];
  /** What went against the API's contract (stale read-your-writes, unexpected status). */
  readonly problems: string[];
  /** Reads with ?minVersion answered 503 VIEW_BEHIND (the documented answer when the view lags over 1.5 s). */
  viewBehind: number;
  /** Commands answered 409 CONCURRENCY_CONFLICT (a lost race, retried 8 times; must write nothing). */
  conflicts: number;
  /** Plain reads (no minVersion) of the session's own new list answered 404: the view had not caught up yet. */
  staleReads: number;
}

export const newSession = (user: string, token: string): Session => ({
  user,
  token,
  version: 0,
  todos: new Map(),
  acks: [],
  refused: [],
  problems: [],
  viewBehind: 0,
  conflicts: 0,
  staleReads: 0,
});

/** Cycles through a wide range of titles: ASCII, padding to trim, and non-ASCII text. */
const titleOf = (n: number, random: () => number) => {
  const kinds = [`todo ${n}`, `  padded ${n}  `, `Einkäufe ${n} — straße`, `日本語のタイトル ${n}`, `emoji ${n} 🚀✅`];
  return kinds[Math.floor(random() * kinds.length)]!;
};

/**
 * The next request of a session. Without a list it creates one; then it mostly changes
 * its list and now and then reads (a third of the list reads ask for read-your-writes).
 */
export const planNext = (session: Session, random: () => number, correlationId: string, n: number): PlannedRequest => {
  const { listId } = session;
  if (listId === undefined) {
    const title = titleOf(n, random);
    return { op: 'createList', method: 'POST', path: '/lists', body: { title }, title, correlationId };
  }
  const todos = [...session.todos.entries()];
  const open = todos.filter(([, t]) => !t.completed);
  const done = todos.filter(([, t]) => t.completed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const base = `/lists/${listId}`;
  const roll = random();
  if (roll < 0.3 || todos.length === 0) {
    if (todos.length < 40) {
      const title = titleOf(n, random);
      return { op: 'addTodo', method: 'POST', path: `${base}/todos`, body: { title }, title, correlationId };
    }
  }
  if (roll < 0.42 && open.length > 0) {
    const [todoId] = pick(open);
    return { op: 'completeTodo', method: 'POST', path: `${base}/todos/${todoId}/complete`, todoId, correlationId };
  }
  if (roll < 0.47 && done.length > 0) {
    const [todoId] = pick(done);
    return { op: 'reopenTodo', method: 'POST', path: `${base}/todos/${todoId}/reopen`, todoId, correlationId };
  }
  if (roll < 0.54 && todos.length > 0) {
    const [todoId] = pick(todos);
    const title = titleOf(n, random);
    return {
      op: 'renameTodo',
      method: 'PATCH',
      path: `${base}/todos/${todoId}`,
      body: { title },
      title,
      todoId,
      correlationId,
    };
  }
  if (roll < 0.6 && todos.length > 0) {
    const [todoId] = pick(todos);
    return { op: 'removeTodo', method: 'DELETE', path: `${base}/todos/${todoId}`, todoId, correlationId };
  }
  if (roll < 0.63 && done.length > 0)
    return { op: 'clearCompleted', method: 'POST', path: `${base}/clear-completed`, correlationId };
  if (roll < 0.67) {
    const title = `list ${n}`;
    return { op: 'renameList', method: 'PATCH', path: base, body: { title }, title, correlationId };
  }
  if (roll < 0.8) {
    const minVersion = random() < 0.33 ? session.version : undefined;
    return {
      op: 'getList',
      method: 'GET',
      path: minVersion === undefined ? base : `${base}?minVersion=${minVersion}`,
      minVersion,
      correlationId,
    };
  }
  if (roll < 0.9) return { op: 'getLists', method: 'GET', path: '/lists?limit=20', correlationId };
  if (roll < 0.96) return { op: 'getStats', method: 'GET', path: '/stats', correlationId };
  return { op: 'getEvents', method: 'GET', path: `${base}/events`, correlationId };
};

const isCommand = (op: PlannedRequest['op']): op is CommandOp =>
  !['getList', 'getLists', 'getStats', 'getEvents'].includes(op);

/** Folds an answer into the session; returns the acknowledgement of a 2xx command. */
export const applyAnswer = (session: Session, request: PlannedRequest, status: number, body: any): Ack | undefined => {
  if (!isCommand(request.op)) {
    if (
      request.op === 'getList' &&
      status === 200 &&
      request.minVersion !== undefined &&
      !(body?.version >= request.minVersion)
    ) {
      session.problems.push(`read-your-writes: asked minVersion ${request.minVersion}, got ${String(body?.version)}`);
    }
    if (status === 503 && body?.error?.code === 'VIEW_BEHIND' && request.minVersion !== undefined)
      session.viewBehind += 1;
    // Without minVersion a read may come before the projection: a list just created is not in the view yet.
    else if (status === 404 && request.op === 'getList' && request.minVersion === undefined) session.staleReads += 1;
    else if (status !== 200)
      session.problems.push(
        `${request.method} ${request.path} answered ${status} ${JSON.stringify(body)?.slice(0, 200)}`,
      );
    return undefined;
  }
  if (status < 200 || status >= 300) {
    session.refused.push(request.correlationId);
    // A lost race is allowed (409 CONCURRENCY_CONFLICT); anything else means the model and the API disagree.
    if (status === 409 && body?.error?.code === 'CONCURRENCY_CONFLICT') session.conflicts += 1;
    else {
      session.problems.push(`${request.op} ${request.path} answered ${status} ${JSON.stringify(body)?.slice(0, 200)}`);
    }
    return undefined;
  }
  const listId = (body?.listId as string | undefined) ?? session.listId ?? '';
  const todoId = (body?.todoId as string | undefined) ?? request.todoId;
  const version = Number(body?.version);
  if (!Number.isInteger(version)) {
    session.problems.push(`${request.op} answered ${status} without a version: ${JSON.stringify(body)}`);
    return undefined;
  }
  if (version < session.version && request.op !== 'createList') {
    session.problems.push(`${request.op} on ${listId} answered version ${version} after ${session.version}`);
  }
  const ack: Ack = {
    op: request.op,
    user: session.user,
    listId,
    ...(todoId === undefined ? {} : { todoId }),
    ...(request.title === undefined ? {} : { title: request.title }),
    version,
    correlationId: request.correlationId,
  };
  session.acks.push(ack);
  session.version = Math.max(version, request.op === 'createList' ? 0 : session.version);
  const title = request.title?.trim() ?? '';
  switch (request.op) {
    case 'createList':
      session.listId = listId;
      session.todos.clear();
      session.version = version;
      break;
    case 'addTodo':
      if (todoId) session.todos.set(todoId, { title, completed: false });
      break;
    case 'renameTodo':
      if (todoId) session.todos.set(todoId, { ...session.todos.get(todoId)!, title });
      break;
    case 'completeTodo':
    case 'reopenTodo':
      if (todoId)
        session.todos.set(todoId, { ...session.todos.get(todoId)!, completed: request.op === 'completeTodo' });
      break;
    case 'removeTodo':
      if (todoId) session.todos.delete(todoId);
      break;
    case 'clearCompleted':
      for (const [id, todo] of session.todos) if (todo.completed) session.todos.delete(id);
      break;
    case 'renameList':
    case 'archiveList':
      break;
    default: {
      const exhaustive: never = request.op;
      throw new Error(`unknown op ${String(exhaustive)}`);
    }
  }
  return ack;
};

/** Forgets the session's list so that its next request creates a new one. */
export const startOver = (session: Session) => {
  session.listId = undefined;
  session.version = 0;
  session.todos.clear();
};
