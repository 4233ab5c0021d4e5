/** Query results by SQL, parameters and the version of every table read (views transitively). */
import type { Field, Row } from "../model";

export interface CachedResult {
  schema: Field[];
  rows: Row[];
  bytes: number;
}

const MAX_ENTRIES = 256;
const MAX_ROWS = 200_000;

export class ResultCache {
  private readonly entries = new Map<string, CachedResult>();

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
    if (result.rows.length > MAX_ROWS) return;
    this.entries.set(key, result);
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/** Functions whose results change between runs: BigQuery does not cache queries that use them. */
export const isNonDeterministic = (sql: string): boolean =>
  /\b(CURRENT_(TIMESTAMP|DATE|DATETIME|TIME)|NOW|RAND|GENERATE_UUID|SESSION_USER)\b/i.test(sql);
