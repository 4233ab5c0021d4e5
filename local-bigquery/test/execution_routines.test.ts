/**
 * SQL user-defined functions (temporary and persistent) and stored procedures through the real
 * executor, as BigQuery documents them: argument types and RETURNS checked, ANY TYPE templated,
 * names qualified as tables are, CREATE OR REPLACE / IF NOT EXISTS / DROP [IF EXISTS], CALL with
 * IN, OUT and INOUT arguments.
 */
import { startHarness, type Harness } from "./support/executor_harness";

describe("executor: functions and procedures", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.run("CREATE SCHEMA fn");
    await h.run("CREATE TABLE fn.nums (n INT64)");
    await h.run("INSERT INTO fn.nums VALUES (1), (2), (3)");
  });
  afterAll(async () => {
    await h.stop();
  });

  const rows = async (sql: string) => (await h.run(sql)).rows;
  const routine = (id: string) => h.store.getRoutine({ projectId: "test-project", datasetId: "fn", routineId: id });

  it("calls temporary SQL functions: typed, templated (ANY TYPE), nested, in aggregates", async () => {
    const script = [
      "CREATE TEMP FUNCTION add_one(x INT64) AS (x + 1);",
      "CREATE TEMP FUNCTION twice(x ANY TYPE) AS (x * 2);",
      "CREATE TEMP FUNCTION label(x INT64) RETURNS STRING AS (CONCAT('#', CAST(add_one(x) AS STRING)));",
      "SELECT add_one(41), twice(1.5), label(1), add_one(SUM(n)) FROM fn.nums",
    ].join("\n");
    expect(await rows(script)).toEqual([["42", "3", "#2", "7"]]);
  });

  it("forgets temporary functions when the request ends", async () => {
    await h.run("CREATE TEMP FUNCTION gone(x INT64) AS (x);\nSELECT gone(1)");
    expect((await h.failure("SELECT gone(1)")).message).toMatch(/^Function not found: gone at \[1:8\]/);
  });

  it("checks a function's RETURNS type against its body", async () => {
    const error = await h.failure("CREATE TEMP FUNCTION f(x INT64) RETURNS DATE AS (x + 1);\nSELECT f(1)");
    expect(error).toMatchObject({ reason: "invalidQuery", status: 400 });
    expect(error.message).toMatch(/Function declared to return DATE but the function body produces incompatible type INT64/);
  });

  it("creates, calls, replaces and drops persistent functions, reporting the DDL operation", async () => {
    const created = await h.run("CREATE FUNCTION fn.add_one(x INT64) RETURNS INT64 AS (x + 1)");
    expect(created).toMatchObject({ statementType: "CREATE_FUNCTION", ddlOperationPerformed: "CREATE" });
    expect(created.ddlTargetRoutine).toEqual({ projectId: "test-project", datasetId: "fn", routineId: "add_one" });
    expect(routine("add_one")).toMatchObject({
      routineType: "SCALAR_FUNCTION",
      language: "SQL",
      definitionBody: "x + 1",
      arguments: [{ name: "x", dataType: { typeKind: "INT64" } }],
      returnType: { typeKind: "INT64" },
    });
    expect(await rows("SELECT fn.add_one(1), `test-project.fn.add_one`(2), `test-project`.fn.add_one(3)")).toEqual([["2", "3", "4"]]);
    expect((await h.failure("CREATE FUNCTION fn.add_one(x INT64) AS (x)")).message).toBe("Already Exists: Function test-project:fn.add_one");
    expect((await h.run("CREATE FUNCTION IF NOT EXISTS fn.add_one(x INT64) AS (x)")).ddlOperationPerformed).toBe("SKIP");
    expect((await h.run("CREATE OR REPLACE FUNCTION fn.add_one(x INT64) AS (x + 100)")).ddlOperationPerformed).toBe("REPLACE");
    // A replaced function is not answered from the result cache.
    expect(await rows("SELECT fn.add_one(1)")).toEqual([["101"]]);
    expect(await rows("SELECT fn.add_one(1)")).toEqual([["101"]]);
    const dropped = await h.run("DROP FUNCTION fn.add_one");
    expect(dropped).toMatchObject({ statementType: "DROP_FUNCTION", ddlOperationPerformed: "DROP" });
    expect(routine("add_one")).toBeUndefined();
    expect((await h.run("DROP FUNCTION IF EXISTS fn.add_one")).ddlOperationPerformed).toBe("SKIP");
    const missing = await h.failure("DROP FUNCTION fn.add_one");
    expect(missing).toMatchObject({ reason: "notFound", status: 404, message: "Not found: Function test-project:fn.add_one" });
  });

  it("resolves a persistent function's calls to other persistent functions", async () => {
    await h.run("CREATE FUNCTION fn.sq(x INT64) AS (x * x)");
    await h.run("CREATE FUNCTION fn.sq_plus(x INT64) AS (fn.sq(x) + 1)");
    expect(await rows("SELECT fn.sq_plus(n) FROM fn.nums ORDER BY n")).toEqual([["2"], ["5"], ["10"]]);
  });

  it("stores JavaScript functions and calls them (execution_js_udfs.test.ts has the rest)", async () => {
    await h.run("CREATE FUNCTION fn.js_double(x FLOAT64) RETURNS FLOAT64 LANGUAGE js AS 'return x * 2;'");
    expect(routine("js_double")).toMatchObject({ language: "JAVASCRIPT", definitionBody: "return x * 2;" });
    expect(await rows("SELECT fn.js_double(1.5)")).toEqual([["3"]]);
  });

  it("runs SQL functions whose body reads tables (a persistent one's names resolve in its own project, never the default dataset)", async () => {
    const temp = "CREATE TEMP FUNCTION how_many(lo INT64) AS ((SELECT COUNT(*) FROM fn.nums WHERE n >= lo));\nSELECT how_many(2), how_many(3)";
    expect(await rows(temp)).toEqual([["2", "1"]]);
    await h.run("CREATE TABLE fn.rates (code STRING, rate NUMERIC)");
    await h.run("INSERT INTO fn.rates VALUES ('EUR', 1.5), ('USD', 1)");
    await h.run("CREATE FUNCTION fn.convert(amount NUMERIC, cur STRING) AS (amount * (SELECT rate FROM fn.rates WHERE code = cur))");
    expect(await rows("SELECT fn.convert(10, 'EUR'), fn.convert(10, 'XXX')")).toEqual([["15", null]]);
    // Also in DML, and called where the default dataset has a table of the same name.
    await h.run("CREATE SCHEMA other");
    await h.run("CREATE TABLE other.rates (code STRING, rate NUMERIC)");
    await h.run("CREATE TABLE other.prices (p NUMERIC)");
    await h.run("INSERT INTO other.prices SELECT fn.convert(2, 'EUR')", { defaultDataset: { projectId: "test-project", datasetId: "other" } });
    expect(await h.cells("other", "prices")).toEqual([["3"]]);
    const unqualified = await h.failure("CREATE FUNCTION fn.bad() AS ((SELECT COUNT(*) FROM nums))", { defaultDataset: { projectId: "test-project", datasetId: "fn" } });
    expect(unqualified.message).toMatch(/must be qualified with a dataset/);
  });

  it("calls procedures with IN, OUT and INOUT arguments, each in a scope of its own", async () => {
    await h.run(`CREATE OR REPLACE PROCEDURE fn.step(IN x INT64, OUT doubled INT64, INOUT counter INT64)
BEGIN
  DECLARE local INT64 DEFAULT x * 2;
  SET doubled = local;
  SET counter = counter + 1;
  INSERT INTO fn.nums VALUES (x);
END`);
    expect(routine("step")).toMatchObject({
      routineType: "PROCEDURE",
      arguments: [
        { name: "x", mode: "IN", dataType: { typeKind: "INT64" } },
        { name: "doubled", mode: "OUT", dataType: { typeKind: "INT64" } },
        { name: "counter", mode: "INOUT", dataType: { typeKind: "INT64" } },
      ],
    });
    const script = "DECLARE d INT64;\nDECLARE c INT64 DEFAULT 10;\nCALL fn.step(21, d, c);\nCALL fn.step(d, d, c);\nSELECT d, c";
    expect(await rows(script)).toEqual([["84", "12"]]);
    expect((await h.cells("fn", "nums")).map((r) => r[0])).toEqual(["1", "2", "3", "21", "42"]);
    const notVariable = await h.failure("CALL fn.step(1, 2, 3)");
    expect(notVariable.message).toBe("Argument doubled of procedure step is OUT: it must be a variable of the script");
    const noProcedure = await h.failure("CALL fn.nope()");
    expect(noProcedure).toMatchObject({ reason: "notFound", message: "Not found: Procedure test-project:fn.nope" });
    const leaked = await h.failure("DECLARE d INT64;\nDECLARE c INT64 DEFAULT 0;\nCALL fn.step(1, d, c);\nSELECT local");
    expect(leaked.message).toBe("Unrecognized name: local at [4:8]");
    expect((await h.run("DROP PROCEDURE fn.step")).ddlOperationPerformed).toBe("DROP");
  });

  it("answers a procedure's SELECT as the script's result, and RETURN leaves only the procedure", async () => {
    await h.run("CREATE PROCEDURE fn.early() BEGIN SELECT 'in' AS w; RETURN; SELECT 'never' AS w; END");
    expect(await rows("CALL fn.early()")).toEqual([["in"]]);
    expect(await rows("CALL fn.early();\nSELECT 'after' AS w")).toEqual([["after"]]);
  });

  it("creates table functions and inlines their calls, arguments bound where ZetaSQL found them", async () => {
    await h.run("CREATE TABLE fn.small AS SELECT n FROM UNNEST([1, 2, 3]) AS n");
    const created = await h.run("CREATE TABLE FUNCTION fn.at_least(lo INT64, tag STRING) AS SELECT n, CONCAT(tag, CAST(n AS STRING)) AS t FROM fn.small WHERE n >= lo");
    expect(created).toMatchObject({ statementType: "CREATE_TABLE_FUNCTION", ddlOperationPerformed: "CREATE" });
    expect(routine("at_least")).toMatchObject({
      routineType: "TABLE_VALUED_FUNCTION",
      arguments: [{ name: "lo", dataType: { typeKind: "INT64" } }, { name: "tag", dataType: { typeKind: "STRING" } }],
      returnTableType: { columns: [{ name: "n", type: { typeKind: "INT64" } }, { name: "t", type: { typeKind: "STRING" } }] },
    });
    // Arguments are evaluated once, from variables and parameters too; the call has the function's name as implicit alias.
    const script = "DECLARE lo INT64 DEFAULT 1;\nSELECT at_least.t FROM fn.at_least(lo + 1, @tag) WHERE n < 10 ORDER BY n";
    expect((await h.run(script, { params: [{ name: "tag", type: { type: "STRING" }, value: "#" }] })).rows).toEqual([["#2"], ["#3"]]);
    await h.run("CREATE TABLE FUNCTION fn.top(tag STRING) AS SELECT t FROM fn.at_least(3, tag)");
    expect(await rows("SELECT x.t FROM fn.top('!') AS x JOIN fn.small ON small.n = 3")).toEqual([["!3"]]);
    await h.run("CREATE VIEW fn.v AS SELECT COUNT(*) AS c FROM fn.at_least(2, CAST(NULL AS STRING))");
    expect(await rows("SELECT c FROM fn.v")).toEqual([["2"]]);
    const wrongCount = await h.failure("SELECT * FROM fn.at_least(1)");
    expect(wrongCount.message).toBe("Table function fn.at_least takes 2 arguments, but 1 were given");
    expect((await h.run("DROP TABLE FUNCTION fn.top")).statementType).toBe("DROP_TABLE_FUNCTION");
    expect((await h.failure("SELECT * FROM fn.top('x')")).message).toBe("Not found: Table function test-project:fn.top");
  });

  it("never lets a function's name clash with a built-in one (ZetaSQL's server would abort)", async () => {
    const temp = await h.failure("CREATE TEMP FUNCTION concat(x INT64) AS (x);\nSELECT concat(1)");
    expect(temp.message).toBe("concat is the name of a built-in function; give the temporary function another name");
    await h.run("CREATE SCHEMA net");
    await h.run("CREATE FUNCTION net.host(x STRING) AS (CONCAT('mine:', x))");
    // net.host is BigQuery's NET.HOST; the dataset's function is reached fully qualified.
    expect(await rows("SELECT net.host('http://a.com/x'), `test-project.net.host`('y')")).toEqual([["a.com", "mine:y"]]);
  });

  it("deletes a dataset's routines with the dataset", async () => {
    await h.run("CREATE SCHEMA gone");
    await h.run("CREATE FUNCTION gone.f() AS (1)");
    expect((await h.failure("DROP SCHEMA gone")).message).toMatch(/still in use|not empty/);
    await h.run("DROP SCHEMA gone CASCADE");
    expect(h.store.getRoutine({ projectId: "test-project", datasetId: "gone", routineId: "f" })).toBeUndefined();
  });
});
