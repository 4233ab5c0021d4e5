/**
 * RANGE and INTERVAL values, GROUPING SETS / ROLLUP / CUBE with GROUPING(), the APPROX_* aggregates
 * and base32: the DuckDB compiler against ZetaSQL's reference evaluator where it has the construct;
 * grouping sets against their UNION ALL definition (the evaluator has none); RANGE_CONTAINS,
 * RANGE_INTERSECT, APPROX_* and base32 against expectations written from BigQuery's documentation.
 */
import type { EngineTable } from "../src/engine";
import type { Field, Row } from "../src/model";
import { differentialSuite, sortedRows, TABLES } from "./support/differential";

const field = (name: string, type: Field["type"], extra: Partial<Field> = {}): { name: string; field: Field } => ({
  name,
  field: { name, type, mode: "NULLABLE", ...extra },
});

/** Bounded, unbounded and NULL ranges of each element type; intervals of mixed signs and 30-day equivalences. */
const spans: EngineTable = {
  name: "v",
  columns: [
    field("id", "INTEGER"),
    field("r", "RANGE", { rangeElementType: { type: "DATE" } }),
    field("rt", "RANGE", { rangeElementType: { type: "TIMESTAMP" } }),
    field("rd", "RANGE", { rangeElementType: { type: "DATETIME" } }),
    field("iv", "INTERVAL"),
    field("d", "DATE"),
  ],
  rows: [
    ["1", "[2024-01-01, 2024-02-01)", "[1704067200000000, 1706745600000000)", "[2024-01-01T00:00:00, 2024-01-01T12:00:00)", "0-1 0 0:0:0", "2024-01-15"],
    ["2", "[UNBOUNDED, 2024-01-15)", "[UNBOUNDED, 1704067200000000)", "[2024-01-01T06:00:00, UNBOUNDED)", "0-0 30 0:0:0", "2024-01-31"],
    ["3", "[2024-01-10, UNBOUNDED)", "[1704067200000000, UNBOUNDED)", "[UNBOUNDED, UNBOUNDED)", "0-1 -1 0:0:0", "2024-02-01"],
    ["4", null, null, null, null, null],
    ["5", "[UNBOUNDED, UNBOUNDED)", "[1704067200000000, 1704067200000001)", "[0001-01-01T00:00:00, 9999-12-31T23:59:59.999999)", "-1-2 3 -4:5:6.789", "0001-01-01"],
    ["6", "[2024-01-01, 2024-02-01)", "[UNBOUNDED, UNBOUNDED)", "[2024-01-01T00:00:00, 2024-01-01T12:00:00)", "0-0 29 23:59:59.999999", "9999-12-31"],
    ["7", "[2023-12-31, 2024-01-01)", null, null, "10000-0 0 0:0:0", "2024-01-01"],
  ],
};

