/** Query jobs through the real client: parameters, paging, dry runs, job errors, types via SQL. */
import { BigQuery, type QueryRowsResponse } from "@google-cloud/bigquery";
import { failure, PROJECT, rest, startForTest, type Running } from "./support/local_bigquery";

describe("local BigQuery: query jobs", () => {
  let t: Running;
  beforeAll(async () => {
    t = await startForTest();
    const [ds] = await t.bq.createDataset("q");
    const [table] = await ds.createTable("nums", {
      schema: {
        fields: [
          { name: "n", type: "INTEGER", mode: "REQUIRED" },
          { name: "label", type: "STRING" },
        ],
      },
    });
    const rows = Array.from({ length: 10_000 }, (_, n) => ({ n, label: `row ${n}` }));
    for (let i = 0; i < rows.length; i += 2500) await table.insert(rows.slice(i, i + 2500));
  });
  afterAll(async () => {
    await t.server.stop();
  });

  it("runs queries with named parameters of every kind", async () => {
    const [rows] = await t.bq.query({
      query:
        "SELECT @i AS i, @s AS s, @f AS f, @b AS b, @ts AS ts, @d AS d, @arr AS arr, @st.x AS sx, @st.y AS sy, @big AS big, @nul IS NULL AS nul",
      params: {
        i: 7,
        s: "x",
        f: 1.5,
        b: true,
        ts: new Date("2025-01-01T00:00:00.123Z"),
        d: BigQuery.date("2025-02-03"),
        arr: [1, 2, 3],
        st: { x: 1, y: "two" },
        big: BigQuery.int("9223372036854775807"),
        nul: null,
      },
      types: { nul: "STRING" },
      wrapIntegers: true,
    });
    expect(rows).toHaveLength(1);
    const r = rows[0];
    expect(r.i.value).toBe("7");
    expect(r.s).toBe("x");
    expect(r.f).toBe(1.5);
    expect(r.b).toBe(true);
    expect(r.ts.value).toBe("2025-01-01T00:00:00.123Z");
    expect(r.d.value).toBe("2025-02-03");
    expect(r.arr.map((v: { value: string }) => v.value)).toEqual(["1", "2", "3"]);
    expect(r.sx.value).toBe("1");
    expect(r.sy).toBe("two");
    expect(r.big.value).toBe("9223372036854775807");
    expect(r.nul).toBe(true);
  });

  it("runs queries with positional parameters", async () => {
    const [rows] = await t.bq.query({ query: "SELECT n FROM q.nums WHERE n BETWEEN ? AND ? ORDER BY n", params: [5, 7] });
    expect(rows.map((r) => r.n)).toEqual([5, 6, 7]);
  });

  it("pages 10,000 rows through getQueryResults, each row once", async () => {
    const [job] = await t.bq.createQueryJob({ query: "SELECT n, label FROM `local-project.q.nums` ORDER BY n" });
    const seen: number[] = [];
    let options: Record<string, unknown> | null = { maxResults: 3000, autoPaginate: false };
    let pages = 0;
    while (options) {
      const [rows, next]: [{ n: number }[], Record<string, unknown> | null] = (await job.getQueryResults(options)) as never;
      seen.push(...rows.map((r) => r.n));
      options = next;
      pages++;
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    const [all] = await job.getQueryResults();
    expect(all).toHaveLength(10_000);
  });

  it("dry-runs without executing or storing the job", async () => {
    const [job, response] = await t.bq.createQueryJob({
      query: "CREATE TABLE q.never AS SELECT n FROM q.nums",
      dryRun: true,
    });
    expect(response.status?.state).toBe("DONE");
    expect(response.jobReference?.jobId).toBeUndefined();
    expect(response.statistics?.query?.statementType).toBe("CREATE_TABLE_AS_SELECT");
    expect((await t.bq.dataset("q").table("never").exists())[0]).toBe(false);
    const [select] = await t.bq.createQueryJob({ query: "SELECT n, label FROM q.nums", dryRun: true });
    expect(select.metadata.statistics.query.schema.fields.map((f: { name: string }) => f.name)).toEqual(["n", "label"]);
    const stored = await rest(t.server.url, "GET", `/projects/${PROJECT}/jobs/${String(job.id)}`);
    expect(stored.status).toBe(404);
  });

  it("reports SQL errors as 400 invalidQuery with the position, and jobs.get shows errorResult", async () => {
    const err = await failure(t.bq.query("SELECT nope FROM q.nums"));
    expect(err).toMatchObject({ code: 400, reason: "invalidQuery" });
    expect(err.message).toMatch(/nope/);
    expect(err.message).toMatch(/\[1:8\]/);
    const missing = await failure(t.bq.query("SELECT * FROM q.no_such_table"));
    expect(missing).toMatchObject({ code: 404, reason: "notFound" });

    const res = await rest(t.server.url, "POST", `/projects/${PROJECT}/jobs`, {
      configuration: { query: { query: "SELEC 1", useLegacySql: false } },
      jobReference: { projectId: PROJECT, jobId: "bad-job", location: "US" },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: { state: "DONE", errorResult: { reason: "invalidQuery" } } });
    const results = await rest(t.server.url, "GET", `/projects/${PROJECT}/queries/bad-job?location=US`);
    expect(results.status).toBe(400);
    const got = await rest(t.server.url, "GET", `/projects/${PROJECT}/jobs/bad-job?location=US`);
    expect(got.json).toMatchObject({ jobReference: { jobId: "bad-job" }, status: { errorResult: { reason: "invalidQuery" } }, statistics: { query: {} } });
    const dup = await rest(t.server.url, "POST", `/projects/${PROJECT}/jobs`, {
      configuration: { query: { query: "SELECT 1" } },
      jobReference: { jobId: "bad-job" },
    });
    expect(dup.status).toBe(409);
    const legacy = await failure(t.bq.query({ query: "SELECT 1", useLegacySql: true }));
    expect(legacy).toMatchObject({ code: 400 });
  });

  it("answers jobs.insert with status and jobs.get with statistics.query, and DDL/DML show in the catalog", async () => {
    const [job, response] = await t.bq.createQueryJob({ query: "CREATE TABLE q.made AS SELECT n FROM q.nums WHERE n < 5", location: "US" });
    expect(response.status).toBeDefined();
    expect(response.jobReference?.location).toBe("US");
    await job.getQueryResults();
    const [meta] = await job.getMetadata();
    expect(meta.status.state).toBe("DONE");
    expect(meta.statistics.query.statementType).toBe("CREATE_TABLE_AS_SELECT");
    const [table] = await t.bq.dataset("q").table("made").getMetadata();
    expect(table.type).toBe("TABLE");
    expect(table.schema.fields.map((f: { name: string }) => f.name)).toEqual(["n"]);

    const [dmlJob] = await t.bq.createQueryJob({ query: "DELETE FROM q.made WHERE n >= 3" });
    await dmlJob.getQueryResults();
    const [dml] = await dmlJob.getMetadata();
    expect(dml.statistics.query.numDmlAffectedRows).toBe("2");
    expect((await t.bq.dataset("q").table("made").getRows())[0]).toHaveLength(3);
  });

  it("returns TIMESTAMP as int64 micros when asked, else as float seconds", async () => {
    const [rows] = await t.bq.query("SELECT TIMESTAMP '2025-01-01 00:00:01.000001 UTC' AS ts");
    expect(rows[0].ts.value).toBe("2025-01-01T00:00:01.000001000Z");
    const raw = await rest(t.server.url, "POST", `/projects/${PROJECT}/queries`, {
      query: "SELECT TIMESTAMP '2025-01-01 00:00:00 UTC' AS ts",
      useLegacySql: false,
    });
    expect((raw.json?.rows as { f: { v: string }[] }[])[0].f[0].v).toBe("1.7356896E9");
  });

  it("round-trips every type through SQL", async () => {
    const [rows] = await t.bq.query({
      query: `SELECT 9223372036854775807 AS i, NUMERIC '12345678901234567890123456789.123456789' AS n,
        BIGNUMERIC '-0.00000000000000000000000000000000000001' AS bn, b'\\x00\\xff' AS byt, DATE '2025-01-31' AS d,
        DATETIME '2025-01-31 10:00:00.5' AS dt, TIME '23:59:59.999999' AS t, JSON '{"a":[1,2]}' AS j,
        [1, 2] AS arr, STRUCT(1 AS a, 'x' AS b) AS st, CAST(NULL AS STRING) AS nul`,
      wrapIntegers: true,
    });
    const r = rows[0];
    expect(r.i.value).toBe("9223372036854775807");
    expect(r.n.toFixed()).toBe("12345678901234567890123456789.123456789");
    expect(r.bn.toFixed()).toBe("-0.00000000000000000000000000000000000001");
    expect(r.byt).toEqual(Buffer.from([0, 255]));
    expect(r.d.value).toBe("2025-01-31");
    expect(r.dt.value).toMatch(/^2025-01-31T10:00:00\.5/);
    expect(r.t.value).toBe("23:59:59.999999");
    expect(JSON.parse(r.j)).toEqual({ a: [1, 2] });
    expect(r.arr.map((v: { value: string }) => v.value)).toEqual(["1", "2"]);
    expect(r.st.a.value).toBe("1");
    expect(r.st.b).toBe("x");
    expect(r.nul).toBeNull();
  });

  it("creates views through tables.insert with their query's schema, and reads them in queries", async () => {
    const [view] = await t.bq.dataset("q").createTable("small_v", { view: "SELECT n, label FROM `local-project.q.nums` WHERE n < 3" });
    const [meta] = await view.getMetadata();
    expect(meta.type).toBe("VIEW");
    expect(meta.view.query).toMatch(/n < 3/);
    expect(meta.schema.fields.map((f: { name: string }) => f.name)).toEqual(["n", "label"]);
    const [rows] = await t.bq.query("SELECT COUNT(*) AS c FROM q.small_v");
    expect(rows[0].c).toBe(3);
    const bad = await failure(t.bq.dataset("q").createTable("bad_v", { view: "SELECT nope FROM q.nums" }));
    expect(bad).toMatchObject({ code: 400, reason: "invalidQuery" });
  });

  it("runs a jobs.query retried with the same requestId once, and lists and cancels jobs", async () => {
    await t.bq.query("CREATE TABLE q.once (n INT64)");
    const body = { query: "INSERT INTO q.once (n) VALUES (1)", useLegacySql: false, requestId: "req-1" };
    const first = await rest(t.server.url, "POST", `/projects/${PROJECT}/queries`, body);
    const retry = await rest(t.server.url, "POST", `/projects/${PROJECT}/queries`, body);
    expect(retry.json?.jobReference).toEqual(first.json?.jobReference);
    expect(first.json?.numDmlAffectedRows).toBe("1");
    expect((await t.bq.dataset("q").table("once").getRows())[0]).toHaveLength(1);

    const [jobs] = await t.bq.getJobs({ maxResults: 5, autoPaginate: false });
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs[0].metadata.status.state).toBe("DONE");
    const [job] = await t.bq.createQueryJob({ query: "SELECT 1 AS x" });
    const [cancelled] = await job.cancel();
    expect(cancelled.job?.jobReference?.jobId).toBe(job.id);
  });

  it("answers jobComplete:false at timeoutMs, long-polls to the end, and serves other requests meanwhile", async () => {
    const slow = "SELECT COUNT(*) AS c FROM UNNEST(GENERATE_ARRAY(1, 1500)) a, UNNEST(GENERATE_ARRAY(1, 1500)) b";
    const started = await rest(t.server.url, "POST", `/projects/${PROJECT}/queries`, { query: slow, useLegacySql: false, timeoutMs: 50 });
    expect(started.json?.jobComplete).toBe(false);
    const jobId = (started.json?.jobReference as { jobId: string }).jobId;
    // No global lock: other calls are answered while the query still runs.
    expect((await t.bq.dataset("q").table("nums").getMetadata())[0].numRows).toBe("10000");
    const job = t.bq.job(jobId, { location: "US" });
    expect((await job.getMetadata())[0].status.state).toBe("RUNNING");
    const [rows] = await job.getQueryResults();
    expect(rows).toEqual([{ c: 1500 * 1500 }]);
    expect((await job.getMetadata())[0].status.state).toBe("DONE");
  });
  it("reports bytes processed and billed as BigQuery does: whole MB, 10 MB per table read, nothing for a cached answer", async () => {
    const mb = 1024 * 1024;
    // 10,000 INT64 values of 8 bytes.
    const single = "SELECT SUM(n) AS s FROM q.nums WHERE n >= @min";
    // The typings drop the third element; at run time it is the jobs.query response.
    const [, , first] = (await t.bq.query({ query: single, params: { min: 3 } })) as unknown as QueryRowsResponse;
    expect(first).toMatchObject({ totalBytesProcessed: "80000", totalBytesBilled: String(10 * mb), cacheHit: false });
    const [, , again] = (await t.bq.query({ query: single, params: { min: 3 } })) as unknown as QueryRowsResponse;
    expect(again).toMatchObject({ totalBytesProcessed: "0", totalBytesBilled: "0", cacheHit: true });

    await t.bq.query("CREATE TABLE q.few AS SELECT 1 AS n");
    const [job] = await t.bq.createQueryJob({ query: "SELECT COUNT(*) AS c FROM q.nums a JOIN q.few b ON a.n = b.n", useQueryCache: false });
    await job.getQueryResults();
    const [meta] = await job.getMetadata();
    expect(meta.statistics.query).toMatchObject({ totalBytesBilled: String(20 * mb), cacheHit: false });
    const [cached] = await t.bq.createQueryJob({ query: single, params: { min: 3 } });
    await cached.getQueryResults();
    expect((await cached.getMetadata())[0].statistics.query).toMatchObject({ totalBytesProcessed: "0", totalBytesBilled: "0", cacheHit: true });
  });
});
