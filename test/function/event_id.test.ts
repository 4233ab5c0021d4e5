/** Event ids: the client's key wins; otherwise equal versions, however written, share one SHA-256. */
import { derivedEventId, eventIdFor } from "../../function/event_id";
import { validateOrders, type Order } from "../../function/order_schema";

const order = (fields: Record<string, unknown>): Order => {
  const result = validateOrders([{ order_id: "A1", order_date: "2025-08-08T10:00:00Z", order_status: "Pending", ...fields }]);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.orders[0].order;
};

describe("eventIdFor", () => {
  test("is a hex SHA-256 when the client sends none", () => {
    expect(eventIdFor(order({}))).toMatch(/^[0-9a-f]{64}$/);
  });

  test("is the client's event_id when given", () => {
    expect(eventIdFor(order({ event_id: "client-key-1" }))).toBe("client-key-1");
  });

  test.each([
    ["another zone for the same instant", { order_date: "2025-08-08T12:00:00+02:00" }],
    ["another status case", { order_status: "PENDING" }],
    ["explicit nulls", { order_details: null, updated_at: null }],
    ["an unknown field", { note: "kept raw, not part of the identity" }],
  ])("is the same for %s", (_name, fields) => {
    expect(derivedEventId(order(fields))).toBe(derivedEventId(order({})));
  });

  test.each([
    ["order_id", { order_id: "A2" }],
    ["order_date", { order_date: "2025-08-08T10:00:00.000001Z" }],
    ["order_status", { order_status: "Shipped" }],
    ["order_details", { order_details: "x" }],
    ["updated_at", { updated_at: "2025-08-08T10:00:00Z" }],
  ])("differs when %s differs", (_name, fields) => {
    expect(derivedEventId(order(fields))).not.toBe(derivedEventId(order({})));
  });

  test("does not confuse an empty details string with no details", () => {
    expect(derivedEventId(order({ order_details: "" }))).not.toBe(derivedEventId(order({})));
  });
});
