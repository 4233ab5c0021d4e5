/**
 * RANGE values from JSON input (insertAll rows, query parameters) to the canonical cell
 * "[start, end)". BigQuery takes the text form "[2024-01-01, 2024-02-01)" or an object
 * {start, end} (what @google-cloud/bigquery sends for a BigQueryRange); an absent, null, NULL
 * or UNBOUNDED bound is unbounded. Each bound is checked as a value of the element type.
 */
import type { RangeElementType } from "../model";
import { rangeText, splitRange } from "../engine/range_value";
import { normalizeScalar, type ScalarResult } from "./scalars";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function normalizeRange(element: RangeElementType | undefined, input: unknown): ScalarResult {
  if (!element) return { ok: false, message: "A RANGE field needs a rangeElementType" };
  let bounds: { start: unknown; end: unknown } | undefined;
  if (typeof input === "string") bounds = splitRange(input);
  else if (isObject(input)) bounds = { start: input.start, end: input.end };
  if (!bounds) return { ok: false, message: `Invalid RANGE value: ${typeof input === "string" ? input : JSON.stringify(input)}` };
  const out: (string | null)[] = [];
  for (const b of [bounds.start, bounds.end]) {
    if (b === null || b === undefined || (typeof b === "string" && /^\s*(UNBOUNDED|NULL)\s*$/i.test(b))) {
      out.push(null);
      continue;
    }
    const bound = normalizeScalar(element, b);
    if (!bound.ok) return bound;
    out.push(bound.value);
  }
  const [start, end] = out;
  // GoogleSQL: a range's start must be before its end (DATE and DATETIME canonical texts sort as they compare).
  if (start !== null && end !== null && !(element === "TIMESTAMP" ? BigInt(start) < BigInt(end) : start < end)) {
    return { ok: false, message: `Invalid RANGE value: its start must be before its end` };
  }
  return { ok: true, value: rangeText({ start, end }) };
}
