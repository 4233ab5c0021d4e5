/**
 * What DDL and DML jobs report through the real client, as BigQuery does: ddlOperationPerformed,
 * the schema a CREATE defines (results with that schema and no rows), TRUNCATE_TABLE, the target
 * schema of a dry-run INSERT, and INFORMATION_SCHEMA.JOBS.
 */
import type { Job } from "@google-cloud/bigquery";
import { startForTest, type Running } from "./support/local_bigquery";

describe("local BigQuery: DDL and DML job metadata", () => {
  let t: Running;
  beforeAll(async () => {
    t = await startForTest();
    await t.bq.createDataset("jm");
  });
  afterAll(async () => {
    await t.server.stop();
  });

  async function run(query: string, extra: Record<string, unknown> = {}): Promise<{ job: Job; stats: Record<string, unknown>; schema?: unknown; rows: unknown[] }> {
    const [job] = await t.bq.createQueryJob({ query, ...extra });
    const [rows, , response] = await job.getQueryResults({ autoPaginate: false });
    const [meta] = await job.getMetadata();
    return { job, stats: meta.statistics.query as Record<string, unknown>, schema: response?.schema, rows };
  }

  it("CREATE reports CREATE, REPLACE or SKIP and answers with the schema it defines", async () => {
    const created = await run("CREATE TABLE jm.t (id INT64 NOT NULL, tags ARRAY<STRING>)");
    expect(created.stats).toMatchObject({ statementType: "CREATE_TABLE", ddlOperationPerformed: "CREATE" });
    expect(created.schema).toEqual({
      fields: [
        { name: "id", type: "INTEGER", mode: "REQUIRED" },
        { name: "tags", type: "STRING", mode: "REPEATED" },
      ],
    });
    expect(created.rows).toEqual([]);
    // IF NOT EXISTS over an existing table: SKIP, and the statement's own schema.
    const skipped = await run("CREATE TABLE IF NOT EXISTS jm.t (id INT64, name STRING)");
    expect(skipped.stats.ddlOperationPerformed).toBe("SKIP");
    expect((skipped.schema as { fields: { name: string }[] }).fields.map((f) => f.name)).toEqual(["id", "name"]);
    const replaced = await run("CREATE OR REPLACE TABLE jm.t AS SELECT 1 AS id");
    expect(replaced.stats).toMatchObject({ statementType: "CREATE_TABLE_AS_SELECT", ddlOperationPerformed: "REPLACE" });
    const view = await run("CREATE VIEW jm.v AS SELECT id FROM jm.t");
    expect(view.stats).toMatchObject({ statementType: "CREATE_VIEW", ddlOperationPerformed: "CREATE", schema: { fields: [{ name: "id", type: "INTEGER", mode: "NULLABLE" }] } });
  });

  it("DROP reports DROP, or SKIP when IF EXISTS finds nothing; schemas too; no results schema", async () => {
    await run("CREATE TABLE jm.gone (x INT64)");
    const dropped = await run("DROP TABLE jm.gone");
    expect(dropped.stats).toMatchObject({ statementType: "DROP_TABLE", ddlOperationPerformed: "DROP" });
    expect(dropped.schema).toBeUndefined();
    expect((await run("DROP TABLE IF EXISTS jm.gone")).stats.ddlOperationPerformed).toBe("SKIP");
    expect((await run("CREATE SCHEMA jm2")).stats).toMatchObject({ statementType: "CREATE_SCHEMA", ddlOperationPerformed: "CREATE" });
    expect((await run("CREATE SCHEMA IF NOT EXISTS jm2")).stats.ddlOperationPerformed).toBe("SKIP");
    expect((await run("DROP SCHEMA jm2")).stats).toMatchObject({ statementType: "DROP_SCHEMA", ddlOperationPerformed: "DROP" });
    expect((await run("ALTER TABLE jm.t ADD COLUMN note STRING")).stats).toMatchObject({ statementType: "ALTER_TABLE", ddlOperationPerformed: "ALTER" });
  });

  it("TRUNCATE TABLE is statement type TRUNCATE_TABLE with the rows it removed", async () => {
    await run("CREATE TABLE jm.trunc AS SELECT x FROM UNNEST([1, 2, 3]) AS x");
    const truncated = await run("TRUNCATE TABLE jm.trunc");
    expect(truncated.stats).toMatchObject({ statementType: "TRUNCATE_TABLE", numDmlAffectedRows: "3" });
  });

  it("a dry-run INSERT describes its target table; a real one answers without a schema", async () => {
    await run("CREATE TABLE jm.target (id INT64, label STRING)");
    const [, meta] = await t.bq.createQueryJob({ query: "INSERT INTO jm.target (id, label) VALUES (1, 'x')", dryRun: true });
    expect(meta.statistics?.query).toMatchObject({ statementType: "INSERT", schema: { fields: [{ name: "id" }, { name: "label" }] } });
    const inserted = await run("INSERT INTO jm.target (id, label) VALUES (1, 'x')");
    expect(inserted.schema).toBeUndefined();
  });

  it("region-us.INFORMATION_SCHEMA.JOBS lists the project's jobs with their statement types", async () => {
    const marker = await run("SELECT 'job-marker' AS m");
    const jobId = marker.job.id as string;
    const [rows] = await t.bq.query({
      query: "SELECT job_id, job_type, statement_type, state, query FROM `region-us`.INFORMATION_SCHEMA.JOBS WHERE job_id = @id",
      params: { id: jobId },
    });
    expect(rows).toEqual([{ job_id: jobId, job_type: "QUERY", statement_type: "SELECT", state: "DONE", query: "SELECT 'job-marker' AS m" }]);
  });
});
