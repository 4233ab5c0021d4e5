/**
 * Column DEFAULT values through the executor (differential oracle on), as BigQuery documents them
 * (cloud.google.com/bigquery/docs/default-values): an INSERT omitting a column with a default
 * writes the default; the DEFAULT keyword writes it in VALUES and UPDATE SET (NULL for a column
 * without one); MERGE's INSERT and UPDATE alike; ALTER TABLE ADD COLUMN ... DEFAULT fills the rows
 * already there; an explicit NULL stays NULL.
 */
import { startHarness, type Harness } from "./support/executor_harness";

describe("executor: column DEFAULT values", () => {
  let h: Harness;
  const rows = async (sql: string): Promise<unknown[][]> => (await h.run(sql)).rows ?? [];

  beforeAll(async () => {
    h = await startHarness();
    await h.run("CREATE SCHEMA dv");
  });
  afterAll(async () => {
    await h.stop();
  });

  beforeEach(async () => {
    await h.run(`CREATE OR REPLACE TABLE dv.t (
      a STRING,
      b STRING DEFAULT 'hello',
      n NUMERIC DEFAULT 0,
      d DATE DEFAULT '2020-01-01',
      plain INT64,
      ts TIMESTAMP DEFAULT CURRENT_TIMESTAMP()
    )`);
  });

  it("INSERT with a column list writes the defaults of the columns it omits", async () => {
    const result = await h.run("INSERT dv.t (a) VALUES ('val1'), ('val2')");
    expect(result.numDmlAffectedRows).toBe(2);
    expect(await rows("SELECT a, b, n, d, plain, ts IS NOT NULL FROM dv.t ORDER BY a")).toEqual([
      ["val1", "hello", "0", "2020-01-01", null, "true"],
      ["val2", "hello", "0", "2020-01-01", null, "true"],
    ]);
  });

  it("the DEFAULT keyword writes the default, or NULL for a column without one; explicit NULL stays NULL", async () => {
    await h.run("INSERT INTO dv.t (a, b, plain, n) VALUES ('x', DEFAULT, DEFAULT, NULL)");
    await h.run("INSERT INTO dv.t VALUES ('y', NULL, DEFAULT, DEFAULT, 7, DEFAULT)");
    expect(await rows("SELECT a, b, n, d, plain FROM dv.t ORDER BY a")).toEqual([
      ["x", "hello", null, "2020-01-01", null],
      ["y", null, "0", "2020-01-01", "7"],
    ]);
  });

  it("INSERT ... SELECT writes the defaults of omitted columns", async () => {
    await h.run("INSERT INTO dv.t (a, plain) SELECT s, i FROM UNNEST(['p', 'q']) AS s WITH OFFSET AS i");
    expect(await rows("SELECT a, b, plain FROM dv.t ORDER BY a")).toEqual([
      ["p", "hello", "0"],
      ["q", "hello", "1"],
    ]);
  });

  it("UPDATE SET col = DEFAULT writes the default", async () => {
    await h.run("INSERT INTO dv.t (a, b, n) VALUES ('u', 'custom', 5)");
    await h.run("UPDATE dv.t SET b = DEFAULT, n = DEFAULT, plain = DEFAULT WHERE a = 'u'");
    expect(await rows("SELECT a, b, n, plain FROM dv.t")).toEqual([["u", "hello", "0", null]]);
  });

  it("MERGE: INSERT omitting columns and SET col = DEFAULT use the defaults", async () => {
    await h.run("INSERT INTO dv.t (a, b) VALUES ('m1', 'old')");
    await h.run(`MERGE dv.t T USING (SELECT 'm1' AS a UNION ALL SELECT 'm2') S ON T.a = S.a
      WHEN MATCHED THEN UPDATE SET b = DEFAULT
      WHEN NOT MATCHED THEN INSERT (a) VALUES (S.a)`);
    expect(await rows("SELECT a, b, n FROM dv.t ORDER BY a")).toEqual([
      ["m1", "hello", "0"],
      ["m2", "hello", "0"],
    ]);
  });

  it("ALTER TABLE ADD COLUMN ... DEFAULT fills the rows already there, and later inserts", async () => {
    await h.run("INSERT INTO dv.t (a) VALUES ('old')");
    await h.run("ALTER TABLE dv.t ADD COLUMN c STRING DEFAULT 'world'");
    await h.run("INSERT INTO dv.t (a) VALUES ('new')");
    expect(await rows("SELECT a, c FROM dv.t ORDER BY a")).toEqual([
      ["new", "world"],
      ["old", "world"],
    ]);
    const columns = await rows("SELECT column_default FROM dv.INFORMATION_SCHEMA.COLUMNS WHERE table_name = 't' AND column_name = 'c'");
    expect(columns).toEqual([["'world'"]]);
  });

  it("errors keep their positions in the statement as written", async () => {
    const error = await h.failure("INSERT INTO dv.t (a) VALUES (nope)");
    expect(error.message).toMatch(/Unrecognized name: nope at \[1:30\]/);
  });
});
