/**
 * Aggregates against ZetaSQL's reference evaluator: FLOAT64 and NUMERIC SUM/AVG, STDDEV/VARIANCE,
 * BIT_*, ANY_VALUE, ARRAY_AGG and STRING_AGG with their modifiers, COUNT(DISTINCT) of more types.
 * FLOAT64 SUM/AVG/STDDEV/VARIANCE results are compared within a relative 1e-12 (approx columns):
 * the reference sums exactly, BigQuery in no fixed order, DuckDB with fsum (Kahan-Babuska).
 */
import { differentialSuite } from "./support/differential";

describe("DuckDB compiler vs ZetaSQL: aggregates", () => {
  const { same, bothFail, diff } = differentialSuite();
  const doubles = (...xs: string[]): string => `UNNEST([${xs.map((x) => `CAST('${x}' AS FLOAT64)`).join(", ")}]) AS x`;
  const numerics = (...ns: string[]): string => `UNNEST([${ns.map((n) => `NUMERIC '${n}'`).join(", ")}]) AS n`;

  it("FLOAT64 SUM and AVG: NaN, infinities, overflow of the total only", async () => {
    await same("SELECT SUM(x) AS s, AVG(x) AS a FROM t", [], ["s", "a"]);
    await same("SELECT SUM(x) AS s, AVG(x) AS a FROM t WHERE id > 3", [], ["s", "a"]);
    await same("SELECT b, SUM(x) AS s, COUNT(*) AS c FROM t GROUP BY b", [], ["s"]);
    // The reference's AVG is a running mean: an infinity followed by any value gives NaN there
    // (AVG(+inf, +inf) too). DuckDB's is SUM / COUNT, IEEE's and BigQuery's answer; compared
    // without infinities, and the infinities checked against that answer.
    await same("SELECT b, AVG(x) AS a FROM t WHERE id NOT IN (2, 3) GROUP BY b", [], ["a"]);
    const { duck } = await diff().run(`SELECT AVG(x) AS a, AVG(IF(x > 0, x, NULL)) AS p FROM ${doubles("-Infinity", "1", "-Infinity", "Infinity", "2")} WHERE x < 3`);
    expect(duck.rows).toEqual([["-Infinity", "1.5"]]);
    await same(`SELECT SUM(x) AS s FROM ${doubles("1e308", "1e308", "-1e308")}`, [], ["s"]);
    await same(`SELECT AVG(x) AS a FROM ${doubles("1e308", "1e308", "1e308", "-1e308")}`, [], ["a"]);
    await same(`SELECT SUM(x) AS s, AVG(x) AS a FROM ${doubles("1e308", "1e308", "-Infinity")}`, [], ["s", "a"]);
    await same(`SELECT SUM(x) AS s, AVG(x) AS a FROM ${doubles("Infinity", "-Infinity", "1")}`, [], ["s", "a"]);
    await same(`SELECT SUM(x) AS s, AVG(x) AS a FROM ${doubles("0.1", "0.2", "0.3", "-1e-300", "5e-324")}`, [], ["s", "a"]);
    await same("SELECT SUM(x) AS s, AVG(x) AS a FROM e", [], ["s", "a"]);
    await bothFail(`SELECT SUM(x) FROM ${doubles("1e308", "1e308")}`);
    await same("SELECT id, SUM(x) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s, AVG(x) OVER (PARTITION BY b) AS a FROM t WHERE id > 3", [], ["s", "a"]);
  });

  it("NUMERIC SUM and AVG: exact, overflow of the total only, AVG rounded half away from zero", async () => {
    await same("SELECT SUM(n) AS s, AVG(n) AS a FROM t");
    await same("SELECT SUM(n) AS s, AVG(n) AS a FROM t WHERE id > 1");
    await same("SELECT b, SUM(n) AS s, AVG(n) AS a FROM t GROUP BY b");
    await same(`SELECT SUM(n) AS s FROM ${numerics("99999999999999999999999999999", "99999999999999999999999999999", "-99999999999999999999999999999")}`);
    await same(`SELECT AVG(n) AS a FROM ${numerics("99999999999999999999999999999", "99999999999999999999999999999", "99999999999999999999999999999.999999999")}`);
    await bothFail(`SELECT SUM(n) FROM ${numerics("99999999999999999999999999999", "1")}`);
    await bothFail(`SELECT SUM(n) FROM ${numerics("-99999999999999999999999999999.999999999", "-0.000000001")}`);
    for (const values of [
      ["0.000000001", "0", "0"],
      ["0.000000001", "0.000000001", "0", "0"],
      ["-0.000000001", "0"],
      ["-5.5", "2.000000001", "1"],
      ["5.5", "-2.000000001", "-1"],
      ["7", "-0.000000005", "0"],
      ["-7", "0.000000005", "0"],
      ["0.000000005", "0"],
      ["-0.000000005", "0", "0", "0"],
    ]) {
      await same(`SELECT SUM(n) AS s, AVG(n) AS a FROM ${numerics(...values)}`);
    }
    await same("SELECT id, SUM(n) OVER (ORDER BY id) AS s, AVG(n) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS a FROM t WHERE id > 1");
  });

  it("AVG of INT64 averages FLOAT64s, as ZetaSQL does (9223372036854775807 is 2^63 there)", async () => {
    await same("SELECT AVG(a) AS a FROM t", [], ["a"]);
    await same("SELECT b, AVG(a) AS a, AVG(id) AS i FROM t GROUP BY b", [], ["a", "i"]);
    await same("SELECT id, AVG(a) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS a FROM t", [], ["a"]);
    expect(await diff().refusal("SELECT AVG(DISTINCT a) FROM t")).toBe("unsupported: AVG(DISTINCT ...) of TYPE_INT64");
  });

  it("STDDEV and VARIANCE of FLOAT64, INT64 and NUMERIC; NaN and infinite inputs; huge variances", async () => {
    const all = "STDDEV(x) AS s1, STDDEV_POP(x) AS s2, VARIANCE(x) AS v1, VAR_POP(x) AS v2";
    const approx = ["s1", "s2", "v1", "v2"];
    await same(`SELECT ${all} FROM ${doubles("1", "2", "4")}`, [], approx);
    await same(`SELECT ${all} FROM ${doubles("1e308", "-1e308")}`, [], approx);
    await same(`SELECT ${all} FROM ${doubles("Infinity", "1")}`, [], approx);
    await same(`SELECT ${all} FROM ${doubles("7")}`, [], approx);
    await same(`SELECT ${all} FROM t`, [], approx);
    await same(`SELECT ${all} FROM t WHERE id > 3`, [], approx);
    await same(`SELECT ${all} FROM e`, [], approx);
    // One value: the sample forms are NULL (before any NaN), the population forms not.
    await same("SELECT b, STDDEV(x) AS s, STDDEV_POP(x) AS p, VAR_SAMP(x) AS v FROM t GROUP BY b", [], ["s", "p", "v"]);
    await same("SELECT STDDEV(a) AS s, VAR_SAMP(n) AS v, STDDEV_POP(id) AS p FROM t", [], ["s", "v", "p"]);
    await same("SELECT s, STDDEV_POP(id) AS p, VAR_SAMP(id) AS v FROM t GROUP BY s", [], ["p", "v"]);
  });

  it("BIT_AND/OR/XOR, ANY_VALUE, COUNT(DISTINCT) of FLOAT64 and TIMESTAMP, APPROX_COUNT_DISTINCT as an exact count", async () => {
    await same("SELECT BIT_AND(a) AS ba, BIT_OR(a) AS bo, BIT_XOR(a) AS bx, BIT_XOR(DISTINCT a) AS bxd, BIT_AND(id) AS bi FROM t");
    await same("SELECT BIT_AND(a) AS ba, BIT_OR(a) AS bo, BIT_XOR(a) AS bx FROM e");
    await same("SELECT s, ANY_VALUE(s) AS v FROM t GROUP BY s");
    await same("SELECT ANY_VALUE(a) AS v FROM t WHERE id = 3");
    await same("SELECT COUNT(DISTINCT x) AS cx, COUNT(DISTINCT ts) AS ct, COUNT(DISTINCT d) AS cd, COUNT(DISTINCT n) AS cn, COUNT(DISTINCT b) AS cb FROM t");
    await same(`SELECT COUNT(DISTINCT x) AS c FROM ${doubles("NaN", "NaN", "0", "-0", "1")}`);
    const { reference, duck } = await diff().run("SELECT APPROX_COUNT_DISTINCT(a) AS c, APPROX_COUNT_DISTINCT(s) AS cs FROM t", [], "SELECT COUNT(DISTINCT a) AS c, COUNT(DISTINCT s) AS cs FROM t");
    expect(duck.rows).toEqual(reference.rows);
  });

  it("ARRAY_AGG and STRING_AGG with DISTINCT, ORDER BY, LIMIT and IGNORE NULLS", async () => {
    const letters = "UNNEST([NULL, 'b', NULL, 'a', 'c', 'a']) AS s";
    await same("SELECT ARRAY_AGG(a) AS v FROM t");
    await same("SELECT ARRAY_AGG(a IGNORE NULLS ORDER BY a DESC LIMIT 3) AS v FROM t");
    await same(`SELECT ARRAY_AGG(s LIMIT 2) AS v1, ARRAY_AGG(s IGNORE NULLS LIMIT 2) AS v2, ARRAY_AGG(s ORDER BY s LIMIT 3) AS v3, ARRAY_AGG(s ORDER BY s DESC) AS v4 FROM ${letters}`);
    await same(`SELECT ARRAY_AGG(DISTINCT s ORDER BY s) AS v1, ARRAY_AGG(DISTINCT s IGNORE NULLS ORDER BY s DESC LIMIT 1) AS v2 FROM ${letters}`);
    await same(`SELECT ARRAY_AGG(x ORDER BY x) AS v, ARRAY_AGG(x ORDER BY x DESC) AS w FROM ${doubles("NaN", "1", "-1", "-Infinity")}`);
    await same("SELECT ARRAY_AGG(a ORDER BY a) AS v, STRING_AGG(s) AS w FROM e");
    await same("SELECT ARRAY_AGG(a LIMIT 0) AS v FROM t");
    await same("SELECT STRING_AGG(s, ',' ORDER BY id) AS v, STRING_AGG(DISTINCT s ORDER BY s) AS w, STRING_AGG(s, '' ORDER BY s DESC LIMIT 3) AS z FROM t");
    await same(`SELECT STRING_AGG(s, ', ' ORDER BY s LIMIT 2) AS v, STRING_AGG(s ORDER BY s) AS w FROM ${letters}`);
    await same("SELECT s, ARRAY_AGG(id ORDER BY id DESC) AS ids, STRING_AGG(CAST(id AS STRING), '|' ORDER BY id) AS t FROM t GROUP BY s");
    await same("SELECT ARRAY_AGG(STRUCT(id, s) ORDER BY id DESC LIMIT 2) AS v, ARRAY_AGG(d ORDER BY d) AS ds FROM t");
    await same("SELECT id, ARRAY_AGG(id) OVER (ORDER BY id) AS v, STRING_AGG(s, '-') OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS w FROM t");
  });

  it("PERCENTILE_DISC over ordered kinds, with NULLs, ties and INT64 extremes", async () => {
    await same("SELECT id, PERCENTILE_DISC(s, 0.5) OVER () a, PERCENTILE_DISC(d, 0.1) OVER (PARTITION BY b) c, PERCENTILE_DISC(ts, 0.99) OVER () e, PERCENTILE_DISC(n, 0.7) OVER () f, PERCENTILE_DISC(a, 0) OVER () g FROM t");
    await same("SELECT o, PERCENTILE_DISC(v, 0.44) OVER () d0, PERCENTILE_DISC(v, 0.519) OVER () d1, PERCENTILE_DISC(v, 0.5) OVER () d2, PERCENTILE_DISC(v, 0.5) OVER () d3, PERCENTILE_DISC(v, 0.25) OVER () d4, PERCENTILE_DISC(v, 0) OVER () d5, PERCENTILE_DISC(v, 1) OVER () d6 FROM UNNEST([7, CAST(NULL AS INT64), CAST(NULL AS INT64), 7, 7, 7, -927, CAST(NULL AS INT64)]) v WITH OFFSET o");
    await same("SELECT o, PERCENTILE_DISC(v, 0.3) OVER () d0, PERCENTILE_DISC(v, 1.0) OVER () d1, PERCENTILE_DISC(v, 0.1) OVER () d2, PERCENTILE_DISC(v, 0.5) OVER () d3, PERCENTILE_DISC(v, 0.25) OVER () d4, PERCENTILE_DISC(v, 0) OVER () d5, PERCENTILE_DISC(v, 1) OVER () d6 FROM UNNEST([77583279168393, 7, -1108457792, CAST(NULL AS INT64), 7, 3518464, -2437711936054581, 351735931]) v WITH OFFSET o");
    await same("SELECT o, PERCENTILE_DISC(v, 0.68) OVER () d0, PERCENTILE_DISC(v, 0.45) OVER () d1, PERCENTILE_DISC(v, 0.99) OVER () d2, PERCENTILE_DISC(v, 0.5) OVER () d3, PERCENTILE_DISC(v, 0.25) OVER () d4, PERCENTILE_DISC(v, 0) OVER () d5, PERCENTILE_DISC(v, 1) OVER () d6 FROM UNNEST([548114264594874]) v WITH OFFSET o");
    await same("SELECT o, PERCENTILE_DISC(v, 0.243) OVER () d0, PERCENTILE_DISC(v, 0.3717) OVER () d1, PERCENTILE_DISC(v, 0.1272) OVER () d2, PERCENTILE_DISC(v, 0.5) OVER () d3, PERCENTILE_DISC(v, 0.25) OVER () d4, PERCENTILE_DISC(v, 0) OVER () d5, PERCENTILE_DISC(v, 1) OVER () d6 FROM UNNEST([-2598075466688, 7, CAST(NULL AS INT64), -7603, 7, -89751478058, 7]) v WITH OFFSET o");
    await same("SELECT o, PERCENTILE_DISC(v, 0.3) OVER () d0, PERCENTILE_DISC(v, 0.0) OVER () d1, PERCENTILE_DISC(v, 0.482) OVER () d2, PERCENTILE_DISC(v, 0.5) OVER () d3, PERCENTILE_DISC(v, 0.25) OVER () d4, PERCENTILE_DISC(v, 0) OVER () d5, PERCENTILE_DISC(v, 1) OVER () d6 FROM UNNEST([5468155273969, 7, -304172423612059988, -84653635863350, CAST(NULL AS INT64), 9268823876457534, CAST(NULL AS INT64), -755119187124783800, CAST(NULL AS INT64), -947536714824637, 619345868395, CAST(NULL AS INT64), 85009934889444100, 7]) v WITH OFFSET o");
    await same("SELECT o, PERCENTILE_DISC(v, 0.7282) OVER () d0, PERCENTILE_DISC(v, 0.9343) OVER () d1, PERCENTILE_DISC(v, 0.4) OVER () d2, PERCENTILE_DISC(v, 0.5) OVER () d3, PERCENTILE_DISC(v, 0.25) OVER () d4, PERCENTILE_DISC(v, 0) OVER () d5, PERCENTILE_DISC(v, 1) OVER () d6 FROM UNNEST([CAST(NULL AS INT64), 7, 7, CAST(NULL AS INT64), 1409059580596, CAST(NULL AS INT64)]) v WITH OFFSET o");
    await same("SELECT o, PERCENTILE_DISC(v, 0.8) OVER () d0, PERCENTILE_DISC(v, 0.451) OVER () d1, PERCENTILE_DISC(v, 0.9257) OVER () d2, PERCENTILE_DISC(v, 0.5) OVER () d3, PERCENTILE_DISC(v, 0.25) OVER () d4, PERCENTILE_DISC(v, 0) OVER () d5, PERCENTILE_DISC(v, 1) OVER () d6 FROM UNNEST([-13345661921423520, CAST(NULL AS INT64), CAST(NULL AS INT64), -540014933, CAST(NULL AS INT64), CAST(NULL AS INT64), 2898950, CAST(NULL AS INT64), CAST(NULL AS INT64)]) v WITH OFFSET o");
    await same("SELECT o, PERCENTILE_DISC(v, 0.446) OVER () d0, PERCENTILE_DISC(v, 0.96) OVER () d1, PERCENTILE_DISC(v, 0.1993) OVER () d2, PERCENTILE_DISC(v, 0.5) OVER () d3, PERCENTILE_DISC(v, 0.25) OVER () d4, PERCENTILE_DISC(v, 0) OVER () d5, PERCENTILE_DISC(v, 1) OVER () d6 FROM UNNEST([7, -66939509035704, 7, 7, CAST(NULL AS INT64), -5530340, -17533]) v WITH OFFSET o");
    expect(await diff().refusal("SELECT PERCENTILE_CONT(a, 0.5) OVER () FROM t")).toBe("unsupported: analytic percentile_cont");
    expect(await diff().refusal("SELECT PERCENTILE_DISC(x, 0.5) OVER () FROM t")).toBe("unsupported: PERCENTILE_DISC of TYPE_DOUBLE");
  });

  it("refuses the aggregate forms not proven", async () => {
    expect(await diff().refusal("SELECT SUM(DISTINCT x) FROM t")).toMatch(/^unsupported: sum\(DISTINCT/);
    expect(await diff().refusal("SELECT STRING_AGG(bin) FROM w")).toBe("unsupported: STRING_AGG of TYPE_BYTES");
    expect(await diff().refusal("SELECT ARRAY_AGG(DISTINCT x) FROM t")).toMatch(/^unsupported: ARRAY_AGG\(DISTINCT/);
  });
});
