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
 * At most this many ids are remembered in all tables (the oldest are forgotten first): under a
 * sustained stream of more than MAX_IDS per window the window shortens rather than memory growing.
 */
export const MAX_IDS = 1_000_000;

/** The claims of one transaction. */
export class PendingClaims {
  readonly entries: { tid: number; id: string }[] = [];
  // One Set per table: the id strings are the keys as parsed, so each is hashed once (no joined key per lookup).
  private readonly byTable = new Map<number, Set<string>>();

  has(tid: number, id: string): boolean {
    return this.byTable.get(tid)?.has(id) ?? false;
  }

  add(tid: number, id: string): void {
    let ids = this.byTable.get(tid);
    if (!ids) this.byTable.set(tid, (ids = new Set()));
    ids.add(id);
    this.entries.push({ tid, id });
  }
}

export class InsertIdWindow {
  /** Per table: id -> epoch ms of its claim, in claim order. */
  private readonly seen = new Map<number, Map<string, number>>();
  private size = 0;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
    private readonly maxIds = MAX_IDS,
  ) {}

  /** Whether the id was claimed for the table within the window, by a commit or by `pending`. */
  seenRecently(tid: number, id: string, pending: PendingClaims): boolean {
    if (pending.has(tid, id)) return true;
    const at = this.seen.get(tid)?.get(id);
    return at !== undefined && at >= this.now() - this.windowMs;
  }

  /** Records committed claims (also those loaded from the log at start). */
  commit(entries: readonly { tid: number; id: string }[], at = this.now()): void {
    const touched = new Set<Map<string, number>>();
    for (const { tid, id } of entries) {
      let ids = this.seen.get(tid);
      if (!ids) this.seen.set(tid, (ids = new Map()));
      // Re-inserting moves the id to the end, keeping the Map in claim order.
      if (ids.delete(id)) this.size--;
      ids.set(id, at);
      this.size++;
      touched.add(ids);
    }
    const cutoff = this.cutoff();
    for (const ids of touched) {
      for (const [id, claimed] of ids) {
        if (claimed >= cutoff) break;
        ids.delete(id);
        this.size--;
      }
    }
    while (this.size > this.maxIds && this.forgetOldest());
  }

  /** Forgets every id of a table (dropped or replaced). */
  forgetTable(tid: number): void {
    this.size -= this.seen.get(tid)?.size ?? 0;
    this.seen.delete(tid);
  }

  /** The oldest claim still remembered: the log keeps nothing older. */
  cutoff(): number {
    return this.now() - this.windowMs;
  }

  /** Forgets the oldest claim of all tables (each table's first); false when none is held. */
  private forgetOldest(): boolean {
    let oldest: { ids: Map<string, number>; id: string; at: number } | undefined;
    for (const ids of this.seen.values()) {
      const first = ids.entries().next();
      if (!first.done && (oldest === undefined || first.value[1] < oldest.at)) oldest = { ids, id: first.value[0], at: first.value[1] };
    }
    if (!oldest) return false;
    oldest.ids.delete(oldest.id);
    this.size--;
    return true;
  }
}
