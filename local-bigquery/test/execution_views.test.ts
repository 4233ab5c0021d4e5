/** Views: inlined into the statement as subqueries of their SQL, so ZetaSQL only ever receives base tables. */
import { startEngine, type Engine, type EngineContext } from "../src/engine";
import { createExecutor } from "../src/execution";
import type { ExecutionRequest } from "../src/execution/executor";
import { openStore } from "../src/storage/duckdb_store";
import type { Store } from "../src/storage/store";

const PROJECT = "test-project";

describe("executor: views", () => {
  let engine: Engine;
  let store: Store;
  /** The tables (name -> columns) each ZetaSQL evaluation received. */
  const sent: Map<string, string[]>[] = [];
  let run: (sql: string, extra?: Partial<ExecutionRequest>) => ReturnType<ReturnType<typeof createExecutor>["execute"]>;
  const failure = async (sql: string, extra?: Partial<ExecutionRequest>): Promise<Error & { reason?: string; status?: number }> => {
    try {
      await run(sql, extra);
    } catch (error) {
      return error as Error;
    }
    throw new Error(`expected a failure: ${sql}`);
  };
  const rows = async (sql: string, extra?: Partial<ExecutionRequest>): Promise<unknown[][]> => (await run(sql, extra)).rows ?? [];

  beforeAll(async () => {
    engine = await startEngine({ deadlineMs: 60_000 });
    store = await openStore(":memory:");
    // The real engine, observed: which tables (and which of their columns) each evaluation carries.
    const record = (context: EngineContext): void => {
      sent.push(
        new Map(
          (context.tables ?? []).map((t) => [t.name, t.columns.map((c) => c.name)]),
        ),
      );
    };
    const observed: Engine = Object.create(engine) as Engine;
    observed.evaluateQuery = (sql, context) => (record(context), engine.evaluateQuery(sql, context));
    observed.evaluateModify = (sql, target, context) => (record(context), engine.evaluateModify(sql, target, context));
    const executor = createExecutor({ store, engine: observed, oracle: true });
    run = (sql, extra = {}) => executor.execute({ projectId: PROJECT, sql, params: [], ...extra });

    await run("CREATE SCHEMA shop");
    await run(`CREATE TABLE shop.orders (id STRING, status STRING, amount INT64, ts INT64, note STRING)`);
    await run(`INSERT INTO shop.orders VALUES
      ('A', 'NEW', 10, 1, 'x'), ('A', 'PAID', 10, 2, 'y'), ('B', 'NEW', 3, 1, 'z'), ('C', 'NEW', 7, 1, NULL), ('C', 'PAID', 7, 5, NULL)`);
    // Three levels: versions (window columns) -> latest -> paid.
    await run(`CREATE VIEW shop.versions AS
      SELECT id, status, amount, ts, ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts) AS seq, COUNT(*) OVER (PARTITION BY id) AS n
      FROM shop.orders -- a trailing comment`);
    await run("CREATE VIEW shop.latest AS SELECT id, status, amount FROM `test-project.shop.versions` WHERE seq = n");
    await run("CREATE VIEW `test-project`.shop.paid AS SELECT id, amount FROM shop.latest WHERE status = 'PAID'");
  });
  afterAll(async () => {
    await engine.stop();
    await store.close();
  });

  it("evaluates views over views over views, sending ZetaSQL only the base table and the columns read", async () => {
    sent.length = 0;
    expect(await rows("SELECT * FROM shop.paid ORDER BY id")).toEqual([
      ["A", "10"],
      ["C", "7"],
    ]);
    expect(sent).toEqual([new Map([["test-project.shop.orders", ["id", "status", "amount", "ts"]]])]);
    sent.length = 0;
    // ZetaSQL's pruning keeps a column a view passes through (amount) but drops what nothing names (note).
    const counted = await run("SELECT COUNT(*) AS c FROM shop.paid");
    expect(counted.rows).toEqual([["2"]]);
    expect(sent).toEqual([new Map([["test-project.shop.orders", ["id", "status", "amount", "ts"]]])]);
    // Bytes processed: the base columns sent (id 3, status 5 or 6, amount and ts 8 bytes per row).
    expect(counted.totalBytesProcessed).toBe(5 * 3 + (5 + 6 + 5 + 5 + 6) + 5 * 8 + 5 * 8);
    // A column named but not read (SELECT * EXCEPT) still travels, so the statement still resolves.
    sent.length = 0;
    expect(await rows("SELECT COUNT(*) FROM (SELECT * EXCEPT (note, amount) FROM shop.orders)")).toEqual([["5"]]);
    expect(sent).toEqual([new Map([["test-project.shop.orders", ["id", "status", "amount", "ts", "note"]]])]);
  });

  it.each([
    ["FROM shop.latest", "latest.id"],
    ["FROM latest", "latest.id"],
    ["FROM `test-project.shop.latest`", "latest.id"],
    ["FROM `test-project`.shop.latest", "latest.id"],
    ["FROM shop.latest AS x", "x.id"],
    ["FROM shop.latest x", "x.id"],
    ["FROM latest AS x", "x.id"],
  ])("takes BigQuery's aliases: %s (reading %s)", async (from, column) => {
    const result = await run(`SELECT ${column} ${from} WHERE ${column} = 'A'`, { defaultDataset: { projectId: PROJECT, datasetId: "shop" } });
    expect(result.rows).toEqual([["A"]]);
  });

  it("joins views with USING, uses one view twice, and reads views in subqueries and CTEs", async () => {
    expect(await rows("SELECT id, status, latest.amount, o.note FROM shop.latest JOIN shop.orders o USING (id, status) ORDER BY id")).toEqual([
      ["A", "PAID", "10", "y"],
      ["B", "NEW", "3", "z"],
      ["C", "PAID", "7", null],
    ]);
    expect(await rows("SELECT a.id AS x, b.id AS y FROM shop.latest a JOIN shop.latest b ON a.amount > b.amount ORDER BY 1, 2")).toEqual([
      ["A", "B"],
      ["A", "C"],
      ["C", "B"],
    ]);
    expect(await rows("SELECT id FROM shop.orders WHERE id NOT IN (SELECT id FROM shop.paid) GROUP BY id")).toEqual([["B"]]);
    expect(await rows("SELECT (SELECT SUM(amount) FROM shop.paid) AS s")).toEqual([["17"]]);
    expect(await rows("WITH p AS (SELECT * FROM shop.paid), l AS (SELECT * FROM shop.latest) SELECT COUNT(*) FROM p JOIN l USING (id)")).toEqual([["2"]]);
    // A CTE named like a view hides it where it is in scope, and only there.
    expect(
      await rows("WITH latest AS (SELECT 'Z' AS id) SELECT (SELECT COUNT(*) FROM latest), (SELECT COUNT(*) FROM shop.latest)", {
        defaultDataset: { projectId: PROJECT, datasetId: "shop" },
      }),
    ).toEqual([["1", "3"]]);
  });

  it("reads views in CREATE TABLE AS SELECT, INSERT ... SELECT and MERGE ... USING", async () => {
    const created = await run("CREATE TABLE shop.paid_copy AS SELECT * FROM shop.paid");
    expect(created.statementType).toBe("CREATE_TABLE_AS_SELECT");
    expect((await store.readRows({ projectId: PROJECT, datasetId: "shop", tableId: "paid_copy" })).map((r) => r.cells).sort()).toEqual([
      ["A", "10"],
      ["C", "7"],
    ]);
    const inserted = await run("INSERT INTO shop.paid_copy (id, amount) SELECT id, amount * 10 FROM shop.latest WHERE status = 'NEW'");
    expect(inserted.numDmlAffectedRows).toBe(1);
    const merged = await run(`MERGE shop.paid_copy t USING shop.latest s ON t.id = s.id
      WHEN MATCHED AND s.status = 'PAID' THEN UPDATE SET amount = s.amount + 1
      WHEN MATCHED THEN DELETE
      WHEN NOT MATCHED THEN INSERT (id, amount) VALUES (s.id, 0)`);
    expect(merged.numDmlAffectedRows).toBe(3);
    expect((await rows("SELECT * FROM shop.paid_copy ORDER BY id"))).toEqual([
      ["A", "11"],
      ["C", "8"],
    ]);
    const mergedFromSubquery = await run("MERGE shop.paid_copy USING (SELECT id FROM shop.paid) p ON paid_copy.id = p.id WHEN MATCHED THEN DELETE");
    expect(mergedFromSubquery.numDmlAffectedRows).toBe(2);
    expect(await failure("INSERT INTO shop.latest (id) VALUES ('x')")).toMatchObject({ reason: "invalidQuery", message: "Cannot modify a view: test-project.shop.latest" });
  });

  it("keeps error positions in the user's text around inlined views", async () => {
    expect((await failure("SELECT nope FROM shop.paid")).message).toBe("Unrecognized name: nope at [1:8]");
    expect((await failure("SELECT *\nFROM shop.paid p JOIN shop.latest l USING (id)\nWHERE p.nope = 1")).message).toBe(
      "Name nope not found inside p at [3:9]",
    );
    expect((await failure("SELECT 1 AS x;\nSELECT id FROM shop.paid WHERE nope")).message).toBe("Unrecognized name: nope at [2:32]");
  });

  it("says when an error lies in a view's SQL, with the position in that SQL", async () => {
    await run("CREATE TABLE shop.base (k INT64, v STRING)");
    await run("CREATE VIEW shop.base_v AS SELECT k,\n  v FROM shop.base");
    await run("CREATE VIEW shop.over_base_v AS SELECT * FROM shop.base_v");
    await run("CREATE OR REPLACE TABLE shop.base (k INT64)"); // the view's `v` is gone
    const error = await failure("SELECT k FROM shop.over_base_v");
    expect(error).toMatchObject({ reason: "invalidQuery", status: 400 });
    expect(error.message).toBe("in view test-project.shop.base_v: Unrecognized name: v at [test-project.shop.base_v:2:3]");
    // Inside a script and in a CREATE TABLE AS SELECT, the view's position is left alone.
    const inScript = await failure("SELECT 1 AS x;\nCREATE TABLE shop.never AS SELECT * FROM shop.base_v");
    expect(inScript.message).toBe("in view test-project.shop.base_v: Unrecognized name: v at [test-project.shop.base_v:2:3]");
    await run("DROP TABLE shop.base");
    const missing = await failure("SELECT * FROM shop.over_base_v");
    expect(missing).toMatchObject({ reason: "notFound", status: 404 });
    expect(missing.message).toBe("in view test-project.shop.base_v: Not found: Table test-project:shop.base was not found in location US");
  });

  it("resolves a view's names against the view's project, never the request's default dataset", async () => {
    const error = await failure("CREATE VIEW shop.bare AS SELECT id FROM orders", { defaultDataset: { projectId: PROJECT, datasetId: "shop" } });
    expect(error.message).toMatch(/must be qualified with a dataset/);
    await run("CREATE SCHEMA `other-project.shop`");
    await run("CREATE TABLE `other-project.shop.orders` (id STRING)");
    await run("INSERT INTO `other-project.shop.orders` VALUES ('other')");
    await run("CREATE VIEW `other-project.shop.ids` AS SELECT id FROM shop.orders");
    expect(await rows("SELECT * FROM `other-project.shop.ids`")).toEqual([["other"]]);
    const withDefault = await run("SELECT COUNT(*) FROM `other-project`.shop.ids JOIN orders USING (id)", {
      defaultDataset: { projectId: PROJECT, datasetId: "shop" },
    });
    expect(withDefault.rows).toEqual([["0"]]);
  });

  it("dry-runs through views, and caches by the versions of the base tables and the views' SQL", async () => {
    const dry = await run("SELECT id FROM shop.paid", { dryRun: true });
    expect(dry.schema?.map((f) => `${f.name}:${f.type}`)).toEqual(["id:STRING"]);
    expect(dry.totalBytesProcessed).toBeGreaterThan(0);
    await run("CREATE TABLE shop.events (k STRING)");
    await run("CREATE VIEW shop.events_v AS SELECT k FROM shop.events");
    await run("CREATE VIEW shop.events_vv AS SELECT * FROM shop.events_v");
    const sql = "SELECT COUNT(*) AS n FROM shop.events_vv";
    expect([(await run(sql)).cacheHit, (await run(sql)).cacheHit]).toEqual([false, true]);
    await run("INSERT INTO shop.events VALUES ('x'), ('y')");
    const afterInsert = await run(sql);
    expect([afterInsert.cacheHit, afterInsert.rows]).toEqual([false, [["2"]]]);
    await run("CREATE OR REPLACE VIEW shop.events_v AS SELECT k FROM shop.events WHERE k = 'x'");
    const afterReplace = await run(sql);
    expect([afterReplace.cacheHit, afterReplace.rows]).toEqual([false, [["1"]]]);
  });

  it("refuses views that refer to themselves", async () => {
    await run("CREATE TABLE shop.loop_base (x INT64)");
    await run("CREATE VIEW shop.loop_a AS SELECT x FROM shop.loop_base");
    await run("CREATE VIEW shop.loop_b AS SELECT x FROM shop.loop_a");
    // Only the stored SQL can make the cycle (CREATE VIEW checks its query).
    const meta = store.getTable({ projectId: PROJECT, datasetId: "shop", tableId: "loop_a" });
    await store.updateTable({ projectId: PROJECT, datasetId: "shop", tableId: "loop_a" }, { viewQuery: "SELECT x FROM shop.loop_b", schema: meta?.schema });
    const error = await failure("SELECT * FROM shop.loop_b");
    expect(error).toMatchObject({ reason: "invalidQuery" });
    expect(error.message).toMatch(/View test-project\.shop\.loop_b refers to itself/);
  });
});
