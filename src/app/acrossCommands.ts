/**
 * How the runtime runs a command that decides on more than its own stream's state: a command
 * across streams (`commandAcross`), and a command that `reads` other streams (labelling an order reads
 * the caller's tags). Both go through `runAcrossStreams`: every stream read is checked in the same
 * atomic write as the commits, so no decision rests on a state that changed before the write.
 */
import type { CommandPipeline } from '../commandPipeline';
import type { DomainEvent } from '../contracts';
import { keyExpiresAt, type KeyedCommand } from '../commandKeys';
import type { EventStore } from '../eventStore';
import type { RouteRequest, RouteSchemas } from '../http/httpRoute';
import { newId } from '../ids';
import { hasOwn } from '../records';
import { runAcrossStreams, type CommandStream, type LoadedState, type MultiStreamInput } from '../multiStreamCommand';
import type { Aggregate, Command, CommandRequest } from './definition';

// biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
type AnyAggregate = Aggregate<any, any>;
// biome-ignore lint/suspicious/noExplicitAny: existential: any state and event type (unknown breaks variance)
type AnyCommand = Command<any, any, any, any>;
type Input<S extends RouteSchemas> = Pick<RouteRequest<S>, 'body' | 'params' | 'userId' | 'correlationId'> & {
  /** Set when a reaction caused the command (`<reaction>:<streamId>:<version>`). */
  readonly causationId?: string;
};

/** The name the command's own stream goes by beside the streams it reads (not a valid read name). */
const OWN = '#own';

export interface AcrossRunnerOptions {
  readonly store: EventStore;
  readonly pipelineOf: (aggregate: AnyAggregate) => CommandPipeline<unknown, DomainEvent>;
}

/** What a command across streams answered, and whether it wrote anything. */
export interface AcrossAnswer {
  readonly answer: Record<string, unknown>;
  readonly changed: boolean;
}

