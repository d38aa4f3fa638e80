/**
 * Projections specified like deciders: given the commits of some streams, delivered the way Lambda
 * may deliver them (twice, out of order, with gaps), then the view. The same spec runs on every
 * view-store adapter: `inMemoryViewStores` in unit tests, `dynamoDbViewStores(...)` against
 * DynamoDB Local.
 *
 *   const view = await givenCommits(orders, { O1: [[orderPlaced], [itemAdded]] })
 *     .project(ordersView, inMemoryViewStores);
 *   await view.deliver('O1', deliveries.twice);
 *   await view.thenView('O1', { version: 2, state: { ... } });
 *
 * It asserts with the test runner's global `expect` (jest, or vitest with globals): import it from
 * tests only (`<kit>/testing`, never the kit's main entry, so no Lambda bundle carries it).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CounterView, StreamView } from '../app/definition';
import type { Commit } from '../eventStore/eventStore';
import type { DomainEvent } from '../contracts';
import { InMemoryEventStore } from '../eventStore/inMemoryEventStore';
import { dynamoDbCounterViewStore, readCounterTotals } from '../projection/counterViewProjection';
import { streamViewStore } from '../projection/streamViewProjection';
import type { ApplyOutcome } from '../projection/commitProjection';
import {
  exactlyOnceProjection,
  inMemoryCounterViewStore,
  inMemoryStreamViewStore,
  type ViewStore,
} from '../projection/viewStore';

// biome-ignore lint/suspicious/noExplicitAny: a spec takes any app's views
type AnyStreamView = StreamView<any, any>;
// biome-ignore lint/suspicious/noExplicitAny: a spec takes any app's views
type AnyCounterView = CounterView<any, any>;

/** A view-store adapter under test: a fresh store for each view, and a counter view's totals. */
export interface ViewStoreTarget {
  streamStore(view: AnyStreamView): Promise<ViewStore<unknown>>;
  counterStore(
    view: AnyCounterView,
  ): Promise<{ views: ViewStore<unknown>; totals(key: string): Promise<Readonly<Record<string, number>>> }>;
}

/** The kit's in-memory view stores. */
export const inMemoryViewStores: ViewStoreTarget = {
  streamStore: async () => inMemoryStreamViewStore(),
  counterStore: async (view) => {
    const views = inMemoryCounterViewStore(view.contributions);
    return { views, totals: async (key) => views.totals(key) };
  },
};

/**
 * The kit's DynamoDB view stores, each view in a fresh table that `createTable` makes (with the
 * key schema the kit's tables have; see the app's deploy template) and names.
 */
export const dynamoDbViewStores = (
  client: DynamoDBDocumentClient,
  createTable: (kind: 'stream' | 'counter', view: AnyStreamView | AnyCounterView) => Promise<string>,
): ViewStoreTarget => ({
  streamStore: async (view) =>
    streamViewStore<object>({
      client,
      tableName: await createTable('stream', view),
      keyAttribute: view.key,
      children: view.children,
    }) as ViewStore<unknown>,
  counterStore: async (view) => {
    const tableName = await createTable('counter', view);
    return {
      views: dynamoDbCounterViewStore({
        client,
        tableName,
        contributions: view.contributions,
        children: view.children,
      }),
      totals: (key) => readCounterTotals(client, tableName, key),
    };
  },
});

/** How a stream's commits arrive: the batches of one delivery, in the order Lambda hands them over. */
export type Delivery = (commits: readonly Commit[]) => readonly (readonly Commit[])[];

/** Deliveries Lambda really makes (at-least-once, per-item order only, batches cut anywhere). */
export const deliveries = {
  /** All commits in one batch, in order. */
  inOrder: ((commits) => [commits]) as Delivery,
  /** One commit a batch. */
  oneByOne: ((commits) => commits.map((c) => [c])) as Delivery,
  /** The whole batch, then all of it again (a retried batch). */
  twice: ((commits) => [commits, commits]) as Delivery,
  /** All commits in one batch, last first. */
  reversed: ((commits) => [[...commits].reverse()]) as Delivery,
  /** The first commit, then the last before the ones between (a gap the projection heals from the store). */
  gap: ((commits) => [commits.slice(0, 1), commits.slice(-1), commits]) as Delivery,
};

