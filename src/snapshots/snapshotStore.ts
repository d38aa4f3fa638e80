/** A stream's folded state at a version, taken by a given version of its reducer. */
export interface Snapshot<TState = unknown> {
  readonly streamId: string;
  readonly version: number;
  /** Snapshots from another reducer version are ignored: the fold they hold may be wrong now. */
  readonly reducerVersion: string;
  readonly state: TState;
}

/** Keeps the latest snapshot of each stream. A snapshot is an optimisation, never the truth. */
export interface SnapshotStore {
  get<TState>(streamId: string): Promise<Snapshot<TState> | undefined>;
  /** Stores `snapshot` unless a newer one is already there. */
  put<TState>(snapshot: Snapshot<TState>): Promise<void>;
}

export class InMemorySnapshotStore implements SnapshotStore {
  private readonly snapshots = new Map<string, string>();

  async get<TState>(streamId: string): Promise<Snapshot<TState> | undefined> {
    const json = this.snapshots.get(streamId);
    return json === undefined ? undefined : (JSON.parse(json) as Snapshot<TState>);
  }

  async put<TState>(snapshot: Snapshot<TState>): Promise<void> {
    const current = await this.get(snapshot.streamId);
    if (current && current.version >= snapshot.version) return;
    this.snapshots.set(snapshot.streamId, JSON.stringify(snapshot));
  }
}
