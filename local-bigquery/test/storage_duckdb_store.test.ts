/** Contract of the DuckDB Store: what every layer above relies on. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { DuckDBInstance } from "@duckdb/node-api";
import { BigQueryError } from "../src/errors";
import type { DatasetMeta, TableMeta, TableRef } from "../src/model";
import { openStore } from "../src/storage/duckdb_store";
import type { Store } from "../src/storage/store";

const ds = (datasetId: string): DatasetMeta => ({
  ref: { projectId: "p", datasetId },
  location: "US",
  creationTime: 1,
  lastModifiedTime: 1,
});
const ref: TableRef = { projectId: "p", datasetId: "d", tableId: "t" };
const table = (over: Partial<TableMeta> = {}): TableMeta => ({
  ref,
  type: "TABLE",
  schema: [
    { name: "id", type: "INTEGER", mode: "REQUIRED" },
    { name: "tags", type: "STRING", mode: "REPEATED" },
  ],
  creationTime: 1,
  lastModifiedTime: 1,
  ...over,
});

const reasonOf = async (fn: () => unknown): Promise<string> => {
  try {
    await fn();
  } catch (e) {
    if (e instanceof BigQueryError) return `${e.status} ${e.reason}: ${e.message}`;
    throw e;
  }
  return "no error";
};

describe("duckdb store", () => {
  let dir: string;
  let clock: number;
  let store: Store;
  const open = (): Promise<Store> => openStore(join(dir, "bq.duckdb"), { now: () => clock, dedupWindowMs: 60_000 });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "store-"));
    clock = 1_000_000;
    store = await open();
    await store.createDataset(ds("d"));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates, lists and deletes datasets, failing like BigQuery", async () => {
    expect(store.getDataset({ projectId: "p", datasetId: "d" })?.location).toBe("US");
    expect(await reasonOf(() => store.createDataset(ds("d")))).toBe("409 duplicate: Already Exists: Dataset p:d");
    expect(await store.createDataset(ds("d"), { ifNotExists: true })).toBe(false);
    await store.createDataset(ds("a"));
    expect(store.listDatasets("p").map((d) => d.ref.datasetId)).toEqual(["a", "d"]);
    expect(store.listDatasets("other")).toEqual([]);
    await store.createTable(table());
    expect(await reasonOf(() => store.deleteDataset({ projectId: "p", datasetId: "d" }))).toBe(
      "400 resourceInUse: Dataset p:d is still in use",
    );
    await store.deleteDataset({ projectId: "p", datasetId: "d" }, { deleteContents: true });
    expect(store.getTable(ref)).toBeUndefined();
    expect(await reasonOf(() => store.deleteDataset({ projectId: "p", datasetId: "d" }))).toBe("404 notFound: Not found: Dataset p:d");
    await store.deleteDataset({ projectId: "p", datasetId: "d" }, { ifExists: true });
  });

  it("keeps table and view metadata as given", async () => {
    const meta = table({
      description: "desc",
      labels: { team: "data" },
      timePartitioning: { type: "DAY", field: "ts" },
      clustering: ["id"],
      options: { require_partition_filter: true },
    });
    await store.createTable(meta);
    expect(store.getTable(ref)).toEqual(meta);
    const view: TableMeta = { ...table(), ref: { ...ref, tableId: "v" }, type: "VIEW", viewQuery: "SELECT 1 AS x", schema: [] };
    await store.createTable(view);
    expect(store.getTable(view.ref)?.viewQuery).toBe("SELECT 1 AS x");
    expect(store.listTables({ projectId: "p", datasetId: "d" }).map((t) => t.ref.tableId)).toEqual(["t", "v"]);
    expect(await reasonOf(() => store.createTable(meta))).toBe("409 duplicate: Already Exists: Table p:d.t");
    expect(await reasonOf(() => store.createTable({ ...meta, ref: { ...ref, datasetId: "x" } }))).toBe(
      "404 notFound: Not found: Dataset p:x",
    );
    expect(await reasonOf(() => store.readRows({ ...ref, tableId: "nope" }))).toBe("404 notFound: Not found: Table p:d.nope");
  });

  it("appends rows in order with stable ids, and reads added columns as NULL", async () => {
    await store.createTable(table());
    await store.appendRows(ref, [["1", ["a"]], ["2", []]]);
    const before = await store.readRows(ref);
    expect(before.map((r) => r.cells)).toEqual([["1", ["a"]], ["2", []]]);
    await store.updateTable(ref, { schema: [...table().schema, { name: "extra", type: "STRING", mode: "NULLABLE" }] });
    const after = await store.readRows(ref);
    expect(after.map((r) => r.rowId)).toEqual(before.map((r) => r.rowId));
    expect(after[0].cells).toEqual(["1", ["a"], null]);
    expect((await store.readRows(ref, { offset: 1, limit: 1 })).map((r) => r.cells[0])).toEqual(["2"]);
    expect(store.stats(ref).rows).toBe(2);
  });

  it("stores every BigQuery type exactly, nested fields added later included", async () => {
    const schema: TableMeta["schema"] = [
      { name: "i", type: "INTEGER", mode: "NULLABLE" },
      { name: "f", type: "FLOAT", mode: "NULLABLE" },
      { name: "n", type: "NUMERIC", mode: "NULLABLE" },
      { name: "bn", type: "BIGNUMERIC", mode: "NULLABLE" },
      { name: "b", type: "BOOLEAN", mode: "NULLABLE" },
      { name: "s", type: "STRING", mode: "NULLABLE" },
      { name: "y", type: "BYTES", mode: "NULLABLE" },
      { name: "ts", type: "TIMESTAMP", mode: "NULLABLE" },
      { name: "d", type: "DATE", mode: "NULLABLE" },
      { name: "dt", type: "DATETIME", mode: "NULLABLE" },
      { name: "t", type: "TIME", mode: "NULLABLE" },
      { name: "j", type: "JSON", mode: "NULLABLE" },
      { name: "g", type: "GEOGRAPHY", mode: "NULLABLE" },
      { name: "r", type: "RECORD", mode: "NULLABLE", fields: [{ name: "a", type: "INTEGER", mode: "NULLABLE" }, { name: "tags", type: "STRING", mode: "REPEATED" }] },
      { name: "rs", type: "RECORD", mode: "REPEATED", fields: [{ name: "k", type: "STRING", mode: "NULLABLE" }] },
    ];
    const full = [
      "-9223372036854775808", "NaN", "-99999999999999999999999999999.999999999", "578960446186580977117854925043439539266.34992332820282019728792003956564819967",
      "true", "é\u0001'\"", Buffer.from([0, 255]).toString("base64"), "-62135596800000000", "0001-01-01", "9999-12-31T23:59:59.999999",
      "23:59:59.999999", '{"a":[1,2]}', "POINT(1 2)", ["7", ["x", "y"]], [["k1"], [null]],
    ];
    const empty = schema.map((f) => (f.mode === "REPEATED" ? [] : null));
    const odd = ["9223372036854775807", "-Infinity", "0.000000001", "0", "false", "", "", "253402300799999999", "9999-12-31", "0001-01-01T00:00:00", "00:00:00", "null", "GEOMETRYCOLLECTION EMPTY", [null, []], []];
    await store.createTable({ ...table(), schema });
    await store.appendRows(ref, [full, empty, odd]);
    expect((await store.readRows(ref)).map((r) => r.cells)).toEqual([full, empty, odd]);
    // BigQuery lets a RECORD (and a REPEATED RECORD's elements) gain fields; old rows read them as NULL.
    const grown = schema.map((f) =>
      f.type === "RECORD" ? { ...f, fields: [...(f.fields ?? []), { name: "added", type: "DATE" as const, mode: "NULLABLE" as const }] } : f,
    );
    await store.updateTable(ref, { schema: grown });
    const reread = (await store.readRows(ref)).map((r) => r.cells);
    expect(reread[0][13]).toEqual(["7", ["x", "y"], null]);
    expect(reread[0][14]).toEqual([["k1", null], [null, null]]);
  });

  it("relaxes REQUIRED and adds nested fields on a clustered table (its index is rebuilt around the change)", async () => {
    const schema: TableMeta["schema"] = [
      { name: "id", type: "INTEGER", mode: "REQUIRED" },
      { name: "r", type: "RECORD", mode: "NULLABLE", fields: [{ name: "a", type: "STRING", mode: "NULLABLE" }] },
    ];
    await store.createTable(table({ schema, clustering: ["id"] }));
    await store.appendRows(ref, [["1", ["x"]]]);
    const relaxed = [{ ...schema[0], mode: "NULLABLE" as const }, { ...schema[1], fields: [...(schema[1].fields ?? []), { name: "b", type: "INTEGER" as const, mode: "NULLABLE" as const }] }];
    await store.updateTable(ref, { schema: relaxed });
    await store.appendRows(ref, [[null, ["y", "2"]]]);
    expect((await store.readRows(ref)).map((r) => r.cells)).toEqual([["1", ["x", null]], [null, ["y", "2"]]]);
    // The clustering index answers a point lookup after the change.
    const rows = await store.read((c) => c.runAndReadAll(`SELECT count(*) FROM ${store.relation(ref)} WHERE id = 1`));
    expect(rows.getRows()).toEqual([[1n]]);
  });

  it("keeps each column's BigQuery bytes as the rows are written, equal to a recount from the rows", async () => {
    await store.createTable(table({ schema: [...table().schema, { name: "s", type: "STRING", mode: "NULLABLE" }, { name: "y", type: "BYTES", mode: "NULLABLE" }] }));
    await store.appendRows(ref, [["1", ["ab", "c"], "héllo", Buffer.from("abcd").toString("base64")], ["2", [], null, ""]]);
    // INT64 8 each; tags 2 + 2 and 2 + 1; "héllo" 2 + 6 bytes; BYTES: 2 + 3 per 4 base64 characters.
    const expected = { rows: 2, columnBytes: [16, 7, 8, 2 + 6 + 2] };
    expect(store.stats(ref)).toEqual(expected);
    await store.close();
    store = await open();
    expect(store.stats(ref)).toEqual(expected);
  });

  it("de-duplicates insertIds per table within the window", async () => {
    await store.createTable(table());
    await store.createTable(table({ ref: { ...ref, tableId: "u" } }));
    expect(await store.appendRows(ref, [["1", []], ["2", []]], ["a", "b"])).toEqual({ inserted: 2, deduplicated: 0 });
    expect(await store.appendRows(ref, [["1", []], ["3", []], ["4", []]], ["a", "c", undefined])).toEqual({
      inserted: 2,
      deduplicated: 1,
    });
    expect(await store.appendRows({ ...ref, tableId: "u" }, [["1", []]], ["a"])).toEqual({ inserted: 1, deduplicated: 0 });
    clock += 61_000;
    expect(await store.appendRows(ref, [["1", []]], ["a"])).toEqual({ inserted: 1, deduplicated: 0 });
    expect(store.stats(ref).rows).toBe(5);
  });

  it("bumps the version on every change, never repeating one after a replace", async () => {
    await store.createTable(table());
    const v1 = store.tableVersion(ref);
    await store.appendRows(ref, [["1", []]]);
    const v2 = store.tableVersion(ref);
    expect(v2).toBeGreaterThan(v1);
    await store.createTable(table(), { replace: true, rows: [["9", []]] });
    const v3 = store.tableVersion(ref);
    expect(v3).toBeGreaterThan(v2);
    expect((await store.readRows(ref)).map((r) => r.cells[0])).toEqual(["9"]);
    clock += 5;
    await store.write([ref], (tx) => tx.applyChanges(ref, { inserts: [["10", []]] }));
    expect(store.tableVersion(ref)).toBeGreaterThan(v3);
    expect(store.getTable(ref)?.lastModifiedTime).toBe(clock);
  });

  it("applies updates, deletes and inserts in one transaction", async () => {
    await store.createTable(table());
    await store.appendRows(ref, [["1", []], ["2", []], ["3", []]]);
    await store.write([ref], async (tx) => {
      const [a, b] = await tx.readRows(ref);
      await tx.applyChanges(ref, { deleteRowIds: [a.rowId], updates: [{ rowId: b.rowId, cells: ["20", ["x"]] }], inserts: [["4", []]] });
    });
    expect((await store.readRows(ref)).map((r) => r.cells).sort()).toEqual([["20", ["x"]], ["3", []], ["4", []]]);
    expect(store.stats(ref).rows).toBe(3);
  });

  it("rolls back a failed write transaction completely, and refuses NULL in a REQUIRED column", async () => {
    await store.createTable(table());
    await store.appendRows(ref, [["1", []]]);
    await expect(
      store.write([ref], async (tx) => {
        await tx.applyChanges(ref, { inserts: [["2", []]] });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await expect(store.write([ref], (tx) => tx.applyChanges(ref, { inserts: [["3", []], [null, []]] }))).rejects.toThrow(/NOT NULL/);
    expect((await store.readRows(ref)).map((r) => r.cells)).toEqual([["1", []]]);
    expect(store.stats(ref).rows).toBe(1);
    // The store is still usable after the failures.
    await store.appendRows(ref, [["4", []]]);
    expect(store.stats(ref).rows).toBe(2);
  });

  it("keeps everything across close and reopen, insertIds included", async () => {
    await store.createTable(table({ description: "kept" }));
    await store.appendRows(ref, [["1", ["a"]]], ["id-1"]);
    clock += 10;
    await store.appendRows(ref, [["2", []]]);
    const modified = store.getTable(ref)?.lastModifiedTime;
    await store.close();
    store = await open();
    expect(store.getTable(ref)?.description).toBe("kept");
    expect(store.getTable(ref)?.lastModifiedTime).toBe(modified);
    expect((await store.readRows(ref)).map((r) => r.cells)).toEqual([["1", ["a"]], ["2", []]]);
    expect((await store.appendRows(ref, [["1", ["a"]]], ["id-1"])).deduplicated).toBe(1);
    const version = store.tableVersion(ref);
    await store.appendRows(ref, [["3", []]]);
    expect(store.tableVersion(ref)).toBeGreaterThan(version);
  });

  it("remembers across reopen every insertId of a many-row append, and those a data directory logged one per row", async () => {
    await store.createTable(table());
    const ids = Array.from({ length: 300 }, (_, i) => `id-${i}`);
    await store.appendRows(ref, ids.map((_, i) => [String(i), []]), ids);
    await store.close();
    // The log's earlier form: one lbq.writes row per insertId, in insert_id.
    const instance = await DuckDBInstance.create(join(dir, "bq.duckdb"));
    const connection = await instance.connect();
    // One log row holds the append's 300 insertIds.
    const logged = (await connection.runAndReadAll("SELECT count(insert_id), count(insert_ids) FROM lbq.writes")).getRows();
    expect(logged).toEqual([[0n, 1n]]);
    await connection.run(`INSERT INTO lbq.writes (tid, insert_id, written_at) SELECT tid, 'old-form-id', ${clock} FROM lbq.tables`);
    connection.closeSync();
    instance.closeSync();
    store = await open();
    const again = await store.appendRows(ref, [["1", []], ["2", []], ["3", []], ["4", []]], ["id-0", "id-299", "old-form-id", "new-id"]);
    expect(again).toEqual({ inserted: 1, deduplicated: 3 });
    clock += 61_000; // past the window: all forgotten
    expect(await store.appendRows(ref, [["5", []], ["6", []]], ["id-0", "old-form-id"])).toEqual({ inserted: 2, deduplicated: 0 });
  });
});

describe("duckdb store ownership", () => {
  it("refuses a second opener of the same file with a clear message", async () => {
    const dir = mkdtempSync(join(tmpdir(), "store-lock-"));
    const first = await openStore(join(dir, "bq.duckdb"));
    try {
      // DuckDB locks the file per process; a second process is refused (a child tries).
      const child = spawnSync(process.execPath, ["-e", `require("@duckdb/node-api").DuckDBInstance.create(${JSON.stringify(join(dir, "bq.duckdb"))}).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(3); })`], { encoding: "utf8" });
      expect(child.status).toBe(3);
      expect(child.stderr).toMatch(/lock/i);
    } finally {
      await first.close();
    }
    const again = await openStore(join(dir, "bq.duckdb"));
    await again.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
