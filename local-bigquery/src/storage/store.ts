import type { DatasetMeta, DatasetRef, Row, TableMeta, TableRef } from "../model";

/** A stored row with its stable internal id (used as the key of UPDATE, DELETE and MERGE). */
export interface StoredRow {
  rowId: number;
  cells: Row;
}

/** Changes to one table's rows, applied atomically. */
export interface RowChanges {
  deleteRowIds?: number[];
  updates?: StoredRow[];
  inserts?: Row[];
}

export interface InsertOutcome {
  /** Rows stored by this call. */
  inserted: number;
  /** Rows skipped because their insertId was seen within the de-duplication window. */
  deduplicated: number;
}

/**
 * The local BigQuery's persistent state: datasets, tables and views with their
 * metadata, table rows, and jobs. Every write is durable when the call returns
 * (kill -9 right after loses nothing). Methods throw BigQueryError (notFound,
 * duplicate) for missing or existing objects. Synchronous: SQLite is in-process.
 */
export interface Store {
  getDataset(ref: DatasetRef): DatasetMeta | undefined;
  listDatasets(projectId: string): DatasetMeta[];
  /** Throws duplicate unless ifNotExists. Returns whether it was created. */
  createDataset(meta: DatasetMeta, opts?: { ifNotExists?: boolean }): boolean;
  updateDataset(ref: DatasetRef, patch: Partial<Pick<DatasetMeta, "description" | "labels">>): DatasetMeta;
  /** Throws invalid ("still in use") when it holds tables and deleteContents is false. */
  deleteDataset(ref: DatasetRef, opts?: { deleteContents?: boolean; ifExists?: boolean }): void;

  getTable(ref: TableRef): TableMeta | undefined;
  listTables(ref: DatasetRef): TableMeta[];
  /**
   * Creates a table or view. replace: drop any existing one first (rows too).
   * ifNotExists: leave an existing one alone and return false. Initial rows are stored in the same transaction.
   */
  createTable(meta: TableMeta, opts?: { replace?: boolean; ifNotExists?: boolean; rows?: Row[] }): boolean;
  /** Metadata changes (schema additions, description, labels, options). Rows of added columns read as NULL. */
  updateTable(ref: TableRef, patch: Partial<Omit<TableMeta, "ref" | "type" | "creationTime">>): TableMeta;
  deleteTable(ref: TableRef, opts?: { ifExists?: boolean }): void;

  /** Number of rows of a table. */
  countRows(ref: TableRef): number;
  /** Rows in insertion order; a row shorter than the schema (columns added later) is padded with NULL. */
  readRows(ref: TableRef, opts?: { offset?: number; limit?: number }): StoredRow[];
  /** A counter that grows on every change to the table's rows or schema: the cache key of query results. */
  tableVersion(ref: TableRef): number;
  /**
   * Appends rows; with insertIds (one per row, undefined for none), a row whose insertId
   * the table has seen within the de-duplication window is skipped.
   */
  appendRows(ref: TableRef, rows: Row[], insertIds?: (string | undefined)[]): InsertOutcome;
  /**
   * appendRows for several tables or requests in one transaction (one fsync): each append in
   * its own savepoint, so one that throws is undone alone and its error takes its place in
   * the result. insertIds de-duplicate across the group too, in order. Throws only when the
   * commit itself fails, and then nothing is stored.
   */
  appendGroup(appends: readonly { ref: TableRef; rows: Row[]; insertIds?: (string | undefined)[] }[]): (InsertOutcome | Error)[];
  applyChanges(ref: TableRef, changes: RowChanges): void;

  /** Runs fn in one transaction: all of its writes land, or none. */
  transaction<T>(fn: () => T): T;

  close(): void;
}
