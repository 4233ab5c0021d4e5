/**
 * The Store on SQLite (better-sqlite3): one file holds datasets, table and view
 * metadata, rows and the insertId log.
 *
 * Durability: WAL journal with synchronous=FULL, so every committed transaction
 * is fsynced before the call returns; kill -9 after an acknowledged write loses nothing.
 * Rows are JSON arrays of canonical values (model.ts) keyed by a global
 * AUTOINCREMENT id: stable, never reused, and in insertion order.
 * The file is opened in exclusive locking mode: this process is its only user, so
 * table metadata is cached in memory.
 */
import Database from "better-sqlite3";
import { BigQueryError, duplicate, notFound } from "../errors";
import type { DatasetMeta, DatasetRef, Field, Row, TableMeta, TableRef } from "../model";
import type { InsertOutcome, RowChanges, Store, StoredRow } from "./store";

/**
 * How long an insertId is remembered per table. BigQuery documents "at least one
 * minute" of best-effort de-duplication; ten minutes also covers a client's
 * retries across a restart of the local BigQuery.
 */
export const DEFAULT_DEDUP_WINDOW_MS = 10 * 60 * 1000;

export interface StoreOptions {
  dedupWindowMs?: number;
  /** Clock in epoch milliseconds (tests move it to expire insertIds). */
  now?: () => number;
}

