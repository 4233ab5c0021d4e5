/**
 * RANGE values. The canonical cell is "[start, end)", each bound its element's canonical text
 * (DATE "2024-01-01", DATETIME "2024-01-01T00:00:00", TIMESTAMP epoch microseconds) or UNBOUNDED,
 * the form BigQuery's REST API prints (TIMESTAMP bounds are converted there like TIMESTAMP cells).
 */
import { invalid } from "../errors";

/** A bound's canonical text, or null when unbounded. */
export interface RangeBounds {
  start: string | null;
  end: string | null;
}

export const UNBOUNDED = "UNBOUNDED";

export const rangeText = (r: RangeBounds): string => `[${r.start ?? UNBOUNDED}, ${r.end ?? UNBOUNDED})`;

/** Splits "[a, b)" into its bounds (UNBOUNDED and NULL, any case, are null); undefined when malformed. */
export function splitRange(text: string): RangeBounds | undefined {
  const m = /^\[\s*([^,]*?)\s*,\s*([^,]*?)\s*\)$/.exec(text.trim());
  if (!m) return undefined;
  const bound = (b: string): string | null => (/^(UNBOUNDED|NULL)$/i.test(b) ? null : b);
  return { start: bound(m[1]), end: bound(m[2]) };
}

export function rangeOf(text: string): RangeBounds {
  const r = splitRange(text);
  if (!r) throw invalid(`Invalid RANGE value: ${text}`);
  return r;
}
