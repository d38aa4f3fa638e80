/**
 * A reproducible mix of the todo app's commands, run through the app's own runtime (the
 * composition root every Lambda uses), so every view of the app gets commits: lists with
 * todos added, completed, reopened, renamed, removed, cleared and archived, and each owner's
 * tags created, renamed, deleted, put on and taken off todos.
 */
import { randomUUID } from 'node:crypto';
import { app } from '../../handlers/app';
import { isHttpMappableError, type AppRuntime } from '../../src';

type Params = Record<string, string>;
type Run = (
  name: keyof typeof app.commands,
  userId: string,
  params?: Params,
  body?: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

/** Refusals the domain is right to give on a random mix (an archived list, a deleted tag, …). */
const EXPECTED_REFUSALS = new Set([
  'LIST_ARCHIVED',
  'TAG_NOT_FOUND',
  'TODO_NOT_FOUND',
  'TOO_MANY_TAGS',
  'TAG_NAME_TAKEN',
  'LIST_FULL',
]);

export interface AppWorkloadOptions {
  readonly owners?: readonly string[];
  readonly listsPerOwner?: number;
  readonly tagsPerOwner?: number;
  readonly commands?: number;
  /** Commands in flight at once (each on its own random list). */
  readonly concurrency?: number;
  readonly random?: () => number;
  /** Whether lists may be archived (an archived list takes no more commands). Default true. */
  readonly archive?: boolean;
}

export const runAppWorkload = async (runtime: AppRuntime, options: AppWorkloadOptions = {}) => {
  const {
    owners = ['alice', 'bob'],
    listsPerOwner = 3,
    tagsPerOwner = 3,
    commands = 120,
    concurrency = 1,
    random = Math.random,
    archive = true,
  } = options;
  const run: Run = async (name, userId, params = {}, body = {}) => {
    const command = app.commands[name];
    if (!command) throw new Error(`The app has no command ${name}`);
    return (await runtime.runCommand(command, {
      body,
      params,
      userId,
      correlationId: randomUUID(),
    } as never)) as Record<string, unknown>;
  };
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];

  const lists: { listId: string; owner: string; todos: string[] }[] = [];
  const tagIds = new Map<string, string[]>();
  for (const owner of owners) {
    for (let i = 0; i < listsPerOwner; i += 1)
      lists.push({
        listId: String((await run('createList', owner, {}, { title: `${owner} list ${i}` })).listId),
        owner,
        todos: [],
      });
    const ids: string[] = [];
    for (let i = 0; i < tagsPerOwner; i += 1)
      ids.push(String((await run('createTag', owner, {}, { name: `${owner} tag ${i}` })).tagId));
    tagIds.set(owner, ids);
  }

  const one = async (n: number) => {
    const list = pick(lists)!;
    const { owner, listId } = list;
    const todoId = pick(list.todos);
    const tagId = pick(tagIds.get(owner) ?? []);
    const roll = random();
    try {
      if (roll < 0.35 || !todoId)
        list.todos.push(String((await run('addTodo', owner, { listId }, { title: `todo ${n}` })).todoId));
      else if (roll < 0.5) await run('completeTodo', owner, { listId, todoId });
      else if (roll < 0.56) await run('reopenTodo', owner, { listId, todoId });
      else if (roll < 0.62) await run('renameTodo', owner, { listId, todoId }, { title: `renamed ${n}` });
      else if (roll < 0.68) await run('removeTodo', owner, { listId, todoId });
      else if (roll < 0.73) await run('clearCompleted', owner, { listId });
      else if (roll < 0.78) await run('renameList', owner, { listId }, { title: `list renamed ${n}` });
      else if (roll < 0.9 && tagId) await run('tagTodo', owner, { listId, todoId, tagId });
      else if (roll < 0.95 && tagId) await run('untagTodo', owner, { listId, todoId, tagId });
      else if (roll < 0.975 && tagId) await run('renameTag', owner, { tagId }, { name: `${owner} tag renamed ${n}` });
      else if (roll < 0.99 && tagId) await run('deleteTag', owner, { tagId });
      else if (archive) await run('archiveList', owner, { listId });
      else await run('renameList', owner, { listId }, { title: `list renamed again ${n}` });
    } catch (error) {
      if (!isHttpMappableError(error) || !EXPECTED_REFUSALS.has(error.code)) throw error;
    }
  };
  for (let n = 0; n < commands; n += concurrency) {
    await Promise.all(Array.from({ length: Math.min(concurrency, commands - n) }, (_, i) => one(n + i)));
  }
  return { owners, listIds: lists.map((l) => l.listId) };
};
