import type { DomainEvent } from '../contracts';
import { getOwn } from '../records';

/** An event as stored: its payload is at schema version `v` (absent means 1). */
export interface StoredEvent {
  readonly type: string;
  readonly data: unknown;
  readonly v?: number;
}

/**
 * For each event type that changed shape, its upcasters in order: element `i` turns the
 * data of schema version `i + 1` into version `i + 2`, and the last one must return the
 * current shape of that event type. A type without upcasters is at version 1.
 *
 * An upcaster that answers `null` drops the event on read: the way out for a bad event
 * already in the log (events are never edited in place). Commands, projections, rebuild and
 * the events route then all see the stream without it; its commit keeps its version.
 */
export type Upcasters<TEvent extends DomainEvent> = {
  readonly [K in TEvent['type']]?: readonly [
    // biome-ignore lint/suspicious/noExplicitAny: each version's upcaster takes a different input type
    ...((data: any) => unknown)[],
    // biome-ignore lint/suspicious/noExplicitAny: each version's upcaster takes a different input type
    (data: any) => Extract<TEvent, { type: K }>['data'] | null,
  ];
};

/** Stamps events with their schema version on write and upcasts old shapes on read. */
export interface EventSchema {
  /** The event as stored: with its current schema version when that is above 1. */
  toStored(event: DomainEvent, streamType?: string): StoredEvent;
  /** The event in its current shape, whatever version it was stored at; null if an upcaster dropped it. */
  fromStored(event: StoredEvent, streamType?: string): DomainEvent | null;
}

/**
 * One schema per stream type, for a store that several aggregates share: each commit is
 * encoded and decoded with its own aggregate's upcasters. An unknown stream type throws.
 */
export const schemaByStreamType = (schemas: Readonly<Record<string, EventSchema>>): EventSchema => {
  const of = (streamType: string | undefined) => {
    const schema = streamType === undefined ? undefined : getOwn(schemas, streamType);
    if (!schema)
      throw new Error(`No event schema for stream type ${streamType}; known: ${Object.keys(schemas).join(', ')}`);
    return schema;
  };
  return {
    toStored: (event, streamType) => of(streamType).toStored(event, streamType),
    fromStored: (event, streamType) => of(streamType).fromStored(event, streamType),
  };
};

/** The schema of events nobody has changed yet: everything at version 1. */
export const identitySchema: EventSchema = {
  toStored: (event) => event,
  fromStored: ({ type, data }) => ({ type, data }),
};

export const eventSchema = <TEvent extends DomainEvent>(upcasters: Upcasters<TEvent>): EventSchema => {
  const chains = upcasters as Readonly<Record<string, readonly ((data: unknown) => unknown)[] | undefined>>;
  const current = (type: string) => (getOwn(chains, type)?.length ?? 0) + 1;
  return {
    toStored(event) {
      const v = current(event.type);
      return v === 1 ? event : { ...event, v };
    },
    fromStored({ type, data, v = 1 }) {
      const chain = getOwn(chains, type) ?? [];
      if (!Number.isInteger(v) || v < 1 || v > chain.length + 1) {
        throw new Error(`Event ${type} has schema version ${v}; this code knows 1 to ${chain.length + 1}`);
      }
      let upcasted = data;
      for (let from = v; from <= chain.length && upcasted !== null; from += 1) upcasted = chain[from - 1]!(upcasted);
      return upcasted === null ? null : { type, data: upcasted };
    },
  };
};
