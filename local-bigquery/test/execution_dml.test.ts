/** DML through the executor: INSERT, UPDATE, DELETE, TRUNCATE and MERGE (Dataform's exact SQL included). */
import { startHarness, type Harness } from "./support/executor_harness";

const sorted = (rows: unknown[][]): unknown[][] => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("executor: DML", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.run("CREATE SCHEMA `test-project.ecommerce_orders`");
  });
  afterAll(async () => {
    await h.stop();
  });

  beforeEach(async () => {
    await h.run(
      "CREATE OR REPLACE TABLE ecommerce_orders.items (id STRING NOT NULL, qty INT64, price NUMERIC, tags ARRAY<STRING>, meta STRUCT<src STRING, n INT64>)",
    );
  });

  it("inserts VALUES with and without a column list, and INSERT ... SELECT", async () => {
    const values = await h.run(
      "INSERT INTO ecommerce_orders.items (id, qty, price) VALUES ('a', 1, 9.99), ('b', 9007199254740993, NULL)",
    );
    expect(values).toMatchObject({ statementType: "INSERT", numDmlAffectedRows: 2, ddlTargetTable: h.ref("ecommerce_orders", "items") });
    await h.run("INSERT INTO `test-project.ecommerce_orders.items` VALUES ('c', 3, 0.5, ['x', 'y'], STRUCT('web', 7))");
    const select = await h.run("INSERT INTO ecommerce_orders.items (id, qty) SELECT CONCAT(id, '2'), qty * 2 FROM ecommerce_orders.items WHERE qty < 5");
    expect(select.numDmlAffectedRows).toBe(2);
    expect(sorted(await h.cells("ecommerce_orders", "items"))).toEqual(
      sorted([
        ["a", "1", "9.99", [], null],
        ["b", "9007199254740993", null, [], null],
        ["c", "3", "0.5", ["x", "y"], ["web", "7"]],
        ["a2", "2", null, [], null],
        ["c2", "6", null, [], null],
      ]),
    );
  });

  it("enforces REQUIRED columns on INSERT and UPDATE, writing nothing", async () => {
    const error = await h.failure("INSERT INTO ecommerce_orders.items (id, qty) VALUES ('ok', 1), (NULL, 2)");
    expect(error).toMatchObject({ reason: "invalidQuery", status: 400 });
    expect(error.message).toBe("Required field id of table test-project:ecommerce_orders.items cannot be NULL");
    expect((await h.cells("ecommerce_orders", "items"))).toEqual([]);
    await h.run("INSERT INTO ecommerce_orders.items (id) VALUES ('a')");
    expect((await h.failure("UPDATE ecommerce_orders.items SET id = NULL WHERE TRUE")).message).toMatch(/Required field id/);
    expect((await h.cells("ecommerce_orders", "items"))).toEqual([["a", null, null, [], null]]);
  });

  it("updates exactly the rows ZetaSQL selects, by their row ids (duplicates included)", async () => {
    await h.run("INSERT INTO ecommerce_orders.items (id, qty) VALUES ('a', 1), ('a', 1), ('b', 2), ('c', NULL)");
    const result = await h.run("UPDATE ecommerce_orders.items t SET qty = t.qty + 10, tags = ['u'] WHERE id = 'a' OR qty IS NULL");
    expect(result).toMatchObject({ statementType: "UPDATE", numDmlAffectedRows: 3 });
    // Row order after an UPDATE is not defined (DuckDB rewrites rows with a changed ARRAY at the end), as in BigQuery.
    expect(sorted(await h.cells("ecommerce_orders", "items"))).toEqual([
      ["a", "11", null, ["u"], null],
      ["a", "11", null, ["u"], null],
      ["b", "2", null, [], null],
      ["c", null, null, ["u"], null],
    ]);
  });

  it("deletes exactly the rows selected, and TRUNCATE empties the table", async () => {
    await h.run("INSERT INTO ecommerce_orders.items (id, qty) VALUES ('a', 1), ('b', 2), ('c', 3)");
    const result = await h.run("DELETE FROM ecommerce_orders.items WHERE qty >= (SELECT AVG(qty) FROM ecommerce_orders.items)");
    expect(result).toMatchObject({ statementType: "DELETE", numDmlAffectedRows: 2 });
    expect((await h.cells("ecommerce_orders", "items"))).toEqual([["a", "1", null, [], null]]);
    expect((await h.run("TRUNCATE TABLE ecommerce_orders.items")).numDmlAffectedRows).toBe(1);
    expect((await h.cells("ecommerce_orders", "items"))).toEqual([]);
  });

  it("runs concurrent UPDATEs of one table one after another, losing none", async () => {
    await h.run("INSERT INTO ecommerce_orders.items (id, qty) VALUES ('counter', 0)");
    await Promise.all(Array.from({ length: 8 }, () => h.run("UPDATE ecommerce_orders.items SET qty = qty + 1 WHERE id = 'counter'")));
    expect((await h.cells("ecommerce_orders", "items"))).toEqual([["counter", "8", null, [], null]]);
  });

  describe("MERGE", () => {
    beforeEach(async () => {
      await h.run(
        "CREATE OR REPLACE TABLE `test-project.ecommerce_orders.orders_raw` (order_id STRING NOT NULL, order_status STRING, ingested_at TIMESTAMP NOT NULL)",
      );
      await h.run(`INSERT INTO ecommerce_orders.orders_raw VALUES
        ('A', 'PLACED', TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 2 DAY)),
        ('A', 'SHIPPED', TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 1 DAY)),
        ('B', 'PLACED', TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 1 HOUR))`);
      // Dataform's first run of an incremental table with uniqueKey.
      await h.run(
        "create or replace table `test-project.ecommerce_orders.orders_inc` partition by DATE(ingested_at) as \nSELECT order_id, order_status, ingested_at FROM `test-project.ecommerce_orders.orders_raw` WHERE order_status = 'PLACED'",
      );
    });

    // Dataform 3.0.69's exact incremental MERGE (uniqueKey + updatePartitionFilter), columns from tables.get.
    const dataformMerge = `merge \`test-project.ecommerce_orders.orders_inc\` DATAFORM_DEST
using (
SELECT order_id, order_status, ingested_at FROM \`test-project.ecommerce_orders.orders_raw\`
WHERE ingested_at > (SELECT MAX(ingested_at) FROM \`test-project.ecommerce_orders.orders_inc\`)

) DATAFORM_SOURCE
on DATAFORM_DEST.order_id = DATAFORM_SOURCE.order_id and DATAFORM_DEST.ingested_at > TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 7 DAY)

when matched then
  update set \`order_id\` = DATAFORM_SOURCE.order_id,\`order_status\` = DATAFORM_SOURCE.order_status,\`ingested_at\` = DATAFORM_SOURCE.ingested_at
when not matched then
  insert (\`order_id\`,\`order_status\`,\`ingested_at\`) values (\`order_id\`,\`order_status\`,\`ingested_at\`)`;

    it("runs Dataform's incremental MERGE: matched rows updated, new keys inserted", async () => {
      const before = await h.run("SELECT order_id, order_status FROM ecommerce_orders.orders_inc ORDER BY order_id");
      expect(before.rows).toEqual([
        ["A", "PLACED"],
        ["B", "PLACED"],
      ]);
      await h.run("INSERT INTO ecommerce_orders.orders_raw VALUES ('C', 'PLACED', CURRENT_TIMESTAMP())");
      const result = await h.run(dataformMerge);
      // Source: rows newer than B's: none for A/B except... A SHIPPED is older than B PLACED, so only C arrives.
      expect(result).toMatchObject({ statementType: "MERGE", numDmlAffectedRows: 1 });
      await h.run("INSERT INTO ecommerce_orders.orders_raw VALUES ('A', 'DELIVERED', TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 MINUTE))");
      const second = await h.run(dataformMerge);
      expect(second.numDmlAffectedRows).toBe(1);
      const after = await h.run("SELECT order_id, order_status FROM ecommerce_orders.orders_inc ORDER BY order_id");
      expect(after.rows).toEqual([
        ["A", "DELIVERED"],
        ["B", "PLACED"],
        ["C", "PLACED"],
      ]);
      // Run again with nothing new: nothing changes.
      expect((await h.run(dataformMerge)).numDmlAffectedRows).toBe(0);
    });

    it("evaluates WHEN clauses in order, with conditions, DELETE and NOT MATCHED BY SOURCE", async () => {
      const result = await h.run(`MERGE ecommerce_orders.orders_inc T
        USING (SELECT 'A' AS id, 'CANCELLED' AS status UNION ALL SELECT 'Z', 'NEW') S
        ON T.order_id = S.id
        WHEN MATCHED AND S.status = 'CANCELLED' THEN DELETE
        WHEN MATCHED THEN UPDATE SET order_status = 'never'
        WHEN NOT MATCHED BY TARGET THEN INSERT (order_id, order_status, ingested_at) VALUES (id, status, TIMESTAMP '2025-06-01')
        WHEN NOT MATCHED BY SOURCE AND T.order_id = 'B' THEN UPDATE SET order_status = CONCAT(T.order_status, '!')`);
      expect(result.numDmlAffectedRows).toBe(3);
      const rows = await h.run("SELECT order_id, order_status FROM ecommerce_orders.orders_inc ORDER BY order_id");
      expect(rows.rows).toEqual([
        ["B", "PLACED!"],
        ["Z", "NEW"],
      ]);
    });

    it("inserts with INSERT ROW and INSERT VALUES without a column list", async () => {
      const result = await h.run(`MERGE ecommerce_orders.orders_inc T
        USING (SELECT 'R' AS order_id, 'ROW' AS order_status, TIMESTAMP '2025-03-01' AS ingested_at) S ON T.order_id = S.order_id
        WHEN NOT MATCHED AND S.order_status = 'none' THEN INSERT VALUES ('never', NULL, NULL)
        WHEN NOT MATCHED THEN INSERT ROW`);
      expect(result.numDmlAffectedRows).toBe(1);
      await h.run(`MERGE ecommerce_orders.orders_inc T USING (SELECT 'V' AS id) S ON T.order_id = S.id
        WHEN NOT MATCHED THEN INSERT VALUES (id, 'VALUES', TIMESTAMP '2025-03-02')`);
      const rows = await h.run("SELECT order_id, order_status, ingested_at FROM ecommerce_orders.orders_inc WHERE order_id IN ('R', 'V') ORDER BY 1");
      expect(rows.rows).toEqual([
        ["R", "ROW", "1740787200000000"],
        ["V", "VALUES", "1740873600000000"],
      ]);
    });

    it("refuses a MERGE that matches one target row to several source rows, changing nothing", async () => {
      const error = await h.failure(`MERGE ecommerce_orders.orders_inc T USING ecommerce_orders.orders_raw S ON T.order_id = S.order_id
        WHEN MATCHED THEN UPDATE SET order_status = S.order_status`);
      expect(error).toMatchObject({ reason: "invalidQuery", status: 400 });
      expect(error.message).toMatch(/must match at most one source row for each target row/);
      expect((await h.run("SELECT COUNT(*) FROM ecommerce_orders.orders_inc WHERE order_status = 'PLACED'")).rows).toEqual([["2"]]);
    });

    it("reads an unqualified name in a NOT MATCHED BY SOURCE condition as the target's, BY TARGET as the source's", async () => {
      // Both sides have order_id and order_status; each condition sees one side only, as in BigQuery.
      await h.run(`MERGE ecommerce_orders.orders_inc T
USING (SELECT 'C' AS order_id, 'PLACED' AS order_status, CURRENT_TIMESTAMP() AS ingested_at UNION ALL SELECT 'D', 'OTHER', CURRENT_TIMESTAMP()) S
ON FALSE
WHEN NOT MATCHED BY SOURCE AND order_id = 'A' THEN DELETE
WHEN NOT MATCHED BY TARGET AND order_status = 'PLACED' THEN INSERT ROW`);
      expect((await h.cells("ecommerce_orders", "orders_inc")).map((r) => r[0]).sort()).toEqual(["B", "C"]);
    });

    it("enforces REQUIRED columns and reports analysis errors at their position", async () => {
      const required = await h.failure(`MERGE ecommerce_orders.orders_raw T USING (SELECT 'N' AS id) S ON FALSE
        WHEN NOT MATCHED THEN INSERT (order_id) VALUES (id)`);
      expect(required.message).toMatch(/Required field ingested_at/);
      const unknown = await h.failure("MERGE ecommerce_orders.orders_inc T USING (SELECT 1 AS id) S ON T.nope = S.id\nWHEN MATCHED THEN DELETE");
      expect(unknown.message).toBe("Name nope not found inside T at [1:67]");
    });
  });
});
