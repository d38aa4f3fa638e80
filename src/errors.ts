import type { HttpMappableError } from './contracts';

/** An error with an HTTP meaning, raised by the kit itself (validation, auth, conflicts). */
export class HttpError extends Error implements HttpMappableError {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Sent as `Retry-After` when set (503s). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** True for any error that carries its own HTTP answer, whether the kit's or a domain's. */
export const isHttpMappableError = (error: unknown): error is HttpMappableError => {
  if (typeof error !== 'object' || error === null) return false;
  const { code, httpStatus, message } = error as Partial<HttpMappableError>;
  return (
    typeof code === 'string' &&
    typeof message === 'string' &&
    typeof httpStatus === 'number' &&
    httpStatus >= 400 &&
    httpStatus < 600
  );
};
