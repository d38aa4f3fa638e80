/**
 * The local console's server (`npm start` starts it; never deployed): serves the built front
 * end, passes /api/* to the local HTTP API unchanged (same origin, so the browser needs no
 * CORS), and answers the console's own local-only endpoints under /console/: a token for any
 * user, projection status, dead letters, verify, redrive and rebuild.
 */
// biome-ignore-all lint/style/noExcessiveLinesPerFile: routes, proxy and static files of one server; split tracked in issue 25 goal 2
import { DynamoDBClient, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  consoleViews,
  isViewName,
  rebuildViews,
  redriveViews,
  verifyViews,
  type ConsoleOpsTarget,
  type ViewName,
  deadLetterEntries,
  reactionStatus,
  redriveReactionStreams,
  useConsoleApp,
} from './consoleOps';
import type { AppDefinition } from '../../app/definition';
import { appMetadataOf } from './appMetadata';

/** The dead-letter table's entries (by stream and first failed version), in the shape the page lists. */
const journalDeadLetters = async (target: ConsoleOpsTarget): Promise<DeadLetter[]> =>
  (await deadLetterEntries(target)).map((l) => ({
    functionName: l.view,
    view: l.view.replace(/View$/, ''),
    at: l.failedAt,
    reason: l.error,
    streamId: l.streamId,
    version: l.fromVersion,
    eventTypes: [
      `versions ${l.fromVersion}–${l.toVersion}`,
      `${l.failures} failed ${l.failures === 1 ? 'delivery' : 'deliveries'}`,
    ],
  }));

const { localToken } = require('../token.cjs') as { localToken: (sub: string) => string };

/** The local stage's events table (serverless.yml: ${service}-${stage}-events). */
const USER_NAME = /^[A-Za-z0-9_.@-]{1,128}$/;
const RECENT_SAMPLES = 60;

export interface ConsoleServerOptions {
  readonly port: number;
  /** The HTTP API's port on 127.0.0.1 (serverless-offline). */
  readonly apiPort: number;
  readonly dynamoDbEndpoint: string;
  readonly dataDir: string;
  /** The built front end (index.html and assets/). */
  readonly staticDir: string;
  /** The app's declaration: its views, its tables (`<service>-local-…`). */
  readonly app: AppDefinition;
}

export interface ConsoleServer {
  readonly url: string;
  close(): Promise<void>;
}

const causeOf = (error: unknown): string => {
  const message = error instanceof Error ? error.message : String(error);
  const name = (error as { name?: string }).name;
  return name && name !== 'Error' && !message.startsWith(name) ? `${name}: ${message}` : message;
};
const UNREACHABLE = /ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|socket hang up/;
const THROTTLED = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

/**
 * A failed operation (rebuild, redrive, verify) in words a person can act on; the SDK's own
 * text goes in `details.cause`. What it does not know stays a 500 with the raw text.
 */
export const operationFailure = (
  error: unknown,
  dynamoDbEndpoint: string,
): { status: number; code: string; message: string; details: { cause: string } } => {
  const cause = causeOf(error);
  const name = (error as { name?: string }).name ?? '';
  const code = String((error as { code?: unknown }).code ?? '');
  const details = { cause };
  if (UNREACHABLE.test(code) || UNREACHABLE.test(cause))
    return {
      status: 503,
      code: 'DYNAMODB_UNREACHABLE',
      message: `DynamoDB at ${dynamoDbEndpoint} does not answer: is the local stack running (npm start)?`,
      details,
    };
  if (name === 'ResourceNotFoundException')
    return {
      status: 503,
      code: 'TABLE_NOT_FOUND',
      message: 'A table the operation needs does not exist: npm start creates them (is the stage the same?)',
      details,
    };
  if (THROTTLED.has(name))
    return {
      status: 503,
      code: 'THROTTLED',
      message: 'DynamoDB is throttling the requests: try again shortly',
      details,
    };
  return { status: 500, code: 'CONSOLE_OPERATION_FAILED', message: cause, details };
};

class ConsoleError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// ── projection status ──
interface CommitHead {
  readonly version: number;
  /** The aggregate the stream belongs to: a view counts only its own aggregate's streams. */
  readonly streamType: string;
  /** When each commit was written, by version. */
  readonly at: Map<number, string>;
}

