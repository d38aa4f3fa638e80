/**
 * Read-your-writes (`?minVersion=N`): a query re-reads its view until it has caught up with
 * the version a command answered, and otherwise answers 503 VIEW_BEHIND with Retry-After.
 * The clock is jest's fake one: the waits are checked exactly, with no real time passing.
 */
import { HttpError, readAtLeast } from '../src';

const viewAt = (...versions: number[]) => {
  const reads = { count: 0 };
  const read = async () => ({ version: versions[Math.min(reads.count++, versions.length - 1)] ?? 0 });
  return { read, reads };
};
const versionOf = (view: { version: number }) => view.version;

describe('readAtLeast', () => {
  afterEach(() => jest.useRealTimers());

  it('reads once when no version is asked for', async () => {
    const { read, reads } = viewAt(0, 5);
    expect(await readAtLeast(read, versionOf, undefined)).toEqual({ version: 0 });
    expect(reads.count).toBe(1);
  });

  it('answers a view already at the version, or past it, at once', async () => {
    for (const at of [3, 4]) {
      const { read, reads } = viewAt(at);
      expect(await readAtLeast(read, versionOf, 3)).toEqual({ version: at });
      expect(reads.count).toBe(1);
    }
  });

  it('re-reads every intervalMs until the view catches up', async () => {
    jest.useFakeTimers();
    const { read, reads } = viewAt(1, 2, 3);
    const result = readAtLeast(read, versionOf, 3, { intervalMs: 20, timeoutMs: 1000 });
    await jest.advanceTimersByTimeAsync(19);
    expect(reads.count).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(reads.count).toBe(2);
    await jest.advanceTimersByTimeAsync(20);
    expect(await result).toEqual({ version: 3 });
    expect(reads.count).toBe(3);
  });

  it('by default re-reads every 50 ms and gives up after 1,500 ms with 503 VIEW_BEHIND and Retry-After', async () => {
    jest.useFakeTimers();
    const { read, reads } = viewAt(1);
    const outcome = readAtLeast(read, versionOf, 2).catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(49);
    expect(reads.count).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(reads.count).toBe(2);
    await jest.advanceTimersByTimeAsync(1400);
    expect(reads.count).toBe(30);
    await jest.advanceTimersByTimeAsync(50);
    const error = await outcome;
    expect(reads.count).toBe(31);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({
      httpStatus: 503,
      code: 'VIEW_BEHIND',
      details: { minVersion: 2, viewVersion: 1 },
      retryAfterSeconds: 1,
    });
  });
});
