/** Datasets, tables and the errors, through the real client and raw REST where the client hides the wire. */
import { BigQuery } from "@google-cloud/bigquery";
import { failure, PROJECT, rest, startForTest, type Running } from "./support/local_bigquery";

describe("local BigQuery REST: datasets, tables, errors", () => {
  let t: Running;
  beforeAll(async () => {
    t = await startForTest();
  });
  afterAll(async () => {
    await t.server.stop();
  });

  it("creates, gets, lists, patches and deletes datasets", async () => {
    const ds = t.bq.dataset("life_ds");
    expect((await ds.exists())[0]).toBe(false);
    await ds.create({ location: "US", description: "first" });
    expect((await ds.exists())[0]).toBe(true);
    const [meta] = await ds.getMetadata();
    expect(meta).toMatchObject({ datasetReference: { projectId: PROJECT, datasetId: "life_ds" }, location: "US", description: "first" });
    expect(typeof meta.creationTime).toBe("string");
    await ds.setMetadata({ description: "second", labels: { team: "data" } });
    expect((await ds.getMetadata())[0]).toMatchObject({ description: "second", labels: { team: "data" } });
    const [list] = await t.bq.getDatasets();
    expect(list.map((d) => d.id)).toContain("life_ds");
    // A dataset whose name starts with "_" is hidden, as in BigQuery, unless the list asks for all.
    await t.bq.dataset("_hidden_ds").create();
    expect((await t.bq.getDatasets())[0].map((d) => d.id)).not.toContain("_hidden_ds");
    expect((await t.bq.getDatasets({ all: true }))[0].map((d) => d.id)).toContain("_hidden_ds");
    await ds.delete();
    expect((await ds.exists())[0]).toBe(false);
  });

  it("defaults the location to US and creates a dataset via get({autoCreate})", async () => {
    const [ds] = await t.bq.dataset("auto_ds").get({ autoCreate: true });
    expect(ds.metadata.location).toBe("US");
  });

  it("creates tables with schema, partitioning, clustering and description, and patches them", async () => {
    const [ds] = await t.bq.createDataset("tables_ds");
    const [table] = await ds.createTable("events", {
      schema: {
        fields: [
          { name: "event_id", type: "STRING", mode: "REQUIRED" },
          { name: "payload", type: "JSON" },
          { name: "amount", type: "NUMERIC" },
          { name: "received_at", type: "TIMESTAMP", mode: "REQUIRED" },
        ],
      },
      timePartitioning: { type: "DAY", field: "received_at" },
      clustering: { fields: ["event_id"] },
      description: "raw events",
    });
    const [meta] = await table.getMetadata();
    expect(meta).toMatchObject({
      tableReference: { projectId: PROJECT, datasetId: "tables_ds", tableId: "events" },
      type: "TABLE",
      description: "raw events",
      timePartitioning: { type: "DAY", field: "received_at" },
      clustering: { fields: ["event_id"] },
      numRows: "0",
    });
    // As BigQuery, fields come back as given: no mode where the client gave none.
    expect(meta.schema.fields.map((f: { name: string; mode: string }) => `${f.name}:${f.mode}`)).toEqual([
      "event_id:REQUIRED",
      "payload:undefined",
      "amount:undefined",
      "received_at:REQUIRED",
    ]);
    expect(meta.lastModifiedTime).toMatch(/^\d+$/);

    // Dataform's patch: the same schema with descriptions, plus labels.
    const fields = meta.schema.fields.map((f: Record<string, unknown>) => ({ ...f, description: `about ${String(f.name)}` }));
    await table.setMetadata({ description: "patched", labels: { team: "data" }, schema: { fields: [...fields, { name: "extra", type: "STRING" }] } });
    const [after] = await table.getMetadata();
    expect(after.description).toBe("patched");
    expect(after.labels).toEqual({ team: "data" });
    expect(after.schema.fields.map((f: { name: string }) => f.name)).toEqual(["event_id", "payload", "amount", "received_at", "extra"]);
    expect(after.schema.fields[0].description).toBe("about event_id");

    const bad = await failure(table.setMetadata({ schema: { fields: [{ name: "event_id", type: "INTEGER" }] } }));
    expect(bad).toMatchObject({ code: 400, reason: "invalid" });
    expect(bad.message).toMatch(/Provided Schema does not match Table local-project:tables_ds.events/);

    const [tables] = await ds.getTables();
    expect(tables.map((x) => x.id)).toEqual(["events"]);
    await table.delete();
    expect((await table.exists())[0]).toBe(false);
  });

  it("answers BigQuery's errors: 404 notFound, 409 duplicate, 400 invalid", async () => {
    const missing = await failure(t.bq.dataset("nope").getMetadata());
    expect(missing).toEqual({ code: 404, reason: "notFound", message: "Not found: Dataset local-project:nope" });
    const [ds] = await t.bq.createDataset("err_ds");
    expect(await failure(t.bq.createDataset("err_ds"))).toEqual({
      code: 409,
      reason: "duplicate",
      message: "Already Exists: Dataset local-project:err_ds",
    });
    expect(await failure(ds.table("nope").getMetadata())).toEqual({
      code: 404,
      reason: "notFound",
      message: "Not found: Table local-project:err_ds.nope",
    });
    await ds.createTable("t", { schema: "a:string" });
    expect(await failure(ds.createTable("t", { schema: "a:string" }))).toMatchObject({ code: 409, reason: "duplicate" });
    expect(await failure(ds.createTable("bad", { schema: { fields: [{ name: "a", type: "NOPE" }] } }))).toMatchObject({
      code: 400,
      reason: "invalid",
    });
    expect(await failure(t.bq.createDataset("bad-name!"))).toMatchObject({ code: 400, reason: "invalid" });
    expect(await failure(ds.delete())).toMatchObject({ code: 400, reason: "resourceInUse" });
    await ds.delete({ force: true });
    expect((await ds.exists())[0]).toBe(false);
  });

  it("serves /projects and /bigquery/v2/projects, renders the error envelope, and answers DELETE with 204", async () => {
    for (const prefix of ["", "/bigquery/v2"]) {
      const id = `prefix_ds${prefix.length}`;
      const created = await rest(t.server.url, "POST", `${prefix}/projects/${PROJECT}/datasets?prettyPrint=false`, {
        projectId: PROJECT,
        datasetReference: { datasetId: id },
        unknownField: 1,
      });
      expect(created.status).toBe(200);
      expect(created.json).toMatchObject({ datasetReference: { datasetId: id }, location: "US" });
      const dup = await rest(t.server.url, "POST", `${prefix}/projects/${PROJECT}/datasets`, { datasetReference: { datasetId: id } });
      expect(dup).toEqual({
        status: 409,
        json: {
          error: {
            code: 409,
            message: `Already Exists: Dataset ${PROJECT}:${id}`,
            errors: [{ message: `Already Exists: Dataset ${PROJECT}:${id}`, domain: "global", reason: "duplicate" }],
            status: "ALREADY_EXISTS",
          },
        },
      });
      const del = await rest(t.server.url, "DELETE", `${prefix}/projects/${PROJECT}/datasets/${id}`);
      expect(del).toEqual({ status: 204, json: undefined });
    }
  });

  it("answers 404 'Not found: Job' for unknown jobs, 400 for malformed JSON and 413 above 10 MB", async () => {
    const job = await rest(t.server.url, "GET", `/projects/${PROJECT}/queries/no-such-job?location=US`);
    expect(job.status).toBe(404);
    expect(job.json).toMatchObject({ error: { message: `Not found: Job ${PROJECT}:US.no-such-job`, errors: [{ reason: "notFound" }] } });
    const got = await rest(t.server.url, "GET", `/projects/${PROJECT}/jobs/no-such-job`);
    expect(got.status).toBe(404);

    const malformed = await rest(t.server.url, "POST", `/projects/${PROJECT}/datasets`, "{not json");
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ error: { code: 400, errors: [{ reason: "invalid" }] } });

    const huge = await rest(t.server.url, "POST", `/projects/${PROJECT}/datasets`, { pad: "x".repeat(11 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.json).toMatchObject({ error: { code: 413, errors: [{ domain: "global" }] } });
  });

  it("ignores an Authorization header and works through BIGQUERY_EMULATOR_HOST", async () => {
    const res = await fetch(`${t.server.url}/projects/${PROJECT}/datasets`, { headers: { authorization: "Bearer real-token" } });
    expect(res.status).toBe(200);
    const saved = process.env.BIGQUERY_EMULATOR_HOST;
    process.env.BIGQUERY_EMULATOR_HOST = t.server.url;
    try {
      const viaEnv = new BigQuery({ projectId: PROJECT });
      await viaEnv.createDataset("env_ds");
      expect((await viaEnv.dataset("env_ds").exists())[0]).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.BIGQUERY_EMULATOR_HOST;
      else process.env.BIGQUERY_EMULATOR_HOST = saved;
    }
  });
});
