/**
 * The conformance script's comparison rules (scripts/conformance/): the ones a reader could get wrong.
 * Pure functions, no server.
 */
import { BigQuery } from "@google-cloud/bigquery";
import type { SchemaField } from "../../scripts/conformance/fixtures";
import { floatsEqual, jsonEqual, outermostStatementOrders, rowsDifference, unmatchedRow } from "../../scripts/conformance/compare";
import { pythonPattern } from "../../scripts/conformance/replay";
import { canonicalClientValue, normInterval } from "../../scripts/conformance/values";

const FLOAT: SchemaField[] = [{ name: "x", type: "FLOAT", mode: "NULLABLE" }];

describe("floats", () => {
  it("are equal within a relative 1e-9, and near zero within 1e-12", () => {
    expect(floatsEqual(0.1 + 0.2, 0.3)).toBe(true);
    expect(floatsEqual(1e20, 1e20 * (1 + 5e-10))).toBe(true);
    expect(floatsEqual(1, 1 + 1e-8)).toBe(false);
    expect(floatsEqual(0, 1e-13)).toBe(true);
  });

  it("NaN and the infinities (canonical strings) equal only themselves", () => {
    expect(floatsEqual("NaN", "NaN")).toBe(true);
    expect(floatsEqual("Infinity", 1e308)).toBe(false);
    expect(floatsEqual("-Infinity", "Infinity")).toBe(false);
  });
});

describe("rows as a multiset", () => {
  it("pairs rows so that every one finds a partner when one exists, although tolerant equality is not transitive", () => {
    // e1 is close to both a1 and a2, e2 only to a1: first-fit would give a1 to e1 and leave e2 alone.
    const expected = [[1 - 0.45e-9], [1 + 0.9e-9]];
    const actual = [[1], [1 - 0.9e-9]];
    expect(unmatchedRow(expected, actual, (e, a) => floatsEqual(e[0], a[0]))).toBe(-1);
    expect(rowsDifference(expected, actual, FLOAT, false)).toBeUndefined();
  });

  it("counts duplicates: two equal rows need two partners", () => {
    const d = rowsDifference([["1"], ["1"]], [["1"], ["2"]], [{ name: "n", type: "INTEGER" }], false);
    expect(d?.sub).toBe("values");
  });

  it("in order when the query orders: the same rows in another order are a row-order failure", () => {
    const schema: SchemaField[] = [{ name: "n", type: "INTEGER" }];
    expect(rowsDifference([["1"], ["2"]], [["2"], ["1"]], schema, true)?.sub).toBe("row order");
    expect(rowsDifference([["1"], ["2"]], [["2"], ["1"]], schema, false)).toBeUndefined();
    expect(rowsDifference([["1"], ["2"]], [["1"], ["3"]], schema, true)?.sub).toBe("values");
  });
});

describe("does the outermost statement order?", () => {
  it.each([
    ["SELECT x FROM t ORDER BY x", true],
    ["SELECT x FROM t ORDER  -- comment\n BY x LIMIT 3", true],
    ["SELECT x, ROW_NUMBER() OVER (ORDER BY x) FROM t", false],
    ["SELECT * FROM (SELECT x FROM t ORDER BY x)", false],
    ["SELECT ARRAY_AGG(x ORDER BY x) FROM t", false],
    ["SELECT 'ORDER BY' AS s, `order by` FROM t # ORDER BY", false],
    ["SELECT x FROM t ORDER BY x; SELECT y FROM u", false],
    ["DECLARE n INT64 DEFAULT 1; SELECT n ORDER BY n;", true],
    ["BEGIN\n  SELECT x FROM t ORDER BY x;\nEND;", true],
    ["SELECT '''it's ORDER BY''' AS s", false],
  ])("%j -> %s", (sql, ordered) => {
    expect(outermostStatementOrders(sql)).toBe(ordered);
  });
});

describe("JSON", () => {
  it("compares meaning: key order, spacing and number spelling do not matter, every digit does", () => {
    expect(jsonEqual('{"a": 1, "b": [2, 3]}', '{"b":[2,3],"a":1.0}')).toBe(true);
    expect(jsonEqual('{"n": 12345678901234567890}', '{"n":12345678901234567891}')).toBe(false);
    expect(jsonEqual('{"a": 1}', '{"a": "1"}')).toBe(false);
  });

  it("accepts a JSON string recorded without its quotes (the recorder's Python client unwraps it)", () => {
    expect(jsonEqual("abc", '"abc"')).toBe(true);
  });
});

describe("the client's values in canonical form", () => {
  it("INTERVAL as the recorder's relativedelta saw it: hours carry into days, months into years, days never into months", () => {
    expect(normInterval("0-0 0 30:0:0")).toBe("0,0,1,6,0,0,0");
    expect(normInterval("1-14 40 0:0:0.5")).toBe("2,2,40,0,0,0,500000");
    expect(normInterval("-1-2 -3 -4:5:6")).toBe("-1,-2,-3,-4,-5,-6,0");
  });

  it("TIMESTAMP, INT64 and RANGE from the client's own wrappers", () => {
    expect(canonicalClientValue(BigQuery.timestamp("2024-01-15T12:34:56.789000Z"), { name: "t", type: "TIMESTAMP" })).toBe("2024-01-15T12:34:56.789Z");
    expect(canonicalClientValue(BigQuery.int("-9223372036854775808"), { name: "i", type: "INTEGER" })).toBe("-9223372036854775808");
    const range = BigQuery.range("[2024-01-01, UNBOUNDED)", "DATE");
    expect(canonicalClientValue(range, { name: "r", type: "RANGE", rangeElementType: { type: "DATE" } })).toBe("[2024-01-01, UNBOUNDED)");
  });
});

describe("recorded message patterns", () => {
  it("read Python's re.escape output, escaped spaces and newlines included", () => {
    expect(pythonPattern("Not\\ found:\\ Table\\ [\\w\\-\\.:]+\\.t\\\n\\ x").test("Not found: Table p:d.t\n x")).toBe(true);
    expect(pythonPattern("(?P<n>\\d+)\\ /\\ (?P=n)\\Z").test("division by zero: 2 / 2")).toBe(true);
  });
});
