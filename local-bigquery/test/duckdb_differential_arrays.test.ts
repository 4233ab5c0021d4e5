/**
 * ARRAY functions, subscripts with their out-of-range errors, IN UNNEST, and equality of ARRAY and
 * STRUCT values (three-valued, by position), against ZetaSQL's reference evaluator.
 */
import { differentialSuite } from "./support/differential";

describe("DuckDB compiler vs ZetaSQL: arrays and structs", () => {
  const { same, bothFail } = differentialSuite();

  it("ARRAY_LENGTH, ARRAY_CONCAT, ARRAY_TO_STRING, ARRAY_REVERSE; NULL arrays", async () => {
    await same("SELECT id, ARRAY_LENGTH(arr) a, ARRAY_CONCAT(arr, [id]) b, ARRAY_TO_STRING(ARRAY(SELECT CAST(e AS STRING) FROM UNNEST(arr) e), ',') c, ARRAY_REVERSE(arr) d FROM t");
    await same("SELECT ARRAY_TO_STRING(['a', NULL, 'b'], '-') a, ARRAY_TO_STRING(['a', NULL, 'b'], '-', 'N') b, ARRAY_TO_STRING(CAST([] AS ARRAY<STRING>), ',') c, ARRAY_CONCAT([1], CAST(NULL AS ARRAY<INT64>)) d, ARRAY_LENGTH(CAST(NULL AS ARRAY<INT64>)) e");
    await same("SELECT id, ARRAY_TO_STRING(ARRAY(SELECT k FROM UNNEST(recs)), '|', '?') AS ks, ARRAY_LENGTH(recs) AS n FROM w");
  });

  it("OFFSET, ORDINAL and their SAFE_ forms: out of range raises (or is NULL)", async () => {
    await same("SELECT id, arr[SAFE_OFFSET(1)] f, arr[SAFE_ORDINAL(2)] h, arr[SAFE_OFFSET(-1)] n, arr[SAFE_ORDINAL(0)] z FROM t");
    await same("SELECT id, arr[OFFSET(0)] e, arr[ORDINAL(1)] g, arr[OFFSET(ARRAY_LENGTH(arr) - 1)] l, arr[ORDINAL(ARRAY_LENGTH(arr))] m FROM t WHERE ARRAY_LENGTH(arr) > 0");
    await same("SELECT [1, NULL][OFFSET(1)] a, CAST(NULL AS ARRAY<INT64>)[OFFSET(5)] b");
    await bothFail("SELECT arr[OFFSET(0)] FROM t");
    await bothFail("SELECT arr[ORDINAL(1)] FROM t");
    await bothFail("SELECT [1, 2][OFFSET(-1)]");
  });

  it("GENERATE_ARRAY and GENERATE_DATE_ARRAY: directions, INT64 limits, the 16000-element cap, step 0", async () => {
    await same("SELECT id, GENERATE_ARRAY(1, id) j, GENERATE_ARRAY(id, -id, -3) k FROM t");
    await same("SELECT GENERATE_ARRAY(5, 1) a, GENERATE_ARRAY(5, 1, -2) b, GENERATE_ARRAY(1, 5, 10) c, GENERATE_ARRAY(9223372036854775806, 9223372036854775807) d, GENERATE_ARRAY(1, NULL) e, GENERATE_ARRAY(-9223372036854775808, 9223372036854775807, 9223372036854775807) f, GENERATE_ARRAY(9223372036854775807, -9223372036854775808, -9223372036854775807) g");
    await same("SELECT ARRAY_LENGTH(GENERATE_ARRAY(1, 16000)) a, ARRAY_LENGTH(GENERATE_ARRAY(16000, 1, -1)) b");
    await same("SELECT GENERATE_DATE_ARRAY(DATE '2024-01-30', DATE '2024-05-01', INTERVAL 1 MONTH) a, GENERATE_DATE_ARRAY(DATE '2024-01-01', DATE '2024-01-03') b, GENERATE_DATE_ARRAY(DATE '2024-01-03', DATE '2024-01-01', INTERVAL -1 DAY) c, GENERATE_DATE_ARRAY(DATE '9999-12-30', DATE '9999-12-31', INTERVAL 1 WEEK) d");
    await same("SELECT id, GENERATE_DATE_ARRAY(d, DATE '2025-03-01', INTERVAL 2 WEEK) e, GENERATE_DATE_ARRAY(d, DATE '2026-01-01', INTERVAL 1 QUARTER) q FROM t WHERE id > 3");
    for (const sql of ["GENERATE_ARRAY(1, 5, 0)", "GENERATE_ARRAY(1, 100000000)", "GENERATE_ARRAY(1, 16001)", "GENERATE_DATE_ARRAY(DATE '0001-01-01', DATE '9999-12-31')", "GENERATE_DATE_ARRAY(DATE '2024-01-01', DATE '2024-02-01', INTERVAL 0 DAY)"]) {
      await bothFail(`SELECT ${sql}`);
    }
  });

  it("IN UNNEST: NULLs, NaN, empty arrays", async () => {
    await same("SELECT [1,2][SAFE_OFFSET(-1)] a, x IN UNNEST([1.0, CAST('nan' AS FLOAT64)]) c, NULL IN UNNEST([1]) e, 3 IN UNNEST([1, NULL]) f, 3 IN UNNEST(CAST([] AS ARRAY<INT64>)) g FROM t WHERE id = 1");
    await same("SELECT id, x IN UNNEST([1.0, CAST('nan' AS FLOAT64), x]) c, s IN UNNEST(['a', NULL]) d, a IN UNNEST(arr) e, id NOT IN UNNEST(arr) f FROM t");
  });

  it("ARRAY and STRUCT equality: by position, NULL elements make NULL, lengths differing make FALSE", async () => {
    await same("SELECT [1,2] = [1,2] a, STRUCT(1 AS a, 'x' AS b) = STRUCT(1, 'x') b, STRUCT(1 AS a, CAST(NULL AS STRING) AS b) = STRUCT(1, 'x') c, [1, NULL] = [1, NULL] d, [1] = [1, 2] e, [1.0] = [CAST('nan' AS FLOAT64)] f, [STRUCT(1 AS a)] = [STRUCT(1 AS a)] g, STRUCT(1 AS a) != STRUCT(2 AS a) h");
    await same("SELECT id, arr = [1, 2] a, arr != arr b, rec = STRUCT(1 AS a, 'x' AS b) c, recs = recs d FROM t JOIN w USING (id)");
  });
});