const readHeads = async (client: DynamoDBClient, eventsTable: string) => {
  const heads = new Map<string, CommitHead>();
  let startKey: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page: ScanCommandOutput = await client.send(
      new ScanCommand({
        TableName: eventsTable,
        ProjectionExpression: 'streamId, streamType, #v, #at',
        ExpressionAttributeNames: { '#v': 'version', '#at': 'at' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const streamId = item.streamId?.S ?? '';
      const version = Number(item.version?.N ?? 0);
      const head = heads.get(streamId) ?? {
        version: 0,
        streamType: item.streamType?.S ?? '',
        at: new Map<number, string>(),
      };
      head.at.set(version, item.at?.S ?? '');
      heads.set(streamId, { version: Math.max(head.version, version), streamType: head.streamType, at: head.at });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return heads;
};

export interface StreamLag {
  readonly streamId: string;
  readonly viewVersion: number;
  readonly headVersion: number;
  /** How long the first commit the view has not applied has been waiting. */
  readonly pendingMs: number;
}

export interface ViewStatus {
  readonly name: ViewName;
  readonly functionName: string;
  readonly streams: number;
  readonly streamsBehind: number;
  readonly commitsBehind: number;
  readonly oldestPendingMs: number;
  readonly behind: StreamLag[];
  /** Differences verify found that are not just lag. */
  readonly problems: number;
  readonly deadLetters: number;
}

interface Sample {
  readonly at: string;
  readonly views: Record<string, { commitsBehind: number; oldestPendingMs: number }>;
}

// ── dead letters and checkpoints (the files src/local/offlineStreams.cjs writes) ──
export interface DeadLetter {
  readonly functionName: string;
  readonly view?: ViewName;
  readonly at: string;
  readonly reason: string;
  readonly sequenceNumber?: string;
  readonly streamId?: string;
  readonly version?: number;
  readonly eventTypes: string[];
}

interface StreamRecordImage {
  streamId?: { S?: string };
  version?: { N?: string };
  events?: { S?: string };
}

const eventTypesOf = (image: StreamRecordImage | undefined): string[] => {
  try {
    const events = JSON.parse(image?.events?.S ?? '[]') as { type?: string }[];
    return events.map((e) => String(e.type ?? '?'));
  } catch {
    return ['(events not readable)'];
  }
};

/** One line of a dead-letter file; a line that is not JSON is shown, not dropped. */
export const parseDeadLetter = (functionName: string, line: string): DeadLetter => {
  const view = consoleViews().find((v) => v.functionName === functionName)?.name;
  try {
    const entry = JSON.parse(line) as {
      at?: string;
      reason?: string;
      record?: { dynamodb?: { SequenceNumber?: string; NewImage?: StreamRecordImage } };
    };
    const image = entry.record?.dynamodb?.NewImage;
    const version = image?.version?.N;
    return {
      functionName,
      ...(view ? { view } : {}),
      at: String(entry.at ?? ''),
      reason: String(entry.reason ?? ''),
      ...(entry.record?.dynamodb?.SequenceNumber ? { sequenceNumber: entry.record.dynamodb.SequenceNumber } : {}),
      ...(image?.streamId?.S ? { streamId: image.streamId.S } : {}),
      ...(version ? { version: Number(version) } : {}),
      eventTypes: eventTypesOf(image),
    };
  } catch {
    return {
      functionName,
      ...(view ? { view } : {}),
      at: '',
      reason: `unreadable line: ${line.slice(0, 200)}`,
      eventTypes: [],
    };
  }
};

export const readDeadLetters = (dataDir: string): DeadLetter[] => {
  const dir = path.join(dataDir, 'dead-letters');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.jsonl'))
    .sort()
    .flatMap((file) => {
      const functionName = file.slice(0, -'.jsonl'.length);
      return readFileSync(path.join(dir, file), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => parseDeadLetter(functionName, line));
    });
};

export interface Checkpoint {
  readonly functionName: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
}

export const readCheckpoints = (dataDir: string): { checkpoints: Checkpoint[]; updatedAt?: string } => {
  const file = path.join(dataDir, 'streams-checkpoint.json');
  if (!existsSync(file)) return { checkpoints: [] };
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    const checkpoints = Object.entries(state).map(([key, sequenceNumber]) => {
      const [functionName = '', , shardId = ''] = key.split('|');
      return { functionName, shardId, sequenceNumber };
    });
    return { checkpoints, updatedAt: statSync(file).mtime.toISOString() };
  } catch {
    return { checkpoints: [] };
  }
};

/** The last integration events published locally (the bus's stand-in: JSON lines in the data folder). */
export const readIntegrationEvents = (dataDir: string, last = 50): unknown[] => {
  const file = path.join(dataDir, 'integration-events.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-last)
    .map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return { unreadable: line.slice(0, 200) };
      }
    });
};

// ── HTTP ──
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const sendJson = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

const readJsonBody = async (req: http.IncomingMessage): Promise<Record<string, unknown>> => {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 64 * 1024) throw new ConsoleError(413, 'BODY_TOO_LARGE', 'The body is over 64 KB');
  }
  if (text.trim() === '') return {};
  try {
    const body = JSON.parse(text) as unknown;
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // below
  }
  throw new ConsoleError(400, 'INVALID_BODY', 'The body must be a JSON object');
};

