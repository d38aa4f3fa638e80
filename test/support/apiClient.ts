/** A tiny HTTP client for the API under test. */
export interface ApiResponse<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
  readonly text: string;
}

/** One answer the API gave during this test file, for the OpenAPI contract check. */
export interface RecordedCall {
  readonly method: string;
  /** As requested, query string included. */
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
}

const recorded: RecordedCall[] = [];

/** Every call any `apiClient` of this test file made so far (jest gives each file its own modules). */
export const recordedCalls = (): readonly RecordedCall[] => recorded;

export const apiClient = (baseUrl: string) => {
  const call = async <T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    recorded.push({ method, path, status: response.status, body: parsed, text });
    return { status: response.status, body: parsed as T, headers: response.headers, text };
  };
  return {
    call,
    get: <T = any>(path: string, token?: string) => call<T>('GET', path, { token }),
    post: <T = any>(path: string, token?: string, body?: unknown, options: { headers?: Record<string, string> } = {}) =>
      call<T>('POST', path, { token, body, ...options }),
    put: <T = any>(path: string, token?: string) => call<T>('PUT', path, { token }),
    patch: <T = any>(path: string, token?: string, body?: unknown) => call<T>('PATCH', path, { token, body }),
    delete: <T = any>(path: string, token?: string) => call<T>('DELETE', path, { token }),
  };
};
