/** Contract of the SQLite Store: what every layer above relies on. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BigQueryError } from "../src/errors";
import type { DatasetMeta, TableMeta, TableRef } from "../src/model";
import { openStore } from "../src/storage/sqlite_store";
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

const reasonOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof BigQueryError) return `${e.status} ${e.reason}: ${e.message}`;
    throw e;
  }
  return "no error";
};

describe("sqlite store", () => {
  let dir: string;
  let clock: number;
  let store: Store;
  const open = (): Store => openStore(join(dir, "bq.sqlite"), { now: () => clock, dedupWindowMs: 60_000 });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "store-"));
    clock = 1_000_000;
    store = open();
    store.createDataset(ds("d"));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates, lists and deletes datasets, failing like BigQuery", () => {
    expect(store.getDataset({ projectId: "p", datasetId: "d" })?.location).toBe("US");
    expect(reasonOf(() => store.createDataset(ds("d")))).toBe("409 duplicate: Already Exists: Dataset p:d");
    expect(store.createDataset(ds("d"), { ifNotExists: true })).toBe(false);
    store.createDataset(ds("a"));
    expect(store.listDatasets("p").map((d) => d.ref.datasetId)).toEqual(["a", "d"]);
    expect(store.listDatasets("other")).toEqual([]);
    store.createTable(table());
    expect(reasonOf(() => store.deleteDataset({ projectId: "p", datasetId: "d" }))).toBe(
      "400 resourceInUse: Dataset p:d is still in use",
    );
    store.deleteDataset({ projectId: "p", datasetId: "d" }, { deleteContents: true });
    expect(store.getTable(ref)).toBeUndefined();
    expect(reasonOf(() => store.deleteDataset({ projectId: "p", datasetId: "d" }))).toBe("404 notFound: Not found: Dataset p:d");
    store.deleteDataset({ projectId: "p", datasetId: "d" }, { ifExists: true });
  });

  it("keeps table and view metadata as given", () => {
    const meta = table({
      description: "desc",
      labels: { team: "data" },
      timePartitioning: { type: "DAY", field: "ts" },
      clustering: ["id"],
      options: { require_partition_filter: true },
    });
    store.createTable(meta);
    expect(store.getTable(ref)).toEqual(meta);
    const view: TableMeta = { ...table(), ref: { ...ref, tableId: "v" }, type: "VIEW", viewQuery: "SELECT 1 AS x", schema: [] };
    store.createTable(view);
    expect(store.getTable(view.ref)?.viewQuery).toBe("SELECT 1 AS x");
    expect(store.listTables({ projectId: "p", datasetId: "d" }).map((t) => t.ref.tableId)).toEqual(["t", "v"]);
    expect(reasonOf(() => store.createTable(meta))).toBe("409 duplicate: Already Exists: Table p:d.t");
    expect(reasonOf(() => store.createTable({ ...meta, ref: { ...ref, datasetId: "x" } }))).toBe(
      "404 notFound: Not found: Dataset p:x",
    );
    expect(reasonOf(() => store.readRows({ ...ref, tableId: "nope" }))).toBe("404 notFound: Not found: Table p:d.nope");
  });

  it("appends rows in order with stable ids, and pads rows after columns are added", () => {
    store.createTable(table());
    store.appendRows(ref, [["1", ["a"]], ["2", []]]);
    const before = store.readRows(ref);
    expect(before.map((r) => r.cells)).toEqual([["1", ["a"]], ["2", []]]);
    store.updateTable(ref, { schema: [...table().schema, { name: "extra", type: "STRING", mode: "NULLABLE" }] });
    const after = store.readRows(ref);
    expect(after.map((r) => r.rowId)).toEqual(before.map((r) => r.rowId));
    expect(after[0].cells).toEqual(["1", ["a"], null]);
    expect(store.readRows(ref, { offset: 1, limit: 1 }).map((r) => r.cells[0])).toEqual(["2"]);
    expect(store.countRows(ref)).toBe(2);
  });

  it("de-duplicates insertIds per table within the window", () => {
    store.createTable(table());
    store.createTable(table({ ref: { ...ref, tableId: "u" } }));
    expect(store.appendRows(ref, [["1", []], ["2", []]], ["a", "b"])).toEqual({ inserted: 2, deduplicated: 0 });
    expect(store.appendRows(ref, [["1", []], ["3", []], ["4", []]], ["a", "c", undefined])).toEqual({
      inserted: 2,
      deduplicated: 1,
    });
    expect(store.appendRows({ ...ref, tableId: "u" }, [["1", []]], ["a"])).toEqual({ inserted: 1, deduplicated: 0 });
    clock += 61_000;
    expect(store.appendRows(ref, [["1", []]], ["a"])).toEqual({ inserted: 1, deduplicated: 0 });
    expect(store.countRows(ref)).toBe(5);
  });

  it("bumps the version on every change, never repeating one after a replace", () => {
    store.createTable(table());
    const v1 = store.tableVersion(ref);
    store.appendRows(ref, [["1", []]]);
    const v2 = store.tableVersion(ref);
    expect(v2).toBeGreaterThan(v1);
    store.createTable(table(), { replace: true, rows: [["9", []]] });
    const v3 = store.tableVersion(ref);
    expect(v3).toBeGreaterThan(v2);
    expect(store.readRows(ref).map((r) => r.cells[0])).toEqual(["9"]);
    clock += 5;
    store.applyChanges(ref, { inserts: [["10", []]] });
    expect(store.tableVersion(ref)).toBeGreaterThan(v3);
    expect(store.getTable(ref)?.lastModifiedTime).toBe(clock);
  });

  it("applies updates, deletes and inserts atomically", () => {
    store.createTable(table());
    store.appendRows(ref, [["1", []], ["2", []], ["3", []]]);
    const [a, b] = store.readRows(ref);
    store.applyChanges(ref, { deleteRowIds: [a.rowId], updates: [{ rowId: b.rowId, cells: ["20", ["x"]] }], inserts: [["4", []]] });
    expect(store.readRows(ref).map((r) => r.cells)).toEqual([["20", ["x"]], ["3", []], ["4", []]]);
  });

  it("rolls back a failed transaction completely", () => {
    store.createTable(table());
    expect(() =>
      store.transaction(() => {
        store.appendRows(ref, [["1", []]]);
        store.createTable(table({ ref: { ...ref, tableId: "new" } }));
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(store.countRows(ref)).toBe(0);
    expect(store.getTable({ ...ref, tableId: "new" })).toBeUndefined();
  });

  it("keeps everything across close and reopen", () => {
    store.createTable(table({ description: "kept" }));
    store.appendRows(ref, [["1", ["a"]]], ["id-1"]);
    const version = store.tableVersion(ref);
    store.close();
    store = open();
    expect(store.getTable(ref)?.description).toBe("kept");
    expect(store.readRows(ref).map((r) => r.cells)).toEqual([["1", ["a"]]]);
    expect(store.appendRows(ref, [["1", ["a"]]], ["id-1"]).deduplicated).toBe(1);
    store.appendRows(ref, [["2", []]]);
    expect(store.tableVersion(ref)).toBeGreaterThan(version);
  });
});

describe("sqlite store ownership", () => {
  it("refuses a second opener of the same file with a clear message", () => {
    const dir = mkdtempSync(join(tmpdir(), "store-lock-"));
    const first = openStore(join(dir, "bq.sqlite"));
    try {
      expect(() => openStore(join(dir, "bq.sqlite"))).toThrow(/is in use by another local BigQuery process/);
    } finally {
      first.close();
    }
    const again = openStore(join(dir, "bq.sqlite"));
    again.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
