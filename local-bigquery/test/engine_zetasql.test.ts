/** The ZetaSQL adapter against the real ZetaSQL server: value round trips, parameters, errors, supervision. */
import { startEngine, type Engine, type EngineTable } from "../src/engine";
import { BigQueryError } from "../src/errors";
import type { Field } from "../src/model";

const f = (name: string, type: Field["type"], mode: Field["mode"] = "NULLABLE", fields?: Field[]): Field => ({
  name,
  type,
  mode,
  ...(fields ? { fields } : {}),
});

/** Every BigQuery type the engine carries, with edge values; row 2 is all NULL (and empty arrays). */
const schema: Field[] = [
  f("s", "STRING"),
  f("b", "BYTES"),
  f("i", "INTEGER"),
  f("x", "FLOAT"),
  f("n", "NUMERIC"),
  f("bn", "BIGNUMERIC"),
  f("ok", "BOOLEAN"),
  f("ts", "TIMESTAMP"),
  f("d", "DATE"),
  f("dt", "DATETIME"),
  f("t", "TIME"),
  f("j", "JSON"),
  f("arr", "INTEGER", "REPEATED"),
  f("rec", "RECORD", "NULLABLE", [f("a", "STRING"), f("tags", "STRING", "REPEATED"), f("inner", "RECORD", "NULLABLE", [f("z", "NUMERIC")])]),
  f("recs", "RECORD", "REPEATED", [f("k", "STRING"), f("v", "FLOAT")]),
];

const rows = [
  [
    "héllo 'quoted' \n line",
    Buffer.from([0, 255, 10, 128]).toString("base64"),
    "9223372036854775807",
    "NaN",
    "99999999999999999999999999999.999999999",
    "-0.00000000000000000000000000000000000001",
    "true",
    "-62135596800000000", // 0001-01-01 00:00:00 UTC
    "0001-01-01",
    "9999-12-31T23:59:59.999999",
    "23:59:59.999999",
    '{"a":[1,2,{"b":null}]}',
    ["-9223372036854775808", "9007199254740993"],
    ["x", ["p", "q"], ["-1.5"]],
    [
      ["k1", "Infinity"],
      ["k2", "-0.25"],
    ],
  ],
  [null, null, null, null, null, null, null, null, null, null, null, null, [], null, []],
  ["", "", "-1", "-Infinity", "0", "0", "false", "1735689600000001", "2025-01-31", "2025-01-31T10:11:12", "00:00:00", "null", [], [null, [], null], []],
];

