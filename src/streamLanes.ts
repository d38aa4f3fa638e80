/** A stream's lane: one job in flight (`busy`), those that arrived meanwhile waiting, and what runs after it. */
export interface Lane<TJob> {
  busy: boolean;
  readonly waiting: TJob[];
  /** Runs when the job in flight settles: frees the lane, or hands the waiting jobs to the drain. */
  readonly next: () => void;
}

/** Idle lanes kept before a sweep (see `StreamLanes`): one a stream, a few dozen bytes each. */
export const IDLE_LANES = 1000;

/**
 * The lanes of one `CommandPipeline`, one a stream. Idle lanes stay: a command on a stream
 * already seen changes no map (adding and deleting an entry per command left about 150 bytes of
 * old-space garbage each: docs/performance.md, "What the in-memory store keeps"). When the map
 * holds `limit` lanes the idle ones go, and the limit becomes twice what is left busy (at least
 * `IDLE_LANES`), so sweeps stay rare however many streams are served or in flight.
 */
export class StreamLanes<TJob> {
  private readonly lanes = new Map<string, Lane<TJob>>();
  private limit = IDLE_LANES;

  /** `drain` runs a lane's waiting jobs and sets `busy` false once none is left. */
  constructor(private readonly drain: (streamId: string, lane: Lane<TJob>) => void) {}

  /** The stream's lane, opened idle if it has none. */
  get(streamId: string): Lane<TJob> {
    return this.lanes.get(streamId) ?? this.open(streamId);
  }

  get size(): number {
    return this.lanes.size;
  }

  private open(streamId: string): Lane<TJob> {
    if (this.lanes.size >= this.limit) {
      for (const [id, kept] of this.lanes) if (!kept.busy) this.lanes.delete(id);
      this.limit = Math.max(IDLE_LANES, 2 * this.lanes.size);
    }
    const lane: Lane<TJob> = {
      busy: false,
      waiting: [],
      next: () => {
        if (lane.waiting.length > 0) this.drain(streamId, lane);
        else lane.busy = false;
      },
    };
    this.lanes.set(streamId, lane);
    return lane;
  }
}
