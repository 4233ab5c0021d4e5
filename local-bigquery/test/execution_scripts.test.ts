/** Scripts: several statements in one request, DECLARE/SET variables, Dataform's scripts, and plain refusals of what cannot run. */
import { startHarness, type Harness } from "./support/executor_harness";

const RAW = "`test-project.ecommerce_orders.orders_raw`";
const APPEND = "`test-project.ecommerce_orders.orders_inc_append`";

describe("executor: scripts", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.run("create schema if not exists `test-project.ecommerce_orders`");
    await h.run(
      `\nCREATE TABLE IF NOT EXISTS ${RAW} (order_id STRING NOT NULL, order_status STRING, ingested_at TIMESTAMP NOT NULL) PARTITION BY DATE(ingested_at) CLUSTER BY order_id\n`,
    );
    await h.run(`INSERT INTO ${RAW} VALUES ('A', 'P', TIMESTAMP '2024-12-31'), ('B', 'P', TIMESTAMP '2025-01-02'), ('C', 'S', TIMESTAMP '2025-01-03')`);
  });
  afterAll(async () => {
    await h.stop();
  });

  it("runs Dataform's pre_operations script: DECLARE, then CREATE TABLE AS SELECT using the variable", async () => {
    const script = `DECLARE cutoff TIMESTAMP DEFAULT TIMESTAMP "2025-01-01";\ncreate or replace table ${APPEND} as \n\nSELECT order_id, ingested_at FROM ${RAW} WHERE ingested_at > cutoff`;
    const result = await h.run(script);
    expect(result.statementType).toBe("SCRIPT");
    expect((await h.cells("ecommerce_orders", "orders_inc_append")).map((r) => r[0]).sort()).toEqual(["B", "C"]);
    // The variable is a constant of the compiled query: DuckDB runs the statement (the oracle checks it).
    expect(result.engines).toMatchObject({ referenceEvaluator: 0 });
    expect(result.engines?.duckdb).toBeGreaterThan(0);
  });

  it("runs Dataform's incremental insert script (tabs before newlines, a variable in a subquery)", async () => {
    await h.run(`INSERT INTO ${RAW} VALUES ('D', 'P', TIMESTAMP '2025-02-01')`);
    const script =
      `DECLARE cutoff TIMESTAMP DEFAULT TIMESTAMP "2025-01-01";\ninsert into ${APPEND}\t\n(\`order_id\`,\`ingested_at\`)\t\nselect \`order_id\`,\`ingested_at\`\t\nfrom (\n\n` +
      `SELECT order_id, ingested_at FROM ${RAW}\nWHERE ingested_at > (SELECT IFNULL(MAX(ingested_at), cutoff) FROM ${APPEND})\n) as insertions`;
    await h.run(script);
    expect((await h.cells("ecommerce_orders", "orders_inc_append")).map((r) => r[0]).sort()).toEqual(["B", "C", "D"]);
  });

  it("runs Dataform's kind switch: drop view if exists; create or replace table", async () => {
    await h.run("CREATE VIEW ecommerce_orders.switch AS SELECT 1 AS x");
    const result = await h.run(
      "drop view if exists `test-project.ecommerce_orders.switch`;\ncreate or replace table `test-project.ecommerce_orders.switch` as \nSELECT order_status, COUNT(*) AS n FROM `test-project.ecommerce_orders.orders_raw` GROUP BY order_status",
    );
    expect(result.statementType).toBe("SCRIPT");
    expect(h.store.getTable(h.ref("ecommerce_orders", "switch"))?.type).toBe("TABLE");
  });

  it("returns the result of the last query, DML or DDL statement; SET changes variables", async () => {
    const result = await h.run(`
      -- leading comment
      DECLARE n INT64 DEFAULT 1;
      DECLARE label STRING;
      INSERT INTO ${APPEND} (order_id) VALUES ('from-script');
      SET n = n + (SELECT COUNT(*) FROM ${RAW} WHERE order_status = 'P');
      SET label = CONCAT('n=', CAST(n AS STRING));
      SELECT n, label;
      -- trailing comment
    `);
    expect(result.statementType).toBe("SCRIPT");
    expect(result.rows).toEqual([["4", "n=4"]]);
    expect(result.schema?.map((f) => f.name)).toEqual(["n", "label"]);
    // BigQuery answers a script with its last statement's result: a DML statement has no rows.
    const dmlLast = await h.run(`SELECT 1 AS a;\nDELETE FROM ${APPEND} WHERE order_id = 'from-script'`);
    expect(dmlLast.schema).toBeUndefined();
    expect(dmlLast.rows).toBeUndefined();
  });

  it("reports an error's position in the whole script", async () => {
    const error = await h.failure("SELECT 1;\nSELECT\n  nope FROM ecommerce_orders.orders_raw");
    expect(error).toMatchObject({ reason: "invalidQuery", status: 400 });
    expect(error.message).toBe("Unrecognized name: nope at [3:3]");
    const syntax = await h.failure("SELECT 1;\nSELEC 2");
    expect(syntax.message).toMatch(/^Syntax error: .* at \[2:1\]$/);
  });

  it("runs Dataform's onSchemaChange calling pattern: a procedure, CALL in a block whose handler re-raises, then DROP PROCEDURE", async () => {
    const proc = "`test-project.ecommerce_orders.df_osc_1`";
    await h.run(`CREATE OR REPLACE PROCEDURE ${proc}()\nOPTIONS(strict_mode=false)\nBEGIN\n  INSERT INTO ${APPEND} (order_id) VALUES ('from-procedure');\nEND;`);
    await h.run(`\nBEGIN\n  CALL ${proc}();\nEXCEPTION WHEN ERROR THEN\n  DROP PROCEDURE IF EXISTS ${proc};\n  RAISE;\nEND;\nDROP PROCEDURE IF EXISTS ${proc};`);
    expect((await h.cells("ecommerce_orders", "orders_inc_append")).map((r) => r[0])).toContain("from-procedure");
    expect(h.store.getRoutine({ projectId: "test-project", datasetId: "ecommerce_orders", routineId: "df_osc_1" })).toBeUndefined();
  });

  it("refuses what it cannot run (SET of a system variable) before running anything", async () => {
    const before = (await h.cells("ecommerce_orders", "orders_raw")).length;
    const script = [`INSERT INTO ${RAW} VALUES ('X', 'P', CURRENT_TIMESTAMP())`, "SET @@time_zone = 'Europe/Paris'"].join(";\n");
    const error = await h.failure(script);
    expect(error).toMatchObject({ reason: "invalidQuery", status: 400 });
    expect(error.message).toMatch(/^The local BigQuery cannot run SET of system variables \(@@\.\.\.\) \(statement 2 of the script\).*Nothing in this request was run\.$/);
    expect(await h.cells("ecommerce_orders", "orders_raw")).toHaveLength(before);
  });

  it("rejects undeclared and redeclared variables", async () => {
    expect((await h.failure("SET nothing = 1")).message).toBe("Undeclared variable: nothing");
    expect((await h.failure("DECLARE a INT64; DECLARE a INT64")).message).toBe("Variable a is already declared");
  });
});
