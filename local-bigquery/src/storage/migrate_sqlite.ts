/**
 * Upgrades a data directory written by the SQLite store (`bigquery.sqlite`, before the DuckDB
 * store): every dataset, table, view and row moves into a new DuckDB file. The new file is
 * written aside and renamed into place only after every table's row count matched; the SQLite
 * file is then kept, renamed, as a backup. A failed migration changes nothing.
 */
import { existsSync, renameSync, rmSync } from "node:fs";
import Database from "better-sqlite3";
import type { DatasetMeta, Field, Row, TableMeta, Value } from "../model";
import { openStore } from "./duckdb_store";

/** The old store's file in a data directory, and what it becomes once migrated. */
export const SQLITE_FILE = "bigquery.sqlite";
export const MIGRATED_SUFFIX = ".migrated";

const BATCH = 10_000;

/** Pads a row written before columns were added (the SQLite store kept rows as they were written). */
function padRow(cells: Value[], fields: Field[]): Value[] {
  const out = cells.length >= fields.length ? cells : [...cells, ...new Array<null>(fields.length - cells.length).fill(null)];
  return fields.map((f, i) => {
    const v = out[i] ?? null;
    if (f.type !== "RECORD" || !f.fields) return f.mode === "REPEATED" && v === null ? [] : v;
    if (!Array.isArray(v)) return f.mode === "REPEATED" ? [] : v;
    const sub = f.fields;
    return f.mode === "REPEATED" ? v.map((e) => (Array.isArray(e) ? padRow(e, sub) : e)) : padRow(v, sub);
  });
}

export interface MigrationReport {
  datasets: number;
  tables: number;
  rows: number;
}

/** Moves sqlitePath's contents into a new DuckDB file at duckdbPath. */
export async function migrateSqlite(sqlitePath: string, duckdbPath: string): Promise<MigrationReport> {
  const aside = `${duckdbPath}.migrating`;
  for (const leftover of [aside, `${aside}.wal`]) rmSync(leftover, { force: true });
  // Read-write, so SQLite replays a write-ahead log left by a server that was killed.
  const db = new Database(sqlitePath, { fileMustExist: true });
  const report: MigrationReport = { datasets: 0, tables: 0, rows: 0 };
  try {
    const store = await openStore(aside);
    try {
      for (const { meta } of db.prepare<[], { meta: string }>("SELECT meta FROM datasets ORDER BY project, dataset").all()) {
        await store.createDataset(JSON.parse(meta) as DatasetMeta);
        report.datasets++;
      }
      const tables = db.prepare<[], { tid: number; meta: string; last_modified: number }>("SELECT tid, meta, last_modified FROM tables ORDER BY tid").all();
      const readRows = db.prepare<[number, number, number], { row_id: number; cells: string }>(
        "SELECT row_id, cells FROM rows WHERE tid = ? AND row_id > ? ORDER BY row_id LIMIT ?",
      );
      const countRows = db.prepare<[number], { n: number }>("SELECT COUNT(*) AS n FROM rows WHERE tid = ?");
      for (const table of tables) {
        const meta = { ...(JSON.parse(table.meta) as TableMeta), lastModifiedTime: table.last_modified };
        await store.createTable(meta);
        report.tables++;
        if (meta.type !== "TABLE") continue;
        let after = 0;
        for (;;) {
          const batch = readRows.all(table.tid, after, BATCH);
          if (batch.length === 0) break;
          after = batch[batch.length - 1].row_id;
          await store.appendRows(meta.ref, batch.map((r) => padRow(JSON.parse(r.cells) as Row, meta.schema)));
        }
        const expected = countRows.get(table.tid)?.n ?? 0;
        const stored = store.stats(meta.ref).rows;
        if (stored !== expected) throw new Error(`table ${meta.ref.datasetId}.${meta.ref.tableId}: ${stored} rows migrated of ${expected}`);
        report.rows += stored;
      }
    } finally {
      await store.close();
    }
  } catch (error) {
    rmSync(aside, { force: true });
    rmSync(`${aside}.wal`, { force: true });
    throw error;
  } finally {
    db.close();
  }
  renameSync(aside, duckdbPath);
  if (existsSync(`${aside}.wal`)) renameSync(`${aside}.wal`, `${duckdbPath}.wal`);
  for (const suffix of ["", "-wal", "-shm"]) {
    if (existsSync(sqlitePath + suffix)) renameSync(sqlitePath + suffix, `${sqlitePath}${MIGRATED_SUFFIX}${suffix}`);
  }
  return report;
}
