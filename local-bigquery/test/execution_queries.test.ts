/** Queries through the executor: name resolution, views, parameters, dry runs, the cache, bytes, limits. */
import { PROJECT, startHarness, type Harness } from "./support/executor_harness";

describe("executor: queries", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.run("CREATE SCHEMA shop");
    await h.run("CREATE TABLE shop.orders (id STRING NOT NULL, status STRING, amount NUMERIC, ts TIMESTAMP)");
    await h.run(`INSERT INTO shop.orders VALUES
      ('A', 'NEW', 10.5, TIMESTAMP '2025-01-01 00:00:00'),
      ('A', 'PAID', 10.5, TIMESTAMP '2025-01-02 00:00:00'),
      ('B', 'NEW', 3, TIMESTAMP '2025-01-01 12:00:00')`);
    await h.run(
      "CREATE VIEW shop.latest AS SELECT * FROM shop.orders WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts DESC) = 1",
    );
    await h.run("CREATE VIEW shop.paid_latest AS SELECT id FROM shop.latest WHERE status = 'PAID'");
  });
  afterAll(async () => {
    await h.stop();
  });

  it.each([
    ["`test-project.shop.orders`"],
    ["`test-project`.`shop`.`orders`"],
    ["`test-project`.shop.orders"],
    ["shop.orders"],
    ["`shop.orders`"],
    ["`shop`.orders"],
  ])("resolves %s as BigQuery does", async (name) => {
    const result = await h.run(`SELECT orders.id, o2.status FROM ${name} JOIN ${name} AS o2 USING (id, ts) WHERE orders.id = 'B'`);
    expect(result.rows).toEqual([["B", "NEW"]]);
  });

  it("resolves a bare table name against the default dataset", async () => {
    const result = await h.run("SELECT COUNT(*) AS n FROM orders", { defaultDataset: { projectId: PROJECT, datasetId: "shop" } });
    expect(result.rows).toEqual([["3"]]);
    const error = await h.failure("SELECT COUNT(*) FROM orders");
    expect(error).toMatchObject({ reason: "invalidQuery", status: 400 });
    expect(error.message).toMatch(/must be qualified with a dataset/);
  });

  it("answers notFound for unknown tables and datasets, as BigQuery words it", async () => {
    const error = await h.failure("SELECT * FROM shop.nope");
    expect(error).toMatchObject({ reason: "notFound", status: 404 });
    expect(error.message).toBe("Not found: Table test-project:shop.nope was not found in location US");
    // BigQuery names the missing dataset when the dataset is what is missing.
    const other = await h.failure("SELECT * FROM `other-project.x.y`");
    expect(other.message).toBe("Not found: Dataset other-project:x was not found in location US");
  });

  it("evaluates views from their stored SQL, views over views too", async () => {
    const latest = await h.run("SELECT id, status, amount FROM shop.latest ORDER BY id");
    expect(latest.rows).toEqual([
      ["A", "PAID", "10.5"],
      ["B", "NEW", "3"],
    ]);
    expect(latest.schema?.map((f) => `${f.name}:${f.type}`)).toEqual(["id:STRING", "status:STRING", "amount:NUMERIC"]);
    expect((await h.run("SELECT * FROM shop.paid_latest")).rows).toEqual([["A"]]);
  });

  it("keeps positions of errors in the user's text, after rewritten table names", async () => {
    const error = await h.failure("SELECT id\nFROM `test-project`.shop.orders WHERE nope = 1");
    expect(error).toMatchObject({ reason: "invalidQuery", status: 400 });
    expect(error.message).toBe("Unrecognized name: nope at [2:39]");
  });

  it("takes named and positional parameters: scalars, arrays, structs", async () => {
    const named = await h.run("SELECT id FROM shop.orders WHERE status = @status AND id IN UNNEST(@ids) AND amount > @m.min ORDER BY id", {
      params: [
        { name: "status", type: { type: "STRING" }, value: "NEW" },
        { name: "ids", type: { type: "ARRAY", arrayType: { type: "STRING" } }, value: ["A", "B"] },
        { name: "m", type: { type: "STRUCT", structTypes: [{ name: "min", type: { type: "NUMERIC" } }] }, value: ["5"] },
      ],
    });
    expect(named.rows).toEqual([["A"]]);
    const positional = await h.run("SELECT ? AS a, ? + 1 AS b, ARRAY_LENGTH(?) AS c", {
      params: [
        { type: { type: "STRING" }, value: "x" },
        { type: { type: "INT64" }, value: "9007199254740993" },
        { type: { type: "ARRAY", arrayType: { type: "DATE" } }, value: ["2025-01-01", "2025-01-02"] },
      ],
    });
    expect(positional.rows).toEqual([["x", "9007199254740994", "2"]]);
  });

  it("dry-runs: schema, statement type and a bytes estimate, nothing executed", async () => {
    const dry = await h.run("SELECT id, amount FROM shop.orders", { dryRun: true });
    expect(dry.statementType).toBe("SELECT");
    expect(dry.schema?.map((f) => f.name)).toEqual(["id", "amount"]);
    expect(dry.rows).toEqual([]);
    // id: 2 + 1 bytes each, amount: 16 bytes each, over 3 rows.
    expect(dry.totalBytesProcessed).toBe(3 * 3 + 3 * 16);
    const dryInsert = await h.run("INSERT INTO shop.orders (id) VALUES ('Z')", { dryRun: true });
    expect(dryInsert.statementType).toBe("INSERT");
    const dryCreate = await h.run("CREATE TABLE shop.never AS SELECT 1 AS x", { dryRun: true });
    expect(dryCreate.statementType).toBe("CREATE_TABLE_AS_SELECT");
    expect(h.store.getTable(h.ref("shop", "never"))).toBeUndefined();
    expect((await h.run("SELECT COUNT(*) FROM shop.orders WHERE id = 'Z'")).rows).toEqual([["0"]]);
  });

  it("answers a repeated query from the cache until a table it reads (even under a view) changes", async () => {
    await h.run("CREATE TABLE shop.events (k STRING)");
    await h.run("CREATE VIEW shop.events_v AS SELECT k FROM shop.events");
    const sql = "SELECT COUNT(*) AS n FROM shop.events_v";
    const first = await h.run(sql);
    const second = await h.run(sql);
    expect([first.cacheHit, second.cacheHit]).toEqual([false, true]);
    expect(second.rows).toEqual([["0"]]);
    await h.run("INSERT INTO shop.events VALUES ('x')");
    const third = await h.run(sql);
    expect(third.cacheHit).toBe(false);
    expect(third.rows).toEqual([["1"]]);
    const withParam = await h.run("SELECT @x AS x", { params: [{ name: "x", type: { type: "INT64" }, value: "2" }] });
    expect(withParam.rows).toEqual([["2"]]);
    const otherParam = await h.run("SELECT @x AS x", { params: [{ name: "x", type: { type: "INT64" }, value: "3" }] });
    expect(otherParam.rows).toEqual([["3"]]);
  });

  it("estimates bytes processed from the columns read and enforces maximumBytesBilled", async () => {
    const result = await h.run("SELECT status FROM shop.orders WHERE id = 'A'");
    // id (3 bytes x 3 rows) and status (2+3, 2+4, 2+3) are read.
    expect(result.totalBytesProcessed).toBe(9 + 5 + 6 + 5);
    const error = await h.failure("SELECT status, amount FROM shop.orders", { maximumBytesBilled: "1000" });
    expect(error).toMatchObject({ reason: "bytesBilledLimitExceeded", status: 400 });
    expect(error.message).toBe("Query exceeded limit for bytes billed: 1000. 10485760 or higher required.");
    const allowed = await h.run("SELECT status, amount FROM shop.orders", { maximumBytesBilled: "10485760" });
    expect(allowed.rows).toHaveLength(3);
  });

  it("runs on DuckDB beyond ZetaSQL's 4 MiB, and refuses plainly, naming the construct, what only ZetaSQL can run", async () => {
    await h.run("CREATE TABLE shop.wide (id INT64, payload STRING, doc JSON)");
    const rows = Array.from({ length: 40_000 }, (_, i) => [String(i), "p".repeat(120), `{"k":"${"q".repeat(120)}"}`]);
    await h.store.appendRows(h.ref("shop", "wide"), rows);
    const narrow = await h.run("SELECT COUNT(*) AS n, SUM(id) AS s, MAX(payload) AS m FROM shop.wide");
    expect(narrow.rows).toEqual([["40000", String((39_999 * 40_000) / 2), "p".repeat(120)]]);
    // INITCAP is not compiled to DuckDB: the reference evaluator would need every row at once.
    const started = Date.now();
    const error = await h.failure("SELECT MAX(INITCAP(payload)) FROM shop.wide");
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toMatchObject({ reason: "resourcesExceeded", status: 400 });
    expect(error.message).toMatch(/DuckDB engine does not support \S.*; that evaluator takes at most 4194304 bytes \(4 MiB\).*reads 40000 rows/);
  });

  it("refuses results with two columns of one name it was given, and renames those that came from the columns selected, as BigQuery does", async () => {
    const error = await h.failure("SELECT id, status AS ID FROM shop.orders");
    expect(error).toMatchObject({ reason: "invalidQuery", status: 400 });
    expect(error.message).toBe("Duplicate column names in the result are not supported. Found duplicate(s): ID");
    const renamed = await h.run("SELECT a.id, b.id, a.status, b.status, 1 AS id_1 FROM shop.orders a JOIN shop.orders b USING (id) LIMIT 0");
    expect(renamed.schema?.map((f) => f.name)).toEqual(["id", "id_2", "status", "status_1", "id_1"]);
  });

  it("takes a grouped expression written out again in ORDER BY, HAVING, ROLLUP, CUBE and GROUPING SETS, as BigQuery does", async () => {
    const nums = "UNNEST([1, 2, 3, 4, 5, 6]) n";
    expect((await h.run(`SELECT MOD(n, 2) AS p, COUNT(*) AS c FROM ${nums} GROUP BY MOD(n, 2) ORDER BY MOD(n, 2) DESC`)).rows).toEqual([["1", "3"], ["0", "3"]]);
    expect((await h.run(`SELECT MOD(n, 3), COUNT(*) FROM ${nums} GROUP BY MOD(n, 3) HAVING COUNT(*) > 1 ORDER BY MOD(n, 3)`)).rows).toEqual([["0", "2"], ["1", "2"], ["2", "2"]]);
    expect((await h.run(`SELECT MOD(n, 2) AS p, COUNT(*) AS c FROM ${nums} GROUP BY ROLLUP(MOD(n, 2)) ORDER BY p NULLS LAST`)).rows).toEqual([["0", "3"], ["1", "3"], [null, "6"]]);
    const sets = await h.run(`SELECT MOD(n, 2) AS p, MOD(n, 3) AS q, COUNT(*) AS c FROM ${nums} GROUP BY GROUPING SETS ((MOD(n, 2)), (MOD(n, 3))) ORDER BY p NULLS LAST, q NULLS LAST`);
    expect(sets.rows).toEqual([["0", null, "3"], ["1", null, "3"], [null, "0", "2"], [null, "1", "2"], [null, "2", "2"]]);
  });

  it("runs several queries at once", async () => {
    const queries = ["A", "B", "A", "B", "A", "B"].map((id, i) =>
      h.run(`SELECT COUNT(*) + ${i} AS n FROM shop.orders WHERE id = @id`, { params: [{ name: "id", type: { type: "STRING" }, value: id }] }),
    );
    const results = await Promise.all(queries);
    expect(results.map((r) => r.rows?.[0][0])).toEqual(["2", "2", "4", "4", "6", "6"]);
  });
});
