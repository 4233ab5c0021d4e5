/**
 * Tables from tables and the ALTER TABLE actions beyond ADD COLUMN, through the executor, as
 * BigQuery documents them: LIKE, CLONE, COPY, CREATE SNAPSHOT TABLE (read-only), materialized
 * views (answered as views), DROP/RENAME COLUMN, RENAME TO, SET DATA TYPE, SET DEFAULT, and
 * EXPORT DATA to the data directory.
 */
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { startEngine, type Engine } from "../src/engine";
import { createExecutor } from "../src/execution";
import type { Executor } from "../src/execution/executor";
import { openStore } from "../src/storage/duckdb_store";
import type { Store } from "../src/storage/store";

const PROJECT = "test-project";

describe("executor: table copies, ALTER TABLE, EXPORT DATA", () => {
  let engine: Engine;
  let store: Store;
  let executor: Executor;
  const exportRoot = mkdtempSync(join(tmpdir(), "lbq-export-"));
  const run = (sql: string) => executor.execute({ projectId: PROJECT, sql, params: [] });
  const failure = async (sql: string): Promise<Error & { reason?: string }> => {
    try {
      await run(sql);
    } catch (error) {
      return error as Error;
    }
    throw new Error(`expected a failure: ${sql}`);
  };
  const rows = async (sql: string) => (await run(sql)).rows;
  const ref = (tableId: string) => ({ projectId: PROJECT, datasetId: "cp", tableId });

  beforeAll(async () => {
    engine = await startEngine({ deadlineMs: 60_000 });
    store = await openStore(":memory:");
    executor = createExecutor({ store, engine, oracle: true, exportRoot });
    await run("CREATE SCHEMA cp");
    await run(`CREATE TABLE cp.src (id INT64 NOT NULL, label STRING, day DATE) PARTITION BY day CLUSTER BY label
      OPTIONS(description = 'source') AS SELECT 1 AS id, 'a' AS label, DATE '2025-01-01' AS day UNION ALL SELECT 2, 'b', DATE '2025-01-02'`);
  });
  afterAll(async () => {
    await executor.close();
    await engine.stop();
    await store.close();
  });

  it("LIKE copies the shape only; CLONE and COPY copy the rows as they are now", async () => {
    const like = await run("CREATE TABLE cp.shape LIKE cp.src");
    expect(like).toMatchObject({ statementType: "CREATE_TABLE", ddlOperationPerformed: "CREATE" });
    expect(store.getTable(ref("shape"))).toMatchObject({ timePartitioning: { type: "DAY", field: "day" }, clustering: ["label"] });
    expect(store.getTable(ref("shape"))?.description).toBeUndefined();
    expect(await rows("SELECT COUNT(*) FROM cp.shape")).toEqual([["0"]]);
    await run("CREATE TABLE cp.cloned CLONE cp.src");
    await run("CREATE TABLE cp.copied COPY cp.src");
    expect(store.getTable(ref("cloned"))).toMatchObject({ clone: true, baseTable: ref("src"), description: "source" });
    await run("INSERT INTO cp.src VALUES (3, 'c', DATE '2025-01-03')");
    await run("UPDATE cp.cloned SET label = 'x' WHERE id = 1");
    expect(await rows("SELECT id, label FROM cp.cloned ORDER BY id")).toEqual([["1", "x"], ["2", "b"]]);
    expect(await rows("SELECT id, label FROM cp.copied ORDER BY id")).toEqual([["1", "a"], ["2", "b"]]);
    expect(await rows("SELECT table_name, table_type, base_table_name FROM cp.INFORMATION_SCHEMA.TABLES WHERE table_name = 'cloned'")).toEqual([["cloned", "CLONE", "src"]]);
  });

  it("a snapshot keeps the rows of its moment and refuses changes; DROP SNAPSHOT TABLE drops it", async () => {
    const created = await run("CREATE SNAPSHOT TABLE cp.snap CLONE cp.src");
    expect(created).toMatchObject({ statementType: "CREATE_SNAPSHOT_TABLE", ddlOperationPerformed: "CREATE" });
    await run("DELETE FROM cp.src WHERE id = 1");
    expect(await rows("SELECT id FROM cp.snap ORDER BY id")).toEqual([["1"], ["2"], ["3"]]);
    expect((await failure("INSERT INTO cp.snap VALUES (9, 'z', NULL)")).message).toMatch(/table snapshot, which is read-only/);
    expect((await failure("ALTER TABLE cp.snap ADD COLUMN z STRING")).message).toMatch(/read-only/);
    expect(await rows("SELECT table_type FROM cp.INFORMATION_SCHEMA.TABLES WHERE table_name = 'snap'")).toEqual([["SNAPSHOT"]]);
    expect(await run("DROP SNAPSHOT TABLE cp.snap")).toMatchObject({ statementType: "DROP_SNAPSHOT_TABLE", ddlOperationPerformed: "DROP" });
    expect(store.getTable(ref("snap"))).toBeUndefined();
  });

  it("a materialized view answers like a view over the current rows", async () => {
    const created = await run("CREATE MATERIALIZED VIEW cp.mv AS SELECT label, COUNT(*) AS n FROM cp.src GROUP BY label");
    expect(created).toMatchObject({ statementType: "CREATE_MATERIALIZED_VIEW" });
    await run("INSERT INTO cp.src VALUES (4, 'c', NULL)");
    // BigQuery's refresh procedure: nothing to do, the view is current; an unknown name is notFound.
    await run("CALL BQ.REFRESH_MATERIALIZED_VIEW('cp.mv')");
    expect((await failure("CALL BQ.REFRESH_MATERIALIZED_VIEW('cp.src')")).message).toMatch(/Not found: Materialized view/);
    expect(await rows("SELECT label, n FROM cp.mv ORDER BY label")).toEqual([["b", "1"], ["c", "2"]]);
    expect(await rows("SELECT table_type FROM cp.INFORMATION_SCHEMA.TABLES WHERE table_name = 'mv'")).toEqual([["MATERIALIZED VIEW"]]);
    await run("DROP MATERIALIZED VIEW cp.mv");
    expect(store.getTable(ref("mv"))).toBeUndefined();
  });

  it("ALTER TABLE DROP COLUMN, RENAME COLUMN and RENAME TO keep the rows", async () => {
    await run("CREATE TABLE cp.alt AS SELECT 1 AS id, 'a' AS keep, 'x' AS scratch UNION ALL SELECT 2, 'b', 'y'");
    await run("ALTER TABLE cp.alt DROP COLUMN scratch");
    await run("ALTER TABLE cp.alt RENAME COLUMN keep TO kept");
    expect(store.getTable(ref("alt"))?.schema.map((f) => f.name)).toEqual(["id", "kept"]);
    expect(await rows("SELECT id, kept FROM cp.alt ORDER BY id")).toEqual([["1", "a"], ["2", "b"]]);
    expect((await failure("ALTER TABLE cp.alt DROP COLUMN nope")).message).toMatch(/Column not found: nope/);
    await run("ALTER TABLE cp.alt DROP COLUMN IF EXISTS nope");
    expect((await failure("ALTER TABLE cp.src DROP COLUMN day")).message).toMatch(/Cannot drop partitioning column day/);
    await run("ALTER TABLE cp.alt RENAME TO renamed");
    expect(store.getTable(ref("alt"))).toBeUndefined();
    expect(await rows("SELECT id, kept FROM cp.renamed ORDER BY id")).toEqual([["1", "a"], ["2", "b"]]);
    await run("INSERT INTO cp.renamed VALUES (3, 'c')");
    expect(await rows("SELECT COUNT(*) FROM cp.renamed")).toEqual([["3"]]);
  });

  it("ALTER COLUMN SET DATA TYPE widens only; SET DEFAULT and DROP NOT NULL change the column", async () => {
    await run("CREATE TABLE cp.types (n INT64 NOT NULL, s STRING(5)) AS SELECT 7 AS n, 'abc' AS s");
    await run("ALTER TABLE cp.types ALTER COLUMN n SET DATA TYPE NUMERIC");
    expect(await rows("SELECT n * 1.5 FROM cp.types")).toEqual([["10.5"]]);
    await run("ALTER TABLE cp.types ALTER COLUMN s SET DATA TYPE STRING(10)");
    expect(store.getTable(ref("types"))?.schema[1]).toMatchObject({ type: "STRING", maxLength: "10" });
    expect((await failure("ALTER TABLE cp.types ALTER COLUMN s SET DATA TYPE INT64")).message).toMatch(/is assignable to the new type \(INT64\)/);
    expect((await failure("ALTER TABLE cp.types ALTER COLUMN s SET DATA TYPE STRING(2)")).message).toMatch(/assignable/);
    await run("ALTER TABLE cp.types ALTER COLUMN s SET DEFAULT 'none', ALTER COLUMN n DROP NOT NULL");
    expect(store.getTable(ref("types"))?.schema).toMatchObject([{ name: "n", mode: "NULLABLE" }, { name: "s", defaultValueExpression: "'none'" }]);
  });

  it("EXPORT DATA writes CSV (header, delimiter, gzip) and JSON files under the data directory", async () => {
    const result = await run(`EXPORT DATA OPTIONS(uri = 'gs://bucket/out/csv/*.csv', format = 'CSV', field_delimiter = '|', overwrite = true)
      AS SELECT 1 AS id, 'a|b' AS name, TIMESTAMP '2025-01-02 03:04:05 UTC' AS ts UNION ALL SELECT 2, NULL, NULL`);
    expect(result.statementType).toBe("EXPORT_DATA");
    const dir = join(exportRoot, "bucket", "out", "csv");
    expect(readdirSync(dir)).toEqual(["000000000000.csv"]);
    expect(readFileSync(join(dir, "000000000000.csv"), "utf8")).toBe('id|name|ts\n1|"a|b"|2025-01-02 03:04:05 UTC\n2||\n');
    await run("EXPORT DATA OPTIONS(uri = 'gs://bucket/out/gz/*.csv.gz', format = 'CSV', compression = 'GZIP') AS SELECT 1 AS x");
    expect(gunzipSync(readFileSync(join(exportRoot, "bucket", "out", "gz", "000000000000.csv.gz"))).toString()).toBe("x\n1\n");
    await run("EXPORT DATA OPTIONS(uri = 'gs://bucket/out/json/*.json', format = 'JSON') AS SELECT 1 AS id, [1.5] AS f, STRUCT(true AS b) AS s");
    expect(readFileSync(join(exportRoot, "bucket", "out", "json", "000000000000.json"), "utf8")).toBe('{"id":"1","f":[1.5],"s":{"b":true}}\n');
    expect((await failure("EXPORT DATA OPTIONS(format = 'CSV') AS SELECT 1 AS x")).message).toBe("Option 'uri' is missing or empty.");
    expect((await failure("EXPORT DATA OPTIONS(uri = 'gs://b/*.orc', format = 'ORC') AS SELECT 1 AS x")).message).toBe(
      "'ORC' is not a valid value; failed to set 'format' in EXPORT DATA OPTIONS",
    );
    expect((await failure("EXPORT DATA OPTIONS(uri = 'gs://bucket/out/json/*.json', format = 'JSON') AS SELECT 2 AS id")).message).toMatch(/overwrite = true/);
  });
});
