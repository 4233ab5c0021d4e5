/**
 * The Store on DuckDB: one database file holds the catalog (schema `lbq`: datasets, tables and
 * views with their metadata as JSON, and a write log of data changes and insertIds) and every table's
 * rows as a typed DuckDB table (schema `data`, one table `t<tid>` per BigQuery table; see
 * table_layout.ts). The catalog is read once at start and kept in memory: this process owns the
 * file (DuckDB locks it).
 *
 * Durability: every write is one DuckDB transaction, and DuckDB fsyncs its write-ahead log at
 * commit, so kill -9 after an acknowledged write loses nothing. Concurrency: queries read
 * committed snapshots without locks; appends share a table, DDL and DML take it alone
 * (locks.ts); catalog changes are serialised, writes to different tables are not.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { cellAppender, toCell, type CellAppender } from "../engine/duckdb/cells";
import { quoteIdent } from "../engine/duckdb/types";
import { typeOf } from "../engine/types";
import { BigQueryError, duplicate, notFound } from "../errors";
import { columnBytes, valueBytesSql } from "../execution/bytes_estimate";
import type { DatasetMeta, DatasetRef, Field, RoutineMeta, RoutineRef, Row, TableMeta, TableRef } from "../model";
import { ConnectionPool } from "./duckdb_connections";
import { DEFAULT_DEDUP_WINDOW_MS, InsertIdWindow, PendingClaims } from "./insert_ids";
import { TableLocks } from "./locks";
import type { Append, InsertOutcome, ReadTransaction, RowChanges, Store, StoredRow, TableStats, WriteTransaction } from "./store";
import { RoutineCatalog } from "./routine_catalog";
import { PLACEHOLDER_COLUMN, alterTableSql, clusterIndexSql, createTableSql } from "./table_layout";
import { PARTITION_DATE, PARTITION_TIME, ensureIngestionColumns, ingestionColumnsSql, ingestionSelectSql, ingestionUnit } from "./ingestion_time";

export interface StoreOptions {
  dedupWindowMs?: number;
  /** Clock in epoch milliseconds (tests move it to expire insertIds). */
  now?: () => number;
  /** DuckDB worker threads (default: one per core). */
  threads?: number;
}

const CATALOG_SQL = [
  "CREATE SCHEMA IF NOT EXISTS lbq",
  "CREATE SCHEMA IF NOT EXISTS data",
  "CREATE TABLE IF NOT EXISTS lbq.datasets (project VARCHAR NOT NULL, dataset VARCHAR NOT NULL, meta VARCHAR NOT NULL)",
  "CREATE TABLE IF NOT EXISTS lbq.tables (tid BIGINT NOT NULL, project VARCHAR NOT NULL, dataset VARCHAR NOT NULL, name VARCHAR NOT NULL, meta VARCHAR NOT NULL)",
  // The write log, appended in each data change's transaction (appends never conflict; an UPDATE of
  // lbq.tables would): one row per table changed (insert_id NULL), so lastModifiedTime survives a
  // restart, and one per table with the insertIds it claimed (insert_ids, a JSON array), so the
  // de-duplication window does too. Data directories from before insert_ids hold one row per
  // insertId (insert_id); they are still read, and expire as the window passes.
  "CREATE TABLE IF NOT EXISTS lbq.writes (tid BIGINT NOT NULL, insert_id VARCHAR, written_at BIGINT NOT NULL)",
  "ALTER TABLE lbq.writes ADD COLUMN IF NOT EXISTS insert_ids VARCHAR",
];

/** Rows of the write log that carry insertIds (either form), rather than only marking a change. */
const ID_ROWS = "(insert_id IS NOT NULL OR insert_ids IS NOT NULL)";

interface TableRecord {
  tid: number;
  meta: TableMeta;
  version: number;
  stats: TableStats;
}

const tableKey = (ref: TableRef): string => `${ref.projectId}.${ref.datasetId}.${ref.tableId}`;
const datasetKey = (ref: DatasetRef): string => `${ref.projectId}.${ref.datasetId}`;
const datasetLabel = (ref: DatasetRef): string => `${ref.projectId}:${ref.datasetId}`;
const tableLabel = (ref: TableRef): string => `${ref.projectId}:${ref.datasetId}.${ref.tableId}`;
const relationOf = (tid: number): string => `data.t${tid}`;
const byName = <T>(name: (item: T) => string) => (a: T, b: T): number => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
/** The lock of the catalog itself: dataset changes, and every table creation or removal. */
const CATALOG = "\u0000catalog";