const viewsFrom = (body: Record<string, unknown>): ViewName[] => {
  if (body.view === undefined || body.view === 'all') return consoleViews().map((v) => v.name);
  if (isViewName(body.view)) return [body.view];
  throw new ConsoleError(
    400,
    'UNKNOWN_VIEW',
    `view must be one of ${consoleViews()
      .map((v) => v.name)
      .join(', ')} or all`,
  );
};

/** Passes a request on to the local API (the console's pages call it as `/api/…`). */
const proxyTo = (apiPort: number) => (req: http.IncomingMessage, res: http.ServerResponse, pathAndQuery: string) => {
  const headers = { ...req.headers, host: `127.0.0.1:${apiPort}` };
  delete headers.origin;
  delete headers.referer;
  const upstream = http.request(
    { host: '127.0.0.1', port: apiPort, method: req.method, path: pathAndQuery, headers },
    (answer) => {
      // Hop-by-hop headers describe the upstream connection, not this one: copied, an HTTP/1.0
      // client was sent chunked framing it cannot read.
      const headers = { ...answer.headers };
      for (const name of ['connection', 'keep-alive', 'transfer-encoding']) delete headers[name];
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent)
      sendJson(res, 502, {
        error: {
          code: 'API_UNREACHABLE',
          message: `The local API on port ${apiPort} did not answer: ${error.message}`,
        },
      });
    else res.destroy();
  });
  req.pipe(upstream);
};

/** Serves the built console, gzipped where the client takes it; any other path is index.html. */
const staticFiles = (staticDir: string) => {
  // The built files do not change while the server runs: each is compressed once.
  const gzipped = new Map<string, Buffer>();
  return (req: http.IncomingMessage, res: http.ServerResponse, pathname: string) => {
    const root = path.resolve(staticDir);
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      // `%E0%A4%A` and the like: decodeURIComponent throws a URIError, which answered 500.
      throw new ConsoleError(400, 'BAD_REQUEST', 'The path holds a percent escape that is not UTF-8');
    }
    let file = path.resolve(root, `.${decoded}`);
    if (!file.startsWith(root + path.sep) || !existsSync(file) || statSync(file).isDirectory())
      file = path.join(root, 'index.html');
    if (!existsSync(file))
      return sendJson(res, 503, { error: { code: 'CONSOLE_NOT_BUILT', message: `No console build in ${root}` } });
    const ext = path.extname(file);
    const gzip =
      /\bgzip\b/.test(String(req.headers['accept-encoding'])) &&
      ['.html', '.js', '.css', '.svg', '.json'].includes(ext);
    let body: Buffer = readFileSync(file);
    if (gzip) {
      body = gzipped.get(file) ?? gzipSync(body);
      gzipped.set(file, body);
    }
    res.writeHead(200, {
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      vary: 'accept-encoding',
      'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      // Hashed asset names never change content; index.html is asked for anew each time.
      'cache-control': file.includes(`${path.sep}assets${path.sep}`)
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
      'x-content-type-options': 'nosniff',
      // Nothing the console loads may come from, or go to, another origin.
      'content-security-policy':
        "default-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    });
    res.end(body);
  };
};

/** Answers one of the console's own `/console/…` routes. */
const answerConsole = async (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  pathname: string,
  routes: ConsoleRoutes,
  dynamoDbEndpoint: string,
) => {
  const route = routes[`${req.method} ${pathname}`];
  if (!route)
    return sendJson(res, 404, {
      error: { code: 'NOT_FOUND', message: `No console route ${req.method} ${pathname}` },
    });
  // A cross-site form cannot send JSON: a POST must say it is JSON.
  if (req.method === 'POST' && !String(req.headers['content-type']).startsWith('application/json')) {
    return sendJson(res, 415, { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'POST application/json' } });
  }
  try {
    return sendJson(res, 200, await route(req.method === 'POST' ? await readJsonBody(req) : {}));
  } catch (error) {
    if (error instanceof ConsoleError)
      return sendJson(res, error.status, { error: { code: error.code, message: error.message } });
    const { status, ...failure } = operationFailure(error, dynamoDbEndpoint);
    return sendJson(res, status, { error: failure });
  }
};

