import type { DuckDBConnection } from "@duckdb/node-api";
import type { DatasetMeta, DatasetRef, RoutineMeta, RoutineRef, Row, TableMeta, TableRef, Value } from "../model";

/** A stored row with its internal id (DuckDB's rowid: stable within one transaction; the key of UPDATE and DELETE). */
export interface StoredRow {
  rowId: number;
  cells: Row;
  /** Pseudo-column values by name (_PARTITIONTIME and _PARTITIONDATE of ingestion-time partitioned tables). */
  pseudo?: Record<string, Value>;
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

export interface Append {
  ref: TableRef;
  rows: Row[];
  /** One per row (undefined: none); a row whose insertId the table saw within the window is skipped. */
  insertIds?: (string | undefined)[];
}

/** Row count and BigQuery's logical bytes of each top-level column (bytes_estimate.ts), kept current. */
export interface TableStats {
  rows: number;
  columnBytes: number[];
}

/** One DuckDB transaction: everything read through it sees one snapshot. */
export interface ReadTransaction {
  readonly connection: DuckDBConnection;
  /** The DuckDB relation holding a table's rows (for SQL run on `connection`). */
  relation(ref: TableRef): string;
  readRows(ref: TableRef): Promise<StoredRow[]>;
}

/**
 * One DuckDB transaction of a writer: everything done through it commits together, or not at all.
 * Its connection sees its own uncommitted changes.
 */
export interface WriteTransaction extends ReadTransaction {
  applyChanges(ref: TableRef, changes: RowChanges): Promise<void>;
}

/**
 * The local BigQuery's persistent state: datasets, tables and views with their metadata, and
 * table rows. Metadata reads are synchronous (the catalog is held in memory; this process owns
 * the data files); every write is durable when its promise settles (kill -9 right after loses
 * nothing). Methods throw BigQueryError (notFound, duplicate) for missing or existing objects.
 */
export interface Store {
  getDataset(ref: DatasetRef): DatasetMeta | undefined;
  listDatasets(projectId: string): DatasetMeta[];
  /** Throws duplicate unless ifNotExists. Resolves to whether it was created. */
  createDataset(meta: DatasetMeta, opts?: { ifNotExists?: boolean }): Promise<boolean>;
  updateDataset(ref: DatasetRef, patch: Partial<Pick<DatasetMeta, "description" | "labels">>): Promise<DatasetMeta>;
  /** Throws resourceInUse when it holds tables and deleteContents is false. */
  deleteDataset(ref: DatasetRef, opts?: { deleteContents?: boolean; ifExists?: boolean }): Promise<void>;

  getTable(ref: TableRef): TableMeta | undefined;
  listTables(ref: DatasetRef): TableMeta[];
  /**
   * Creates a table or view. replace: drop any existing one first (rows too). ifNotExists: leave
   * an existing one alone and resolve to false. `rows` are stored, and `fill` runs, in the same
   * transaction (CREATE TABLE AS SELECT).
   */
  createTable(
    meta: TableMeta,
    opts?: { replace?: boolean; ifNotExists?: boolean; rows?: Row[]; fill?: (tx: WriteTransaction) => Promise<void> },
  ): Promise<boolean>;
  /** Metadata changes (schema additions and relaxations, description, labels, options). Rows of added columns read as NULL. */
  updateTable(ref: TableRef, patch: Partial<Omit<TableMeta, "ref" | "type" | "creationTime">>): Promise<TableMeta>;
  deleteTable(ref: TableRef, opts?: { ifExists?: boolean }): Promise<void>;
  /**
   * Schema changes updateTable cannot express (dropped or renamed columns, widened types): runs
   * `statements(relation)` on the table's rows and stores the new metadata, in one transaction.
   */
  rewriteTable(ref: TableRef, patch: Partial<Omit<TableMeta, "ref" | "type" | "creationTime">>, statements: (relation: string) => string[]): Promise<TableMeta>;
  /** Renames a table or view (ALTER TABLE RENAME TO); its rows stay. Throws duplicate if `to` exists. */
  renameTable(from: TableRef, to: TableRef): Promise<TableMeta>;

  /** Rows and column bytes of a table (throws notFound). */
  stats(ref: TableRef): TableStats;
  /** A counter that grows on every change to the table's rows or schema: the cache key of query results. */
  tableVersion(ref: TableRef): number;
  /** Rows in insertion order; cells in canonical form. */
  readRows(ref: TableRef, opts?: { offset?: number; limit?: number }): Promise<StoredRow[]>;
  appendRows(ref: TableRef, rows: Row[], insertIds?: (string | undefined)[]): Promise<InsertOutcome>;
  /**
   * appendRows for several requests in one transaction (one fsync). An append that fails (its
   * table deleted meanwhile) fails alone: its error takes its place in the result. insertIds
   * de-duplicate across the group too, in order. Rejects only when the commit itself fails,
   * and then nothing is stored.
   */
  appendGroup(appends: readonly Append[]): Promise<(InsertOutcome | Error)[]>;
  /**
   * Runs fn in one transaction that holds the tables' write locks (other writers of them wait;
   * readers see the state before it until it commits). Resolves once committed and durable.
   */
  write<T>(refs: TableRef[], fn: (tx: WriteTransaction) => Promise<T>): Promise<T>;
  /** The DuckDB relation holding a table's committed rows (throws notFound). */
  relation(ref: TableRef): string;
  /** Runs read-only SQL over the committed tables on a connection of its own. */
  read<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T>;
  /** Runs fn in one read transaction: every statement and row read sees the same committed snapshot. */
  snapshot<T>(fn: (tx: ReadTransaction) => Promise<T>): Promise<T>;

  /** Functions and procedures of datasets (deleted with their dataset). */
  getRoutine(ref: RoutineRef): RoutineMeta | undefined;
  listRoutines(ref: DatasetRef): RoutineMeta[];
  /** Throws duplicate unless replace or ifNotExists; resolves to whether it was written. */
  putRoutine(meta: RoutineMeta, opts?: { replace?: boolean; ifNotExists?: boolean }): Promise<boolean>;
  /** Throws notFound unless ifExists; resolves to whether it existed. */
  deleteRoutine(ref: RoutineRef, opts?: { ifExists?: boolean }): Promise<boolean>;

  close(): Promise<void>;
}
