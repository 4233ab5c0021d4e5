/** Query results by SQL, parameters and the version of every table read (views transitively). */
import type { Field, Row } from "../model";

export interface CachedResult {
  schema: Field[];
  rows: Row[];
  bytes: number;
}

const MAX_ENTRIES = 256;
/** Rows held across all entries; the oldest entries go first. */
const MAX_TOTAL_ROWS = 500_000;

/** Callers share the cached rows: they must not mutate them. */
export class ResultCache {
  private readonly entries = new Map<string, CachedResult>();
  private totalRows = 0;

  get(key: string): CachedResult | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // Refresh its place: Map iteration order is insertion order, so the oldest is evicted first.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, result: CachedResult): void {
    if (result.rows.length > MAX_TOTAL_ROWS / 2) return;
    this.evict(key);
    this.entries.set(key, result);
    this.totalRows += result.rows.length;
    while (this.entries.size > MAX_ENTRIES || this.totalRows > MAX_TOTAL_ROWS) {
      this.evict(this.entries.keys().next().value as string);
    }
  }

  private evict(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.totalRows -= old.rows.length;
    this.entries.delete(key);
  }
}

/** Functions whose results change between runs: BigQuery does not cache queries that use them. */
export const isNonDeterministic = (sql: string): boolean =>
  /\b(CURRENT_(TIMESTAMP|DATE|DATETIME|TIME)|NOW|RAND|GENERATE_UUID|SESSION_USER)\b/i.test(sql);