type ConsoleRoutes = Record<string, (body: Record<string, unknown>) => Promise<unknown>>;
type Answer = (req: http.IncomingMessage, res: http.ServerResponse, path: string) => void;

/** The console server's request handler: its own routes, the API behind /api, the built pages. */
const handleRequest =
  (allowedHosts: ReadonlySet<string>, routes: ConsoleRoutes, proxy: Answer, serveStatic: Answer, endpoint: string) =>
  (req: http.IncomingMessage, res: http.ServerResponse) => {
    void (async () => {
      // Only this machine's own pages: a web page elsewhere cannot reach us through DNS tricks.
      if (!allowedHosts.has(String(req.headers.host)))
        return sendJson(res, 403, {
          error: { code: 'FORBIDDEN_HOST', message: 'The console answers on 127.0.0.1 or localhost only' },
        });
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://console.local');
      } catch {
        // `//[` is read as an authority with a broken host: no URL at all.
        throw new ConsoleError(400, 'BAD_REQUEST', 'The request target is not a valid path');
      }
      if (url.pathname === '/api' || url.pathname.startsWith('/api/'))
        return proxy(req, res, `${url.pathname.slice(4) || '/'}${url.search}`);
      if (url.pathname.startsWith('/console/')) return answerConsole(req, res, url.pathname, routes, endpoint);
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return sendJson(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'Pages are GET' } });
      return serveStatic(req, res, url.pathname);
    })().catch((error: unknown) => {
      if (res.headersSent) return;
      if (error instanceof ConsoleError)
        sendJson(res, error.status, { error: { code: error.code, message: error.message } });
      else sendJson(res, 500, { error: { code: 'CONSOLE_ERROR', message: String(error) } });
    });
  };

