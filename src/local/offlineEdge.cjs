// Local only (a serverless plugin listed after serverless-offline): the emulated gateway answers
// in the API's own error shape. serverless-offline answers what it refuses itself — a token its
// JWT authorizer rejects, a body it cannot read — with its web server's body
// (`{"statusCode":401,"error":"Unauthorized","message":…}`); this rewrites each such answer to
// `{"error":{"code","message"}}`, status and headers kept. Answers of the functions are untouched.
// (On AWS, the HTTP API's JWT authorizer answers 401 `{"message":"Unauthorized"}` itself: an HTTP
// API has no gateway responses to reshape; the OpenAPI document lists both shapes for 401.)
//
// It also keeps the local stack to its callers. serverless-offline's JWT authorizer
// (--ignoreJWTSignature) decodes a token without checking its signature, and its gateway and
// Lambda invoke port answer any web page's origin: a page on another local origin read and wrote
// anyone's data with a self-made token. So, locally: a token must be signed by the local issuer
// (src/local/token.cjs, RS256; `alg: none` and other keys are 401); only the console's origins
// (LOCAL_CORS_ORIGINS, set by start.cjs) may call the API from a browser; the invoke port refuses
// browsers (any Origin) and other Host names (DNS rebinding) and names no origin in its answers.
'use strict';
const { verifyLocalToken } = require('./token.cjs');

/** The kit's error code for a status the emulator answers by itself. */
const CODES = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  502: 'BAD_GATEWAY',
  504: 'GATEWAY_TIMEOUT',
};

