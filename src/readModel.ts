import { HttpError } from './errors';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface WaitForVersionOptions {
  /** How long a query may wait for the view. Default 1,500 ms. */
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/**
 * Read-your-writes: re-reads until `versionOf(result)` reaches `minVersion`, then answers
 * 503 VIEW_BEHIND with Retry-After. Without `minVersion` it reads once.
 */
export const readAtLeast = async <T>(
  read: () => Promise<T>,
  versionOf: (result: T) => number,
  minVersion: number | undefined,
  options: WaitForVersionOptions = {},
): Promise<T> => {
  const deadline = Date.now() + (options.timeoutMs ?? 1500);
  for (;;) {
    const result = await read();
    if (minVersion === undefined || versionOf(result) >= minVersion) return result;
    if (Date.now() >= deadline) {
      throw new HttpError(
        503,
        'VIEW_BEHIND',
        `The view has not caught up with version ${minVersion} yet; retry shortly`,
        { minVersion, viewVersion: versionOf(result) },
        1,
      );
    }
    await sleep(options.intervalMs ?? 50);
  }
};
