import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { isHttpMappableError } from '../errors';
import { logger } from '../observability';

/** The one error body of the API. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}

const respond = (
  statusCode: number,
  body: ErrorBody,
  headers: Record<string, string> = {},
): APIGatewayProxyResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/**
 * Maps any thrown error to the JSON error body. Errors that carry an HTTP meaning keep
 * their code and message; anything else is logged and answered as a bare 500, with no
 * internals (message, stack, names) leaked to the client.
 */
export const jsonErrors = (): MiddlewareObj<unknown, APIGatewayProxyResultV2> => ({
  onError: async (request) => {
    const { error } = request;
    if (isHttpMappableError(error)) {
      const headers: Record<string, string> = {};
      const retryAfter = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      if (typeof retryAfter === 'number') headers['retry-after'] = String(retryAfter);
      request.response = respond(
        error.httpStatus,
        {
          error: {
            code: error.code,
            message: error.message,
            ...(error.details === undefined ? {} : { details: error.details }),
          },
        },
        headers,
      );
      return;
    }
    logger.error('Unhandled error', { error: describe(error) });
    request.response = respond(500, { error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side' } });
  },
});

const describe = (error: unknown) =>
  error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { value: String(error) };
