/**
 * tabledata.insertAll's de-duplication window: the insertIds each table saw recently. Held in
 * memory (one Map, oldest first) and logged in the database with the rows they came with, so a
 * restart remembers them. Claims made inside a transaction stay pending until it commits.
 */

/**
 * How long an insertId is remembered per table. BigQuery documents best-effort de-duplication
 * over "at least one minute"; ten minutes also covers a client's retries across a restart.
 */
export const DEFAULT_DEDUP_WINDOW_MS = 10 * 60 * 1000;

/**
 * At most this many ids are remembered (the oldest are forgotten first): under a sustained
 * stream of more than MAX_IDS per window the window shortens rather than memory growing.
 */
export const MAX_IDS = 1_000_000;

const keyOf = (tid: number, id: string): string => `${tid}\u0000${id}`;

/** The claims of one transaction. */
export class PendingClaims {
  readonly entries: { tid: number; id: string }[] = [];
  private readonly keys = new Set<string>();

  has(tid: number, id: string): boolean {
    return this.keys.has(keyOf(tid, id));
  }

  add(tid: number, id: string): void {
    this.keys.add(keyOf(tid, id));
    this.entries.push({ tid, id });
  }
}

export class InsertIdWindow {
  /** key -> epoch ms of its claim, in claim order. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Whether the id was claimed for the table within the window, by a commit or by `pending`. */
  seenRecently(tid: number, id: string, pending: PendingClaims): boolean {
    if (pending.has(tid, id)) return true;
    const at = this.seen.get(keyOf(tid, id));
    return at !== undefined && at >= this.now() - this.windowMs;
  }

  /** Records committed claims (also those loaded from the log at start). */
  commit(entries: readonly { tid: number; id: string }[], at = this.now()): void {
    for (const { tid, id } of entries) {
      const key = keyOf(tid, id);
      // Re-inserting moves the key to the end, keeping the Map in claim order.
      this.seen.delete(key);
      this.seen.set(key, at);
    }
    this.prune();
  }

  /** Forgets every id of a table (dropped or replaced). */
  forgetTable(tid: number): void {
    const prefix = `${tid}\u0000`;
    for (const key of this.seen.keys()) if (key.startsWith(prefix)) this.seen.delete(key);
  }

  /** The oldest claim still remembered: the log keeps nothing older. */
  cutoff(): number {
    return this.now() - this.windowMs;
  }

  private prune(): void {
    const cutoff = this.cutoff();
    for (const [key, at] of this.seen) {
      if (at >= cutoff && this.seen.size <= MAX_IDS) break;
      this.seen.delete(key);
    }
  }
}
