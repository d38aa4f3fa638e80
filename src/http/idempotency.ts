import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MiddlewareObj } from '@middy/core';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { HttpError } from '../errors';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7e]{1,128}$/;

export interface IdempotencyOptions {
  readonly client: DynamoDBClient;
  /** Table with partition key `id` (S) and TTL on `expiration`. */
  readonly tableName: string;
  /** How long a key is remembered. Default 24 h. */
  readonly expiresAfterSeconds?: number;
}

type Middleware = MiddlewareObj<APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Error, Context>;

/**
 * `Idempotency-Key` for command routes, on Powertools idempotency: the first request with a
 * key records IN_PROGRESS with a conditional write, runs, and stores its answer; a retry
 * with the same key and body gets that answer back and writes nothing. Keys are scoped to
 * the caller (the JWT's `sub`) and the function, and expire. The same key with another body
 * is 422; a retry while the first is still running is 409 (no window where both run).
 * Requests without the header are not touched.
 */
export const idempotentRequests = (options: IdempotencyOptions): Middleware => {
  const powertools = makeHandlerIdempotent({
    persistenceStore: new DynamoDBPersistenceLayer({ tableName: options.tableName, awsSdkV3Client: options.client }),
    config: new IdempotencyConfig({
      eventKeyJmesPath: `[requestContext.authorizer.jwt.claims.sub, headers."${IDEMPOTENCY_HEADER}"]`,
      // A key means "this exact request": same route, same path, same body.
      payloadValidationJmesPath: '[routeKey, rawPath, body]',
      expiresAfterSeconds: options.expiresAfterSeconds ?? 24 * 60 * 60,
    }),
  }) as Middleware;
  // Requests that own their key's record: their outcome is recorded (or the record released).
  const owners = new WeakSet<object>();
  return {
    before: async (request) => {
      const key = request.event.headers?.[IDEMPOTENCY_HEADER];
      if (key === undefined) return undefined;
      if (!KEY_PATTERN.test(key)) {
        throw new HttpError(400, 'VALIDATION_ERROR', 'Idempotency-Key is 1 to 128 printable characters', [
          { path: 'Idempotency-Key', message: 'must be 1 to 128 printable ASCII characters' },
        ]);
      }
      try {
        const replay = await powertools.before!(request);
        if (replay === undefined) owners.add(request);
        return replay;
      } catch (error) {
        // Never release the record here: it belongs to the first request with this key.
        if (error instanceof IdempotencyValidationError) {
          throw new HttpError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request');
        }
        if (error instanceof IdempotencyAlreadyInProgressError) {
          throw new HttpError(409, 'IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still running; retry shortly', undefined, 1);
        }
        throw error;
      }
    },
    after: async (request) => {
      if (owners.has(request)) await powertools.after!(request);
    },
    onError: async (request) => {
      if (owners.has(request)) await powertools.onError!(request);
    },
  };
};
