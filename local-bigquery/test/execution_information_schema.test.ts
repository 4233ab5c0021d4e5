/**
 * INFORMATION_SCHEMA through the executor: the views' columns and values as BigQuery documents them
 * (cloud.google.com/bigquery/docs/information-schema-*), read in any query shape.
 */
import { PROJECT, startHarness, type Harness } from "./support/executor_harness";

describe("executor: INFORMATION_SCHEMA", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.run("CREATE SCHEMA meta OPTIONS(description = 'the metadata dataset')");
    await h.run("CREATE SCHEMA other");
    await h.run(`CREATE TABLE meta.users (id INT64 NOT NULL, name STRING, address STRUCT<city STRING, zip INT64>, tags ARRAY<STRING>)
      CLUSTER BY name OPTIONS(description = 'people', labels = [('team', 'data')])`);
    await h.run("CREATE TABLE meta.daily (dt DATE, value INT64) PARTITION BY dt OPTIONS(require_partition_filter = true)");
    await h.run("INSERT INTO meta.daily VALUES (DATE '2026-05-20', 1), (DATE '2026-05-20', 2), (DATE '2026-05-21', 3), (NULL, 4)");
    await h.run("CREATE VIEW meta.v_users AS SELECT id, name FROM meta.users WHERE id > 0");
  });
  afterAll(async () => {
    await h.stop();
  });

  it("COLUMNS: one row per column, GoogleSQL type names, nullability, partitioning and clustering", async () => {
    const result = await h.run(`SELECT column_name, ordinal_position, is_nullable, data_type, is_partitioning_column, clustering_ordinal_position
      FROM meta.INFORMATION_SCHEMA.COLUMNS WHERE table_name IN ('users', 'daily') ORDER BY table_name, ordinal_position`);
    expect(result.schema?.map((f) => `${f.name}:${f.type}`)).toEqual([
      "column_name:STRING",
      "ordinal_position:INTEGER",
      "is_nullable:STRING",
      "data_type:STRING",
      "is_partitioning_column:STRING",
      "clustering_ordinal_position:INTEGER",
    ]);
    expect(result.rows).toEqual([
      ["dt", "1", "YES", "DATE", "YES", null],
      ["value", "2", "YES", "INT64", "NO", null],
      ["id", "1", "NO", "INT64", "NO", null],
      ["name", "2", "YES", "STRING", "NO", "1"],
      ["address", "3", "YES", "STRUCT<city STRING, zip INT64>", "NO", null],
      ["tags", "4", "YES", "ARRAY<STRING>", "NO", null],
    ]);
  });

  it("TABLES and VIEWS: tables and views of the dataset only; joins and aggregates work on them", async () => {
    const tables = await h.run("SELECT table_name, table_type, is_insertable_into, is_typed FROM `test-project.meta.INFORMATION_SCHEMA.TABLES` ORDER BY table_name");
    expect(tables.rows).toEqual([
      ["daily", "BASE TABLE", "YES", "NO"],
      ["users", "BASE TABLE", "YES", "NO"],
      ["v_users", "VIEW", "NO", "NO"],
    ]);
    const views = await h.run("SELECT table_name, view_definition, use_standard_sql FROM meta.INFORMATION_SCHEMA.VIEWS");
    expect(views.rows).toEqual([["v_users", "SELECT id, name FROM meta.users WHERE id > 0", "YES"]]);
    const joined = await h.run(`SELECT t.table_name, COUNT(*) AS columns
      FROM meta.INFORMATION_SCHEMA.TABLES AS t JOIN meta.INFORMATION_SCHEMA.COLUMNS AS c USING (table_name)
      WHERE t.table_type = 'BASE TABLE' GROUP BY t.table_name ORDER BY t.table_name`);
    expect(joined.rows).toEqual([
      ["daily", "2"],
      ["users", "4"],
    ]);
  });

  it("a view over INFORMATION_SCHEMA sees the catalog as it is when read", async () => {
    await h.run("CREATE VIEW other.table_count AS SELECT COUNT(*) AS n FROM meta.INFORMATION_SCHEMA.TABLES");
    expect((await h.run("SELECT n FROM other.table_count")).rows).toEqual([["3"]]);
    await h.run("CREATE TABLE meta.extra (x INT64)");
    expect((await h.run("SELECT n FROM other.table_count")).rows).toEqual([["4"]]);
    await h.run("DROP TABLE meta.extra");
    expect((await h.run("SELECT n FROM other.table_count")).rows).toEqual([["3"]]);
  });

  it("SCHEMATA at project and region level, with the dataset's location", async () => {
    const region = await h.run("SELECT schema_name, location FROM `region-us`.INFORMATION_SCHEMA.SCHEMATA ORDER BY schema_name");
    expect(region.rows).toEqual([
      ["meta", "US"],
      ["other", "US"],
    ]);
    const project = await h.run(`SELECT catalog_name, schema_name FROM \`${PROJECT}\`.INFORMATION_SCHEMA.SCHEMATA WHERE schema_name = 'meta'`);
    expect(project.rows).toEqual([[PROJECT, "meta"]]);
    expect((await h.run("SELECT COUNT(*) FROM `region-eu`.INFORMATION_SCHEMA.SCHEMATA")).rows).toEqual([["0"]]);
  });

  it("TABLE_OPTIONS: option names, types and values as GoogleSQL literals", async () => {
    const result = await h.run("SELECT table_name, option_name, option_type, option_value FROM meta.INFORMATION_SCHEMA.TABLE_OPTIONS ORDER BY table_name, option_name");
    expect(result.rows).toEqual([
      ["daily", "require_partition_filter", "BOOL", "true"],
      ["users", "description", "STRING", '"people"'],
      ["users", "labels", "ARRAY<STRUCT<STRING, STRING>>", '[STRUCT("team", "data")]'],
    ]);
  });

  it("PARTITIONS: one row per partition with rows (NULL as __NULL__); an unpartitioned table is one partition", async () => {
    const result = await h.run("SELECT table_name, partition_id, total_rows, storage_tier FROM meta.INFORMATION_SCHEMA.PARTITIONS ORDER BY table_name, partition_id");
    expect(result.rows).toEqual([
      ["daily", "20260520", "2", "ACTIVE"],
      ["daily", "20260521", "1", "ACTIVE"],
      ["daily", "__NULL__", "1", "ACTIVE"],
      ["users", null, "0", "ACTIVE"],
    ]);
  });

  it("COLUMN_FIELD_PATHS: every nested field by its path", async () => {
    const result = await h.run("SELECT field_path, data_type FROM meta.INFORMATION_SCHEMA.COLUMN_FIELD_PATHS WHERE table_name = 'users' ORDER BY field_path");
    expect(result.rows).toEqual([
      ["address", "STRUCT<city STRING, zip INT64>"],
      ["address.city", "STRING"],
      ["address.zip", "INT64"],
      ["id", "INT64"],
      ["name", "STRING"],
      ["tags", "ARRAY<STRING>"],
    ]);
  });

  it("unknown views, missing datasets and unqualified references fail as in BigQuery", async () => {
    expect(await h.failure("SELECT * FROM meta.INFORMATION_SCHEMA.NO_SUCH_VIEW")).toMatchObject({ reason: "notFound", status: 404 });
    expect(await h.failure("SELECT * FROM missing.INFORMATION_SCHEMA.TABLES")).toMatchObject({
      reason: "notFound",
      message: `Not found: Dataset ${PROJECT}:missing was not found in location US`,
    });
    expect(await h.failure("SELECT * FROM INFORMATION_SCHEMA.TABLES")).toMatchObject({ reason: "invalidQuery" });
    // With a default dataset, the unqualified form means that dataset.
    const result = await h.run("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES", { defaultDataset: { projectId: PROJECT, datasetId: "meta" } });
    expect(result.rows).toEqual([["3"]]);
  });
});
