/** DDL through the executor: every form leaves the store (what tables.get shows) as BigQuery would. */
import { PROJECT, startHarness, type Harness } from "./support/executor_harness";

describe("executor: DDL", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  it("creates schemas with options, IF NOT EXISTS, OR REPLACE; duplicates fail with 409", async () => {
    const created = await h.run("CREATE SCHEMA IF NOT EXISTS `test-project.ds` OPTIONS(description='first', labels=[('team','data')])");
    expect(created.statementType).toBe("CREATE_SCHEMA");
    expect(h.store.getDataset({ projectId: PROJECT, datasetId: "ds" })).toMatchObject({ description: "first", labels: { team: "data" }, location: "US" });
    await h.run("CREATE SCHEMA IF NOT EXISTS ds OPTIONS(description='ignored')");
    expect(h.store.getDataset({ projectId: PROJECT, datasetId: "ds" })?.description).toBe("first");
    await h.run("CREATE OR REPLACE SCHEMA ds OPTIONS(description='second')");
    expect(h.store.getDataset({ projectId: PROJECT, datasetId: "ds" })?.description).toBe("second");
    const duplicate = await h.failure("CREATE SCHEMA ds");
    expect(duplicate).toMatchObject({ reason: "duplicate", status: 409 });
  });

  it("creates a table from a column list: NOT NULL, ARRAY, STRUCT, descriptions, partitioning, clustering, options", async () => {
    const result = await h.run(`
      -- Dataform sends statements with comments, newlines and tabs
      CREATE TABLE IF NOT EXISTS \`test-project.ds.orders\` (
        order_id STRING NOT NULL OPTIONS(description = 'the order'),
        tags ARRAY<STRING>,
        address STRUCT<city STRING NOT NULL, zip STRING>,
        lines ARRAY<STRUCT<sku STRING, qty INT64>>,
        amount NUMERIC,
	ingested_at TIMESTAMP NOT NULL
      )
      PARTITION BY DATE(ingested_at)
      CLUSTER BY order_id, amount
      OPTIONS(description = 'orders', labels = [('team', 'data')], require_partition_filter = true, partition_expiration_days = 3)
    `);
    expect(result).toMatchObject({ statementType: "CREATE_TABLE", ddlTargetTable: h.ref("ds", "orders") });
    const meta = h.store.getTable(h.ref("ds", "orders"));
    expect(meta).toMatchObject({
      type: "TABLE",
      description: "orders",
      labels: { team: "data" },
      timePartitioning: { type: "DAY", field: "ingested_at", expirationMs: String(3 * 86_400_000) },
      clustering: ["order_id", "amount"],
      options: { require_partition_filter: true, partition_expiration_days: 3 },
    });
    expect(meta?.schema).toEqual([
      { name: "order_id", type: "STRING", mode: "REQUIRED", description: "the order" },
      { name: "tags", type: "STRING", mode: "REPEATED" },
      {
        name: "address",
        type: "RECORD",
        mode: "NULLABLE",
        fields: [
          { name: "city", type: "STRING", mode: "REQUIRED" },
          { name: "zip", type: "STRING", mode: "NULLABLE" },
        ],
      },
      {
        name: "lines",
        type: "RECORD",
        mode: "REPEATED",
        fields: [
          { name: "sku", type: "STRING", mode: "NULLABLE" },
          { name: "qty", type: "INTEGER", mode: "NULLABLE" },
        ],
      },
      { name: "amount", type: "NUMERIC", mode: "NULLABLE" },
      { name: "ingested_at", type: "TIMESTAMP", mode: "REQUIRED" },
    ]);
    // IF NOT EXISTS leaves it alone; a plain CREATE of an existing table is a duplicate.
    await h.run("CREATE TABLE IF NOT EXISTS ds.orders (x INT64)");
    expect(h.store.getTable(h.ref("ds", "orders"))?.schema).toHaveLength(6);
    expect(await h.failure("CREATE TABLE ds.orders (x INT64)")).toMatchObject({ reason: "duplicate", status: 409 });
  });

  it.each([
    ["TIMESTAMP_TRUNC(ts, HOUR)", "TIMESTAMP", { type: "HOUR", field: "ts" }],
    ["DATE_TRUNC(ts, MONTH)", "DATE", { type: "MONTH", field: "ts" }],
    ["DATETIME_TRUNC(ts, YEAR)", "DATETIME", { type: "YEAR", field: "ts" }],
    ["ts", "DATE", { type: "DAY", field: "ts" }],
    ["_PARTITIONDATE", "DATE", { type: "DAY" }],
  ])("partitions by %s", async (expression, type, expected) => {
    const name = `p_${expression.replace(/\W+/g, "_").toLowerCase()}`;
    await h.run(`CREATE TABLE ds.${name} (ts ${type}) PARTITION BY ${expression}`);
    expect(h.store.getTable(h.ref("ds", name))?.timePartitioning).toEqual(expected);
  });

  it("keeps integer-range partitioning, and refuses partitioning it cannot represent, plainly", async () => {
    await h.run("CREATE TABLE ds.ranged (n INT64) PARTITION BY RANGE_BUCKET(n, GENERATE_ARRAY(0, 100, 10))");
    expect(h.store.getTable(h.ref("ds", "ranged"))?.rangePartitioning).toMatchObject({ field: "n" });
    const error = await h.failure("CREATE TABLE ds.minutes (ts TIMESTAMP) PARTITION BY TIMESTAMP_TRUNC(ts, MINUTE)");
    expect(error).toMatchObject({ reason: "invalidQuery", status: 400 });
    expect(error.message).toMatch(/does not support PARTITION BY TIMESTAMP_TRUNC/);
  });

  it("creates tables AS SELECT (Dataform's form), and OR REPLACE replaces rows and schema", async () => {
    await h.run("INSERT INTO ds.orders (order_id, amount, ingested_at) VALUES ('A', 1, TIMESTAMP '2025-01-01'), ('B', 2.5, TIMESTAMP '2025-01-03'), ('A', 3, TIMESTAMP '2025-01-02')");
    const sql =
      "create or replace table `test-project.ds.orders_tbl` partition by DATE(last_ingested_at) cluster by order_id OPTIONS(description='t', labels=[('team','data')]) as \nSELECT order_id, COUNT(*) AS n, MAX(ingested_at) AS last_ingested_at FROM `test-project.ds.orders` GROUP BY order_id";
    const result = await h.run(sql);
    expect(result.statementType).toBe("CREATE_TABLE_AS_SELECT");
    const meta = h.store.getTable(h.ref("ds", "orders_tbl"));
    expect(meta?.schema.map((f) => `${f.name}:${f.type}:${f.mode}`)).toEqual([
      "order_id:STRING:NULLABLE",
      "n:INTEGER:NULLABLE",
      "last_ingested_at:TIMESTAMP:NULLABLE",
    ]);
    expect(meta).toMatchObject({ timePartitioning: { type: "DAY", field: "last_ingested_at" }, clustering: ["order_id"], labels: { team: "data" } });
    expect((await h.cells("ds", "orders_tbl")).sort()).toEqual([
      ["A", "2", "1735776000000000"],
      ["B", "1", "1735862400000000"],
    ]);
    await h.run("CREATE OR REPLACE TABLE ds.orders_tbl AS SELECT 'only' AS x");
    expect(h.store.getTable(h.ref("ds", "orders_tbl"))?.schema.map((f) => f.name)).toEqual(["x"]);
    expect((await h.cells("ds", "orders_tbl"))).toEqual([["only"]]);
  });

  it("reports errors in the query part of CREATE ... AS SELECT at their place in the statement", async () => {
    const error = await h.failure("CREATE TABLE ds.bad AS\nSELECT nope FROM ds.orders");
    expect(error.message).toBe("Unrecognized name: nope at [2:8]");
    expect(h.store.getTable(h.ref("ds", "bad"))).toBeUndefined();
  });

  it("creates views with their SQL and output schema; OR REPLACE and IF NOT EXISTS", async () => {
    const sql =
      "create or replace view `test-project.ds.latest_v` as \nSELECT * FROM `test-project.ds.orders` WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY ingested_at DESC) = 1";
    expect((await h.run(sql)).statementType).toBe("CREATE_VIEW");
    const meta = h.store.getTable(h.ref("ds", "latest_v"));
    expect(meta?.type).toBe("VIEW");
    expect(meta?.viewQuery).toBe(
      "SELECT * FROM `test-project.ds.orders` WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY ingested_at DESC) = 1",
    );
    expect(meta?.schema.map((f) => f.name)).toEqual(["order_id", "tags", "address", "lines", "amount", "ingested_at"]);
    await h.run("CREATE VIEW IF NOT EXISTS ds.latest_v AS SELECT 1 AS x");
    expect(h.store.getTable(h.ref("ds", "latest_v"))?.schema).toHaveLength(6);
    await h.run("CREATE OR REPLACE VIEW ds.latest_v AS SELECT order_id FROM ds.orders");
    expect(h.store.getTable(h.ref("ds", "latest_v"))?.schema.map((f) => f.name)).toEqual(["order_id"]);
    expect(await h.failure("CREATE VIEW ds.v2 AS SELECT * FROM ds.missing")).toMatchObject({ reason: "notFound" });
  });

  it("alters tables: ADD COLUMN [IF NOT EXISTS], SET OPTIONS, ALTER COLUMN SET OPTIONS", async () => {
    await h.run("CREATE TABLE ds.alter_me (a STRING)");
    await h.store.appendRows(h.ref("ds", "alter_me"), [["x"]]);
    const result = await h.run(
      "ALTER TABLE ds.alter_me ADD COLUMN IF NOT EXISTS b INT64 OPTIONS(description='bee'), ADD COLUMN IF NOT EXISTS a STRING, ADD COLUMN c ARRAY<STRING>",
    );
    expect(result.statementType).toBe("ALTER_TABLE");
    await h.run("ALTER TABLE `test-project`.ds.alter_me SET OPTIONS(description='altered', labels=[('k','v')])");
    await h.run("ALTER TABLE ds.alter_me ALTER COLUMN a SET OPTIONS(description='ay')");
    const meta = h.store.getTable(h.ref("ds", "alter_me"));
    expect(meta?.schema).toEqual([
      { name: "a", type: "STRING", mode: "NULLABLE", description: "ay" },
      { name: "b", type: "INTEGER", mode: "NULLABLE", description: "bee" },
      { name: "c", type: "STRING", mode: "REPEATED" },
    ]);
    expect(meta).toMatchObject({ description: "altered", labels: { k: "v" } });
    expect((await h.run("SELECT * FROM ds.alter_me")).rows).toEqual([["x", null, []]]);
    expect(await h.failure("ALTER TABLE ds.alter_me ADD COLUMN b STRING")).toMatchObject({ reason: "invalidQuery" });
    await h.run("ALTER TABLE IF EXISTS ds.nothing ADD COLUMN z STRING");
    expect(await h.failure("ALTER TABLE ds.nothing ADD COLUMN z STRING")).toMatchObject({ reason: "notFound", status: 404 });
    const unsupported = await h.failure("ALTER TABLE ds.alter_me ADD PRIMARY KEY (a) NOT ENFORCED");
    expect(unsupported.message).toMatch(/^The local BigQuery does not support ALTER TABLE ADD CONSTRAINT/);
  });

  it("drops tables and views [IF EXISTS], checking the kind", async () => {
    await h.run("CREATE TABLE ds.drop_t (a STRING)");
    await h.run("CREATE VIEW ds.drop_v AS SELECT 1 AS x");
    expect(await h.failure("DROP VIEW ds.drop_t")).toMatchObject({ reason: "invalidQuery", status: 400 });
    expect((await h.run("DROP VIEW IF EXISTS ds.drop_v")).statementType).toBe("DROP_VIEW");
    expect((await h.run("DROP TABLE ds.drop_t")).statementType).toBe("DROP_TABLE");
    expect(h.store.getTable(h.ref("ds", "drop_t"))).toBeUndefined();
    expect(h.store.getTable(h.ref("ds", "drop_v"))).toBeUndefined();
    await h.run("DROP TABLE IF EXISTS ds.drop_t");
    expect(await h.failure("DROP TABLE ds.drop_t")).toMatchObject({ reason: "notFound", status: 404 });
  });

  it("drops schemas: RESTRICT keeps a non-empty one, CASCADE drops its tables", async () => {
    await h.run("CREATE SCHEMA gone");
    await h.run("CREATE TABLE gone.t (a STRING)");
    expect(await h.failure("DROP SCHEMA gone")).toMatchObject({ status: 400 });
    expect((await h.run("DROP SCHEMA gone CASCADE")).statementType).toBe("DROP_SCHEMA");
    expect(h.store.getDataset({ projectId: PROJECT, datasetId: "gone" })).toBeUndefined();
    await h.run("DROP SCHEMA IF EXISTS gone");
    expect(await h.failure("DROP SCHEMA gone")).toMatchObject({ reason: "notFound", status: 404 });
  });

  it("fails plainly for DDL the local BigQuery does not have", async () => {
    // Temporary tables run now (execution_procedural.test.ts), materialized views are answered as views.
    const external = await h.failure("CREATE EXTERNAL TABLE ds.ext OPTIONS(format = 'CSV', uris = ['gs://b/x.csv'])");
    expect(external).toMatchObject({ status: 400 });
    expect(external.message).toMatch(/cannot run/);
  });
});
