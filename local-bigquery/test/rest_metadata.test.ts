/**
 * Table metadata and encodings through REST as BigQuery answers them: fields echoed as given
 * (no mode added, precision/scale/maxLength/defaults/other attributes kept), tables.get view=BASIC,
 * rangePartitioning, If-Match (412 on a stale etag), insertAll refusing a BOOL for a STRING,
 * formatOptions.timestampOutputFormat, and jobs.query's queryId.
 */
import { PROJECT, rest, startForTest, type Running } from "./support/local_bigquery";

describe("local BigQuery: REST metadata", () => {
  let t: Running;
  const tables = `/projects/${PROJECT}/datasets/md/tables`;
  beforeAll(async () => {
    t = await startForTest();
    await t.bq.createDataset("md");
  });
  afterAll(async () => {
    await t.server.stop();
  });

  it("tables.insert/get return fields as given: no added mode, parameters and attributes kept", async () => {
    const fields = [
      { name: "id", type: "INTEGER" },
      { name: "amount", type: "NUMERIC", mode: "NULLABLE", precision: "10", scale: "2" },
      { name: "code", type: "STRING", maxLength: "8", defaultValueExpression: "'none'", collation: "und:ci" },
      { name: "big", type: "BIGNUMERIC", precision: "40", scale: "5", roundingMode: "ROUND_HALF_EVEN" },
    ];
    const inserted = await rest(t.server.url, "POST", tables, { tableReference: { tableId: "given" }, schema: { fields } });
    expect(inserted.status).toBe(200);
    expect((inserted.json?.schema as { fields: unknown }).fields).toEqual(fields);
    const got = await rest(t.server.url, "GET", `${tables}/given`);
    expect((got.json?.schema as { fields: unknown }).fields).toEqual(fields);
    const columns = await t.bq.query("SELECT column_name, data_type, column_default FROM md.INFORMATION_SCHEMA.COLUMNS WHERE table_name = 'given' ORDER BY ordinal_position");
    expect(columns[0].map((r: { data_type: string }) => r.data_type)).toEqual(["INT64", "NUMERIC(10, 2)", "STRING(8)", "BIGNUMERIC(40, 5)"]);
    const bad = await rest(t.server.url, "POST", tables, { tableReference: { tableId: "bad" }, schema: { fields: [{ name: "x", type: "INTEGER", precision: "3" }] } });
    expect(bad.status).toBe(400);
  });

  it("tables.get view=BASIC leaves out storage statistics and the last modification time", async () => {
    const full = await rest(t.server.url, "GET", `${tables}/given`);
    expect(full.json).toHaveProperty("numRows", "0");
    expect(full.json).toHaveProperty("lastModifiedTime");
    const basic = await rest(t.server.url, "GET", `${tables}/given?view=BASIC`);
    expect(basic.json).not.toHaveProperty("numRows");
    expect(basic.json).not.toHaveProperty("numBytes");
    // The client's system test, recorded on BigQuery, expects it absent too.
    expect(basic.json).not.toHaveProperty("lastModifiedTime");
    expect(basic.json).toHaveProperty("schema");
  });

  it("keeps integer-range partitioning from tables.insert and from DDL", async () => {
    const rangePartitioning = { field: "n", range: { start: "0", end: "100", interval: "10" } };
    const inserted = await rest(t.server.url, "POST", tables, { tableReference: { tableId: "ranged" }, schema: { fields: [{ name: "n", type: "INTEGER" }] }, rangePartitioning });
    expect(inserted.json?.rangePartitioning).toEqual(rangePartitioning);
    await t.bq.query("CREATE TABLE md.ranged_ddl PARTITION BY RANGE_BUCKET(n, GENERATE_ARRAY(0, 100, 10)) AS SELECT 5 AS n UNION ALL SELECT 25 UNION ALL SELECT 250");
    const [meta] = await t.bq.dataset("md").table("ranged_ddl").getMetadata();
    expect(meta.rangePartitioning).toEqual(rangePartitioning);
    const [partitions] = await t.bq.query("SELECT partition_id, total_rows FROM md.INFORMATION_SCHEMA.PARTITIONS WHERE table_name = 'ranged_ddl' ORDER BY partition_id");
    expect(partitions).toEqual([
      { partition_id: "0", total_rows: 1 },
      { partition_id: "20", total_rows: 1 },
      { partition_id: "__UNPARTITIONED__", total_rows: 1 },
    ]);
  });

  it("If-Match with a stale etag is refused with 412; the current etag applies the change", async () => {
    const current = await rest(t.server.url, "GET", `${tables}/given`);
    const etag = String(current.json?.etag);
    const stale = await fetch(`${t.server.url}${tables}/given`, { method: "PATCH", headers: { "content-type": "application/json", "if-match": "not-the-etag" }, body: JSON.stringify({ description: "x" }) });
    expect(stale.status).toBe(412);
    expect(((await stale.json()) as { error: { errors: { reason: string }[] } }).error.errors[0].reason).toBe("conditionNotMet");
    const fresh = await fetch(`${t.server.url}${tables}/given`, { method: "PATCH", headers: { "content-type": "application/json", "if-match": etag }, body: JSON.stringify({ description: "y" }) });
    expect(fresh.status).toBe(200);
    const dataset = await rest(t.server.url, "GET", `/projects/${PROJECT}/datasets/md`);
    const staleDataset = await fetch(`${t.server.url}/projects/${PROJECT}/datasets/md`, { method: "PATCH", headers: { "content-type": "application/json", "if-match": `${String(dataset.json?.etag)}x` }, body: "{}" });
    expect(staleDataset.status).toBe(412);
  });

  it("insertAll refuses a JSON boolean for a STRING column (a number is taken)", async () => {
    await rest(t.server.url, "POST", tables, { tableReference: { tableId: "strings" }, schema: { fields: [{ name: "s", type: "STRING" }] } });
    const res = await rest(t.server.url, "POST", `${tables}/strings/insertAll`, { rows: [{ json: { s: true } }, { json: { s: 12 } }] });
    const errors = res.json?.insertErrors as { index: number; errors: { reason: string; message: string }[] }[];
    // BigQuery's wording, then the field (the client passes on message and reason, not location).
    expect(errors.find((e) => e.index === 0)?.errors[0]).toMatchObject({ reason: "invalid", message: "Conversion from bool to std::string is unsupported. (field s, type STRING)" });
    expect(errors.find((e) => e.index === 1)?.errors[0]).toMatchObject({ reason: "stopped", message: "" });
  });

  it("formatOptions.timestampOutputFormat and jobs.query's queryId", async () => {
    const query = await rest(t.server.url, "POST", `/projects/${PROJECT}/queries`, {
      query: "SELECT TIMESTAMP '2025-01-02 03:04:05.123456 UTC' AS ts",
      useLegacySql: false,
      formatOptions: { timestampOutputFormat: "ISO8601_STRING" },
    });
    expect(query.json?.queryId).toEqual((query.json?.jobReference as { jobId: string }).jobId);
    expect(query.json?.rows).toEqual([{ f: [{ v: "2025-01-02T03:04:05.123456Z" }] }]);
    const jobId = (query.json?.jobReference as { jobId: string }).jobId;
    const int64 = await rest(t.server.url, "GET", `/projects/${PROJECT}/queries/${jobId}?formatOptions.timestampOutputFormat=INT64`);
    expect(int64.json?.rows).toEqual([{ f: [{ v: "1735787045123456" }] }]);
    // useInt64Timestamp with another format is refused, as BigQuery does (the client's system test checks it).
    const both = await rest(t.server.url, "GET", `/projects/${PROJECT}/queries/${jobId}?formatOptions.useInt64Timestamp=true&formatOptions.timestampOutputFormat=ISO8601_STRING`);
    expect(both.status).toBe(400);
    expect(both.json).toMatchObject({ error: { errors: [{ reason: "invalid", message: "Cannot specify both use_int64_timestamp and timestamp_output_format." }] } });
    const agreeing = await rest(t.server.url, "GET", `/projects/${PROJECT}/queries/${jobId}?formatOptions.useInt64Timestamp=true&formatOptions.timestampOutputFormat=INT64`);
    expect(agreeing.json?.rows).toEqual([{ f: [{ v: "1735787045123456" }] }]);
  });
});
