// Local only (a serverless plugin listed after serverless-offline): the emulated gateway answers
// in the API's own error shape. serverless-offline answers what it refuses itself — a token its
// JWT authorizer rejects, a body it cannot read — with its web server's body
// (`{"statusCode":401,"error":"Unauthorized","message":…}`); this rewrites each such answer to
// `{"error":{"code","message"}}`, status and headers kept. Answers of the functions are untouched.
// (On AWS, the HTTP API's JWT authorizer answers 401 `{"message":"Unauthorized"}` itself: an HTTP
// API has no gateway responses to reshape; the OpenAPI document lists both shapes for 401.)
'use strict';

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
    message: typeof payload?.message === 'string' && payload.message !== '' ? payload.message : String(payload?.error ?? 'Refused'),
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
  return { statusCode, body: kitErrorBody(statusCode, { message: timedOut ? 'The function timed out' : 'The function failed' }) };
};

class OfflineEdge {
  constructor(serverless) {
    this.serverless = serverless;
    // Hooks of one event run in the order plugins are listed: serverless-offline's server exists by now.
    this.hooks = { 'offline:start:init': () => this.attach() };
  }

  attach() {
    const offline = this.serverless.pluginManager.plugins.find((plugin) => plugin.constructor?.name === 'ServerlessOffline');
    const server = offline?.internals?.().getApiGatewayServer?.();
    if (!server) throw new Error('offlineEdge: list it after serverless-offline in serverless.yml plugins (no emulated gateway found)');
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
