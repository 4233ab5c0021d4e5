/** GET / parameters and the keyset Link header. */
import { loadConfig } from "../../function/config";
import { HttpError } from "../../function/errors";
import { nextLink, parseListParams } from "../../function/list_params";

const config = loadConfig({ BIGQUERY_PROJECT: "p" });

describe("parseListParams", () => {
  test.each([
    ["", { limit: 1000 }],
    ["?limit=1", { limit: 1 }],
    ["?limit=10000", { limit: 10000 }],
    ["?status=shipped", { limit: 1000, status: "Shipped" }],
    ["?status=CANCELLED&after=A1&order_id=B%202", { limit: 1000, status: "Cancelled", after: "A1", orderId: "B 2" }],
  ])("%s", (search, expected) => {
    expect(parseListParams(search, config)).toEqual(expected);
  });

  test.each([
    ["?limit=0", /limit must be an integer from 1 to 10000/],
    ["?limit=10001", /limit must be an integer from 1 to 10000/],
    ["?limit=ten", /limit must be an integer/],
    ["?limit=1.5", /limit must be an integer/],
    ["?limit=", /limit must be an integer/],
    ["?status=lost", /status must be one of Pending/],
    ["?order_id=", /order_id must be 1 to 128 characters/],
    ["?after=%00", /after must be 1 to 128 characters without control characters/],
    ["?offset=10", /unknown parameter "offset"/],
    ["?limit=1&limit=2", /limit is given more than once/],
  ])("refuses %s", (search, message) => {
    let error: unknown;
    try {
      parseListParams(search, config);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    expect((error as HttpError).code).toBe("invalid_parameter");
    expect((error as HttpError).message).toMatch(message);
  });
});

describe("nextLink", () => {
  test("continues after the last order_id and keeps the filters", () => {
    const link = nextLink({ limit: 2, status: "Shipped" }, "A&B>C");
    expect(link).toMatch(/^<\?.*>; rel="next"$/);
    const params = new URL(link.slice(1, link.indexOf(">")), "http://h/x/").searchParams;
    expect(Object.fromEntries(params)).toEqual({ limit: "2", after: "A&B>C", status: "Shipped" });
  });

  test("resolves against the URL the client called", () => {
    const link = nextLink({ limit: 5 }, "Z9");
    expect(new URL(link.slice(1, link.indexOf(">")), "https://region-p.cloudfunctions.net/orders?limit=5").href).toBe(
      "https://region-p.cloudfunctions.net/orders?limit=5&after=Z9",
    );
  });
});
