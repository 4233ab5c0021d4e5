/** Validation of order versions: every rule of the issue, one row per case. */
import { CLOCK_SKEW_SECONDS, ORDER_STATUSES, validateOrders } from "../../function/order_schema";

const good = { order_id: "A1001", order_date: "2025-08-08T10:00:00Z", order_details: "Laptop, Mouse", order_status: "Processing" };

interface BadCase {
  name: string;
  order: unknown;
  field: string | null;
  message: RegExp;
}

const badCases: BadCase[] = [
  { name: "missing order_id", order: { ...good, order_id: undefined }, field: "order_id", message: /is required/ },
  { name: "empty order_id", order: { ...good, order_id: "" }, field: "order_id", message: /non-empty/ },
  { name: "order_id of 129 characters", order: { ...good, order_id: "x".repeat(129) }, field: "order_id", message: /at most 128/ },
  { name: "order_id with a newline", order: { ...good, order_id: "A\n1" }, field: "order_id", message: /control characters/ },
  { name: "numeric order_id", order: { ...good, order_id: 1001 }, field: "order_id", message: /must be a string/ },
  { name: "date without a zone", order: { ...good, order_date: "2025-08-08T10:00:00" }, field: "order_date", message: /time zone/ },
  { name: "date only", order: { ...good, order_date: "2025-08-08" }, field: "order_date", message: /time zone/ },
  { name: "impossible date", order: { ...good, order_date: "2025-02-30T10:00:00Z" }, field: "order_date", message: /RFC 3339/ },
  { name: "nanosecond precision", order: { ...good, order_date: "2025-08-08T10:00:00.123456789Z" }, field: "order_date", message: /microsecond/ },
  { name: "seven fraction digits", order: { ...good, order_date: "2025-08-08T10:00:00.1234567Z" }, field: "order_date", message: /microsecond/ },
  { name: "year 0000", order: { ...good, order_date: "0000-01-01T00:00:00Z" }, field: "order_date", message: /years 0001-9999/ },
  { name: "a lower-case z", order: { ...good, order_date: "2025-08-08T10:00:00z" }, field: "order_date", message: /RFC 3339/ },
  { name: "an offset without a colon", order: { ...good, order_date: "2025-08-08T10:00:00+0200" }, field: "order_date", message: /time zone/ },
  { name: "a zone only", order: { ...good, order_date: "+02:00" }, field: "order_date", message: /RFC 3339/ },
  { name: "missing order_date", order: { ...good, order_date: undefined }, field: "order_date", message: /is required/ },
  { name: "unknown status", order: { ...good, order_status: "Lost" }, field: "order_status", message: /must be one of Pending/ },
  { name: "missing status", order: { ...good, order_status: undefined }, field: "order_status", message: /is required/ },
  { name: "details above 64 KiB", order: { ...good, order_details: "é".repeat(32 * 1024 + 1) }, field: "order_details", message: /64 KiB/ },
  { name: "details not a string", order: { ...good, order_details: ["Laptop"] }, field: "order_details", message: /must be a string/ },
  { name: "updated_at without a zone", order: { ...good, updated_at: "2025-08-08T11:00:00" }, field: "updated_at", message: /time zone/ },
  { name: "event_id of 129 characters", order: { ...good, event_id: "e".repeat(129) }, field: "event_id", message: /at most 128/ },
  { name: "a number instead of an object", order: 42, field: null, message: /must be a JSON object, got a number/ },
  { name: "null instead of an object", order: null, field: null, message: /got null/ },
  { name: "an array instead of an object", order: [good], field: null, message: /got an array/ },
];

describe("validateOrders", () => {
  test.each(badCases)("rejects $name", ({ order, field, message }) => {
    const result = validateOrders([good, order]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toEqual({ index: 1, field, message: expect.stringMatching(message) });
  });

  test("lists every bad field of every bad row", () => {
    const result = validateOrders([{ order_id: "" }, good, { ...good, order_status: "x", order_date: "yesterday" }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.index, p.field])).toEqual([
      [0, "order_id"],
      [0, "order_date"],
      [0, "order_status"],
      [2, "order_date"],
      [2, "order_status"],
    ]);
  });

  test.each(ORDER_STATUSES.flatMap((s) => [s, s.toLowerCase(), s.toUpperCase()]))("takes status %s in any case and stores it canonical", (status) => {
    const result = validateOrders([{ ...good, order_status: status }]);
    expect(result.ok && result.orders[0].order.order_status).toBe(ORDER_STATUSES.find((s) => s.toLowerCase() === status.toLowerCase()));
  });

  test.each([
    ["2025-08-08T10:00:00Z", "2025-08-08T10:00:00.000000Z"],
    ["2025-08-08T12:30:00+02:30", "2025-08-08T10:00:00.000000Z"],
    ["2025-08-08T00:00:00.5-05:00", "2025-08-08T05:00:00.500000Z"],
    ["2025-12-31T23:59:59.999999-01:00", "2026-01-01T00:59:59.999999Z"],
    ["2025-08-08T10:00:00.123456000Z", "2025-08-08T10:00:00.123456Z"],
    ["2025-08-08T10:00:00.123456Z", "2025-08-08T10:00:00.123456Z"],
    ["2025-08-08T10:00:00.12Z", "2025-08-08T10:00:00.120000Z"],
    ["2025-08-08T10:00:00+00:00", "2025-08-08T10:00:00.000000Z"],
    ["0099-01-01T00:00:00Z", "0099-01-01T00:00:00.000000Z"],
  ])("stores %s in UTC as %s", (input, utc) => {
    const result = validateOrders([{ ...good, order_date: input, updated_at: input }]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.orders[0].order.order_date).toBe(utc);
    expect(result.orders[0].order.updated_at).toBe(utc);
  });

  test("keeps unknown fields and the raw object", () => {
    const sent = { ...good, coupon: "SUMMER", lines: [{ sku: "L1" }] };
    const result = validateOrders([sent]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.orders[0].raw).toBe(sent);
    expect(result.orders[0].order).toMatchObject({ coupon: "SUMMER", lines: [{ sku: "L1" }] });
  });

  test.each(["order_date", "updated_at"])("refuses %s more than the tolerated clock skew in the future", (field) => {
    const now = new Date("2025-08-08T10:00:00Z");
    expect(validateOrders([{ ...good, [field]: "2025-08-08T10:05:00Z" }], now).ok).toBe(true);
    const result = validateOrders([{ ...good, [field]: "2025-08-08T10:05:00.000001Z" }], now);
    expect(result).toEqual({ ok: false, problems: [{ index: 0, field, message: expect.stringMatching(/must not be in the future/) }] });
  });

  test("tolerates the same clock skew as the warehouse's assertion", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { CLOCK_SKEW_TOLERANCE_SECONDS } = require("../../includes/constants.js") as { CLOCK_SKEW_TOLERANCE_SECONDS: number };
    expect(CLOCK_SKEW_SECONDS).toBe(CLOCK_SKEW_TOLERANCE_SECONDS);
  });

  test("treats null optional fields as absent", () => {
    const result = validateOrders([{ ...good, order_details: null, updated_at: null }]);
    expect(result.ok).toBe(true);
  });
});
