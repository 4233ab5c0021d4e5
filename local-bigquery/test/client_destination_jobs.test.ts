/**
 * Query jobs with a destinationTable and copy jobs through the real client, with BigQuery's
 * dispositions and messages; jobs.delete.
 */
import type { Job } from "@google-cloud/bigquery";
import { failure, PROJECT, rest, startForTest, type Running } from "./support/local_bigquery";

describe("local BigQuery: destination tables, copy jobs, jobs.delete", () => {
  let t: Running;
  beforeAll(async () => {
    t = await startForTest();
    await t.bq.createDataset("dst");
    await t.bq.query("CREATE TABLE dst.target (id INT64, label STRING) AS SELECT 1 AS id, 'seed' AS label");
  });
  afterAll(async () => {
    await t.server.stop();
  });

  async function queryTo(query: string, config: Record<string, unknown>): Promise<unknown[]> {
    const [job] = await t.bq.createQueryJob({ query, destination: t.bq.dataset("dst").table(String(config.table ?? "target")), ...config, table: undefined } as never);
    const [rows] = await job.getQueryResults();
    return rows;
  }

  it("WRITE_APPEND adds the rows; the job's results are the destination table's rows", async () => {
    const rows = await queryTo("SELECT 2 AS id, 'appended' AS label", { writeDisposition: "WRITE_APPEND" });
    expect(rows).toEqual([{ id: 1, label: "seed" }, { id: 2, label: "appended" }]);
  });

  it("WRITE_APPEND refuses new columns unless ALLOW_FIELD_ADDITION, and then adds them", async () => {
    const refused = await failure(queryTo("SELECT 3 AS id, 'x' AS label, TRUE AS flag", { writeDisposition: "WRITE_APPEND" }));
    expect(refused.message).toBe("Invalid schema update. Cannot add fields (field: flag)");
    const rows = await queryTo("SELECT 3 AS id, 'x' AS label, TRUE AS flag", { writeDisposition: "WRITE_APPEND", schemaUpdateOptions: ["ALLOW_FIELD_ADDITION"] });
    expect(rows).toHaveLength(3);
    expect(rows[2]).toEqual({ id: 3, label: "x", flag: true });
    expect(rows[0]).toEqual({ id: 1, label: "seed", flag: null });
  });

  it("WRITE_TRUNCATE replaces rows and schema; WRITE_EMPTY refuses a table with rows; CREATE_NEVER needs the table", async () => {
    const rows = await queryTo("SELECT 'new' AS shape", { writeDisposition: "WRITE_TRUNCATE" });
    expect(rows).toEqual([{ shape: "new" }]);
    const [meta] = await t.bq.dataset("dst").table("target").getMetadata();
    expect(meta.schema.fields.map((f: { name: string }) => f.name)).toEqual(["shape"]);
    expect((await failure(queryTo("SELECT 1 AS x", {}))).message).toMatch(/^Already Exists: Table local-project:dst.target/);
    const missing = await failure(queryTo("SELECT 1 AS x", { table: "absent", createDisposition: "CREATE_NEVER" }));
    expect(missing).toMatchObject({ reason: "notFound", message: "Not found: Table local-project:dst.absent" });
    const created = await queryTo("SELECT DATE '2026-01-01' AS day, 1 AS id", { table: "made", timePartitioning: { type: "DAY", field: "day" } });
    expect(created).toHaveLength(1);
    const [made] = await t.bq.dataset("dst").table("made").getMetadata();
    expect(made.timePartitioning).toEqual({ type: "DAY", field: "day" });
    const badOption = await failure(queryTo("SELECT 1 AS x", { writeDisposition: "WRITE_TRUNCATE", schemaUpdateOptions: ["ALLOW_FIELD_ADDITION"] }));
    expect(badOption.message).toMatch(/^Schema update options should only be specified with WRITE_APPEND disposition/);
    const badField = await failure(queryTo("SELECT 1 AS x", { table: "other", clustering: { fields: ["nope"] } }));
    expect(badField.message).toBe("The field specified for clustering cannot be found in the schema. Invalid field: nope");
  });

  it("copy jobs copy, append and snapshot tables; jobs.delete forgets a finished job", async () => {
    await t.bq.query("CREATE TABLE dst.src AS SELECT x FROM UNNEST([1, 2, 3]) AS x");
    const source = t.bq.dataset("dst").table("src");
    const [copyJob] = await source.createCopyJob(t.bq.dataset("dst").table("copy"));
    await copyJob.promise();
    const [copyMeta] = await copyJob.getMetadata();
    expect(copyMeta).toMatchObject({ configuration: { jobType: "COPY" }, status: { state: "DONE" }, statistics: { copy: { copiedRows: "3" } } });
    const [appendJob] = await source.createCopyJob(t.bq.dataset("dst").table("copy"), { writeDisposition: "WRITE_APPEND" });
    await appendJob.promise();
    const [[{ n }]] = await t.bq.query("SELECT COUNT(*) AS n FROM dst.copy");
    expect(n).toBe(6);
    const empty = await failure(source.copy(t.bq.dataset("dst").table("copy")));
    expect(empty.message).toMatch(/^Already Exists: Table local-project:dst.copy/);
    const snap = await rest(t.server.url, "POST", `/projects/${PROJECT}/jobs`, {
      configuration: { copy: { sourceTable: { projectId: PROJECT, datasetId: "dst", tableId: "src" }, destinationTable: { projectId: PROJECT, datasetId: "dst", tableId: "snap" }, operationType: "SNAPSHOT" } },
    });
    expect(snap.status).toBe(200);
    const [snapMeta] = await t.bq.dataset("dst").table("snap").getMetadata();
    expect(snapMeta.type).toBe("SNAPSHOT");

    const jobId = (copyJob as Job).id as string;
    const deleted = await rest(t.server.url, "DELETE", `/projects/${PROJECT}/jobs/${jobId}/delete`);
    expect(deleted.status).toBe(204);
    expect((await rest(t.server.url, "GET", `/projects/${PROJECT}/jobs/${jobId}`)).status).toBe(404);
  });
});
