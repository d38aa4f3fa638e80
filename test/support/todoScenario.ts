import type { ApiResponse, apiClient } from './apiClient';

type Api = ReturnType<typeof apiClient>;

export interface ListAnswer {
  readonly listId: string;
  readonly version: number;
}
export interface TodoAnswer extends ListAnswer {
  readonly todoId: string;
}

/** A todo client over one protocol; each command resolves to what the API answered. */
export interface TodoDriver {
  createList(title: string): Promise<ListAnswer>;
  renameList(listId: string, title: string): Promise<ListAnswer>;
  archiveList(listId: string): Promise<ListAnswer>;
  addTodo(listId: string, title: string): Promise<TodoAnswer>;
  renameTodo(listId: string, todoId: string, title: string): Promise<TodoAnswer>;
  completeTodo(listId: string, todoId: string): Promise<TodoAnswer>;
  reopenTodo(listId: string, todoId: string): Promise<TodoAnswer>;
  removeTodo(listId: string, todoId: string): Promise<TodoAnswer>;
  clearCompleted(listId: string): Promise<ListAnswer>;
}

const expectStatus = <T>(response: ApiResponse<T>, status: number): T => {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${response.text}`);
  return response.body;
};

/** The todo API over REST. */
export const restDriver = (api: Api, token: string): TodoDriver => {
  const todo = (listId: string, todoId: string) => `/lists/${listId}/todos/${todoId}`;
  return {
    createList: async (title) => expectStatus(await api.post('/lists', token, { title }), 201),
    renameList: async (listId, title) => expectStatus(await api.patch(`/lists/${listId}`, token, { title }), 200),
    archiveList: async (listId) => expectStatus(await api.delete(`/lists/${listId}`, token), 200),
    addTodo: async (listId, title) => expectStatus(await api.post(`/lists/${listId}/todos`, token, { title }), 201),
    renameTodo: async (listId, todoId, title) =>
      expectStatus(await api.patch(todo(listId, todoId), token, { title }), 200),
    completeTodo: async (listId, todoId) =>
      expectStatus(await api.post(`${todo(listId, todoId)}/complete`, token), 200),
    reopenTodo: async (listId, todoId) => expectStatus(await api.post(`${todo(listId, todoId)}/reopen`, token), 200),
    removeTodo: async (listId, todoId) => expectStatus(await api.delete(todo(listId, todoId), token), 200),
    clearCompleted: async (listId) => expectStatus(await api.post(`/lists/${listId}/clear-completed`, token), 200),
  };
};

/** One GraphQL request; answers the HTTP response as it came. */
export const graphqlCall = (
  api: Api,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
) => api.post('/graphql', token, { query, variables });

/** The todo API over GraphQL mutations, with variables; any GraphQL error fails the step. */
export const graphqlDriver = (api: Api, token: string): TodoDriver => {
  const mutate = async <T>(name: string, args: Record<string, string>, fields: string): Promise<T> => {
    const declared = Object.keys(args).map((arg) => `$${arg}: ${arg === 'title' ? 'String!' : 'ID!'}`);
    const passed = Object.keys(args).map((arg) => `${arg}: $${arg}`);
    const response = await graphqlCall(
      api,
      token,
      `mutation(${declared.join(', ')}) { ${name}(${passed.join(', ')}) { ${fields} } }`,
      args,
    );
    if (response.status !== 200 || response.body.errors) throw new Error(`${name}: ${response.text}`);
    return response.body.data[name] as T;
  };
  const list = 'listId version';
  const todo = 'listId todoId version';
  return {
    createList: (title) => mutate('createList', { title }, list),
    renameList: (listId, title) => mutate('renameList', { listId, title }, list),
    archiveList: (listId) => mutate('archiveList', { listId }, list),
    addTodo: (listId, title) => mutate('addTodo', { listId, title }, todo),
    renameTodo: (listId, todoId, title) => mutate('renameTodo', { listId, todoId, title }, todo),
    completeTodo: (listId, todoId) => mutate('completeTodo', { listId, todoId }, todo),
    reopenTodo: (listId, todoId) => mutate('reopenTodo', { listId, todoId }, todo),
    removeTodo: (listId, todoId) => mutate('removeTodo', { listId, todoId }, todo),
    clearCompleted: (listId) => mutate('clearCompleted', { listId }, list),
  };
};

/**
 * The scenario of the REST end-to-end test (test/api.e2e.test.ts): "Groceries" through every
 * command, no-ops included, a second list "Chores", then "Groceries" archived (twice: the second
 * is a no-op). Answers every command's answer in order and the two list ids.
 */
export const groceriesScenario = async (d: TodoDriver) => {
  const answers: ListAnswer[] = [];
  const step = async <T extends ListAnswer>(command: Promise<T>): Promise<T> => {
    const answer = await command;
    answers.push(answer);
    return answer;
  };
  const { listId } = await step(d.createList('  Groceries  '));
  const milk = await step(d.addTodo(listId, 'milk'));
  const eggs = await step(d.addTodo(listId, 'eggs'));
  const bread = await step(d.addTodo(listId, 'bread'));
  await step(d.completeTodo(listId, eggs.todoId));
  await step(d.completeTodo(listId, eggs.todoId));
  await step(d.reopenTodo(listId, eggs.todoId));
  await step(d.renameTodo(listId, milk.todoId, 'oat milk'));
  await step(d.renameList(listId, 'Weekly groceries'));
  await step(d.removeTodo(listId, bread.todoId));
  await step(d.completeTodo(listId, eggs.todoId));
  await step(d.completeTodo(listId, milk.todoId));
  await step(d.clearCompleted(listId));
  await step(d.addTodo(listId, 'apples'));
  const chores = await step(d.createList('Chores'));
  await step(d.addTodo(chores.listId, 'dishes'));
  await step(d.archiveList(listId));
  await step(d.archiveList(listId));
  return { listId, choresId: chores.listId, answers };
};

/** The versions the scenario's commands answer, no-ops included. */
export const SCENARIO_VERSIONS = [1, 2, 3, 4, 5, 5, 6, 7, 8, 9, 10, 11, 12, 13, 1, 2, 14, 14];

/** Replaces every id (UUID) by its order of first appearance, so two runs of a scenario compare. */
export const withoutIds = (value: unknown): unknown => {
  const names = new Map<string, string>();
  return JSON.parse(
    JSON.stringify(value).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
      if (!names.has(id)) names.set(id, `id#${names.size + 1}`);
      return names.get(id)!;
    }),
  );
};