/** `{error:{code,message}}` for the web server's own error output (`statusCode`, `error`, `message`). */
const kitErrorBody = (statusCode, payload) => ({
  error: {
    code: CODES[statusCode] ?? (statusCode >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'),
    message:
      typeof payload?.message === 'string' && payload.message !== ''
        ? payload.message
        : String(payload?.error ?? 'Refused'),
  },
});

/**
 * A function that failed or timed out: serverless-offline answers an HTTP API (payload 2.0)
 * route 200 with Lambda's error document (`errorMessage`, `errorType`, `stackTrace`) as the body.
 * API Gateway answers such a failure with a 5xx and no detail: so does this, in the API's shape
 * (504 `GATEWAY_TIMEOUT` for a timeout, 502 `BAD_GATEWAY` otherwise), without the stack trace.
 */
const functionFailure = (source) => {
  if (typeof source !== 'string' || !source.includes('"errorType"')) return undefined;
  let parsed;
  try {
    parsed = JSON.parse(source);
  } catch {
    return undefined;
  }
  if (typeof parsed?.errorType !== 'string' || !Array.isArray(parsed.stackTrace)) return undefined;
  const timedOut = parsed.errorType === 'LambdaTimeoutError';
  const statusCode = timedOut ? 504 : 502;
  return {
    statusCode,
    body: kitErrorBody(statusCode, { message: timedOut ? 'The function timed out' : 'The function failed' }),
  };
};

/** The answer to a request the edge refuses, in the API's error shape. */
const refuse = (h, statusCode, message) => {
  // Remembered: serverless-offline's CORS step turns any answer to an OPTIONS request into a 204.
  h.request.app.offlineEdgeRefused = statusCode;
  return h.response(kitErrorBody(statusCode, { message })).code(statusCode).takeover();
};

/** The token serverless-offline's JWT authorizer reads from a header value (`Bearer <token>` or the value). */
const tokenOf = (header) =>
  typeof header === 'string' && header.split(' ')[0] === 'Bearer' ? header.split(' ')[1] : header;

/** Origins allowed to call the API from a browser: the console's (comma-separated), and the API's own. */
const allowedOrigins = (env, port) =>
  new Set([
    ...String(env.LOCAL_CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
    `http://127.0.0.1:${port}`,
    `http://localhost:${port}`,
  ]);

const hostsOf = (port) => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);

/**
 * serverless-offline builds its Lambda invoke server inside its own start and exposes no handle
 * to it: every hapi server's `start` is wrapped once so the one on `lambdaPort` gets the guard
 * before it listens. (A hapi server's class is not exported; its prototype is that of any server.)
 */
const guardInvokePort = (lambdaPort) => {
  const hapi = require('@hapi/hapi');
  const prototype = Object.getPrototypeOf(hapi.server({ autoListen: false }));
  if (prototype.start.offlineEdgeWrapped) return;
  const start = prototype.start;
  prototype.start = function startGuarded(...args) {
    if (Number(this.settings.port) === lambdaPort) {
      const hosts = hostsOf(lambdaPort);
      this.ext('onRequest', (request, h) => {
        if (request.headers.origin !== undefined)
          return refuse(h, 403, 'The Lambda invoke port takes no calls from web pages');
        if (!hosts.has(String(request.headers.host)))
          return refuse(h, 403, 'The Lambda invoke port answers on 127.0.0.1 or localhost only');
        return h.continue;
      });
    }
    return start.apply(this, args);
  };
  prototype.start.offlineEdgeWrapped = true;
};

class OfflineEdge {
  constructor(serverless, options = {}) {
    this.serverless = serverless;
    this.options = options;
    this.hooks = {
      // Before serverless-offline's own init (plugins run a hook in the order they are listed, and
      // `before:` hooks before all of them): its invoke server is created and started there.
      'before:offline:start:init': () => guardInvokePort(Number(this.options.lambdaPort ?? 3002)),
      // Hooks of one event run in the order plugins are listed: serverless-offline's server exists by now.
      'offline:start:init': () => this.attach(),
    };
  }

  attach() {
    const offline = this.serverless.pluginManager.plugins.find(
      (plugin) => plugin.constructor?.name === 'ServerlessOffline',
    );
    const server = offline?.internals?.().getApiGatewayServer?.();
    if (!server)
      throw new Error(
        'offlineEdge: list it after serverless-offline in serverless.yml plugins (no emulated gateway found)',
      );
    const port = Number(server.settings.port);
    const origins = allowedOrigins(process.env, port);
    server.ext('onRequest', (request, h) => {
      const origin = request.headers.origin;
      if (origin !== undefined && !origins.has(origin))
        return refuse(h, 403, `Origin ${origin} may not call the local API (only the console may)`);
      // serverless-offline puts this header's JSON in place of the authorizer's claims: a back door AWS has not.
      if (request.headers['sls-offline-authorizer-override'] !== undefined)
        return refuse(h, 400, 'sls-offline-authorizer-override is not accepted');
      return h.continue;
    });
    // Before serverless-offline's authorizer decodes the token: the token must be the local issuer's.
    server.ext('onPreAuth', (request, h) => {
      const auth = request.route.settings.auth;
      if (!auth || !Array.isArray(auth.strategies) || auth.strategies.length === 0) return h.continue;
      const header = request.headers.authorization;
      if (header === undefined) return h.continue; // the authorizer refuses it
      if (!verifyLocalToken(tokenOf(header)))
        return refuse(h, 401, 'The token is not signed by the local issuer (npm run token)');
      return h.continue;
    });
    server.ext('onPreResponse', (request, h) => {
      // serverless-offline reflects any Origin in Access-Control-Allow-Origin: only allowed ones keep it.
      const origin = request.headers.origin;
      if (origin !== undefined && !origins.has(origin)) {
        const headers = request.response?.isBoom ? request.response.output.headers : request.response?.headers;
        for (const name of Object.keys(headers ?? {}))
          if (name.toLowerCase().startsWith('access-control-')) delete headers[name];
      }
      const refused = request.app.offlineEdgeRefused;
      if (refused !== undefined && request.response && !request.response.isBoom) request.response.statusCode = refused;
      return h.continue;
    });
    server.ext('onPreResponse', (request, h) => {
      const response = request.response;
      if (response?.isBoom) {
        response.output.payload = kitErrorBody(response.output.statusCode, response.output.payload);
      } else {
        const failed = functionFailure(response?.source);
        if (failed) {
          response.statusCode = failed.statusCode;
          response.source = JSON.stringify(failed.body);
        }
      }
      return h.continue;
    });
  }
}

module.exports = OfflineEdge;
module.exports.kitErrorBody = kitErrorBody;
module.exports.functionFailure = functionFailure;
module.exports.tokenOf = tokenOf;