describe("ZetaSQL engine", () => {
  let engine: Engine;
  const table: EngineTable = { name: "p.d.all_types", columns: schema.map((field) => ({ name: field.name, field })), rows };

  beforeAll(async () => {
    engine = await startEngine({ deadlineMs: 20_000 });
  });
  afterAll(async () => {
    await engine.stop();
  });

  it("round-trips every type, NULLs and edge values exactly", async () => {
    const out = await engine.evaluateQuery("SELECT * FROM `p.d.all_types`", { tables: [table] });
    expect(out.schema).toEqual(schema);
    expect(out.rows).toEqual(rows);
  });

  it("computes on values beyond 2^53 and at NUMERIC's precision", async () => {
    const out = await engine.evaluateQuery(
      "SELECT i - 1 AS i1, arr[SAFE_OFFSET(1)] + 1 AS big, n - NUMERIC '0.000000001' AS n1, CAST(x AS STRING) AS xs, ts FROM `p.d.all_types` WHERE s IS NOT NULL ORDER BY i DESC",
      { tables: [table] },
    );
    expect(out.rows).toEqual([
      ["9223372036854775806", "9007199254740994", "99999999999999999999999999999.999999998", "nan", "-62135596800000000"],
      ["-2", null, "-0.000000001", "-inf", "1735689600000001"],
    ]);
  });

  it("names anonymous columns as BigQuery does and describes types", async () => {
    const out = await engine.evaluateQuery("SELECT 1, 'a' AS named, [STRUCT(1 AS x, 'y' AS y)], STRUCT(1, 2)", {});
    expect(out.schema).toEqual([
      f("f0_", "INTEGER"),
      f("named", "STRING"),
      f("f1_", "RECORD", "REPEATED", [f("x", "INTEGER"), f("y", "STRING")]),
      f("f2_", "RECORD", "NULLABLE", [f("_field_1", "INTEGER"), f("_field_2", "INTEGER")]),
    ]);
    expect(out.rows).toEqual([["1", "a", [["1", "y"]], ["1", "2"]]]);
  });

  it("takes named parameters of every kind", async () => {
    const out = await engine.evaluateQuery(
      "SELECT @i + 1 AS i, @s AS s, @ts AS ts, @d AS d, @n * 2 AS n, @arr AS arr, @st.a AS a, @st.b AS b, @nul IS NULL AS nul, @by AS by_",
      {
        params: [
          { name: "i", type: { type: "INT64" }, value: "9007199254740993" },
          { name: "s", type: { type: "STRING" }, value: "x" },
          { name: "ts", type: { type: "TIMESTAMP" }, value: "2025-01-01 00:00:00.5 UTC" },
          { name: "d", type: { type: "DATE" }, value: "2025-02-03" },
          { name: "n", type: { type: "NUMERIC" }, value: "1.25" },
          { name: "arr", type: { type: "ARRAY", arrayType: { type: "STRING" } }, value: ["a", null, "c"] },
          {
            name: "st",
            type: { type: "STRUCT", structTypes: [{ name: "a", type: { type: "INT64" } }, { name: "b", type: { type: "ARRAY", arrayType: { type: "BOOL" } } }] },
            value: ["5", ["true", "false"]],
          },
          { name: "nul", type: { type: "FLOAT64" }, value: null },
          { name: "by", type: { type: "BYTES" }, value: "AAE=" },
        ],
      },
    );
    expect(out.rows).toEqual([
      ["9007199254740994", "x", "1735689600500000", "2025-02-03", "2.5", ["a", null, "c"], "5", ["true", "false"], "true", "AAE="],
    ]);
  });

  it("reports ZetaSQL's errors as invalidQuery with BigQuery's position form", async () => {
    const error = await engine.evaluateQuery("SELECT\n  nope FROM `p.d.all_types`", { tables: [table] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BigQueryError);
    expect(error).toMatchObject({ reason: "invalidQuery", status: 400 });
    expect((error as Error).message).toBe("Unrecognized name: nope at [2:3]");
    const syntax = await engine.evaluateQuery("SELEC 1", {}).catch((e: unknown) => e);
    expect((syntax as Error).message).toMatch(/^Syntax error: .* at \[1:1\]$/);
  });

  it("says plainly when the reference implementation lacks a function", async () => {
    const error = await engine.evaluateQuery("SELECT APPROX_COUNT_DISTINCT(x) FROM UNNEST([1, 2]) AS x", {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: "invalidQuery", status: 400 });
    expect((error as Error).message).toMatch(/^The local BigQuery engine .* does not implement this: Unsupported built-in function: approx_count_distinct$/);
    const missing = await engine.evaluateQuery("SELECT MAX_BY(x, x) FROM UNNEST([1]) AS x", {}).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/Function not found: MAX_BY.*may lack this BigQuery function/i);
  });

  it("evaluates DML with a hidden key: UPDATE and DELETE name the rows they touch", async () => {
    const keyed: EngineTable = {
      name: "t",
      columns: [
        { name: "a", field: f("a", "INTEGER") },
        { name: "__id", field: f("__id", "INTEGER"), pseudo: true },
      ],
      rows: [
        ["1", "100"],
        ["2", "101"],
      ],
      primaryKey: [1],
    };
    const updated = await engine.evaluateModify("UPDATE t SET a = a * 10 WHERE a = 2", "t", { tables: [keyed] });
    expect(updated).toEqual([{ operation: "UPDATE", cells: ["20", "101"], oldKey: ["101"] }]);
    const deleted = await engine.evaluateModify("DELETE FROM t WHERE a = 1", "t", { tables: [keyed] });
    expect(deleted).toEqual([{ operation: "DELETE", cells: [], oldKey: ["100"] }]);
  });

  it("gives a query's schema without running it, and splits scripts", async () => {
    const schemaOnly = await engine.prepareQuery("SELECT i, rec.inner FROM `p.d.all_types`", { tables: [{ ...table, rows: undefined }] });
    expect(schemaOnly).toEqual([f("i", "INTEGER"), f("inner", "RECORD", "NULLABLE", [f("z", "NUMERIC")])]);
    const script = "SELECT 1;\n  SELECT 'é';  SELECT 3";
    const first = await engine.parseNext(script, 0);
    const second = await engine.parseNext(script, first.nextBytePosition);
    expect(Buffer.from(script).subarray(first.nextBytePosition).toString()).toBe("\n  SELECT 'é';  SELECT 3");
    expect(Buffer.from(script).subarray(second.nextBytePosition).toString()).toBe("  SELECT 3");
  });

  it("runs calls concurrently", async () => {
    const queries = Array.from({ length: 12 }, (_, i) => engine.evaluateQuery(`SELECT ${i} AS n, COUNT(*) AS c FROM UNNEST(GENERATE_ARRAY(1, 10000)) a, UNNEST([1, 2]) b`, {}));
    const results = await Promise.all(queries);
    expect(results.map((r) => r.rows[0])).toEqual(Array.from({ length: 12 }, (_, i) => [String(i), "20000"]));
  });

  it("refuses a request above ZetaSQL's 4 MiB limit at once, saying how much and what the limit is", async () => {
    const big: EngineTable = {
      name: "big",
      columns: [{ name: "s", field: f("s", "STRING") }],
      rows: Array.from({ length: 50_000 }, (_, i) => [`${i}`.padStart(100, "x")]),
    };
    const started = Date.now();
    const error = await engine.evaluateQuery("SELECT COUNT(*) FROM big", { tables: [big] }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toMatchObject({ reason: "resourcesExceeded", status: 400 });
    expect((error as Error).message).toMatch(/reads 50000 rows .* bytes once encoded, but one request .* at most 4194304 bytes \(4 MiB\)/);
  });

  it("survives ZetaSQL dying: the call in flight fails clearly, the server restarts, later calls succeed", async () => {
    const pid = await engine.serverPid();
    const slow = engine.evaluateQuery("SELECT COUNT(*) FROM UNNEST(GENERATE_ARRAY(1, 10000)) a, UNNEST(GENERATE_ARRAY(1, 10000)) b", {});
    const outcome = slow.then(
      () => "finished",
      (e: unknown) => e,
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    process.kill(pid as number, "SIGKILL");
    const error = await outcome;
    expect(error).toBeInstanceOf(BigQueryError);
    expect((error as BigQueryError).message).toMatch(/stopped while running this statement/);
    const after = await engine.evaluateQuery("SELECT 40 + 2 AS answer", {});
    expect(after.rows).toEqual([["42"]]);
    expect(await engine.serverPid()).not.toBe(pid);
  });

  it("gives every call a deadline, and replaces a server left busy by a runaway statement", async () => {
    const quick = await startEngine({ deadlineMs: 300 });
    try {
      const pid = await quick.serverPid();
      const error = await quick
        .evaluateQuery("SELECT COUNT(*) FROM UNNEST(GENERATE_ARRAY(1, 10000)) a, UNNEST(GENERATE_ARRAY(1, 10000)) b", {})
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ reason: "timeout", status: 400 });
      expect((await quick.evaluateQuery("SELECT 1 AS one", {})).rows).toEqual([["1"]]);
      expect(await quick.serverPid()).not.toBe(pid);
    } finally {
      await quick.stop();
    }
  });
});
