/**
 * tabledata.insertAll and column DEFAULT values through the real client: a row omitting a field
 * with a default gets the default (also a REQUIRED one); a field given, even as null, keeps
 * what was given; fields without a default stay NULL.
 */
import { startForTest, type Running } from "./support/local_bigquery";

describe("local BigQuery: insertAll applies column defaults", () => {
  let t: Running;
  beforeAll(async () => {
    t = await startForTest();
    await t.bq.createDataset("idf");
    await t.bq.query("CREATE TABLE idf.t (id INT64, status STRING DEFAULT 'new' NOT NULL, score NUMERIC DEFAULT 1.5, note STRING, tag STRING DEFAULT 'x')");
  });
  afterAll(async () => {
    await t.server.stop();
  });

  it("omitted fields get their defaults; given ones, null included, are kept", async () => {
    await t.bq.dataset("idf").table("t").insert([{ id: 1 }, { id: 2, status: "done", score: 3, tag: null }]);
    const [rows] = await t.bq.query("SELECT id, status, CAST(score AS STRING) AS score, note, tag FROM idf.t ORDER BY id");
    expect(rows).toEqual([
      { id: 1, status: "new", score: "1.5", note: null, tag: "x" },
      { id: 2, status: "done", score: "3", note: null, tag: null },
    ]);
  });
});
