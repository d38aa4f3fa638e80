/**
 * The todo workload every system runs: lists with some history receiving repeated
 * commands. The plan is computed once from a seeded generator on a shadow fold, so each
 * system gets the very same commands and each command yields exactly one event (the
 * peers store one event per item, we store one commit per item: same item count).
 */
import {
  addTodo,
  completeTodo,
  createList,
  renameTodo,
  reopenTodo,
  todoListReducer,
  type TodoListEvent,
  type TodoListState,
} from '../domain/todoList';
import type { Action, CommandContext } from '../src';

export const OWNER = 'bench-user';
/** Todos per list stay at or below this, so the folded state has a steady size. */
const MAX_TODOS = 30;

/** Completes an open todo and reopens a completed one: always exactly one event. */
export const toggleTodo: Action<TodoListState, { listId: string; todoId: string }, TodoListEvent> = (
  state,
  payload,
  ctx,
) => {
  const todo = state?.todos.find((t) => t.todoId === payload.todoId);
  return todo?.completed ? reopenTodo(state, payload, ctx) : completeTodo(state, payload, ctx);
};

export type TodoAction = Action<TodoListState, any, TodoListEvent>;

/** One command of the plan, for the list at `listIndex` (each system maps it to its own list id). */
export interface PlannedCommand {
  readonly listIndex: number;
  readonly action: TodoAction;
  /** The payload without `listId`, which each system adds. */
  readonly args: Readonly<Record<string, string>>;
}

/** A command as a system runs it. */
export interface TodoCommand {
  readonly listId: string;
  readonly action: TodoAction;
  readonly payload: Readonly<Record<string, string>> & { listId: string };
}

export const bind = (command: PlannedCommand, listId: string): TodoCommand => ({
  listId,
  action: command.action,
  payload: { ...command.args, listId },
});

/** The context of a command run now: the same cost for every system. */
export const contextNow = (): CommandContext => ({ userId: OWNER, now: new Date().toISOString() });

/** mulberry32: small, fast, reproducible. */
export const seededRandom = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export interface Plan {
  /** Per list: the commands that build its history (the first one creates it). */
  readonly history: readonly (readonly PlannedCommand[])[];
  /** The measured commands, round-robin over the lists. */
  readonly commands: readonly PlannedCommand[];
}

/**
 * `lists` lists of `historyCommits` commits each, then `commands` commands spread over
 * them at random. Todo ids are `t<n>`, titles unique, so the plan is the same every run.
 */
export const todoPlan = ({
  lists,
  historyCommits,
  commands,
  seed = 42,
}: {
  lists: number;
  historyCommits: number;
  commands: number;
  seed?: number;
}): Plan => {
  const random = seededRandom(seed);
  const states: TodoListState[] = Array.from({ length: lists }, () => null);
  let serial = 0;
  const ctx = { userId: OWNER, now: '2026-01-01T00:00:00.000Z' };
  const next = (listIndex: number): PlannedCommand => {
    serial += 1;
    const state = states[listIndex] ?? null;
    let command: PlannedCommand;
    if (state === null) {
      command = { listIndex, action: createList, args: { title: `list ${listIndex}` } };
    } else {
      const todos = state.todos;
      const roll = random();
      const todo = todos[Math.floor(random() * todos.length)];
      if (!todo || (roll < 0.3 && todos.length < MAX_TODOS)) {
        command = { listIndex, action: addTodo, args: { todoId: `t${serial}`, title: `todo ${serial}` } };
      } else if (roll < 0.7) {
        command = { listIndex, action: toggleTodo, args: { todoId: todo.todoId } };
      } else {
        command = { listIndex, action: renameTodo, args: { todoId: todo.todoId, title: `renamed ${serial}` } };
      }
    }
    const events = command.action(state, { ...command.args, listId: `list-${listIndex}` }, ctx);
    if (events.length !== 1) throw new Error(`The plan wants one event per command, got ${events.length}`);
    states[listIndex] = events.reduce(todoListReducer, state);
    return command;
  };
  const history = Array.from({ length: lists }, (_, listIndex) =>
    Array.from({ length: historyCommits }, () => next(listIndex)),
  );
  const measured = Array.from({ length: commands }, () => next(Math.floor(random() * lists)));
  return { history, commands: measured };
};

/** Runs each list's history through `run`, lists in parallel (bounded), each list in order. */
export const seedHistory = async (
  plan: Plan,
  listIdOf: (listIndex: number) => string,
  run: (command: TodoCommand) => Promise<unknown>,
  parallel = 8,
): Promise<void> => {
  let nextList = 0;
  const worker = async () => {
    for (let i = nextList++; i < plan.history.length; i = nextList++) {
      for (const command of plan.history[i] ?? []) await run(bind(command, listIdOf(i)));
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, plan.history.length) }, worker));
};