/** Where a stream's view stands, without the store's own bookkeeping (its opaque token). */
export interface ViewAt {
  readonly version: number;
  readonly state: unknown;
}

export interface Projected {
  /** The commits written for each stream, in version order. */
  readonly commits: Readonly<Record<string, readonly Commit[]>>;
  /** Applies a stream's commits as `delivery` hands them over (all at once by default); one outcome a batch. */
  deliver(streamId: string, delivery?: Delivery | readonly (readonly Commit[])[]): Promise<ApplyOutcome[]>;
  /** The view of one stream (a stream view's item, a counter view's folded source). */
  view(streamId: string): Promise<ViewAt>;
  /** Expects the view of one stream to equal `expected`. */
  thenView(streamId: string, expected: ViewAt): Promise<void>;
  /** Expects a counter view's totals for `key` (counters at 0 left out) to equal `expected`. */
  thenTotals(key: string, expected: Readonly<Record<string, number>>): Promise<void>;
}

export interface GivenCommits<TEvent extends DomainEvent> {
  /** The event store holding the given commits (a projection heals gaps from it). */
  readonly store: InMemoryEventStore;
  readonly commits: Readonly<Record<string, readonly Commit<TEvent>[]>>;
  /** The view fed by those commits, kept in a fresh store of `target`. */
  project(
    view: AnyStreamView | AnyCounterView,
    target: ViewStoreTarget,
    options?: { maxAttempts?: number },
  ): Promise<Projected>;
}

const GIVEN_AT = '2026-06-01T00:00:00.000Z';

/**
 * Given these commits (one inner array of events per commit) on streams of `aggregate`, written to
 * an in-memory event store at `at`.
 */
export const givenCommits = async <TEvent extends DomainEvent>(
  aggregate: { readonly streamType: string },
  streams: Readonly<Record<string, readonly (readonly TEvent[])[]>>,
  at: string = GIVEN_AT,
): Promise<GivenCommits<TEvent>> => {
  const store = new InMemoryEventStore();
  const commits: Record<string, Commit<TEvent>[]> = {};
  for (const [streamId, events] of Object.entries(streams)) {
    const written: Commit<TEvent>[] = [];
    for (const [i, commitEvents] of events.entries()) {
      written.push(
        (await store.append({
          streamId,
          streamType: aggregate.streamType,
          expectedVersion: i,
          events: commitEvents as never,
          commandId: `${streamId}-${i}`,
          at,
        })) as Commit<TEvent>,
      );
    }
    commits[streamId] = written;
  }
  return {
    store,
    commits,
    project: async (view, target, options) => {
      const counter = view.kind === 'counter';
      const counterStore = counter ? await target.counterStore(view as AnyCounterView) : undefined;
      const views = counterStore?.views ?? (await target.streamStore(view as AnyStreamView));
      const projection = exactlyOnceProjection({
        name: view.name,
        streamType: view.aggregate.streamType,
        store,
        views,
        evolve: view.evolve as never,
        maxAttempts: options?.maxAttempts,
      });
      const viewOf = async (streamId: string): Promise<ViewAt> => {
        const { version, state } = await views.read(streamId);
        return { version, state };
      };
      return {
        commits,
        deliver: async (streamId, delivery = deliveries.inOrder) => {
          const batches = typeof delivery === 'function' ? delivery(commits[streamId] ?? []) : delivery;
          const outcomes: ApplyOutcome[] = [];
          for (const batch of batches) outcomes.push(await projection.applyCommits(streamId, batch));
          return outcomes;
        },
        view: viewOf,
        thenView: async (streamId, expected) => {
          expect(await viewOf(streamId)).toEqual(expected);
        },
        thenTotals: async (key, expected) => {
          if (!counterStore) throw new Error(`${view.name} is not a counter view: it has no totals`);
          const counted = Object.fromEntries(Object.entries(await counterStore.totals(key)).filter(([, n]) => n !== 0));
          expect({ view: view.name, totals: counted }).toEqual({ view: view.name, totals: expected });
        },
      };
    },
  };
};
