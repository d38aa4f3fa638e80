import http from 'node:http';

/** One raw HTTP exchange with the stack: no URL normalisation, no header or body rewriting. */
export interface RawRequest {
  readonly method: string;
  /** Path and query exactly as they go on the request line. */
  readonly path: string;
  readonly headers?: Record<string, string | string[]>;
  readonly body?: string | Buffer;
  /** Default 15 s: every request of the suite is bounded in time. */
  readonly timeoutMs?: number;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: any;
}

// Idle kept-alive sockets are dropped after 4 s, before the server's 5 s keep-alive timeout
// closes them under a request (a client-side ECONNRESET that says nothing about the stack).
const agent = new http.Agent({ keepAlive: true, maxSockets: 128, timeout: 4_000 });

/** Closes the kept-alive connections (call it in `afterAll`, or jest waits for them). */
export const closeConnections = () => agent.destroy();

/** Sends one request to 127.0.0.1 (only: the suite never leaves loopback). */
export const send = (baseUrl: string, request: RawRequest): Promise<RawResponse> => {
  const url = new URL(baseUrl);
  if (url.hostname !== '127.0.0.1')
    throw new Error(`the reliability suite only talks to 127.0.0.1, not ${url.hostname}`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: Number(url.port),
        method: request.method,
        path: request.path,
        headers: request.headers,
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.setTimeout(request.timeoutMs ?? 15_000, () =>
      req.destroy(new Error(`timeout after ${request.timeoutMs ?? 15_000} ms`)),
    );
    req.on('error', reject);
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
};

/** A JSON API client for one base URL with bearer tokens and a correlation id per request. */
export const jsonClient = (baseUrl: string) => {
  const call = (method: string, path: string, token: string | undefined, body?: unknown, correlationId?: string) =>
    send(baseUrl, {
      method,
      path,
      headers: {
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(correlationId === undefined ? {} : { 'x-correlation-id': correlationId }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return { call };
};

const tokens = require('../../../src/local/token.cjs') as {
  localToken: (
    sub: unknown,
    overrides?: Record<string, unknown>,
    options?: { header?: Record<string, unknown>; secret?: string },
  ) => string;
  LOCAL_ISSUER: string;
  LOCAL_AUDIENCE: string;
};
export const { localToken, LOCAL_ISSUER, LOCAL_AUDIENCE } = tokens;
