/**
 * Per-table shared/exclusive locks, first come first served. Appends share a table (DuckDB
 * appends from concurrent transactions never conflict); DDL and DML take it alone (DuckDB
 * refuses to alter a table with uncommitted appends, and read-modify-write must not interleave).
 * Queries take no lock: each reads a committed snapshot.
 */
interface Waiter {
  exclusive: boolean;
  grant: () => void;
}

interface LockState {
  holders: number;
  exclusive: boolean;
  queue: Waiter[];
}

export class TableLocks {
  private readonly states = new Map<string, LockState>();

  /** Runs fn holding every key (shared or exclusive); keys are taken in sorted order, so two callers never deadlock. */
  async run<T>(keys: readonly string[], mode: "shared" | "exclusive", fn: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const exclusive = mode === "exclusive";
    const taken: string[] = [];
    try {
      for (const key of sorted) {
        await this.acquire(key, exclusive);
        taken.push(key);
      }
      return await fn();
    } finally {
      for (const key of taken.reverse()) this.release(key);
    }
  }

  private acquire(key: string, exclusive: boolean): Promise<void> {
    let state = this.states.get(key);
    if (!state) {
      state = { holders: 0, exclusive: false, queue: [] };
      this.states.set(key, state);
    }
    const free = state.queue.length === 0 && (state.holders === 0 || (!exclusive && !state.exclusive));
    if (free) {
      state.holders++;
      state.exclusive = exclusive;
      return Promise.resolve();
    }
    return new Promise((grant) => (state as LockState).queue.push({ exclusive, grant }));
  }

  private release(key: string): void {
    const state = this.states.get(key) as LockState;
    state.holders--;
    if (state.holders === 0) state.exclusive = false;
    // Grant waiters in order: one exclusive, or every shared one up to the next exclusive.
    while (state.queue.length > 0) {
      const next = state.queue[0];
      if (state.holders > 0 && (next.exclusive || state.exclusive)) break;
      state.queue.shift();
      state.holders++;
      state.exclusive = next.exclusive;
      next.grant();
      if (next.exclusive) break;
    }
    if (state.holders === 0 && state.queue.length === 0) this.states.delete(key);
  }
}
