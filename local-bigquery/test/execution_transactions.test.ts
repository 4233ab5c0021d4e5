/**
 * Multi-statement transactions and temporary tables through the real executor, as BigQuery's
 * documentation describes them: COMMIT applies every change at once, ROLLBACK (or an error
 * without a handler, or the script's end) none; statements inside see their own changes; only
 * queries, DML and DDL on temporary objects may run inside. Temporary tables are seen by their
 * one-part name for the rest of the request and are gone after it.
 */
import { startHarness, type Harness } from "./support/executor_harness";

describe("executor: transactions and temporary tables", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.run("CREATE SCHEMA tx");
    await h.run("CREATE TABLE tx.ledger (id INT64, amount INT64)");
    await h.run("CREATE TABLE tx.audit (id INT64)");
  });
  afterAll(async () => {
    await h.stop();
  });
  beforeEach(async () => {
    await h.run("TRUNCATE TABLE tx.ledger");
    await h.run("TRUNCATE TABLE tx.audit");
    await h.run("INSERT INTO tx.ledger VALUES (1, 100)");
  });

  const ids = async (table: string) => (await h.cells("tx", table)).map((r) => r[0]).sort();

  it("commits the changes to several tables together, and statements inside see them", async () => {
    const result = await h.run(
      "BEGIN TRANSACTION;\nINSERT INTO tx.ledger VALUES (2, 200);\nUPDATE tx.ledger SET amount = amount + 1 WHERE id = 1;\nINSERT INTO tx.audit SELECT id FROM tx.ledger;\nSELECT COUNT(*) FROM tx.audit;\nCOMMIT TRANSACTION;",
    );
    expect(result.statementType).toBe("SCRIPT");
    expect(await h.cells("tx", "ledger")).toEqual([["1", "101"], ["2", "200"]]);
    expect(await ids("audit")).toEqual(["1", "2"]);
  });

  it("undoes every change on ROLLBACK", async () => {
    const result = await h.run(
      "BEGIN TRANSACTION;\nINSERT INTO tx.ledger VALUES (2, 200);\nDELETE FROM tx.ledger WHERE id = 1;\nINSERT INTO tx.audit VALUES (9);\nROLLBACK TRANSACTION;\nSELECT id, amount FROM tx.ledger",
    );
    expect(result.rows).toEqual([["1", "100"]]);
    expect(await ids("audit")).toEqual([]);
  });

  it("rolls back when a statement fails without a handler, and the request fails", async () => {
    const error = await h.failure("BEGIN TRANSACTION;\nINSERT INTO tx.ledger VALUES (2, 200);\nSELECT 1/0;\nCOMMIT TRANSACTION;");
    expect(error.message).toMatch(/division by zero/);
    expect(await ids("ledger")).toEqual(["1"]);
  });

  it("goes on in a handler after an error, and rolls back what is left open when the script ends", async () => {
    const script = [
      "DECLARE outcome STRING DEFAULT 'ok';",
      "BEGIN",
      "  BEGIN TRANSACTION;",
      "  INSERT INTO tx.ledger VALUES (2, 200);",
      "  SELECT 1/0;",
      "  COMMIT TRANSACTION;",
      "EXCEPTION WHEN ERROR THEN",
      "  SET outcome = 'caught';",
      "END;",
      "SELECT outcome, (SELECT COUNT(*) FROM tx.ledger)",
    ].join("\n");
    // Still inside the transaction: its own insert is visible; at the end it is rolled back.
    expect((await h.run(script)).rows).toEqual([["caught", "2"]]);
    expect(await ids("ledger")).toEqual(["1"]);
    const committed = "BEGIN\n  BEGIN TRANSACTION;\n  INSERT INTO tx.ledger VALUES (3, 300);\n  SELECT 1/0;\nEXCEPTION WHEN ERROR THEN\n  COMMIT TRANSACTION;\nEND";
    await h.run(committed);
    expect(await ids("ledger")).toEqual(["1", "3"]);
  });

  it("refuses DDL on permanent tables inside a transaction, and unmatched COMMIT", async () => {
    const error = await h.failure("BEGIN TRANSACTION;\nINSERT INTO tx.ledger VALUES (2, 200);\nCREATE TABLE tx.nope (x INT64);\nCOMMIT TRANSACTION;");
    expect(error).toMatchObject({ reason: "invalidQuery", status: 400 });
    expect(error.message).toMatch(/^CREATE TABLE is not supported inside a multi-statement transaction/);
    expect(h.store.getTable(h.ref("tx", "nope"))).toBeUndefined();
    expect(await ids("ledger")).toEqual(["1"]);
    expect((await h.failure("SELECT 1;\nCOMMIT TRANSACTION")).message).toBe(
      "COMMIT TRANSACTION without an active transaction (BEGIN TRANSACTION) at [2:1]",
    );
    expect((await h.failure("BEGIN TRANSACTION;\nBEGIN TRANSACTION;")).message).toMatch(/^Nested transactions are not supported/);
  });

  it("aborts COMMIT when another writer changed a table the transaction wrote", async () => {
    const script = "BEGIN TRANSACTION;\nINSERT INTO tx.ledger VALUES (2, 200);\nSELECT 1;\nCOMMIT TRANSACTION;";
    // Another request writes the table between the transaction's write and its COMMIT.
    const store = h.store;
    const write = store.write.bind(store);
    let interfered = false;
    store.write = async (refs, fn) => {
      const result = await write(refs, fn);
      if (!interfered && refs.some((r) => r.tableId.startsWith("__transaction_"))) {
        interfered = true;
        await h.run("INSERT INTO tx.ledger VALUES (5, 500)");
      }
      return result;
    };
    try {
      const error = await h.failure(script);
      expect(error.message).toBe("Transaction is aborted due to concurrent update against table test-project:tx.ledger.");
    } finally {
      store.write = write;
    }
    expect(await ids("ledger")).toEqual(["1", "5"]);
  });

  it("makes CREATE TEMP TABLE visible by its one-part name, before the default dataset, and drops it at the end", async () => {
    await h.run("CREATE TABLE tx.staging (x INT64)");
    const script = [
      "CREATE TEMP TABLE staging AS SELECT id, amount FROM tx.ledger;",
      "INSERT INTO staging VALUES (2, 200);",
      "SELECT id, amount FROM staging ORDER BY id",
    ].join("\n");
    const result = await h.run(script, { defaultDataset: { projectId: "test-project", datasetId: "tx" } });
    expect(result.rows).toEqual([["1", "100"], ["2", "200"]]);
    // The dataset's own table is untouched, and nothing of the script is left.
    expect(h.store.getTable(h.ref("tx", "staging"))?.schema.map((f) => f.name)).toEqual(["x"]);
    expect(h.store.listDatasets("test-project").map((d) => d.ref.datasetId)).toEqual(["tx"]);
    const after = await h.run("SELECT * FROM staging", { defaultDataset: { projectId: "test-project", datasetId: "tx" } });
    expect(after.schema?.map((f) => f.name)).toEqual(["x"]);
    await h.run("DROP TABLE tx.staging");
  });

  it("refuses a qualified temporary table name", async () => {
    const error = await h.failure("CREATE TEMP TABLE tx.t AS SELECT 1 AS x");
    expect(error.message).toBe("Temporary table names must be a single identifier, without project or dataset: tx.t");
  });

  it("runs Dataform's INSERT_OVERWRITE script: a temp staging table, a block with DECLARE and MERGE, DROP", async () => {
    await h.run("CREATE TABLE tx.daily (day DATE, n INT64) PARTITION BY day");
    await h.run("INSERT INTO tx.daily VALUES ('2025-01-01', 1), ('2025-01-02', 2)");
    const script = `CREATE OR REPLACE TEMP TABLE \`staging_table_temp_1\` AS (
  SELECT DATE '2025-01-02' AS day, 20 AS n UNION ALL SELECT DATE '2025-01-03', 30
);

BEGIN
  DECLARE partitions_for_replacement DEFAULT (
    ARRAY(
      SELECT DISTINCT day
      FROM \`staging_table_temp_1\`
      WHERE day IS NOT NULL
    )
  );

  MERGE \`test-project.tx.daily\` DATAFORM_DEST
  USING \`staging_table_temp_1\` DATAFORM_SOURCE
  ON FALSE
  WHEN NOT MATCHED BY SOURCE AND day IN UNNEST(partitions_for_replacement)
  THEN
    DELETE
  WHEN NOT MATCHED BY TARGET THEN
    INSERT (\`day\`,\`n\`) VALUES (\`day\`,\`n\`);
END;

DROP TABLE IF EXISTS \`staging_table_temp_1\`;`;
    await h.run(script);
    const rows = (await h.cells("tx", "daily")).map((r) => `${r[0]}=${r[1]}`).sort();
    expect(rows).toEqual(["2025-01-01=1", "2025-01-02=20", "2025-01-03=30"]);
  });
});