export const acrossRunner = ({ store, pipelineOf }: AcrossRunnerOptions) => {
  const aggregates = new Map<string, AnyAggregate>();
  const streamOf = (name: string, aggregate: AnyAggregate, id: string): CommandStream => {
    aggregates.set(aggregate.streamType, aggregate);
    return { name, aggregate, streamId: aggregate.streamIdOf(id) };
  };
  const options = {
    store,
    load: async (stream: CommandStream): Promise<LoadedState> =>
      pipelineOf(aggregates.get(stream.aggregate.streamType)!).load(stream.streamId),
    // As the pipeline does: every `snapshotEvery` commits, or at once after a load that found none usable,
    // the commit keeps the state after it, so the next load of a long stream stays one short read.
    snapshotOf: (stream: CommandStream, loaded: LoadedState, events: readonly DomainEvent[]) => {
      const aggregate = aggregates.get(stream.aggregate.streamType)!;
      const due = (loaded.version + 1) % (aggregate.snapshotEvery ?? 50) === 0 || loaded.needsSnapshot === true;
      if (!due) return undefined;
      return { reducerVersion: aggregate.reducerVersion ?? '1', state: events.reduce(aggregate.reducer, loaded.state) };
    },
    // A commit written here leaves the single-stream pipelines' caches behind: they forget it.
    onWritten: (streamId: string) => {
      for (const aggregate of aggregates.values()) {
        if (streamId.startsWith(aggregate.streamPrefix)) pipelineOf(aggregate).forget(streamId);
      }
    },
  };
  type Versions = Readonly<Record<string, number>>;
  const keyOf = (
    keyed: KeyedCommand | undefined,
    input: Input<RouteSchemas>,
    result: (versions: Versions) => object,
  ): MultiStreamInput['key'] =>
    keyed &&
    ((versions) => ({
      id: keyed.id,
      fingerprint: keyed.fingerprint,
      result: JSON.stringify(result(versions)),
      expiresAt: keyExpiresAt(input.causationId !== undefined),
    }));
  const common = (input: Input<RouteSchemas>, keyed: KeyedCommand | undefined) => ({
    ctx: { userId: input.userId, now: new Date().toISOString() },
    metadata: {
      userId: input.userId,
      correlationId: input.correlationId,
      // A reaction's caused command records its cause here too, as on a single stream.
      ...(input.causationId ? { causationId: input.causationId } : {}),
    },
    ...(keyed ? { commandId: keyed.commandId } : {}),
  });

  /** A `commandAcross` command: its streams from its payload, its action on their states. */
  const runAcross = async (
    command: AnyCommand,
    input: Input<RouteSchemas>,
    keyed: KeyedCommand | undefined,
  ): Promise<AcrossAnswer> => {
    const across = command.across!;
    const request: CommandRequest = { ...input, newId: keyed?.newId ?? newId, reads: {} };
    const payload = command.payload(request) as Record<string, unknown>;
    const streams = Object.entries(across.streams).map(([name, s]) =>
      streamOf(name, s.aggregate, s.id(payload, request)),
    );
    const [first, ...others] = streams.map((s) => s.name);
    // `version` is the first stream's; each other stream's is `<name>Version` (`toVersion`).
    const answerOf = (versions: Versions, withFirst: boolean) => ({
      ...payload,
      ...(withFirst ? { version: versions[first!] } : {}),
      ...Object.fromEntries(others.map((name) => [`${name}Version`, versions[name]])),
    });
    const ctx = common(input, keyed);
    const { versions, events } = await runAcrossStreams(options, {
      streams,
      decide: (states) => across.action(states, payload, ctx.ctx),
      ...ctx,
      key: keyOf(keyed, input, (versions) => answerOf(versions, false)),
    });
    return { answer: answerOf(versions, true), changed: Object.keys(events).length > 0 };
  };

  /** A command that reads other streams: they are loaded, then checked when its own stream is written. */
  const runWithReads = async (
    command: AnyCommand,
    input: Input<RouteSchemas>,
    keyed: KeyedCommand | undefined,
  ): Promise<AcrossAnswer> => {
    const reads = Object.entries(command.reads ?? {}).map(([name, read]) =>
      streamOf(name, read.aggregate, read.id(input)),
    );
    const preloaded = Object.fromEntries(
      await Promise.all(reads.map(async (s) => [s.name, await options.load(s)] as const)),
    );
    // Every decision draws the same new ids, in the same order: a retry on fresh states makes nothing new.
    const drawn: string[] = [];
    const requestOf = (states: Readonly<Record<string, unknown>>): CommandRequest => {
      let n = 0;
      const draw = () => (drawn[n++] ??= (keyed?.newId ?? newId)());
      return { ...input, newId: draw, reads: Object.fromEntries(reads.map((s) => [s.name, states[s.name]])) };
    };
    const first = requestOf(Object.fromEntries(Object.entries(preloaded).map(([name, { state }]) => [name, state])));
    // The payload of the decision that was written: mapped once per decision (it may draw new ids).
    let decided = { request: first, payload: command.payload(first) as unknown };
    const own = streamOf(OWN, command.aggregate, command.streamId(decided.payload, first));
    // The answer: the payload without the states it read (a user's tags are not part of tagging's answer).
    const answerOf = () =>
      Object.fromEntries(
        Object.entries((decided.payload ?? {}) as object).filter(([field]) => !hasOwn(decided.request.reads, field)),
      );
    const ctx = common(input, keyed);
    let decisions = 0;
    const { versions, events } = await runAcrossStreams(options, {
      streams: [own, ...reads],
      preloaded,
      decide: (states) => {
        // The first decision is on the preloaded reads; a retry maps the payload from fresh ones.
        decisions += 1;
        if (decisions > 1) {
          const request = requestOf(states);
          decided = { request, payload: command.payload(request) };
        }
        return { [OWN]: command.action(states[OWN], decided.payload, ctx.ctx) };
      },
      ...ctx,
      key: keyOf(keyed, input, answerOf),
    });
    return { answer: { ...answerOf(), version: versions[OWN] }, changed: Object.keys(events).length > 0 };
  };

  return (command: AnyCommand, input: Input<RouteSchemas>, keyed: KeyedCommand | undefined) =>
    command.across ? runAcross(command, input, keyed) : runWithReads(command, input, keyed);
};
