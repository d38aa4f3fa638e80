// The local stack's emulated gateway answers in the API's own error shape (src/local/offlineEdge.cjs).
const { kitErrorBody, functionFailure } = require('../src/local/offlineEdge.cjs') as {
  kitErrorBody: (status: number, payload: unknown) => { error: { code: string; message: string } };
  functionFailure: (
    source: unknown,
  ) => { statusCode: number; body: { error: { code: string; message: string } } } | undefined;
};

describe('the local gateway in the API shape', () => {
  it.each([
    [
      401,
      { statusCode: 401, error: 'Unauthorized', message: 'JWT Token expired' },
      'UNAUTHORIZED',
      'JWT Token expired',
    ],
    [
      400,
      { statusCode: 400, error: 'Bad Request', message: 'Invalid request payload JSON format' },
      'BAD_REQUEST',
      'Invalid request payload JSON format',
    ],
    [
      413,
      { statusCode: 413, error: 'Request Entity Too Large', message: '' },
      'PAYLOAD_TOO_LARGE',
      'Request Entity Too Large',
    ],
    [500, { statusCode: 500, error: 'Internal Server Error' }, 'INTERNAL_ERROR', 'Internal Server Error'],
    [418, {}, 'BAD_REQUEST', 'Refused'],
  ])("answers the web server's own %i as {error:{code,message}}", (status, payload, code, message) => {
    expect(kitErrorBody(status, payload)).toEqual({ error: { code, message } });
  });

  it('turns a crashed or timed-out function (answered 200 with its stack trace by the emulator) into 502 / 504 without the trace', () => {
    const failure = (errorType: string) =>
      JSON.stringify({
        errorMessage: '[504] - Lambda timeout.',
        errorType,
        stackTrace: ['Error: at /work/secret/path.js:1'],
      });
    expect(functionFailure(failure('LambdaTimeoutError'))).toEqual({
      statusCode: 504,
      body: { error: { code: 'GATEWAY_TIMEOUT', message: 'The function timed out' } },
    });
    expect(functionFailure(failure('TypeError'))).toEqual({
      statusCode: 502,
      body: { error: { code: 'BAD_GATEWAY', message: 'The function failed' } },
    });
    expect(JSON.stringify(functionFailure(failure('TypeError')))).not.toContain('secret');
  });

  it("leaves the functions' own answers alone, even one that mentions errorType", () => {
    expect(functionFailure(JSON.stringify({ listId: 'l1', version: 1 }))).toBeUndefined();
    expect(functionFailure(JSON.stringify({ title: 'a todo about "errorType"' }))).toBeUndefined();
    expect(functionFailure(JSON.stringify({ errorType: 'x', errorMessage: 'a title' }))).toBeUndefined();
    expect(functionFailure('{"errorType": not json')).toBeUndefined();
    expect(functionFailure(Buffer.from('x'))).toBeUndefined();
  });
});
