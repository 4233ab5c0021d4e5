/**
 * Routines through the real client and REST: routines.insert/get/list/update/delete, routines made
 * by SQL seen through REST and the other way round, the job statistics of routine DDL, and a
 * script job with procedural statements.
 */
import { failure, PROJECT, rest, startForTest, type Running } from "./support/local_bigquery";

describe("local BigQuery: routines", () => {
  let t: Running;
  beforeAll(async () => {
    t = await startForTest();
    await t.bq.createDataset("r");
  });
  afterAll(async () => {
    await t.server.stop();
  });

  const base = () => `${t.server.url}/bigquery/v2/projects/${PROJECT}/datasets/r/routines`;

  it("creates a SQL function through routines.insert, and SQL calls it", async () => {
    const [routine] = await t.bq.dataset("r").createRoutine("times_three", {
      routineType: "SCALAR_FUNCTION",
      language: "SQL",
      arguments: [{ name: "x", dataType: { typeKind: "INT64" } }],
      returnType: { typeKind: "INT64" },
      definitionBody: "x * 3",
    });
    const [meta] = await routine.getMetadata();
    expect(meta).toMatchObject({
      routineReference: { projectId: PROJECT, datasetId: "r", routineId: "times_three" },
      routineType: "SCALAR_FUNCTION",
      language: "SQL",
      definitionBody: "x * 3",
      arguments: [{ name: "x", dataType: { typeKind: "INT64" } }],
      returnType: { typeKind: "INT64" },
    });
    expect(typeof meta.creationTime).toBe("string");
    const [rows] = await t.bq.query("SELECT r.times_three(14) AS n");
    expect(rows).toEqual([{ n: 42 }]);
  });

  it("lists, updates and deletes routines; a missing one is 404 notFound", async () => {
    await t.bq.query("CREATE FUNCTION r.made_by_sql(s STRING) AS (UPPER(s))");
    const [routines] = await t.bq.dataset("r").getRoutines();
    expect(routines.map((r) => r.id).sort()).toEqual(["made_by_sql", "times_three"]);
    const listed = await rest(t.server.url, "GET", `/projects/${PROJECT}/datasets/r/routines`);
    expect((listed.json?.routines as Record<string, unknown>[])[0]).toMatchObject({ routineType: "SCALAR_FUNCTION", language: "SQL" });

    const put = await rest(t.server.url, "PUT", `/projects/${PROJECT}/datasets/r/routines/times_three`, {
      routineReference: { projectId: PROJECT, datasetId: "r", routineId: "times_three" },
      routineType: "SCALAR_FUNCTION",
      arguments: [{ name: "x", dataType: { typeKind: "INT64" } }],
      definitionBody: "x * 30",
    });
    expect(put.status).toBe(200);
    const [rows] = await t.bq.query("SELECT r.times_three(1) AS n");
    expect(rows).toEqual([{ n: 30 }]);

    await t.bq.dataset("r").routine("times_three").delete();
    const gone = await failure(t.bq.dataset("r").routine("times_three").getMetadata());
    expect(gone).toMatchObject({ code: 404, reason: "notFound", message: `Not found: Routine ${PROJECT}:r.times_three` });
  });

  it("creates a JavaScript function through routines.insert, and SQL calls it; importedLibraries are refused", async () => {
    await t.bq.dataset("r").createRoutine("js_join", {
      routineType: "SCALAR_FUNCTION",
      language: "JAVASCRIPT",
      arguments: [
        { name: "parts", dataType: { typeKind: "ARRAY", arrayElementType: { typeKind: "STRING" } } },
        { name: "sep", dataType: { typeKind: "STRING" } },
      ],
      returnType: { typeKind: "STRING" },
      definitionBody: "return parts.join(sep);",
    });
    const [rows] = await t.bq.query("SELECT r.js_join(['a', 'b', 'c'], '-') AS s");
    expect(rows).toEqual([{ s: "a-b-c" }]);
    const library = await rest(t.server.url, "POST", `/projects/${PROJECT}/datasets/r/routines`, {
      routineReference: { projectId: PROJECT, datasetId: "r", routineId: "js_lib" },
      routineType: "SCALAR_FUNCTION",
      language: "JAVASCRIPT",
      returnType: { typeKind: "STRING" },
      importedLibraries: ["gs://my-bucket/lib.js"],
      definitionBody: "return lib();",
    });
    expect(library.status).toBe(400);
    expect(JSON.stringify(library.json)).toMatch(/cannot load JavaScript libraries/);
    await t.bq.dataset("r").routine("js_join").delete();
  });

  it("refuses a routine without a body, or of an unknown type, with 400 invalid", async () => {
    const noBody = await rest(t.server.url, "POST", `/projects/${PROJECT}/datasets/r/routines`, {
      routineReference: { projectId: PROJECT, datasetId: "r", routineId: "f" },
      routineType: "SCALAR_FUNCTION",
    });
    expect(noBody.status).toBe(400);
    expect(noBody.json).toMatchObject({ error: { errors: [{ reason: "invalid", message: "Routine definitionBody is required" }] } });
    const badType = await rest(t.server.url, "POST", base().replace(t.server.url, ""), {
      routineReference: { projectId: PROJECT, datasetId: "r", routineId: "f" },
      routineType: "MACRO",
      definitionBody: "1",
    });
    expect(badType.status).toBe(400);
  });

  it("reports statementType and ddlOperationPerformed of routine DDL jobs", async () => {
    const [job] = await t.bq.createQueryJob({ query: "CREATE OR REPLACE FUNCTION r.one() AS (1)" });
    await job.getQueryResults();
    const [meta] = await job.getMetadata();
    expect(meta.statistics.query).toMatchObject({
      statementType: "CREATE_FUNCTION",
      ddlOperationPerformed: "CREATE",
      ddlTargetRoutine: { projectId: PROJECT, datasetId: "r", routineId: "one" },
    });
  });

  it("runs a procedural script job through the client, with a procedure's OUT argument", async () => {
    await t.bq.query("CREATE PROCEDURE r.greet(IN who STRING, OUT line STRING) BEGIN SET line = CONCAT('hello ', who); END");
    const [rows] = await t.bq.query("DECLARE s STRING;\nCALL r.greet('you', s);\nIF s IS NOT NULL THEN SELECT s; END IF;");
    expect(rows).toEqual([{ s: "hello you" }]);
    const raised = await failure(t.bq.query("RAISE USING MESSAGE = 'stop here'"));
    expect(raised).toMatchObject({ code: 400, reason: "invalidQuery", message: "stop here at [1:1]" });
  });
});
