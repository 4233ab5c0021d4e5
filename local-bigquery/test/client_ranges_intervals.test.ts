/** RANGE and INTERVAL through the real client: REST schema, DDL, insertAll, DML, query results, parameters. */
import { BigQuery, type Dataset } from "@google-cloud/bigquery";
import { startForTest, type Running } from "./support/local_bigquery";

describe("local BigQuery: RANGE and INTERVAL columns", () => {
  let t: Running;
  let ds: Dataset;
  beforeAll(async () => {
    t = await startForTest();
    [ds] = await t.bq.createDataset("spans");
  });
  afterAll(async () => {
    await t.server.stop();
  });

  it("keeps rangeElementType in the schema, takes text and {start, end} in insertAll, and returns BigQuery's cells", async () => {
    const [table] = await ds.createTable("rt_table", {
      schema: {
        fields: [
          { name: "id", type: "INTEGER" },
          { name: "r", type: "RANGE", rangeElementType: { type: "DATE" } },
          { name: "rt", type: "RANGE", rangeElementType: { type: "TIMESTAMP" } },
          { name: "iv", type: "INTERVAL" },
        ],
      },
    });
    const [meta] = await table.getMetadata();
    expect(meta.schema.fields[1]).toMatchObject({ name: "r", type: "RANGE", rangeElementType: { type: "DATE" } });
    await table.insert([
      { id: 1, r: "[2024-01-01, 2024-02-01)", rt: BigQuery.range("[2024-01-01 00:00:00+00, UNBOUNDED)", "TIMESTAMP"), iv: "1-2 3 4:5:6" },
      { id: 2, r: { start: "2024-03-01" }, rt: null, iv: "0-0 -5 0:0:0.5" },
    ]);
    const [rows] = await t.bq.query({
      query: "SELECT id, r, rt, iv, RANGE_CONTAINS(r, DATE '2024-01-15') c, EXTRACT(DAY FROM iv) d FROM spans.rt_table ORDER BY id",
    });
    expect(rows.map((row) => [row.id, row.r.value, row.rt?.value ?? null, row.iv, row.c, row.d])).toEqual([
      [1, { start: "2024-01-01", end: "2024-02-01" }, { start: "2024-01-01T00:00:00.000Z", end: "UNBOUNDED" }, "1-2 3 4:5:6", true, 3],
      [2, { start: "2024-03-01", end: "UNBOUNDED" }, null, "0-0 -5 0:0:0.500", false, -5],
    ]);
  });

  it("creates RANGE and INTERVAL columns by DDL and writes them by DML; takes RANGE parameters", async () => {
    await t.bq.query({ query: "CREATE TABLE spans.d (id INT64, r RANGE<DATETIME>, iv INTERVAL)" });
    await t.bq.query({ query: "INSERT INTO spans.d VALUES (1, RANGE<DATETIME> '[2024-01-01 10:00:00, UNBOUNDED)', MAKE_INTERVAL(day => 2)), (2, NULL, INTERVAL 90 MINUTE)" });
    await t.bq.query({ query: "UPDATE spans.d SET iv = JUSTIFY_HOURS(iv + INTERVAL 23 HOUR) WHERE id = 2" });
    const [rows] = await t.bq.query({
      query: "SELECT id, RANGE_START(r) s, iv, r = @p same FROM spans.d ORDER BY id",
      params: { p: BigQuery.range("[2024-01-01 10:00:00, UNBOUNDED)", "DATETIME") },
    });
    expect(rows.map((row) => [row.id, row.s?.value ?? null, row.iv, row.same])).toEqual([
      [1, "2024-01-01T10:00:00", "0-0 2 0:0:0", true],
      [2, null, "0-0 1 0:30:0", null],
    ]);
  });
});