describe("DuckDB compiler vs ZetaSQL: RANGE, INTERVAL, grouping sets, APPROX_*", () => {
  const { same, bothFail, diff } = differentialSuite([...TABLES, spans]);

  /** The DuckDB answer of a construct the reference evaluator lacks. */
  const duckOnly = async (sql: string): Promise<Row[]> => {
    const { duck, compiled } = await diff().run(sql);
    if (typeof compiled === "string") throw new Error(`${sql}\n  refused: ${compiled}`);
    if (duck.error !== undefined) throw new Error(`${sql}\n  duckdb: ${duck.error}\n  sql: ${compiled.sql}`);
    return duck.rows ?? [];
  };
  const duckFails = async (sql: string): Promise<void> => {
    const { duck, compiled } = await diff().run(sql);
    if (typeof compiled === "string") throw new Error(`${sql}\n  refused: ${compiled}`);
    expect({ sql, failed: duck.error !== undefined }).toEqual({ sql, failed: true });
  };

  it("RANGE values: literals, columns, the constructor, bounds, equality, order, overlaps", async () => {
    await same("SELECT id, r, rt, rd FROM v");
    await same("SELECT RANGE<DATE> '[2024-01-01, UNBOUNDED)' a, RANGE<TIMESTAMP> '[2024-01-01 00:00:00+00, 2024-02-01 00:00:00+00)' b, RANGE<DATETIME> '[UNBOUNDED, 2024-01-01 10:00:00)' c");
    await same("SELECT id, RANGE(d, DATE '9999-12-31') a, RANGE(CAST(NULL AS DATE), d) b, RANGE(CAST(d AS DATETIME), NULL) c FROM v WHERE id <> 6");
    await same("SELECT id, RANGE_START(r) a, RANGE_END(r) b, RANGE_START(rt) c, RANGE_END(rd) e, RANGE_IS_START_UNBOUNDED(r) f, RANGE_IS_END_UNBOUNDED(rt) g FROM v");
    await same("SELECT a.id, b.id, a.r = b.r eq, a.r <> b.r ne, a.r < b.r lt, a.r <= b.r le, a.r > b.r gt, a.rt >= b.rt ge, RANGE_OVERLAPS(a.r, b.r) o, RANGE_OVERLAPS(a.rd, b.rd) od FROM v a CROSS JOIN v b");
    await same("SELECT id, r FROM v ORDER BY r, id");
    await same("SELECT id, rt FROM v ORDER BY rt DESC, id");
    await same("SELECT id, rd FROM v ORDER BY rd DESC NULLS FIRST, id");
    await same("SELECT r, COUNT(*) c FROM v GROUP BY r");
    await same("SELECT [r, RANGE<DATE> '[2024-01-01, 2024-02-01)'] a FROM v WHERE id < 4");
    await bothFail("SELECT RANGE(d, DATE '2024-01-20') FROM v");
  });

  it("RANGE_CONTAINS and RANGE_INTERSECT (not in the reference): BigQuery's documented answers", async () => {
    expect(await duckOnly("SELECT RANGE_CONTAINS(RANGE<DATE> '[2022-01-01, 2023-01-01)', DATE '2022-04-01'), RANGE_CONTAINS(RANGE<DATE> '[2022-01-01, 2023-01-01)', DATE '2023-01-01'), RANGE_CONTAINS(RANGE<DATE> '[UNBOUNDED, 2023-01-01)', DATE '0001-01-01'), RANGE_CONTAINS(RANGE<DATE> '[2022-01-01, UNBOUNDED)', CAST(NULL AS DATE))")).toEqual([
      ["true", "false", "true", null],
    ]);
    expect(await duckOnly("SELECT RANGE_CONTAINS(RANGE<DATE> '[2022-01-01, 2023-01-01)', RANGE<DATE> '[2022-04-01, 2022-07-01)'), RANGE_CONTAINS(RANGE<DATE> '[2022-01-01, 2023-01-01)', RANGE<DATE> '[2023-01-01, 2023-04-01)'), RANGE_CONTAINS(RANGE<DATE> '[UNBOUNDED, 2023-01-01)', RANGE<DATE> '[2022-01-01, 2023-01-01)'), RANGE_CONTAINS(RANGE<DATE> '[2022-01-01, 2023-01-01)', RANGE<DATE> '[2022-01-01, UNBOUNDED)')")).toEqual([
      ["true", "false", "true", "false"],
    ]);
    expect(await duckOnly("SELECT RANGE_INTERSECT(RANGE<DATE> '[2022-02-01, 2022-09-01)', RANGE<DATE> '[2021-06-15, 2022-04-15)'), RANGE_INTERSECT(RANGE<DATE> '[2022-02-01, UNBOUNDED)', RANGE<DATE> '[2021-06-15, 2022-04-15)'), RANGE_INTERSECT(RANGE<DATE> '[2022-02-01, UNBOUNDED)', RANGE<DATE> '[2021-06-15, UNBOUNDED)'), RANGE_INTERSECT(RANGE<DATE> '[2022-02-01, UNBOUNDED)', NULL)")).toEqual([
      ["[2022-02-01, 2022-04-15)", "[2022-02-01, 2022-04-15)", "[2022-02-01, UNBOUNDED)", null],
    ]);
    expect(await duckOnly("SELECT id, RANGE_CONTAINS(r, DATE '2024-01-12') a, RANGE_CONTAINS(r, RANGE<DATE> '[2024-01-12, 2024-01-13)') b FROM v ORDER BY id")).toEqual([
      ["1", "true", "true"],
      ["2", "true", "true"],
      ["3", "true", "true"],
      ["4", null, null],
      ["5", "true", "true"],
      ["6", "true", "true"],
      ["7", "false", "false"],
    ]);
    await duckFails("SELECT RANGE_INTERSECT(RANGE<DATE> '[2022-01-01, 2022-02-01)', RANGE<DATE> '[2022-02-01, 2022-03-01)')");
  });

  it("INTERVAL values: literals, columns, parts, MAKE_INTERVAL, JUSTIFY_*, comparisons by total time, order", async () => {
    await same("SELECT id, iv FROM v");
    await same("SELECT INTERVAL '1-2 3 4:5:6' YEAR TO SECOND a, INTERVAL -7 DAY b, INTERVAL '-0:0:1.5' HOUR TO SECOND c, INTERVAL 5 QUARTER e, INTERVAL 2 WEEK f, INTERVAL '10:20' HOUR TO MINUTE g");
    await same("SELECT id, INTERVAL id DAY a, INTERVAL -id HOUR b, INTERVAL id * 1000 YEAR c FROM v WHERE id < 7");
    await bothFail("SELECT INTERVAL id * 10000 YEAR FROM v");
    for (const part of ["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND"]) {
      await same(`SELECT id, EXTRACT(${part} FROM iv) p FROM v`);
    }
    await same("SELECT MAKE_INTERVAL(1, 2, 3, 4, 5, 6) a, MAKE_INTERVAL(day => -3, hour => 30) b, MAKE_INTERVAL(minute => 100000000) c, MAKE_INTERVAL(year => -10000) e");
    await bothFail("SELECT MAKE_INTERVAL(year => 10001)");
    await same("SELECT id, JUSTIFY_HOURS(iv) a, JUSTIFY_DAYS(iv) b, JUSTIFY_INTERVAL(iv) c FROM v");
    await same("SELECT JUSTIFY_INTERVAL(INTERVAL '0-0 40 30:0:0' YEAR TO SECOND) a, JUSTIFY_INTERVAL(INTERVAL '1-0 -1 -1:0:0' YEAR TO SECOND) b, JUSTIFY_HOURS(INTERVAL '0-0 -1 25:0:0' YEAR TO SECOND) c, JUSTIFY_DAYS(INTERVAL '-1-0 31 0:0:0' YEAR TO SECOND) e, JUSTIFY_INTERVAL(INTERVAL '-0-1 0 1:0:0' YEAR TO SECOND) f");
    await same("SELECT a.id, b.id, a.iv = b.iv eq, a.iv < b.iv lt, a.iv >= b.iv ge, a.iv <> b.iv ne FROM v a CROSS JOIN v b");
    await same("SELECT id, iv FROM v ORDER BY iv, id");
    await same("SELECT id, iv FROM v ORDER BY iv DESC, id");
  });

  it("INTERVAL arithmetic with intervals, dates, datetimes and timestamps", async () => {
    await same("SELECT a.id, b.id, a.iv + b.iv s, a.iv - b.iv m, -a.iv n FROM v a CROSS JOIN v b WHERE a.id <> 7 AND b.id <> 7");
    await bothFail("SELECT a.iv + b.iv FROM v a CROSS JOIN v b");
    await same("SELECT id, d + iv a, d - iv b, iv + d c, CAST(d AS DATETIME) + iv e FROM v WHERE id IN (1, 2, 3, 4, 6)");
    await same("SELECT DATE '2024-01-31' + INTERVAL 1 MONTH a, DATE '2024-03-31' - INTERVAL 1 MONTH b, DATETIME '2024-01-31 23:00:00' + INTERVAL '0-1 1 2:0:0' YEAR TO SECOND c, DATE '2024-01-15' + INTERVAL 7 DAY e");
    await same("SELECT id, TIMESTAMP '2024-01-15 12:00:00+00' + iv a FROM v WHERE id IN (2, 4, 6)");
    await same("SELECT DATETIME '2024-01-01 00:00:00' - INTERVAL '0:0:0.000001' HOUR TO SECOND a, DATETIME '2024-01-01 00:00:00' + INTERVAL 1500 SECOND b");
    await same("SELECT TIMESTAMP '2024-01-15 12:00:00+00' + INTERVAL 90 MINUTE a, TIMESTAMP '2024-01-15 12:00:00+00' - INTERVAL '1 2:3:4.5' DAY TO SECOND b");
    for (const sql of ["TIMESTAMP '2024-01-15 12:00:00+00' + INTERVAL 1 MONTH", "DATE '9999-12-31' + INTERVAL 1 DAY", "DATETIME '0001-01-01 00:00:00' - INTERVAL 1 SECOND", "d + iv FROM v"]) {
      await bothFail(`SELECT ${sql}`);
    }
  });

  it("GROUPING SETS, ROLLUP and CUBE with GROUPING() equal their UNION ALL definitions", async () => {
    const check = async (sql: string, definition: string): Promise<void> => {
      const { reference, duck, compiled } = await diff().run(sql, [], definition);
      if (typeof compiled === "string") throw new Error(`${sql}\n  refused: ${compiled}`);
      const context = `${sql}\n  sql: ${compiled.sql}\n  reference: ${reference.error ?? ""}\n  duckdb: ${duck.error ?? ""}`;
      expect({ context, rows: sortedRows(duck.rows ?? []) }).toEqual({ context, rows: sortedRows(reference.rows ?? []) });
      expect(reference.rows?.length).toBeGreaterThan(0);
    };
    await check(
      "SELECT a, s, GROUPING(a) ga, GROUPING(s) gs, COUNT(*) c, SUM(id) n FROM t GROUP BY CUBE(a, s)",
      `SELECT a, s, 0, 0, COUNT(*), SUM(id) FROM t GROUP BY a, s UNION ALL SELECT a, NULL, 0, 1, COUNT(*), SUM(id) FROM t GROUP BY a
       UNION ALL SELECT NULL, s, 1, 0, COUNT(*), SUM(id) FROM t GROUP BY s UNION ALL SELECT NULL, NULL, 1, 1, COUNT(*), SUM(id) FROM t`,
    );
    await check(
      "SELECT MOD(id, 2) p, MOD(id, 3) q, COUNT(*) c FROM t GROUP BY ROLLUP(MOD(id, 2), MOD(id, 3))",
      "SELECT MOD(id, 2), MOD(id, 3), COUNT(*) FROM t GROUP BY 1, 2 UNION ALL SELECT MOD(id, 2), NULL, COUNT(*) FROM t GROUP BY 1 UNION ALL SELECT NULL, NULL, COUNT(*) FROM t",
    );
    await check(
      "SELECT k, v, GROUPING(k) g, COUNT(*) c FROM u GROUP BY GROUPING SETS ((k), (v), (k), ())",
      `SELECT k, NULL, 0, COUNT(*) FROM u GROUP BY k UNION ALL SELECT NULL, v, 1, COUNT(*) FROM u GROUP BY v
       UNION ALL SELECT k, NULL, 0, COUNT(*) FROM u GROUP BY k UNION ALL SELECT NULL, NULL, 1, COUNT(*) FROM u`,
    );
    await check(
      "SELECT b, s, MAX(a) m FROM t GROUP BY GROUPING SETS (ROLLUP(b, s), CUBE(s))",
      `SELECT b, s, MAX(a) FROM t GROUP BY b, s UNION ALL SELECT b, NULL, MAX(a) FROM t GROUP BY b UNION ALL SELECT NULL, NULL, MAX(a) FROM t
       UNION ALL SELECT NULL, s, MAX(a) FROM t GROUP BY s UNION ALL SELECT NULL, NULL, MAX(a) FROM t`,
    );
  });

  it("APPROX_QUANTILES, APPROX_TOP_COUNT, APPROX_TOP_SUM (exact, as BigQuery is on small inputs), TO/FROM_BASE32", async () => {
    // BigQuery's documented examples.
    const xs = "UNNEST([1, 1, 1, 4, 5, 6, 7, 8, 9, 10]) AS x";
    expect(await duckOnly(`SELECT APPROX_QUANTILES(x, 2) q FROM ${xs}`)).toEqual([[["1", "5", "10"]]]);
    expect(await duckOnly(`SELECT APPROX_QUANTILES(x, 100)[OFFSET(90)] q FROM ${xs}`)).toEqual([["9"]]);
    expect(await duckOnly(`SELECT APPROX_QUANTILES(DISTINCT x, 2) q FROM ${xs}`)).toEqual([[["1", "6", "10"]]]);
    expect(await duckOnly("SELECT APPROX_QUANTILES(x, 2) q FROM UNNEST([NULL, NULL, 1, 1, 1, 4, 5, 6, 7, 8, 9, 10]) AS x")).toEqual([[["1", "5", "10"]]]);
    expect(await duckOnly("SELECT APPROX_QUANTILES(x, 4) q FROM UNNEST(GENERATE_ARRAY(1, 10)) AS x")).toEqual([[["1", "3", "5", "8", "10"]]]);
    expect(await duckOnly("SELECT APPROX_QUANTILES(x, 2) q FROM UNNEST([2.5, CAST('nan' AS FLOAT64), 1.0]) AS x")).toEqual([[["NaN", "1", "2.5"]]]);
    expect(await duckOnly("SELECT APPROX_QUANTILES(a, 3) q FROM e")).toEqual([[[]]]);
    expect(await duckOnly("SELECT APPROX_TOP_COUNT(x, 2) t FROM UNNEST(['apple', 'apple', 'pear', 'pear', 'pear', 'banana']) AS x")).toEqual([
      [[["pear", "3"], ["apple", "2"]]],
    ]);
    expect(await duckOnly("SELECT APPROX_TOP_COUNT(x, 2) t FROM UNNEST([NULL, 'pear', 'pear', 'apple', NULL]) AS x")).toEqual([[[["pear", "2"], [null, "2"]]]]);
    expect(
      await duckOnly("SELECT APPROX_TOP_SUM(x, weight, 2) t FROM UNNEST([STRUCT('apple' AS x, 3 AS weight), ('pear', 2), ('apple', 0), ('banana', 5), ('pear', 4)])"),
    ).toEqual([[[["pear", "6"], ["banana", "5"]]]]);
    expect(await duckOnly("SELECT APPROX_TOP_SUM(x, w, 1) t FROM UNNEST([STRUCT('a' AS x, 1.5 AS w), ('b', 2.0), ('a', 1.0)])")).toEqual([[[["a", "2.5"]]]]);
    expect(await duckOnly("SELECT APPROX_TOP_SUM(x, weight, 2) t FROM UNNEST([STRUCT('apple' AS x, CAST(NULL AS INT64) AS weight), ('pear', 0), ('pear', 0)])")).toEqual([
      [[["pear", "0"]]],
    ]);
    expect(await duckOnly("SELECT TO_BASE32(b'abcde\\xFF') a, TO_BASE32(b'') b, TO_BASE32(b'hello') c, FROM_BASE32('MFRGGZDF74======') d, FROM_BASE32('JBSWY3DP') e, TO_BASE32(CAST(NULL AS BYTES)) f")).toEqual([
      ["MFRGGZDF74======", "", "NBSWY3DP", Buffer.from("abcde\xff", "latin1").toString("base64"), Buffer.from("Hello").toString("base64"), null],
    ]);
    await duckFails("SELECT FROM_BASE32('J1')");
  });
});
