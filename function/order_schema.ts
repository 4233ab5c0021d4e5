/**
 * What one order version must look like, and the per-row, per-field report of
 * everything wrong with a batch. The statuses come from the warehouse's list
 * (includes/order_statuses.json), so SQL and API agree on one source.
 */
import { z } from "zod";
import ORDER_STATUSES from "../includes/order_statuses.json";
import { toUtcMicros } from "./timestamps";

export { ORDER_STATUSES };

const MAX_ID_CHARS = 128;
const MAX_DETAILS_BYTES = 64 * 1024;

const byLowerCase = new Map(ORDER_STATUSES.map((s) => [s.toLowerCase(), s]));

/** The canonical spelling of a status given in any case, or undefined. */
export const canonicalStatus = (value: string): string | undefined => byLowerCase.get(value.toLowerCase());

// Missing and wrongly typed values get different messages: "is required" tells the client what to add.
const typed = (type: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : `must be a ${type}`),
});

// What /(Z|[+-]\d{2}:\d{2})$/i accepts, without a regex that tries every position of the text.
const ZONE_SUFFIX = /^[+-]\d{2}:\d{2}$/;
const hasZone = (v: string): boolean => v.endsWith("Z") || v.endsWith("z") || ZONE_SUFFIX.test(v.slice(-6));
// The pattern z.iso.datetime({ offset: true }) tests. The three checks run in one transform, first failure
// only (as a refine → pipe → transform chain would): a third of the zod steps per timestamp.
const RFC3339_DATETIME = z.regexes.datetime({ offset: true });

const timestamp = z.string(typed("string")).transform((v, ctx) => {
  const refused =
    !hasZone(v) ? "must carry a time zone (Z or ±hh:mm), e.g. 2025-08-08T10:00:00Z"
    : !RFC3339_DATETIME.test(v) ? "must be an RFC 3339 timestamp such as 2025-08-08T10:00:00Z"
    : undefined;
  const utc = refused === undefined ? toUtcMicros(v) : undefined;
  if (utc === undefined) {
    ctx.addIssue({ code: "custom", message: refused ?? "must be within years 0001-9999 and at most microsecond precision" });
    return z.NEVER;
  }
  return utc;
});

const identifier = (what: string) =>
  z
    .string(typed("string"))
    .min(1, `must be a non-empty ${what}`)
    .max(MAX_ID_CHARS, `must be at most ${MAX_ID_CHARS} characters`)
    .regex(/^[^\p{Cc}]*$/u, "must not contain control characters");

/** One order version as POSTed; unknown fields pass through untouched (they are kept raw). */
export const OrderSchema = z.looseObject(
  {
    order_id: identifier("string"),
    order_date: timestamp,
    order_status: z
      .string(typed("string"))
      .transform((v, ctx) => {
        const canonical = canonicalStatus(v);
        if (canonical === undefined) {
          ctx.addIssue({ code: "custom", message: `must be one of ${ORDER_STATUSES.join(", ")} (any case); got ${JSON.stringify(v).slice(0, 80)}` });
          return z.NEVER;
        }
        return canonical;
      }),
    order_details: z
      .string(typed("string"))
      .refine((v) => Buffer.byteLength(v, "utf8") <= MAX_DETAILS_BYTES, `must be at most ${MAX_DETAILS_BYTES} bytes (64 KiB) in UTF-8`)
      .nullish(),
    updated_at: timestamp.nullish(),
    event_id: identifier("string").optional(),
  },
  { error: (issue) => (issue.code === "invalid_type" ? `each order must be a JSON object, got ${describe(issue.input)}` : undefined) },
);

export type Order = z.output<typeof OrderSchema>;

/** One problem in one row, as the 400 answer lists it. */
export interface RowProblem {
  index: number;
  field: string | null;
  message: string;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? "a string" : typeof value === "number" ? "a number" : typeof value;
}

/** A validated order together with the object the client sent, kept as the raw payload. */
export interface ValidOrder {
  order: Order;
  raw: unknown;
}

/**
 * How far order_date and updated_at may lie after the server clock: client clocks drift.
 * The warehouse asserts the same bound (includes/constants.js CLOCK_SKEW_TOLERANCE_SECONDS);
 * a test keeps the two equal.
 */
export const CLOCK_SKEW_SECONDS = 300;

/** The latest instant accepted for order_date and updated_at, as a canonical UTC string. */
const latestAccepted = (now: Date): string => toUtcMicros(new Date(now.getTime() + CLOCK_SKEW_SECONDS * 1000).toISOString()) as string;

// Canonical UTC strings of fixed width compare like the instants they name (microseconds included).
const isFuture = (value: string | null | undefined, latest: string): boolean => typeof value === "string" && value > latest;

/**
 * Checks every row and reports every bad field of every row, so a client can fix a batch in one round.
 * @param now - the server clock, against which future timestamps are refused
 * @returns the valid orders in input order, or the list of problems (then nothing may be stored)
 */
export const validateOrders = (
  rows: readonly unknown[],
  now: Date = new Date(),
): { ok: true; orders: ValidOrder[] } | { ok: false; problems: RowProblem[] } => {
  const orders: ValidOrder[] = [];
  const problems: RowProblem[] = [];
  const latest = latestAccepted(now);
  const futureMessage = `must not be in the future (more than ${CLOCK_SKEW_SECONDS} s after the server clock, ${now.toISOString()})`;
  rows.forEach((raw, index) => {
    const result = OrderSchema.safeParse(raw);
    if (result.success) {
      const order = result.data;
      const dateFuture = isFuture(order.order_date, latest);
      const updatedFuture = isFuture(order.updated_at, latest);
      if (dateFuture) problems.push({ index, field: "order_date", message: futureMessage });
      if (updatedFuture) problems.push({ index, field: "updated_at", message: futureMessage });
      if (!dateFuture && !updatedFuture) orders.push({ order, raw });
      return;
    }
    for (const issue of result.error.issues) {
      problems.push({ index, field: issue.path.length ? issue.path.map(String).join(".") : null, message: issue.message });
    }
  });
  return problems.length ? { ok: false, problems } : { ok: true, orders };
};
