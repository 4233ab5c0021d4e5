/**
 * Upgrading a data directory of the SQLite store (before the DuckDB store): on first start every
 * dataset, table, view and row moves to DuckDB, and the old file stays as a backup.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { STORE_FILE } from "../src/index";
import type { DatasetMeta, Row, TableMeta } from "../src/model";
import { startForTest } from "./support/local_bigquery";

const PROJECT = "local-project";

/** The SQLite store's layout, as it wrote it: metadata as JSON, rows as JSON arrays of canonical cells. */
const OLD_SCHEMA = `
CREATE TABLE datasets (project TEXT NOT NULL, dataset TEXT NOT NULL, meta TEXT NOT NULL, PRIMARY KEY (project, dataset)) WITHOUT ROWID;
CREATE TABLE tables (tid INTEGER PRIMARY KEY AUTOINCREMENT, project TEXT NOT NULL, dataset TEXT NOT NULL, name TEXT NOT NULL,
  meta TEXT NOT NULL, version INTEGER NOT NULL, last_modified INTEGER NOT NULL, UNIQUE (project, dataset, name));
CREATE TABLE rows (row_id INTEGER PRIMARY KEY AUTOINCREMENT, tid INTEGER NOT NULL, cells TEXT NOT NULL);
CREATE INDEX rows_by_table ON rows (tid, row_id);
CREATE TABLE insert_ids (tid INTEGER NOT NULL, insert_id TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (tid, insert_id)) WITHOUT ROWID;
`;

const dataset: DatasetMeta = { ref: { projectId: PROJECT, datasetId: "shop" }, location: "US", description: "old shop", creationTime: 1, lastModifiedTime: 1 };
const orders: TableMeta = {
  ref: { projectId: PROJECT, datasetId: "shop", tableId: "orders" },
  type: "TABLE",
  description: "kept",
  schema: [
    { name: "id", type: "STRING", mode: "REQUIRED" },
    { name: "n", type: "INTEGER", mode: "NULLABLE" },
    { name: "at", type: "TIMESTAMP", mode: "NULLABLE" },
    { name: "tags", type: "STRING", mode: "REPEATED" },
    { name: "item", type: "RECORD", mode: "NULLABLE", fields: [{ name: "sku", type: "STRING", mode: "NULLABLE" }, { name: "price", type: "NUMERIC", mode: "NULLABLE" }] },
    // Added after the first rows were written: those rows are shorter than the schema.
    { name: "note", type: "STRING", mode: "NULLABLE" },
  ],
  clustering: ["id"],
  creationTime: 2,
  lastModifiedTime: 2,
};
const paid: TableMeta = {
  ref: { projectId: PROJECT, datasetId: "shop", tableId: "big_orders" },
  type: "VIEW",
  schema: [{ name: "id", type: "STRING", mode: "NULLABLE" }],
  viewQuery: "SELECT id FROM shop.orders WHERE n >= 1000",
  creationTime: 3,
  lastModifiedTime: 3,
};

const ROWS = 30_000;
const oldRow = (i: number): Row => {
  const row: Row = [`o-${i}`, String(i), String(1_735_689_600_000_000 + i), i % 2 ? ["a", "b"] : [], i % 3 ? [`sku-${i}`, "12.5"] : null];
  return i < ROWS / 2 ? row : [...row, `note ${i}`];
};

function writeOldDirectory(dir: string): void {
  const db = new Database(join(dir, "bigquery.sqlite"));
  db.exec(OLD_SCHEMA);
  db.prepare("INSERT INTO datasets VALUES (?, ?, ?)").run(PROJECT, "shop", JSON.stringify(dataset));
  const table = db.prepare("INSERT INTO tables (project, dataset, name, meta, version, last_modified) VALUES (?, ?, ?, ?, ?, ?)");
  const tid = Number(table.run(PROJECT, "shop", "orders", JSON.stringify(orders), 1, 1_700_000_000_000).lastInsertRowid);
  table.run(PROJECT, "shop", "big_orders", JSON.stringify(paid), 2, 3);
  const insert = db.prepare("INSERT INTO rows (tid, cells) VALUES (?, ?)");
  db.transaction(() => {
    for (let i = 0; i < ROWS; i++) insert.run(tid, JSON.stringify(oldRow(i)));
  })();
  db.close();
}

describe("upgrading a SQLite data directory", () => {
  it("moves every dataset, table, view and row to DuckDB on first start, and keeps the old file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "migrate-"));
    writeOldDirectory(dir);
    const first = await startForTest(dir);
    try {
      expect(existsSync(join(dir, STORE_FILE))).toBe(true);
      expect(existsSync(join(dir, "bigquery.sqlite"))).toBe(false);
      expect(existsSync(join(dir, "bigquery.sqlite.migrated"))).toBe(true);
      const [meta] = await first.bq.dataset("shop").getMetadata();
      expect(meta.description).toBe("old shop");
      const [table] = await first.bq.dataset("shop").table("orders").getMetadata();
      expect(table).toMatchObject({ description: "kept", numRows: String(ROWS), clustering: { fields: ["id"] } });
      const [rows] = await first.bq.query({
        query: "SELECT COUNT(*) AS n, COUNTIF(note IS NULL) AS short, SUM(n) AS total, COUNTIF(item.price = 12.5) AS priced, SUM(ARRAY_LENGTH(tags)) AS tags FROM shop.orders",
      });
      expect(rows).toEqual([{ n: ROWS, short: ROWS / 2, total: (ROWS * (ROWS - 1)) / 2, priced: ROWS - ROWS / 3, tags: ROWS }]);
      const [sample] = await first.bq.query("SELECT id, n, tags, item, note FROM shop.orders WHERE id IN ('o-1', 'o-29999') ORDER BY n");
      expect(sample).toEqual([
        { id: "o-1", n: 1, tags: ["a", "b"], item: { sku: "sku-1", price: expect.anything() }, note: null },
        { id: "o-29999", n: 29999, tags: ["a", "b"], item: { sku: "sku-29999", price: expect.anything() }, note: "note 29999" },
      ]);
      const [big] = await first.bq.query("SELECT COUNT(*) AS n FROM shop.big_orders");
      expect(big).toEqual([{ n: ROWS - 1000 }]);
    } finally {
      await first.server.stop();
    }
    // A second start opens the DuckDB file; nothing migrates again and nothing changed.
    const second = await startForTest(dir);
    try {
      const [[{ n }]] = await second.bq.query("SELECT COUNT(*) AS n FROM shop.orders");
      expect(n).toBe(ROWS);
    } finally {
      await second.server.stop();
    }
  });

  it("refuses to start on a damaged SQLite file, saying why, and changes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "migrate-bad-"));
    writeFileSync(join(dir, "bigquery.sqlite"), "this is not a database");
    await expect(startForTest(dir)).rejects.toThrow(/bigquery\.sqlite \(the SQLite store of earlier versions\) could not be migrated to DuckDB: file is not a database\. Nothing was changed/);
    expect(existsSync(join(dir, "bigquery.sqlite"))).toBe(true);
    expect(existsSync(join(dir, STORE_FILE))).toBe(false);
  });
});
