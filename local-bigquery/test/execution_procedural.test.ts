/**
 * BigQuery's procedural language through the real executor: blocks and their variables, exception
 * handlers and @@error, IF/CASE, loops and labels, RETURN, RAISE, ASSERT, EXECUTE IMMEDIATE,
 * SET (a, b), and what a script returns. Expected values follow BigQuery's documentation.
 */
import { startHarness, type Harness } from "./support/executor_harness";

describe("executor: procedural language", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.run("CREATE SCHEMA proc");
    await h.run("CREATE TABLE proc.t (id INT64, label STRING)");
  });
  afterAll(async () => {
    await h.stop();
  });

  const rows = async (sql: string) => (await h.run(sql)).rows;

  it("gives a BEGIN ... END block its own variables, gone after END", async () => {
    expect(await rows("DECLARE x INT64 DEFAULT 1;\nBEGIN\n  DECLARE y INT64 DEFAULT 41;\n  SET x = x + y;\nEND;\nSELECT x")).toEqual([["42"]]);
    const error = await h.failure("BEGIN\n  DECLARE y INT64 DEFAULT 1;\nEND;\nSELECT y");
    expect(error.message).toBe("Unrecognized name: y at [4:8]");
  });

  it("runs IF / ELSEIF / ELSE by the first condition that is TRUE (NULL is not)", async () => {
    const script = (v: string) =>
      `DECLARE v INT64 DEFAULT ${v};\nDECLARE r STRING;\nIF v > 10 THEN SET r = 'big';\nELSEIF v > 0 THEN SET r = 'small';\nELSE SET r = 'other';\nEND IF;\nSELECT r`;
    expect(await rows(script("20"))).toEqual([["big"]]);
    expect(await rows(script("5"))).toEqual([["small"]]);
    expect(await rows(script("NULL"))).toEqual([["other"]]);
    expect((await h.failure("IF 1 THEN SELECT 1; END IF")).message).toBe("Expected a BOOL expression, but got INTEGER at [1:4]");
  });

  it("runs CASE statements, simple and searched", async () => {
    const simple = "DECLARE r STRING;\nCASE 2 WHEN 1 THEN SET r = 'one'; WHEN 2 THEN SET r = 'two'; ELSE SET r = 'many'; END CASE;\nSELECT r";
    expect(await rows(simple)).toEqual([["two"]]);
    const searched = "DECLARE r STRING DEFAULT 'none';\nCASE WHEN FALSE THEN SET r = 'a'; WHEN 1 < 0 THEN SET r = 'b'; END CASE;\nSELECT r";
    expect(await rows(searched)).toEqual([["none"]]);
  });

  it("runs LOOP with BREAK, WHILE with CONTINUE, REPEAT ... UNTIL", async () => {
    expect(await rows("DECLARE n INT64 DEFAULT 0;\nLOOP\n  SET n = n + 1;\n  IF n = 5 THEN LEAVE; END IF;\nEND LOOP;\nSELECT n")).toEqual([["5"]]);
    const evens = "DECLARE i INT64 DEFAULT 0;\nDECLARE s INT64 DEFAULT 0;\nWHILE i < 6 DO\n  SET i = i + 1;\n  IF MOD(i, 2) = 1 THEN CONTINUE; END IF;\n  SET s = s + i;\nEND WHILE;\nSELECT s";
    expect(await rows(evens)).toEqual([["12"]]);
    expect(await rows("DECLARE n INT64 DEFAULT 10;\nREPEAT\n  SET n = n + 1;\nUNTIL n >= 3 END REPEAT;\nSELECT n")).toEqual([["11"]]);
  });

  it("breaks and continues outer loops by label", async () => {
    const script = [
      "DECLARE i INT64 DEFAULT 0;",
      "DECLARE pairs ARRAY<STRING> DEFAULT [];",
      "outer_loop: WHILE i < 3 DO",
      "  SET i = i + 1;",
      "  BEGIN",
      "    DECLARE j INT64 DEFAULT 0;",
      "    inner_loop: LOOP",
      "      SET j = j + 1;",
      "      IF j > 2 THEN ITERATE outer_loop; END IF;",
      "      IF i = 3 THEN BREAK outer_loop; END IF;",
      "      SET pairs = ARRAY_CONCAT(pairs, [FORMAT('%d%d', i, j)]);",
      "    END LOOP inner_loop;",
      "  END;",
      "END WHILE outer_loop;",
      "SELECT pairs, i",
    ].join("\n");
    expect(await rows(script)).toEqual([[["11", "12", "21", "22"], "3"]]);
  });

  it("iterates FOR x IN (query) over a STRUCT of each row", async () => {
    const script = "DECLARE s STRING DEFAULT '';\nFOR r IN (SELECT n, CHR(64 + n) AS c FROM UNNEST([1, 2, 3]) AS n ORDER BY n) DO\n  SET s = s || r.c || CAST(r.n AS STRING);\nEND FOR;\nSELECT s";
    expect(await rows(script)).toEqual([["A1B2C3"]]);
  });

  it("ends the script at RETURN", async () => {
    const result = await h.run("DECLARE x INT64 DEFAULT 1;\nSELECT x;\nIF TRUE THEN RETURN; END IF;\nSELECT 99");
    expect(result.statementType).toBe("SCRIPT");
    expect(result.rows).toEqual([["1"]]);
  });

  it("catches errors in EXCEPTION WHEN ERROR THEN, with @@error", async () => {
    const script = [
      "DECLARE m STRING;",
      "DECLARE t STRING;",
      "BEGIN",
      "  SELECT 1;",
      "  SELECT nope FROM proc.t;",
      "  SET m = 'not reached';",
      "EXCEPTION WHEN ERROR THEN",
      "  SET (m, t) = (@@error.message, @@error.statement_text);",
      "  SELECT m, t, @@error.stack_trace[OFFSET(0)].line, @@error.stack_trace[OFFSET(0)].column;",
      "END",
    ].join("\n");
    // The message without its position, which the stack trace holds.
    expect(await rows(script)).toEqual([["Unrecognized name: nope", "SELECT nope FROM proc.t", "5", "10"]]);
  });

  it("raises errors with RAISE USING MESSAGE, and re-raises with RAISE in a handler", async () => {
    const error = await h.failure("SELECT 1;\n  RAISE USING MESSAGE = CONCAT('bad ', 'thing')");
    expect(error).toMatchObject({ reason: "invalidQuery", status: 400 });
    expect(error.message).toBe("bad thing at [2:3]");
    const caught = "DECLARE m STRING;\nBEGIN\n  RAISE USING MESSAGE = 'custom';\nEXCEPTION WHEN ERROR THEN\n  SET m = @@error.message;\nEND;\nSELECT m";
    expect(await rows(caught)).toEqual([["custom"]]);
    const reraised = await h.failure("BEGIN\n  SELECT 1/0;\nEXCEPTION WHEN ERROR THEN\n  RAISE;\nEND");
    expect(reraised.message).toMatch(/division by zero/);
  });

  it("checks ASSERT: TRUE passes, FALSE or NULL fails with the description", async () => {
    expect(await rows("ASSERT 1 < 2;\nSELECT 'ok'")).toEqual([["ok"]]);
    expect((await h.failure("ASSERT (SELECT COUNT(*) FROM UNNEST([1, 2])) > 5 AS 'Table must contain more than 5 rows.'")).message).toBe(
      "Table must contain more than 5 rows. at [1:1]",
    );
    expect((await h.failure("SELECT 1;\nASSERT NULL")).message).toBe("Assertion failed: NULL at [2:1]");
  });

  it("runs EXECUTE IMMEDIATE with USING (positional and named) and INTO", async () => {
    const script = [
      "DECLARE a INT64;",
      "DECLARE b STRING;",
      "EXECUTE IMMEDIATE 'SELECT ? + 1, ?' INTO a, b USING 41, 'x';",
      "EXECUTE IMMEDIATE 'INSERT INTO proc.t (id, label) VALUES (@id, @label)' USING a AS id, b AS label;",
      "SELECT a, b, (SELECT COUNT(*) FROM proc.t WHERE id = 42)",
    ].join("\n");
    expect(await rows(script)).toEqual([["42", "x", "1"]]);
    expect(await rows("EXECUTE IMMEDIATE 'SELECT 7 AS seven'")).toEqual([["7"]]);
  });

  it("assigns several variables with SET (a, b) = (...)", async () => {
    expect(await rows("DECLARE a INT64;\nDECLARE b STRING;\nSET (a, b) = (SELECT AS STRUCT 1, 'one');\nSELECT a, b")).toEqual([["1", "one"]]);
  });

  it("returns the result of the last query, DML or DDL statement run", async () => {
    const dmlLast = await h.run("SELECT 1 AS a;\nINSERT INTO proc.t (id) VALUES (1)");
    expect(dmlLast.statementType).toBe("SCRIPT");
    expect(dmlLast.schema).toBeUndefined();
    expect(await rows("SELECT 1 AS a;\nSELECT 2 AS b;\nSET @@time_zone = 'UTC'".replace(";\nSET @@time_zone = 'UTC'", ""))).toEqual([["2"]]);
    expect(await rows("DECLARE x INT64;\nSELECT 3 AS c;\nSET x = 1")).toEqual([["3"]]);
  });

  it("reports @@row_count of the last DML statement and @@project_id", async () => {
    const script = "INSERT INTO proc.t (id) VALUES (7), (8);\nSELECT @@row_count, @@project_id";
    expect(await rows(script)).toEqual([["2", "test-project"]]);
  });

  it("refuses a misplaced DECLARE and a BREAK outside a loop before running anything", async () => {
    const before = (await h.cells("proc", "t")).length;
    const late = await h.failure("INSERT INTO proc.t (id) VALUES (1);\nDECLARE x INT64;");
    expect(late.message).toBe("Variable declarations are allowed only at the start of a block or script at [2:1]");
    const inBlock = await h.failure("BEGIN\n  INSERT INTO proc.t (id) VALUES (1);\n  DECLARE y INT64;\nEND");
    expect(inBlock.message).toBe("Variable declarations are allowed only at the start of a block or script at [3:3]");
    expect((await h.failure("INSERT INTO proc.t (id) VALUES (1);\nBREAK;")).message).toBe("BREAK is only allowed inside a loop at [2:1]");
    expect((await h.failure("b: BEGIN\n  CONTINUE b;\nEND")).message).toBe("CONTINUE cannot refer to the label b of a block at [2:3]");
    expect(await h.cells("proc", "t")).toHaveLength(before);
    expect(await rows("b: BEGIN\n  LEAVE b;\n  SELECT 'no';\nEND;\nSELECT 'yes'")).toEqual([["yes"]]);
  });

  it("dry-runs a procedural script: every SQL statement validated, nothing run", async () => {
    const before = (await h.cells("proc", "t")).length;
    const script = "DECLARE n INT64 DEFAULT 2;\nIF n > 1 THEN\n  INSERT INTO proc.t (id) VALUES (n);\nELSE\n  SELECT n AS x;\nEND IF;\nWHILE FALSE DO DELETE FROM proc.t WHERE TRUE; END WHILE";
    const result = await h.run(script, { dryRun: true });
    expect(result.statementType).toBe("SCRIPT");
    expect(await h.cells("proc", "t")).toHaveLength(before);
    const withFunction = await h.run("CREATE TEMP FUNCTION f(x INT64) AS (x + 1);\nSELECT f(1) AS y", { dryRun: true });
    expect(withFunction.schema?.map((f) => f.name)).toEqual(["y"]);
    const error = await h.failure("IF TRUE THEN\n  SELECT nope;\nEND IF", { dryRun: true });
    expect(error.message).toBe("Unrecognized name: nope at [2:10]");
  });

  it("stops a loop that never ends at the request's deadline, and still answers other requests meanwhile", async () => {
    const looping = h.failure("LOOP\nEND LOOP", { timeoutMs: 1500 });
    const other = await h.run("SELECT 1");
    expect(other.rows).toEqual([["1"]]);
    const error = await looping;
    expect(error).toMatchObject({ reason: "timeout" });
  });

  it("refuses functions in languages other than SQL and JavaScript before anything runs", async () => {
    const before = (await h.cells("proc", "t")).length;
    const error = await h.failure("INSERT INTO proc.t (id) VALUES (1);\nCREATE TEMP FUNCTION f(x FLOAT64) RETURNS FLOAT64 LANGUAGE python AS 'return x';\nSELECT f(1)");
    expect(error.message).toMatch(/^The local BigQuery cannot run python user-defined functions \(LANGUAGE python\) \(statement 2 of the script\).*Nothing in this request was run\.$/);
    expect(await h.cells("proc", "t")).toHaveLength(before);
  });
});
