/**
 * `Idempotency-Key` made exactly-once. A key names one command of one caller: everything the
 * command would otherwise draw at random — its command id and the ids of what it creates — is
 * derived from (caller, command, key), and the key is recorded in the same atomic write as
 * the commit (see `AppendInput.key`). So whatever fails between the client and the table, a
 * retry either finds the key recorded (and answers from it) or runs a command that never took
 * effect, with the same ids as the first attempt.
 */
import { createHash } from 'node:crypto';
import { HttpError } from './errors';
import { canonicalJson } from './json';

export { canonicalJson };

/** The request header (lower case, as API Gateway passes headers). */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7e]{1,128}$/;
/** How long a key is remembered: a retry within this time is answered from the record. */
export const KEY_LIFETIME_SECONDS = 24 * 60 * 60;
/**
 * The expiry of a key that is never forgotten (9999-12-31T23:59:59Z: the table's TTL never reaches it).
 * A reaction's caused command gets it: its record may be redelivered long after a day (a redrive of a
 * dead letter, a rebuild of the reactions), and its key is what makes its effect happen once.
 */
export const KEY_KEPT_FOREVER = 253_402_300_799;

/** When a key recorded now expires: a client's after `KEY_LIFETIME_SECONDS`, a caused command's never. */
export const keyExpiresAt = (caused: boolean, nowMs: number = Date.now()): number =>
  caused ? KEY_KEPT_FOREVER : Math.floor(nowMs / 1000) + KEY_LIFETIME_SECONDS;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** A UUID (version 8: "custom", RFC 9562) drawn from a hash instead of at random. */
export const uuidFrom = (seed: string): string => {
  const bytes = sha256(seed).subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** What a keyed command uses instead of random ids, and how it recognises a retry. */
export interface KeyedCommand {
  /** The key record's id: one per (caller, command, key). */
  readonly id: string;
  /** Hash of the request as JSON (path parameters and body): a retry must send the same. */
  readonly fingerprint: string;
  /** The commit's command id. */
  readonly commandId: string;
  /** Ids for what the command creates: the same sequence on every attempt. */
  readonly newId: () => string;
}

/**
 * The keyed form of a command, or undefined without a key. A key is 1 to 128 printable ASCII
 * characters, else 400. `command` names the command the same way for every way of calling it
 * (REST or GraphQL), so a key means one command whichever way it is retried.
 */
export const keyedCommand = (options: {
  caller: string;
  command: string;
  key: unknown;
  request: unknown;
}): KeyedCommand | undefined => {
  const { key } = options;
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw new HttpError(400, 'VALIDATION_ERROR', 'Idempotency-Key is 1 to 128 printable characters', [
      { path: 'Idempotency-Key', message: 'must be 1 to 128 printable ASCII characters' },
    ]);
  }
  const id = `command#${sha256(canonicalJson([options.caller, options.command, key])).toString('hex')}`;
  let drawn = 0;
  return {
    id,
    fingerprint: sha256(canonicalJson(options.request)).toString('base64url'),
    commandId: uuidFrom(`${id}#command`),
    newId: () => {
      drawn += 1;
      return uuidFrom(`${id}#id#${drawn}`);
    },
  };
};

/** The same key sent with another request. */
export const keyReused = () =>
  new HttpError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request');