export const startConsoleServer = async (options: ConsoleServerOptions): Promise<ConsoleServer> => {
  useConsoleApp(options.app);
  const eventsTable = `${options.app.service}-local-events`;
  const streamTypeOf = (view: ViewName) => options.app.views.find((v) => v.name === view)?.aggregate.streamType;
  const target: ConsoleOpsTarget = { endpoint: options.dynamoDbEndpoint, dataDir: options.dataDir };
  const dynamo = new DynamoDBClient({
    region: process.env.AWS_REGION ?? 'us-east-1',
    endpoint: options.dynamoDbEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const recent: Sample[] = [];
  // One operation at a time: verify and redrive read and write the same tables.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };

  const projectionStatus = async () => {
    const names = consoleViews();
    const [heads, verified] = await Promise.all([
      readHeads(dynamo, eventsTable),
      verifyViews(
        target,
        names.map((v) => v.name),
      ),
    ]);
    const now = Date.now();
    const deadLetters = await journalDeadLetters(target);
    const views: ViewStatus[] = names.map(({ name, functionName }) => {
      const differences = verified.result.filter((d) => d.view === name);
      const behind: StreamLag[] = differences
        .filter((d) => d.kind === 'behind' || (d.kind === 'missing' && heads.has(d.key)))
        .map((d) => {
          const head = heads.get(d.key);
          const viewVersion = d.kind === 'behind' ? Number(d.actual ?? 0) : 0;
          const pendingAt = head?.at.get(viewVersion + 1);
          return {
            streamId: d.key,
            viewVersion,
            headVersion: head?.version ?? Number(d.expected ?? 0),
            pendingMs: pendingAt ? Math.max(0, now - Date.parse(pendingAt)) : 0,
          };
        });
      return {
        name,
        functionName,
        streams: [...heads.values()].filter((h) => h.streamType === streamTypeOf(name)).length,
        streamsBehind: behind.length,
        commitsBehind: behind.reduce((n, s) => n + (s.headVersion - s.viewVersion), 0),
        oldestPendingMs: behind.reduce((n, s) => Math.max(n, s.pendingMs), 0),
        behind: behind.sort((a, b) => b.pendingMs - a.pendingMs).slice(0, 50),
        problems: differences.length - behind.length,
        deadLetters: deadLetters.filter((d) => d.functionName === functionName).length,
      };
    });
    recent.push({
      at: new Date(now).toISOString(),
      views: Object.fromEntries(
        views.map((v) => [v.name, { commitsBehind: v.commitsBehind, oldestPendingMs: v.oldestPendingMs }]),
      ),
    });
    recent.splice(0, Math.max(0, recent.length - RECENT_SAMPLES));
    return {
      at: new Date(now).toISOString(),
      views,
      totals: {
        streams: heads.size,
        commits: [...heads.values()].reduce((n, h) => n + h.version, 0),
        commitsBehind: views.reduce((n, v) => n + v.commitsBehind, 0),
      },
      recent,
      ...readCheckpoints(options.dataDir),
    };
  };

  const metadata = appMetadataOf(options.app);
  const routes: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    // The app as the console renders it: its commands, queries, histories, views and reactions.
    'GET /console/app': async () => metadata,
    'POST /console/token': async (body) => {
      const user = typeof body.user === 'string' ? body.user.trim() : '';
      if (!USER_NAME.test(user))
        throw new ConsoleError(400, 'INVALID_USER', 'A user name is 1–128 letters, digits, _ . @ or -');
      return { user, token: localToken(user) };
    },
    'GET /console/projections': () => serially(projectionStatus),
    'GET /console/dead-letters': async () => ({ items: await journalDeadLetters(target) }),
    // Reactions: their lag and dead letters, and the integration events the local bus file holds (newest last).
    'GET /console/reactions': () =>
      serially(async () => ({
        reactions: await reactionStatus(target),
        integrationEvents: readIntegrationEvents(options.dataDir),
      })),
    'POST /console/reactions/redrive': () =>
      serially(async () => {
        const { result, log } = await redriveReactionStreams(target);
        return { reactions: result, log };
      }),
    'POST /console/verify': (body) =>
      serially(async () => {
        const { result, log } = await verifyViews(target, viewsFrom(body));
        return {
          differences: result.filter((d) => d.kind !== 'behind'),
          behind: result.filter((d) => d.kind === 'behind').length,
          log,
        };
      }),
    'POST /console/redrive': (body) =>
      serially(async () => {
        const { result, log } = await redriveViews(target, viewsFrom(body));
        return { views: result, log };
      }),
    'POST /console/rebuild': (body) =>
      serially(async () => {
        const { result, log } = await rebuildViews(target, viewsFrom(body));
        return { views: result, log };
      }),
  };

  const allowedHosts = new Set([`127.0.0.1:${options.port}`, `localhost:${options.port}`, `[::1]:${options.port}`]);

  const proxy = proxyTo(options.apiPort);

  const serveStatic = staticFiles(options.staticDir);

  const server = http.createServer(handleRequest(allowedHosts, routes, proxy, serveStatic, options.dynamoDbEndpoint));
  // Loopback only: the console mints tokens for anyone and must not be reachable from elsewhere.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${options.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        dynamo.destroy();
      }),
  };
};
