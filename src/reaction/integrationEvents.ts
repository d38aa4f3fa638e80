/**
 * Where integration events go: a small port (`send(entries)`) with an EventBridge adapter (the bus
 * the stack creates), a JSON-lines file adapter for the local stack (`.dynamodb/…`, shown in the
 * console) and an in-memory one for tests. Delivery is at least once (a redelivered stream record
 * publishes again): consumers deduplicate by `id`, the causing commit's `<streamId>:<version>`.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** One integration event as it leaves the app. */
export interface IntegrationEntry {
  /** `<streamId>:<version>` of the causing commit (`#n` after it for its n-th further event): the deduplication id. */
  readonly id: string;
  /** The app (EventBridge's `source`). */
  readonly source: string;
  /** The public type (EventBridge's `detail-type`). */
  readonly type: string;
  /** The public shape; carries `id` too, since EventBridge assigns its own event ids. */
  readonly detail: Readonly<Record<string, unknown>>;
  /** When the causing commit was written. */
  readonly time: string;
}

export interface IntegrationPublisher {
  /** Sends every entry or throws (then the stream record is retried: at least once). */
  send(entries: readonly IntegrationEntry[]): Promise<void>;
}

/** EventBridge's PutEvents request entries (at most 10 a call, 256 KB in all). */
export const putEventsEntries = (busName: string, entries: readonly IntegrationEntry[]) =>
  entries.map((entry) => ({
    EventBusName: busName,
    Source: entry.source,
    DetailType: entry.type,
    Detail: JSON.stringify({ ...entry.detail, id: entry.id }),
    Time: new Date(entry.time),
  }));

/** What the EventBridge adapter needs of a client: `send(new PutEventsCommand(…))`. */
export interface PutEventsClient {
  putEvents(
    entries: ReturnType<typeof putEventsEntries>,
  ): Promise<{ FailedEntryCount?: number; Entries?: { ErrorCode?: string; ErrorMessage?: string }[] }>;
}

/** Publishes to an EventBridge bus, ten entries a call; a failed entry fails the batch (retried whole). */
export const eventBridgePublisher = (client: PutEventsClient, busName: string): IntegrationPublisher => ({
  async send(entries) {
    for (let i = 0; i < entries.length; i += 10) {
      const answer = await client.putEvents(putEventsEntries(busName, entries.slice(i, i + 10)));
      if ((answer.FailedEntryCount ?? 0) > 0) {
        const first = answer.Entries?.find((e) => e.ErrorCode);
        throw new Error(
          `EventBridge refused ${answer.FailedEntryCount} events: ${first?.ErrorCode} ${first?.ErrorMessage ?? ''}`,
        );
      }
    }
  },
});

/** The local stand-in for the bus: one JSON line per event, in the file the console reads. */
export const fileIntegrationPublisher = (file: string): IntegrationPublisher => ({
  async send(entries) {
    if (entries.length === 0) return;
    mkdirSync(path.dirname(file), { recursive: true });
    appendFileSync(file, entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
  },
});

/** Keeps what it is sent (tests). */
export const inMemoryIntegrationPublisher = () => {
  const sent: IntegrationEntry[] = [];
  return {
    sent,
    send: async (entries: readonly IntegrationEntry[]) => void sent.push(...entries),
  } satisfies IntegrationPublisher & { sent: IntegrationEntry[] };
};