const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS datasets (
  project TEXT NOT NULL, dataset TEXT NOT NULL, meta TEXT NOT NULL,
  PRIMARY KEY (project, dataset)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tables (
  tid INTEGER PRIMARY KEY AUTOINCREMENT,
  project TEXT NOT NULL, dataset TEXT NOT NULL, name TEXT NOT NULL,
  meta TEXT NOT NULL, version INTEGER NOT NULL, last_modified INTEGER NOT NULL,
  UNIQUE (project, dataset, name)
);
CREATE TABLE IF NOT EXISTS rows (
  row_id INTEGER PRIMARY KEY AUTOINCREMENT,
  tid INTEGER NOT NULL, cells TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rows_by_table ON rows (tid, row_id);
CREATE TABLE IF NOT EXISTS insert_ids (
  tid INTEGER NOT NULL, insert_id TEXT NOT NULL, at INTEGER NOT NULL,
  PRIMARY KEY (tid, insert_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS insert_ids_by_age ON insert_ids (at);
`;

interface TableRecord {
  tid: number;
  meta: TableMeta;
  version: number;
}

interface TableRow {
  tid: number;
  meta: string;
  version: number;
  last_modified: number;
}

const tableKey = (ref: TableRef): string => `${ref.projectId}\u0000${ref.datasetId}\u0000${ref.tableId}`;
const datasetLabel = (ref: DatasetRef): string => `${ref.projectId}:${ref.datasetId}`;
const tableLabel = (ref: TableRef): string => `${ref.projectId}:${ref.datasetId}.${ref.tableId}`;

/** Pads a row written before columns were added (ALTER TABLE ADD COLUMN, tables.patch), records included. */
function padRow(cells: Value[], fields: Field[]): Value[] {
  if (cells.length > fields.length) return cells;
  const out = cells.length === fields.length ? cells : [...cells, ...new Array<null>(fields.length - cells.length).fill(null)];
  fields.forEach((f, i) => {
    if (f.type !== "RECORD" || !f.fields) return;
    const v = out[i];
    if (!Array.isArray(v)) {
      if (f.mode === "REPEATED" && v === null) out[i] = [];
      return;
    }
    if (f.mode === "REPEATED") out[i] = v.map((e) => (Array.isArray(e) ? padRow(e, f.fields as Field[]) : e));
    else out[i] = padRow(v, f.fields);
  });
  return out;
}
type Value = Row[number];

export function openStore(path: string, options: StoreOptions = {}): Store {
  return new SqliteStore(path, options);
}

class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly dedupWindowMs: number;
  private readonly cache = new Map<string, TableRecord | null>();
  private version: number;
  private lastPrune = 0;
  private readonly stmt;

  constructor(path: string, options: StoreOptions) {
    this.now = options.now ?? Date.now;
    this.dedupWindowMs = options.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS;
    this.db = new Database(path);
    try {
      // One process owns the file: the table cache below relies on it, and a second server gets a clear error.
      this.db.pragma("busy_timeout = 2000");
      this.db.pragma("locking_mode = EXCLUSIVE");
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = FULL");
      this.db.exec(SCHEMA_SQL);
    } catch (error) {
      this.db.close();
      if ((error as { code?: string }).code === "SQLITE_BUSY") {
        throw new Error(`The data file ${path} is in use by another local BigQuery process`);
      }
      throw error;
    }
    const db = this.db;
    this.stmt = {
      getDataset: db.prepare<[string, string], { meta: string }>("SELECT meta FROM datasets WHERE project = ? AND dataset = ?"),
      listDatasets: db.prepare<[string], { meta: string }>("SELECT meta FROM datasets WHERE project = ? ORDER BY dataset"),
      putDataset: db.prepare("INSERT OR REPLACE INTO datasets (project, dataset, meta) VALUES (?, ?, ?)"),
      deleteDataset: db.prepare("DELETE FROM datasets WHERE project = ? AND dataset = ?"),
      getTable: db.prepare<[string, string, string], TableRow>(
        "SELECT tid, meta, version, last_modified FROM tables WHERE project = ? AND dataset = ? AND name = ?",
      ),
      listTables: db.prepare<[string, string], TableRow>(
        "SELECT tid, meta, version, last_modified FROM tables WHERE project = ? AND dataset = ? ORDER BY name",
      ),
      countTables: db.prepare<[string, string], { n: number }>("SELECT COUNT(*) AS n FROM tables WHERE project = ? AND dataset = ?"),
      insertTable: db.prepare(
        "INSERT INTO tables (project, dataset, name, meta, version, last_modified) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      updateTable: db.prepare("UPDATE tables SET meta = ?, version = ?, last_modified = ? WHERE tid = ?"),
      touchTable: db.prepare("UPDATE tables SET version = ?, last_modified = ? WHERE tid = ?"),
      deleteTable: db.prepare("DELETE FROM tables WHERE tid = ?"),
      deleteTableRows: db.prepare("DELETE FROM rows WHERE tid = ?"),
      deleteTableIds: db.prepare("DELETE FROM insert_ids WHERE tid = ?"),
      maxVersion: db.prepare<[], { v: number | null }>("SELECT MAX(version) AS v FROM tables"),
      countRows: db.prepare<[number], { n: number }>("SELECT COUNT(*) AS n FROM rows WHERE tid = ?"),
      readRows: db.prepare<[number, number, number], { row_id: number; cells: string }>(
        "SELECT row_id, cells FROM rows WHERE tid = ? ORDER BY row_id LIMIT ? OFFSET ?",
      ),
      insertRow: db.prepare("INSERT INTO rows (tid, cells) VALUES (?, ?)"),
      updateRow: db.prepare("UPDATE rows SET cells = ? WHERE row_id = ? AND tid = ?"),
      deleteRow: db.prepare("DELETE FROM rows WHERE row_id = ? AND tid = ?"),
      // One statement per insertId: records it unless it was seen within the window (then changes = 0).
      claimId: db.prepare<[number, string, number, number]>(
        "INSERT INTO insert_ids (tid, insert_id, at) VALUES (?, ?, ?) ON CONFLICT (tid, insert_id) DO UPDATE SET at = excluded.at WHERE insert_ids.at < ?",
      ),
      pruneIds: db.prepare("DELETE FROM insert_ids WHERE at < ?"),
    };
    this.version = this.stmt.maxVersion.get()?.v ?? 0;
  }

  // ---- datasets ----

  getDataset(ref: DatasetRef): DatasetMeta | undefined {
    const row = this.stmt.getDataset.get(ref.projectId, ref.datasetId);
    return row ? (JSON.parse(row.meta) as DatasetMeta) : undefined;
  }

  listDatasets(projectId: string): DatasetMeta[] {
    return this.stmt.listDatasets.all(projectId).map((r) => JSON.parse(r.meta) as DatasetMeta);
  }

  createDataset(meta: DatasetMeta, opts: { ifNotExists?: boolean } = {}): boolean {
    return this.transaction(() => {
      if (this.getDataset(meta.ref)) {
        if (opts.ifNotExists) return false;
        throw duplicate(`Already Exists: Dataset ${datasetLabel(meta.ref)}`);
      }
      this.stmt.putDataset.run(meta.ref.projectId, meta.ref.datasetId, JSON.stringify(meta));
      return true;
    });
  }

  updateDataset(ref: DatasetRef, patch: Partial<Pick<DatasetMeta, "description" | "labels">>): DatasetMeta {
    return this.transaction(() => {
      const current = this.requireDataset(ref);
      const next: DatasetMeta = { ...current, ...stripUndefined(patch), lastModifiedTime: this.now() };
      this.stmt.putDataset.run(ref.projectId, ref.datasetId, JSON.stringify(next));
      return next;
    });
  }

  deleteDataset(ref: DatasetRef, opts: { deleteContents?: boolean; ifExists?: boolean } = {}): void {
    this.transaction(() => {
      if (!this.getDataset(ref)) {
        if (opts.ifExists) return;
        throw notFound(`Not found: Dataset ${datasetLabel(ref)}`);
      }
      const tables = this.stmt.listTables.all(ref.projectId, ref.datasetId);
      if (tables.length > 0 && !opts.deleteContents) {
        throw new BigQueryError("resourceInUse", `Dataset ${datasetLabel(ref)} is still in use`);
      }
      for (const t of tables) this.dropTableRow(t.tid);
      this.stmt.deleteDataset.run(ref.projectId, ref.datasetId);
    });
    this.cache.clear();
  }

  // ---- tables ----

  getTable(ref: TableRef): TableMeta | undefined {
    return this.record(ref)?.meta;
  }

  listTables(ref: DatasetRef): TableMeta[] {
    this.requireDataset(ref);
    return this.stmt.listTables.all(ref.projectId, ref.datasetId).map((r) => toRecord(r).meta);
  }

  createTable(meta: TableMeta, opts: { replace?: boolean; ifNotExists?: boolean; rows?: Row[] } = {}): boolean {
    const key = tableKey(meta.ref);
    try {
      return this.transaction(() => {
        this.requireDataset(meta.ref);
        const existing = this.record(meta.ref);
        if (existing) {
          if (opts.ifNotExists) return false;
          if (!opts.replace) throw duplicate(`Already Exists: Table ${tableLabel(meta.ref)}`);
          this.dropTableRow(existing.tid);
        }
        const version = this.nextVersion();
        const stored: TableMeta = { ...meta };
        const info = this.stmt.insertTable.run(
          meta.ref.projectId,
          meta.ref.datasetId,
          meta.ref.tableId,
          JSON.stringify(stored),
          version,
          meta.lastModifiedTime,
        );
        const tid = Number(info.lastInsertRowid);
        for (const row of opts.rows ?? []) this.stmt.insertRow.run(tid, JSON.stringify(row));
        return true;
      });
    } finally {
      this.cache.delete(key);
    }
  }

  updateTable(ref: TableRef, patch: Partial<Omit<TableMeta, "ref" | "type" | "creationTime">>): TableMeta {
    try {
      return this.transaction(() => {
        const rec = this.requireTable(ref);
        const next: TableMeta = { ...rec.meta, ...stripUndefined(patch) };
        next.lastModifiedTime = patch.lastModifiedTime ?? this.now();
        this.stmt.updateTable.run(JSON.stringify(next), this.nextVersion(), next.lastModifiedTime, rec.tid);
        return next;
      });
    } finally {
      this.cache.delete(tableKey(ref));
    }
  }

  deleteTable(ref: TableRef, opts: { ifExists?: boolean } = {}): void {
    try {
      this.transaction(() => {
        const rec = this.record(ref);
        if (!rec) {
          if (opts.ifExists) return;
          throw notFound(`Not found: Table ${tableLabel(ref)}`);
        }
        this.dropTableRow(rec.tid);
      });
    } finally {
      this.cache.delete(tableKey(ref));
    }
  }

  // ---- rows ----

  countRows(ref: TableRef): number {
    return this.stmt.countRows.get(this.requireTable(ref).tid)?.n ?? 0;
  }

  readRows(ref: TableRef, opts: { offset?: number; limit?: number } = {}): StoredRow[] {
    const rec = this.requireTable(ref);
    const limit = opts.limit ?? -1;
    const rows = this.stmt.readRows.all(rec.tid, limit, opts.offset ?? 0);
    const fields = rec.meta.schema;
    return rows.map((r) => ({ rowId: r.row_id, cells: padRow(JSON.parse(r.cells) as Row, fields) }));
  }

  tableVersion(ref: TableRef): number {
    return this.requireTable(ref).version;
  }

  appendRows(ref: TableRef, rows: Row[], insertIds?: (string | undefined)[]): InsertOutcome {
    try {
      return this.transaction(() => {
        const rec = this.requireTable(ref);
        const now = this.now();
        const since = now - this.dedupWindowMs;
        this.pruneInsertIds(now);
        let inserted = 0;
        let deduplicated = 0;
        rows.forEach((row, i) => {
          const id = insertIds?.[i];
          if (id !== undefined && id !== "" && this.stmt.claimId.run(rec.tid, id, now, since).changes === 0) {
            deduplicated++;
            return;
          }
          this.stmt.insertRow.run(rec.tid, JSON.stringify(row));
          inserted++;
        });
        if (inserted > 0) this.touch(rec, now);
        return { inserted, deduplicated };
      });
    } finally {
      this.cache.delete(tableKey(ref));
    }
  }

  appendGroup(appends: readonly { ref: TableRef; rows: Row[]; insertIds?: (string | undefined)[] }[]): (InsertOutcome | Error)[] {
    return this.transaction(() =>
      appends.map((a) => {
        try {
          return this.appendRows(a.ref, a.rows, a.insertIds);
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    );
  }

  applyChanges(ref: TableRef, changes: RowChanges): void {
    try {
      this.transaction(() => {
        const rec = this.requireTable(ref);
        for (const id of changes.deleteRowIds ?? []) this.stmt.deleteRow.run(id, rec.tid);
        for (const u of changes.updates ?? []) this.stmt.updateRow.run(JSON.stringify(u.cells), u.rowId, rec.tid);
        for (const row of changes.inserts ?? []) this.stmt.insertRow.run(rec.tid, JSON.stringify(row));
        this.touch(rec, this.now());
      });
    } finally {
      this.cache.delete(tableKey(ref));
    }
  }

  transaction<T>(fn: () => T): T {
    // better-sqlite3 nests transactions as savepoints, so store methods compose inside a caller's transaction.
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // ---- internals ----

  private record(ref: TableRef): TableRecord | undefined {
    const key = tableKey(ref);
    // Inside an open transaction the cache may hold uncommitted state that a rollback undoes: bypass it.
    if (!this.db.inTransaction) {
      const hit = this.cache.get(key);
      if (hit !== undefined) return hit ?? undefined;
    }
    const row = this.stmt.getTable.get(ref.projectId, ref.datasetId, ref.tableId);
    const rec = row ? toRecord(row) : undefined;
    if (!this.db.inTransaction) this.cache.set(key, rec ?? null);
    return rec;
  }

  private requireDataset(ref: DatasetRef): DatasetMeta {
    const ds = this.getDataset(ref);
    if (!ds) throw notFound(`Not found: Dataset ${datasetLabel(ref)}`);
    return ds;
  }

  private requireTable(ref: TableRef): TableRecord {
    const rec = this.record(ref);
    if (!rec) {
      if (!this.getDataset(ref)) throw notFound(`Not found: Dataset ${datasetLabel(ref)}`);
      throw notFound(`Not found: Table ${tableLabel(ref)}`);
    }
    return rec;
  }

  private dropTableRow(tid: number): void {
    this.stmt.deleteTableRows.run(tid);
    this.stmt.deleteTableIds.run(tid);
    this.stmt.deleteTable.run(tid);
  }

  private touch(rec: TableRecord, now: number): void {
    this.stmt.touchTable.run(this.nextVersion(), now, rec.tid);
  }

  /** Versions come from one counter for all tables, so a replaced table never repeats an old version. */
  private nextVersion(): number {
    this.version += 1;
    return this.version;
  }

  private pruneInsertIds(now: number): void {
    if (now - this.lastPrune < 10_000) return;
    this.lastPrune = now;
    this.stmt.pruneIds.run(now - this.dedupWindowMs);
  }
}

function toRecord(row: TableRow): TableRecord {
  const meta = JSON.parse(row.meta) as TableMeta;
  meta.lastModifiedTime = row.last_modified;
  return { tid: row.tid, meta, version: row.version };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
