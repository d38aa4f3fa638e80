/** A stream's folded state at a version, kept in the container between commands. */
export interface CachedState<TState> {
  readonly state: TState;
  readonly version: number;
}

/**
 * A bounded LRU of folded states (Equinox-style). A command on a warm stream skips the read
 * and appends with the cached version as the expected version; if another container wrote
 * in between, the conditional append fails and the pipeline reloads. Never a source of truth.
 */
export class StateCache<TState> {
  private readonly entries = new Map<string, CachedState<TState>>();

  constructor(readonly maxEntries = 1000) {}

  get(streamId: string): CachedState<TState> | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      // Re-insert to mark as most recently used.
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  set(streamId: string, entry: CachedState<TState>): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  delete(streamId: string): void {
    this.entries.delete(streamId);
  }

  get size(): number {
    return this.entries.size;
  }
}
