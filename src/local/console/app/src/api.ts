/**
 * How the console talks to the local API (through its server's /api/ passage, same origin)
 * and to the console server's own local-only endpoints (/console/).
 */

export interface ApiError {
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
}

export interface Answer<T> {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly ok: boolean;
  readonly body: T;
  readonly error?: ApiError;
  readonly ms: number;
}

let token: string | undefined;
let user: string | undefined;
const SESSION_KEY = 'cqrs-console-user';

/** Whoever the console acts as; every API call carries their token. */
export const currentUser = () => user;

export const signIn = async (name: string): Promise<Answer<{ user: string; token: string }>> => {
  const answer = await consoleCall<{ user: string; token: string }>('POST', '/console/token', { user: name });
  if (answer.ok) {
    user = answer.body.user;
    token = answer.body.token;
    sessionStorage.setItem(SESSION_KEY, user);
  }
  return answer;
};

export const signOut = () => {
  user = undefined;
  token = undefined;
  sessionStorage.removeItem(SESSION_KEY);
};

/** The user of this tab before a reload, if any. */
export const rememberedUser = () => sessionStorage.getItem(SESSION_KEY) ?? undefined;

const errorOf = (status: number, body: unknown, text: string): ApiError | undefined => {
  if (status < 400) return undefined;
  const error = (body as { error?: ApiError } | undefined)?.error;
  if (error && typeof error.code === 'string') return error;
  const message = (body as { message?: string } | undefined)?.message;
  return { code: `HTTP_${status}`, message: message ?? (text.slice(0, 300) || 'no body') };
};

const call = async <T>(
  method: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string> },
): Promise<Answer<T>> => {
  const started = performance.now();
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let status = 0;
  let text = '';
  try {
    const response = await fetch(path, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    return {
      method,
      path,
      status: 0,
      ok: false,
      body: undefined as T,
      ms: performance.now() - started,
      error: { code: 'NETWORK_ERROR', message: error instanceof Error ? error.message : String(error) },
    };
  }
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const error = errorOf(status, body, text);
  return {
    method,
    path,
    status,
    ok: status >= 200 && status < 300,
    body: body as T,
    ms: performance.now() - started,
    ...(error ? { error } : {}),
  };
};

/** A call to the app's API as the signed-in user; an expired token is renewed once. */
// biome-ignore lint/suspicious/noExplicitAny: the console reads whatever JSON the API answers; a caller may name T
export const apiCall = async <T = any>(method: string, path: string, body?: unknown): Promise<Answer<T>> => {
  const send = () =>
    call<T>(method, `/api${path}`, { body, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const answer = await send();
  if (answer.status === 401 && user) {
    const renewed = await signIn(user);
    if (renewed.ok) return { ...(await send()), path };
  }
  return { ...answer, path };
};

/** A call to the console server's local-only endpoints. */
// biome-ignore lint/suspicious/noExplicitAny: the console reads whatever JSON the API answers; a caller may name T
export const consoleCall = <T = any>(method: string, path: string, body?: unknown) =>
  call<T>(method, path, method === 'POST' ? { body: body ?? {} } : {});

/** The token as a header value, for the API documents' "try it". */
export const bearer = () => (token ? `Bearer ${token}` : '');

/** "1 sample", "2 samples". */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