/** Opens (or creates) the store in a DuckDB file, or in memory for ":memory:". */
export async function openStore(path: string, options: StoreOptions = {}): Promise<Store> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, options.threads ? { threads: String(options.threads) } : {});
  } catch (error) {
    const message = (error as Error).message;
    if (/lock/i.test(message)) throw new Error(`The data file ${path} is in use by another local BigQuery process (${message})`);
    throw error;
  }
  const store = new DuckDbStore(instance, options);
  try {
    await store.load();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

class DuckDbStore implements Store {
  private readonly pool: ConnectionPool;
  private readonly locks = new TableLocks();
  private readonly now: () => number;
  private readonly ids: InsertIdWindow;
  private readonly datasets = new Map<string, DatasetMeta>();
  private readonly tables = new Map<string, TableRecord>();
  private readonly routines = new RoutineCatalog();
  private nextTid = 1;
  private version = 0;
  private lastPrune = 0;

  constructor(
    private readonly instance: DuckDBInstance,
    options: StoreOptions,
  ) {
    this.pool = new ConnectionPool(instance);
    this.now = options.now ?? Date.now;
    this.ids = new InsertIdWindow(options.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS, this.now);
  }

  /** Reads the catalog into memory, and each table's statistics from its rows. */
  async load(): Promise<void> {
    await this.pool.use(async (c) => {
      for (const sql of CATALOG_SQL) await c.run(sql);
      await this.routines.load(c);
      for (const [meta] of await rows(c, "SELECT meta FROM lbq.datasets")) {
        const ds = JSON.parse(meta as string) as DatasetMeta;
        this.datasets.set(datasetKey(ds.ref), ds);
      }
      const modified = new Map((await rows(c, "SELECT tid, max(written_at) FROM lbq.writes GROUP BY tid")).map(([tid, at]) => [Number(tid), Number(at)]));
      for (const [tid, meta] of await rows(c, "SELECT tid, meta FROM lbq.tables")) {
        const record: TableRecord = { tid: Number(tid), meta: JSON.parse(meta as string) as TableMeta, version: ++this.version, stats: { rows: 0, columnBytes: [] } };
        record.meta.lastModifiedTime = Math.max(record.meta.lastModifiedTime, modified.get(record.tid) ?? 0);
        if (record.meta.type === "TABLE") record.stats = await statsOf(c, relationOf(record.tid), record.meta.schema);
        const unit = ingestionUnit(record.meta);
        if (unit) {
          await c.run("BEGIN");
          await ensureIngestionColumns(c, relationOf(record.tid), record.meta, unit, record.meta.lastModifiedTime, `t${record.tid}_cluster`);
          await c.run("COMMIT");
        }
        this.tables.set(tableKey(record.meta.ref), record);
        this.nextTid = Math.max(this.nextTid, record.tid + 1);
      }
      const cutoff = this.ids.cutoff();
      const logged = await rows(c, `SELECT tid, insert_id, insert_ids, written_at FROM lbq.writes WHERE ${ID_ROWS} AND written_at >= $1 ORDER BY written_at`, [BigInt(cutoff)]);
      for (const [tid, id, ids, at] of logged) {
        const claimed = ids === null ? [id as string] : (JSON.parse(ids as string) as string[]);
        this.ids.commit(claimed.map((claim) => ({ tid: Number(tid), id: claim })), Number(at));
      }
      // Compact the log: insertIds the window forgot, and all but the last change of each table.
      await c.run(
        `DELETE FROM lbq.writes WHERE (${ID_ROWS} AND written_at < $1) OR (NOT ${ID_ROWS} AND written_at < (SELECT max(w.written_at) FROM lbq.writes w WHERE w.tid = lbq.writes.tid))`,
        [BigInt(cutoff)],
      );
    });
  }

  // ---- datasets ----

  getDataset(ref: DatasetRef): DatasetMeta | undefined {
    return this.datasets.get(datasetKey(ref));
  }

  listDatasets(projectId: string): DatasetMeta[] {
    return [...this.datasets.values()].filter((d) => d.ref.projectId === projectId).sort(byName((d) => d.ref.datasetId));
  }

  async createDataset(meta: DatasetMeta, opts: { ifNotExists?: boolean } = {}): Promise<boolean> {
    return this.catalogChange([], async (c) => {
      if (this.getDataset(meta.ref)) {
        if (opts.ifNotExists) return { result: false };
        throw duplicate(`Already Exists: Dataset ${datasetLabel(meta.ref)}`);
      }
      await c.run("INSERT INTO lbq.datasets VALUES ($1, $2, $3)", [meta.ref.projectId, meta.ref.datasetId, JSON.stringify(meta)]);
      return { result: true, after: () => void this.datasets.set(datasetKey(meta.ref), meta) };
    });
  }

  async updateDataset(ref: DatasetRef, patch: Partial<Pick<DatasetMeta, "description" | "labels">>): Promise<DatasetMeta> {
    return this.catalogChange([], async (c) => {
      const next: DatasetMeta = { ...this.requireDataset(ref), ...stripUndefined(patch), lastModifiedTime: this.now() };
      await c.run("UPDATE lbq.datasets SET meta = $3 WHERE project = $1 AND dataset = $2", [ref.projectId, ref.datasetId, JSON.stringify(next)]);
      return { result: next, after: () => void this.datasets.set(datasetKey(ref), next) };
    });
  }

  async deleteDataset(ref: DatasetRef, opts: { deleteContents?: boolean; ifExists?: boolean } = {}): Promise<void> {
    const keys = [...this.tables.values()].filter((t) => datasetKey(t.meta.ref) === datasetKey(ref)).map((t) => tableKey(t.meta.ref));
    return this.catalogChange(keys, async (c) => {
      if (!this.getDataset(ref)) {
        if (opts.ifExists) return { result: undefined };
        throw notFound(`Not found: Dataset ${datasetLabel(ref)}`);
      }
      const contents = this.listTables(ref);
      const inUse = contents.length > 0 || this.routines.list(ref).length > 0;
      if (inUse && !opts.deleteContents) throw new BigQueryError("resourceInUse", `Dataset ${datasetLabel(ref)} is still in use`);
      const dropped = contents.map((t) => this.tables.get(tableKey(t.ref)) as TableRecord);
      for (const record of dropped) await this.dropTableSql(c, record);
      const forgetRoutines = await this.routines.deleteDataset(c, ref);
      await c.run("DELETE FROM lbq.datasets WHERE project = $1 AND dataset = $2", [ref.projectId, ref.datasetId]);
      return {
        result: undefined,
        after: () => {
          forgetRoutines();
          for (const record of dropped) this.forget(record);
          this.datasets.delete(datasetKey(ref));
        },
      };
    });
  }

  // ---- tables ----

  getTable(ref: TableRef): TableMeta | undefined {
    return this.tables.get(tableKey(ref))?.meta;
  }

  listTables(ref: DatasetRef): TableMeta[] {
    this.requireDataset(ref);
    return [...this.tables.values()]
      .filter((t) => datasetKey(t.meta.ref) === datasetKey(ref))
      .map((t) => t.meta)
      .sort(byName((t) => t.ref.tableId));
  }

  async createTable(
    meta: TableMeta,
    opts: { replace?: boolean; ifNotExists?: boolean; rows?: Row[]; fill?: (tx: WriteTransaction) => Promise<void> } = {},
  ): Promise<boolean> {
    return this.catalogChange([tableKey(meta.ref)], async (c) => {
      this.requireDataset(meta.ref);
      const existing = this.tables.get(tableKey(meta.ref));
      if (existing) {
        if (opts.ifNotExists) return { result: false };
        if (!opts.replace) throw duplicate(`Already Exists: Table ${tableLabel(meta.ref)}`);
        await this.dropTableSql(c, existing);
      }
      const record: TableRecord = { tid: this.nextTid++, meta: { ...meta }, version: ++this.version, stats: { rows: 0, columnBytes: meta.schema.map(() => 0) } };
      if (meta.type === "TABLE") {
        const unit = ingestionUnit(meta);
        await c.run(createTableSql(relationOf(record.tid), meta.schema, unit ? ingestionColumnsSql(unit) : []));
        const index = clusterIndexSql(relationOf(record.tid), `t${record.tid}_cluster`, meta);
        if (index) await c.run(index);
        if (opts.rows && opts.rows.length > 0) await appendRows(c, record.tid, meta, opts.rows);
        if (opts.fill) {
          // The table is not in the catalog yet: the transaction names it by its new relation.
          const pending = new Map([[tableKey(meta.ref), record]]);
          await opts.fill(this.transaction(c, pending));
        }
        if (opts.rows || opts.fill) record.stats = await statsOf(c, relationOf(record.tid), meta.schema);
      }
      await c.run("INSERT INTO lbq.tables VALUES ($1, $2, $3, $4, $5)", [
        BigInt(record.tid),
        meta.ref.projectId,
        meta.ref.datasetId,
        meta.ref.tableId,
        JSON.stringify(meta),
      ]);
      return {
        result: true,
        after: () => {
          if (existing) this.forget(existing);
          this.tables.set(tableKey(meta.ref), record);
        },
      };
    });
  }

  async updateTable(ref: TableRef, patch: Partial<Omit<TableMeta, "ref" | "type" | "creationTime">>): Promise<TableMeta> {
    return this.catalogChange([tableKey(ref)], async (c) => {
      const record = this.requireTable(ref);
      const next: TableMeta = { ...record.meta, ...stripUndefined(patch) };
      next.lastModifiedTime = patch.lastModifiedTime ?? this.now();
      const statements = record.meta.type === "TABLE" && patch.schema ? alterTableSql(relationOf(record.tid), record.meta.schema, patch.schema) : [];
      await this.alter(c, record, next, statements);
      const unit = ingestionUnit(next);
      if (unit) await ensureIngestionColumns(c, relationOf(record.tid), next, unit, this.now(), `t${record.tid}_cluster`);
      await c.run("UPDATE lbq.tables SET meta = $2 WHERE tid = $1", [BigInt(record.tid), JSON.stringify(next)]);
      return {
        result: next,
        after: () => {
          const columnBytes = next.schema.map((_, i) => record.stats.columnBytes[i] ?? 0);
          this.tables.set(tableKey(ref), { ...record, meta: next, version: ++this.version, stats: { ...record.stats, columnBytes } });
        },
      };
    });
  }

  async rewriteTable(ref: TableRef, patch: Partial<Omit<TableMeta, "ref" | "type" | "creationTime">>, statements: (relation: string) => string[]): Promise<TableMeta> {
    return this.catalogChange([tableKey(ref)], async (c) => {
      const record = this.requireTable(ref);
      const next: TableMeta = { ...record.meta, ...stripUndefined(patch), lastModifiedTime: this.now() };
      await this.alter(c, record, next, record.meta.type === "TABLE" ? statements(relationOf(record.tid)) : []);
      const stats = record.meta.type === "TABLE" ? await statsOf(c, relationOf(record.tid), next.schema) : record.stats;
      await c.run("UPDATE lbq.tables SET meta = $2 WHERE tid = $1", [BigInt(record.tid), JSON.stringify(next)]);
      return { result: next, after: () => void this.tables.set(tableKey(ref), { ...record, meta: next, stats, version: ++this.version }) };
    });
  }

  async renameTable(from: TableRef, to: TableRef): Promise<TableMeta> {
    return this.catalogChange([tableKey(from), tableKey(to)], async (c) => {
      const record = this.requireTable(from);
      this.requireDataset(to);
      if (this.tables.has(tableKey(to))) throw duplicate(`Already Exists: Table ${tableLabel(to)}`);
      const next: TableMeta = { ...record.meta, ref: { ...to }, lastModifiedTime: this.now() };
      await c.run("UPDATE lbq.tables SET project = $2, dataset = $3, name = $4, meta = $5 WHERE tid = $1", [
        BigInt(record.tid),
        to.projectId,
        to.datasetId,
        to.tableId,
        JSON.stringify(next),
      ]);
      return {
        result: next,
        after: () => {
          this.tables.delete(tableKey(from));
          this.tables.set(tableKey(to), { ...record, meta: next, version: ++this.version });
        },
      };
    });
  }

  /**
   * Runs ALTER statements on a table's relation and keeps its clustering index as `next` says.
   * DuckDB refuses most ALTERs of a table that has an index (all but a plain top-level ADD COLUMN),
   * so for those the index is dropped first and rebuilt after.
   */
  private async alter(c: DuckDBConnection, record: TableRecord, next: TableMeta, statements: string[]): Promise<void> {
    if (record.meta.type !== "TABLE") return;
    const indexName = `t${record.tid}_cluster`;
    const relation = relationOf(record.tid);
    const rebuild = statements.some((sql) => !/^ALTER TABLE \S+ ADD COLUMN "[^"]*(?:""[^"]*)*" /.test(sql));
    if (rebuild) await c.run(`DROP INDEX IF EXISTS data.${quoteIdent(indexName)}`);
    for (const sql of statements) await c.run(sql);
    const index = clusterIndexSql(relation, indexName, next);
    if (index) await c.run(index);
  }

  async deleteTable(ref: TableRef, opts: { ifExists?: boolean } = {}): Promise<void> {
    return this.catalogChange([tableKey(ref)], async (c) => {
      const record = this.tables.get(tableKey(ref));
      if (!record) {
        if (opts.ifExists) return { result: undefined };
        this.requireDataset(ref);
        throw notFound(`Not found: Table ${tableLabel(ref)}`);
      }
      await this.dropTableSql(c, record);
      return { result: undefined, after: () => this.forget(record) };
    });
  }

  // ---- routines ----

  getRoutine(ref: RoutineRef): RoutineMeta | undefined {
    return this.routines.get(ref);
  }

  listRoutines(ref: DatasetRef): RoutineMeta[] {
    this.requireDataset(ref);
    return this.routines.list(ref);
  }

  async putRoutine(meta: RoutineMeta, opts: { replace?: boolean; ifNotExists?: boolean } = {}): Promise<boolean> {
    return this.catalogChange([], async (c) => {
      this.requireDataset(meta.ref);
      return this.routines.put(c, meta, opts);
    });
  }

  async deleteRoutine(ref: RoutineRef, opts: { ifExists?: boolean } = {}): Promise<boolean> {
    return this.catalogChange([], async (c) => {
      if (!opts.ifExists) this.requireDataset(ref);
      return this.routines.delete(c, ref, opts);
    });
  }

  // ---- rows ----

  stats(ref: TableRef): TableStats {
    return this.requireTable(ref).stats;
  }

  tableVersion(ref: TableRef): number {
    return this.requireTable(ref).version;
  }

  async readRows(ref: TableRef, opts: { offset?: number; limit?: number } = {}): Promise<StoredRow[]> {
    const record = this.requireTable(ref);
    return this.pool.use((c) => readStoredRows(c, relationOf(record.tid), record.meta, opts));
  }

  async appendRows(ref: TableRef, rows: Row[], insertIds?: (string | undefined)[]): Promise<InsertOutcome> {
    const [outcome] = await this.appendGroup([{ ref, rows, insertIds }]);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  async appendGroup(appends: readonly Append[]): Promise<(InsertOutcome | Error)[]> {
    const keys = appends.map((a) => tableKey(a.ref));
    try {
      return await this.locks.run(keys, "shared", () => this.pool.use((c) => this.appendInTransaction(c, appends)));
    } catch (error) {
      // One append broke the transaction (DuckDB has no savepoints): give each its own.
      if (appends.length === 1 || error instanceof CommitFailed) throw error instanceof CommitFailed ? error.cause : error;
      return Promise.all(appends.map((a) => this.appendRows(a.ref, a.rows, a.insertIds).catch((e: unknown) => toError(e))));
    }
  }

  private async appendInTransaction(c: DuckDBConnection, appends: readonly Append[]): Promise<(InsertOutcome | Error)[]> {
    const pending = new PendingClaims();
    const touched = new Map<TableRecord, Row[]>();
    await c.run("BEGIN");
    const outcomes = appends.map((append): InsertOutcome | Error => {
        const record = this.tables.get(tableKey(append.ref));
        if (!record || record.meta.type !== "TABLE") return notFound(`Not found: Table ${tableLabel(append.ref)}`);
        const kept: Row[] = [];
        append.rows.forEach((row, i) => {
          const id = append.insertIds?.[i];
          if (id !== undefined && id !== "") {
            if (this.ids.seenRecently(record.tid, id, pending)) return;
            pending.add(record.tid, id);
          }
          kept.push(row);
        });
        touched.set(record, [...(touched.get(record) ?? []), ...kept]);
        return { inserted: kept.length, deduplicated: append.rows.length - kept.length };
    });
    for (const [record, rows] of touched) if (rows.length > 0) await appendRows(c, record.tid, record.meta, rows);
    const at = this.now();
    const changed = [...touched].filter(([, rows]) => rows.length > 0).map(([record]) => record);
    await logWrites(c, changed, pending.entries, at);
    if (at - this.lastPrune > 60_000) {
      this.lastPrune = at;
      await c.run(`DELETE FROM lbq.writes WHERE ${ID_ROWS} AND written_at < $1`, [BigInt(this.ids.cutoff())]);
    }
    await commit(c);
    this.ids.commit(pending.entries, at);
    for (const record of changed) {
      const added = columnBytes(record.meta.schema, touched.get(record) ?? []);
      const stats = { rows: record.stats.rows + (touched.get(record) ?? []).length, columnBytes: record.stats.columnBytes.map((b, i) => b + (added[i] ?? 0)) };
      this.replaceRecord(record, { stats, modifiedAt: at });
    }
    return outcomes;
  }

  async write<T>(refs: TableRef[], fn: (tx: WriteTransaction) => Promise<T>): Promise<T> {
    return this.locks.run(refs.map(tableKey), "exclusive", () =>
      this.pool.use(async (c) => {
        await c.run("BEGIN");
        const result = await fn(this.transaction(c));
        const at = this.now();
        const records = refs.map((ref) => this.requireTable(ref));
        const stats = await Promise.all(records.map((r) => statsOf(c, relationOf(r.tid), r.meta.schema)));
        await logWrites(c, records, [], at);
        await commit(c);
        records.forEach((record, i) => this.replaceRecord(record, { stats: stats[i], modifiedAt: at }));
        return result;
      }),
    );
  }

  relation(ref: TableRef): string {
    return relationOf(this.requireTable(ref).tid);
  }

  async read<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.pool.use(fn);
  }

  async snapshot<T>(fn: (tx: ReadTransaction) => Promise<T>): Promise<T> {
    return this.pool.use(async (c) => {
      await c.run("BEGIN");
      const result = await fn(this.transaction(c));
      await c.run("COMMIT");
      return result;
    });
  }

  async close(): Promise<void> {
    this.pool.close();
    this.instance.closeSync();
  }

  // ---- internals ----

  private transaction(c: DuckDBConnection, pending = new Map<string, TableRecord>()): WriteTransaction {
    const recordOf = (ref: TableRef): TableRecord => pending.get(tableKey(ref)) ?? this.requireTable(ref);
    return {
      connection: c,
      relation: (ref) => relationOf(recordOf(ref).tid),
      readRows: (ref) => readStoredRows(c, relationOf(recordOf(ref).tid), recordOf(ref).meta, {}),
      applyChanges: (ref, changes) => applyChanges(c, recordOf(ref), changes),
    };
  }

  /**
   * Runs a catalog change in one transaction holding the catalog lock and the named tables'
   * locks; its `after` updates the in-memory catalog only once the transaction has committed.
   */
  private async catalogChange<T>(
    tableKeys: string[],
    change: (c: DuckDBConnection) => Promise<{ result: T; after?: () => void }>,
  ): Promise<T> {
    return this.locks.run([CATALOG, ...tableKeys], "exclusive", () =>
      this.pool.use(async (c) => {
        await c.run("BEGIN");
        const { result, after } = await change(c);
        await commit(c);
        after?.();
        return result;
      }),
    );
  }

  private async dropTableSql(c: DuckDBConnection, record: TableRecord): Promise<void> {
    if (record.meta.type === "TABLE") await c.run(`DROP TABLE IF EXISTS ${relationOf(record.tid)}`);
    await c.run("DELETE FROM lbq.tables WHERE tid = $1", [BigInt(record.tid)]);
    await c.run("DELETE FROM lbq.writes WHERE tid = $1", [BigInt(record.tid)]);
  }

  private forget(record: TableRecord): void {
    if (this.tables.get(tableKey(record.meta.ref))?.tid === record.tid) this.tables.delete(tableKey(record.meta.ref));
    this.ids.forgetTable(record.tid);
  }

  /** A table's record after a data change, unless the table was dropped or replaced meanwhile. */
  private replaceRecord(record: TableRecord, change: { stats: TableStats; modifiedAt: number }): void {
    const key = tableKey(record.meta.ref);
    const current = this.tables.get(key);
    if (current?.tid !== record.tid) return;
    this.tables.set(key, {
      ...current,
      stats: change.stats,
      version: ++this.version,
      meta: { ...current.meta, lastModifiedTime: change.modifiedAt },
    });
  }

  private requireDataset(ref: DatasetRef): DatasetMeta {
    const ds = this.getDataset(ref);
    if (!ds) throw notFound(`Not found: Dataset ${datasetLabel(ref)}`);
    return ds;
  }

  private requireTable(ref: TableRef): TableRecord {
    const record = this.tables.get(tableKey(ref));
    if (!record) {
      this.requireDataset(ref);
      throw notFound(`Not found: Table ${tableLabel(ref)}`);
    }
    return record;
  }
}

/** A failed COMMIT: nothing of the transaction is stored, and retrying its parts one by one would not help. */
class CommitFailed extends Error {
  constructor(override readonly cause: unknown) {
    super(`commit failed: ${(cause as Error).message}`);
  }
}

async function commit(c: DuckDBConnection): Promise<void> {
  try {
    await c.run("COMMIT");
  } catch (error) {
    throw new CommitFailed(error);
  }
}

const toError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

async function rows(c: DuckDBConnection, sql: string, values?: (string | bigint)[]): Promise<unknown[][]> {
  return (await c.runAndReadAll(sql, values)).getRows();
}

/**
 * Appends to the write log: a change marker per table written, and per table the insertIds
 * claimed, as one JSON array (one log row per id cost as much as the data row it guarded).
 */
async function logWrites(c: DuckDBConnection, records: TableRecord[], ids: readonly { tid: number; id: string }[], at: number): Promise<void> {
  if (records.length === 0 && ids.length === 0) return;
  const claimed = new Map<number, string[]>();
  for (const { tid, id } of ids) {
    const list = claimed.get(tid);
    if (list) list.push(id);
    else claimed.set(tid, [id]);
  }
  const entries: { tid: number; ids: string | null }[] = [...records.map((r) => ({ tid: r.tid, ids: null })), ...[...claimed].map(([tid, list]) => ({ tid, ids: JSON.stringify(list) }))];
  const log = await c.createAppender("writes", "lbq");
  const written = BigInt(at);
  for (const entry of entries) {
    log.appendBigInt(BigInt(entry.tid));
    log.appendNull();
    log.appendBigInt(written);
    if (entry.ids === null) log.appendNull();
    else log.appendVarchar(entry.ids);
    log.endRow();
  }
  log.closeSync();
}

const appenders = new WeakMap<Field[], CellAppender[]>();

/** Appends canonical rows to a data table with DuckDB's appender (inside the caller's transaction). */
function appendRows(c: DuckDBConnection, tid: number, meta: TableMeta, rows: Row[]): Promise<void> {
  // The hidden ingestion-time columns take their DEFAULT: the transaction's time (ingestion_time.ts).
  return appendTo(c, { table: `t${tid}`, schema: "data" }, meta.schema, rows, ingestionUnit(meta) ? 2 : 0);
}

async function appendTo(c: DuckDBConnection, target: { table: string; schema: string; catalog?: string }, schema: Field[], rows: Row[], hiddenDefaults = 0): Promise<void> {
  let cells = appenders.get(schema);
  if (!cells) {
    cells = schema.map((field, i) => cellAppender(field, i));
    appenders.set(schema, cells);
  }
  const appender = await c.createAppender(target.table, target.schema, target.catalog);
  try {
    for (const row of rows) {
      for (let i = 0; i < hiddenDefaults; i++) appender.appendDefault();
      if (cells.length === 0) appender.appendNull(); // the placeholder column of a table without fields
      for (let i = 0; i < cells.length; i++) cells[i](appender, row[i] ?? null);
      appender.endRow();
    }
    appender.flushSync();
  } catch (error) {
    // Closing flushes again and would report "transaction aborted" instead of the cause.
    try {
      appender.closeSync();
    } catch {
      // the first error is the one that matters
    }
    throw error;
  }
  appender.closeSync();
}

function columnList(schema: Field[]): string {
  return schema.length > 0 ? schema.map((f) => quoteIdent(f.name)).join(", ") : quoteIdent(PLACEHOLDER_COLUMN);
}

async function readStoredRows(c: DuckDBConnection, relation: string, meta: TableMeta, opts: { offset?: number; limit?: number }): Promise<StoredRow[]> {
  const schema = meta.schema;
  const limit = opts.limit === undefined ? "" : ` LIMIT ${Math.max(0, Math.floor(opts.limit))}`;
  const offset = opts.offset ? ` OFFSET ${Math.max(0, Math.floor(opts.offset))}` : "";
  const ingestion = ingestionUnit(meta) !== undefined;
  const hidden = ingestion ? `, ${ingestionSelectSql()}` : "";
  const reader = await c.runAndReadAll(`SELECT rowid, ${columnList(schema)}${hidden} FROM ${relation} ORDER BY rowid${limit}${offset}`);
  const types = schema.map((f) => typeOf(f));
  const at = schema.length + 1;
  return reader.getRows().map((row) => {
    const stored: StoredRow = { rowId: Number(row[0]), cells: schema.map((_, i) => toCell(row[i + 1], types[i])) };
    if (ingestion) stored.pseudo = { [PARTITION_TIME]: row[at] === null ? null : String(row[at]), [PARTITION_DATE]: row[at + 1] === null ? null : String(row[at + 1]) };
    return stored;
  });
}

async function applyChanges(c: DuckDBConnection, record: TableRecord, changes: RowChanges): Promise<void> {
  const relation = relationOf(record.tid);
  const schema = record.meta.schema;
  const deletes = changes.deleteRowIds ?? [];
  for (let i = 0; i < deletes.length; i += 10_000) {
    await c.run(`DELETE FROM ${relation} WHERE rowid IN (${deletes.slice(i, i + 10_000).join(", ")})`);
  }
  const updates = changes.updates ?? [];
  if (updates.length > 0 && schema.length > 0) {
    // The new rows go through the appender into a temporary twin of the table (every type, no literals).
    await c.run(`CREATE OR REPLACE TEMP TABLE __lbq_updates AS SELECT CAST(NULL AS BIGINT) AS __rid, ${columnList(schema)} FROM ${relation} LIMIT 0`);
    await appendTo(c, { table: "__lbq_updates", schema: "main", catalog: "temp" }, [{ type: "INTEGER", mode: "NULLABLE", name: "__rid" }, ...schema], updates.map((u) => [String(u.rowId), ...u.cells]));
    const set = schema.map((f) => `${quoteIdent(f.name)} = u.${quoteIdent(f.name)}`).join(", ");
    await c.run(`UPDATE ${relation} SET ${set} FROM temp.main.__lbq_updates u WHERE ${relation}.rowid = u.__rid`);
    await c.run("DROP TABLE temp.main.__lbq_updates");
  }
  if (changes.inserts && changes.inserts.length > 0) await appendRows(c, record.tid, record.meta, changes.inserts);
}

/** A table's row count and column bytes, from its stored rows. */
async function statsOf(c: DuckDBConnection, relation: string, schema: Field[]): Promise<TableStats> {
  const sums = schema.map((f) => `CAST(coalesce(sum(${valueBytesSql(f, quoteIdent(f.name))}), 0) AS BIGINT)`);
  const [row] = await rows(c, `SELECT count(*)${sums.map((s) => `, ${s}`).join("")} FROM ${relation}`);
  return { rows: Number(row[0]), columnBytes: schema.map((_, i) => Number(row[i + 1])) };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
