/**
 * JavaScript user-defined functions through the real executor, as BigQuery documents them
 * ("User-defined functions", JavaScript UDFs): BigQuery's type encodings in and out, NULLs, errors
 * thrown by the body, temporary and persistent functions, and what the local BigQuery refuses
 * (libraries from Cloud Storage, Promises, types without an encoding, the reference evaluator).
 * Expected values are worked out by hand from that documentation.
 */
import { startHarness, type Harness } from "./support/executor_harness";

describe("executor: JavaScript user-defined functions", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.run("CREATE SCHEMA js");
    await h.run("CREATE TABLE js.nums (n INT64, label STRING)");
    await h.run("INSERT INTO js.nums VALUES (1, 'one'), (2, NULL), (3, 'three')");
  });
  afterAll(async () => {
    await h.stop();
  });

  const rows = async (sql: string) => (await h.run(sql)).rows;
  /** A temporary function `f` of that signature and body, then `select`. */
  const withF = (signature: string, body: string, select: string) => `CREATE TEMP FUNCTION f${signature} LANGUAGE js AS r"""${body}""";\n${select}`;

  it("runs the documentation's examples: FLOAT64 in and out, one call per row", async () => {
    const multiply = [
      'CREATE TEMP FUNCTION multiplyInputs(x FLOAT64, y FLOAT64) RETURNS FLOAT64 LANGUAGE js AS r"""',
      "  return x*y;",
      '""";',
      "WITH numbers AS (SELECT 1 AS x, 5 as y UNION ALL SELECT 2 AS x, 10 as y UNION ALL SELECT 3 as x, 15 as y)",
      "SELECT x, y, multiplyInputs(x, y) AS product FROM numbers ORDER BY x",
    ].join("\n");
    const result = await h.run(multiply);
    expect(result.schema?.map((f) => [f.name, f.type])).toEqual([["x", "INTEGER"], ["y", "INTEGER"], ["product", "FLOAT"]]);
    expect(result.rows).toEqual([["1", "5", "5"], ["2", "10", "20"], ["3", "15", "45"]]);
    const plusOne = 'CREATE TEMP FUNCTION plusOne(x FLOAT64) RETURNS FLOAT64 LANGUAGE js AS "return x+1;";\nSELECT val, plusOne(val) AS result FROM UNNEST([1, 2, 3, 4, 5]) AS val ORDER BY val';
    expect(await rows(plusOne)).toEqual([["1", "2"], ["2", "3"], ["3", "4"], ["4", "5"], ["5", "6"]]);
  });

  it("passes each type as BigQuery encodes it in JavaScript", async () => {
    const describe = "return x === null ? 'null' : (Array.isArray(x) ? 'array' : typeof x) + ':' + JSON.stringify(x);";
    const typed = (type: string, value: string) => rows(withF(`(x ${type}) RETURNS STRING`, describe, `SELECT f(${value})`));
    // INT64 arrives as its decimal text (as BigQuery passes it: 41 + 1 is '411' there), exact beyond 2^53.
    expect(await typed("INT64", "9007199254740993")).toEqual([['string:"9007199254740993"']]);
    expect(await typed("FLOAT64", "1.5")).toEqual([["number:1.5"]]);
    // NUMERIC: a Number when an integer within [-2^53, 2^53], else its decimal string.
    expect(await typed("NUMERIC", "NUMERIC '3'")).toEqual([["number:3"]]);
    expect(await typed("NUMERIC", "NUMERIC '1.5'")).toEqual([['string:"1.5"']]);
    expect(await typed("NUMERIC", "NUMERIC '9007199254740993'")).toEqual([['string:"9007199254740993"']]);
    expect(await typed("BOOL", "TRUE")).toEqual([["boolean:true"]]);
    expect(await typed("STRING", "'héllo'")).toEqual([['string:"héllo"']]);
    // BYTES: base64-encoded.
    expect(await typed("BYTES", "b'abc'")).toEqual([['string:"YWJj"']]);
    // DATE: a Date at midnight UTC.
    expect(await typed("DATE", "DATE '2024-03-05'")).toEqual([['object:"2024-03-05T00:00:00.000Z"']]);
    // JSON: the equivalent JavaScript value.
    expect(await typed("JSON", `JSON '{"a": [1, "two", null]}'`)).toEqual([['object:{"a":[1,"two",null]}']]);
    // ARRAY: an Array; STRUCT: an Object whose properties are its fields.
    expect(await typed("ARRAY<FLOAT64>", "[1.5, 2]")).toEqual([["array:[1.5,2]"]]);
    expect(await typed("STRUCT<a FLOAT64, b STRING>", "STRUCT(1 AS a, 'x' AS b)")).toEqual([['object:{"a":1,"b":"x"}']]);
    expect(await typed("STRING", "NULL")).toEqual([["null"]]);
    expect(await typed("ARRAY<STRING>", "CAST(NULL AS ARRAY<STRING>)")).toEqual([["null"]]);
  });

  it("passes a TIMESTAMP as a Date with the microseconds below its millisecond in `microsecond`", async () => {
    const sql = withF("(t TIMESTAMP) RETURNS STRING", "return (t instanceof Date) + ' ' + t.toISOString() + ' ' + t.microsecond;", "SELECT f(TIMESTAMP '2024-03-05 12:34:56.789123+00')");
    expect(await rows(sql)).toEqual([["true 2024-03-05T12:34:56.789Z 123"]]);
    // Returned, it is the same instant to the microsecond.
    const back = withF("(t TIMESTAMP) RETURNS TIMESTAMP", "return t;", "SELECT f(TIMESTAMP '2024-03-05 12:34:56.789123+00') = TIMESTAMP '2024-03-05 12:34:56.789123+00'");
    expect(await rows(back)).toEqual([["true"]]);
  });

  it("converts results to the declared type: INT64 from a Number or a String, and the documented encodings back", async () => {
    const one = async (type: string, body: string) => (await rows(withF(`() RETURNS ${type}`, body, "SELECT f()")))?.[0][0];
    expect(await one("INT64", "return 42;")).toBe("42");
    expect(await one("INT64", "return '9223372036854775807';")).toBe("9223372036854775807");
    expect(await one("FLOAT64", "return 0.25;")).toBe("0.25");
    expect(await one("NUMERIC", "return '123.456';")).toBe("123.456");
    expect(await one("NUMERIC", "return 2.5;")).toBe("2.5");
    expect(await one("BOOL", "return 1 < 2;")).toBe("true");
    expect(await one("STRING", "return 'a' + 'b';")).toBe("ab");
    expect(await one("BYTES", "return 'YWJj';")).toBe("YWJj");
    expect(await one("DATE", "return new Date(Date.UTC(2024, 0, 31));")).toBe("2024-01-31");
    expect(await one("TIMESTAMP", "return new Date(Date.UTC(2024, 0, 1, 12));")).toBe(String(Date.UTC(2024, 0, 1, 12) * 1000));
    expect(await one("JSON", "return {b: [1, null], a: 'x'};")).toBe('{"a":"x","b":[1,null]}'); // keys in order, as BigQuery keeps JSON
    expect(await one("ARRAY<STRING>", "return ['x', 'y'];")).toEqual(["x", "y"]);
    expect(await one("STRUCT<i INT64, s STRING>", "return {i: 7, s: 'seven'};")).toEqual(["7", "seven"]);
    // null and undefined (no return) are NULL.
    expect(await one("STRING", "return null;")).toBeNull();
    expect(await one("INT64", "var unused = 1;")).toBeNull();
  });

  it("calls the body with NULL arguments, and runs it once per row over a table, in WHERE and GROUP BY", async () => {
    const sql = withF("(s STRING) RETURNS STRING", "return s === null ? '(none)' : s.toUpperCase();", "SELECT n, f(label) FROM js.nums ORDER BY n");
    expect(await rows(sql)).toEqual([["1", "ONE"], ["2", "(none)"], ["3", "THREE"]]);
    const grouped = withF("(n INT64) RETURNS STRING", "return n % 2 === 0 ? 'even' : 'odd';", "SELECT f(n) AS parity, COUNT(*) FROM js.nums WHERE f(n) IS NOT NULL GROUP BY parity ORDER BY parity");
    expect(await rows(grouped)).toEqual([["even", "1"], ["odd", "2"]]);
  });

  it("reports an error the body throws as BigQuery does, with the function and the line and columns of the throw", async () => {
    const thrown = await h.failure(withF("(x FLOAT64) RETURNS FLOAT64", "throw new Error('boom');", "SELECT f(1.0)"));
    expect(thrown).toMatchObject({ reason: "invalidQuery", status: 400, message: "Error: boom at f(FLOAT64) line 1, columns 6-7" });
    const typeError = await h.failure(withF("(s STRING) RETURNS INT64", "var x = 1;\nreturn s.length;", "SELECT f(label) FROM js.nums"));
    expect(typeError.message).toBe("TypeError: Cannot read properties of null (reading 'length') at f(STRING) line 2, columns 9-10");
    // Only rows that call it can fail.
    expect(await rows(withF("(x INT64) RETURNS INT64", "throw new Error('never');", "SELECT IF(n > 5, f(n), 0) FROM js.nums ORDER BY n"))).toEqual([["0"], ["0"], ["0"]]);
    const syntax = await h.failure(withF("(x FLOAT64) RETURNS FLOAT64", "return x +;", "SELECT f(1.0)"));
    expect(syntax.message).toMatch(/^SyntaxError: Unexpected token .* at f\(FLOAT64\)$/);
    const notInt = await h.failure(withF("() RETURNS INT64", "return 'abc';", "SELECT f()"));
    expect(notInt.message).toBe('Failed to coerce the result of f: cannot convert "abc" to INT64');
  });

  it("keeps analysis ZetaSQL's: argument types are checked against the signature", async () => {
    const error = await h.failure(withF("(x FLOAT64) RETURNS FLOAT64", "return x;", "SELECT f('a')"));
    expect(error.message).toBe("No matching signature for function JS:F for argument types: STRING. Supported signature: F(FLOAT64) at [2:8]");
    const noReturn = await h.failure("CREATE TEMP FUNCTION f(x FLOAT64) LANGUAGE js AS 'return x';\nSELECT f(1)");
    expect(noReturn.message).toMatch(/^Non-SQL functions must specify a return type/);
  });

  it("calls a JavaScript function from a SQL function, and runs it in DML and CREATE TABLE AS SELECT", async () => {
    const nested = [
      'CREATE TEMP FUNCTION js_triple(x INT64) RETURNS INT64 LANGUAGE js AS "return x * 3;";',
      "CREATE TEMP FUNCTION sql_triple_plus_one(x INT64) AS (js_triple(x) + 1);",
      "SELECT sql_triple_plus_one(4)",
    ].join("\n");
    expect(await rows(nested)).toEqual([["13"]]);
    await h.run("CREATE TABLE js.words (w STRING)");
    await h.run("INSERT INTO js.words VALUES ('a'), ('b')");
    await h.run(withF("(s STRING) RETURNS STRING", "return s + s;", "UPDATE js.words SET w = f(w) WHERE TRUE"));
    expect((await h.cells("js", "words")).sort()).toEqual([["aa"], ["bb"]]);
    await h.run(withF("(s STRING) RETURNS INT64", "return s.length;", "CREATE TABLE js.lengths AS SELECT w, f(w) AS len FROM js.words"));
    expect((await h.cells("js", "lengths")).sort()).toEqual([["aa", "2"], ["bb", "2"]]);
  });

  it("creates, calls and replaces persistent JavaScript functions (DDL, or stored as routines.insert stores them)", async () => {
    await h.run("CREATE FUNCTION js.js_double(x FLOAT64) RETURNS FLOAT64 LANGUAGE js AS 'return x * 2;'");
    expect(h.store.getRoutine({ projectId: "test-project", datasetId: "js", routineId: "js_double" })).toMatchObject({ language: "JAVASCRIPT", definitionBody: "return x * 2;" });
    expect(await rows("SELECT js.js_double(1.5), `test-project.js.js_double`(2)")).toEqual([["3", "4"]]);
    await h.run("CREATE OR REPLACE FUNCTION js.js_double(x FLOAT64) RETURNS FLOAT64 LANGUAGE js AS 'return x * 20;'");
    expect(await rows("SELECT js.js_double(1.5)")).toEqual([["30"]]);
    await h.store.putRoutine(
      {
        ref: { projectId: "test-project", datasetId: "js", routineId: "greet" },
        routineType: "SCALAR_FUNCTION",
        language: "JAVASCRIPT",
        arguments: [{ name: "who", dataType: { typeKind: "STRING" } }],
        returnType: { typeKind: "STRING" },
        definitionBody: "return 'hello ' + who;",
        creationTime: 0,
        lastModifiedTime: 0,
      },
      { replace: false, ifNotExists: false },
    );
    expect(await rows("SELECT js.greet('you')")).toEqual([["hello you"]]);
  });

  it("runs the body with only its arguments in scope, not the server's modules", async () => {
    const sql = withF("(x STRING) RETURNS STRING", "return [typeof require, typeof module, typeof exports, typeof entries, typeof defineJsUdf].join(',');", "SELECT f('a')");
    expect(await rows(sql)).toEqual([["undefined,undefined,undefined,undefined,undefined"]]);
  });

  it("refuses libraries from Cloud Storage, Promises, and types BigQuery documents no encoding for", async () => {
    const library = await h.failure("CREATE TEMP FUNCTION f(x FLOAT64) RETURNS FLOAT64 LANGUAGE js OPTIONS (library = ['gs://my-bucket/lib.js']) AS 'return x';\nSELECT f(1)");
    expect(library).toMatchObject({ reason: "invalidQuery", status: 400 });
    expect(library.message).toMatch(/^The local BigQuery cannot load JavaScript libraries \(OPTIONS\(library=\.\.\.\) of f\): it has no Cloud Storage/);
    const persistent = await h.failure("CREATE FUNCTION js.with_lib(x FLOAT64) RETURNS FLOAT64 LANGUAGE js OPTIONS (library = ['gs://b/l.js']) AS 'return x'");
    expect(persistent.message).toMatch(/^The local BigQuery cannot load JavaScript libraries/);
    expect(h.store.getRoutine({ projectId: "test-project", datasetId: "js", routineId: "with_lib" })).toBeUndefined();

    const promise = await h.failure(withF("() RETURNS INT64", "return Promise.resolve(1);", "SELECT f()"));
    expect(promise.message).toBe("f returned a Promise, which the local BigQuery cannot wait for");

    const time = await h.failure(withF("(t TIME) RETURNS STRING", "return String(t);", "SELECT f(TIME '01:02:03')"));
    expect(time).toMatchObject({ reason: "invalidQuery", status: 400 });
    expect(time.message).toMatch(/only on DuckDB: ZetaSQL's reference evaluator.*cannot call JavaScript; DuckDB could not run this statement because of JavaScript function f with a TIME argument/);
  });

  it("refuses JavaScript functions plainly on ZetaSQL's reference evaluator", async () => {
    const reference = await startHarness({ referenceOnly: true });
    try {
      const error = await reference.failure(withF("(x FLOAT64) RETURNS FLOAT64", "return x;", "SELECT f(1.0)"));
      expect(error).toMatchObject({ reason: "invalidQuery", status: 400 });
      expect(error.message).toMatch(/^The local BigQuery runs JavaScript user-defined functions \(here f\) only on DuckDB: ZetaSQL's reference evaluator, which runs the statements DuckDB cannot, cannot call JavaScript/);
    } finally {
      await reference.stop();
    }
  });
});
