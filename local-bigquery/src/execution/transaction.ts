/**
 * Multi-statement transactions (BEGIN TRANSACTION ... COMMIT / ROLLBACK). A table's first write
 * inside the transaction copies it into a shadow table (in the request's hidden dataset); the
 * transaction's statements then read and write the shadow, so they see their own changes and
 * nobody else does. COMMIT replaces every written table's rows with its shadow's in one store
 * transaction, after checking that no one else changed the table meanwhile (else it aborts, as
 * BigQuery does on a concurrent update); ROLLBACK, an error without a handler, or the end of
 * the script drops the shadows. Shadows, not one long DuckDB transaction: a failed statement
 * inside a BigQuery transaction may be caught by a handler and the transaction goes on, while a
 * DuckDB transaction that saw an error can only be rolled back.
 *
 * Not transactional, as documented: tables read but never written are read as last committed
 * (BigQuery reads a snapshot from the transaction's start), and CREATE TEMP TABLE stays.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { BigQueryError, invalidQuery } from "../errors";
import type { DatasetMeta, DatasetRef, RoutineMeta, RoutineRef, Row, TableMeta, TableRef } from "../model";
import type { Append, ReadTransaction, InsertOutcome, RowChanges, Store, StoredRow, TableStats, WriteTransaction } from "../storage/store";
import type { ParsedStatement } from "./script";
import type { ScriptSession } from "./script_session";
import { pathSegments } from "./sql_text";
import type { Deps } from "./statement_tables";
import { tableKey } from "./table_names";

export interface ScriptTransaction {
  /** The store and engine the transaction's statements use. */
  deps: Deps;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export async function beginTransaction(base: Deps, session: ScriptSession): Promise<ScriptTransaction> {
  const store = new TransactionStore(base.store, session);
  return {
    deps: { ...base, store },
    commit: () => store.commit(),
    rollback: () => store.rollback(),
  };
}

const DML = new Set(["astQueryStatementNode", "astInsertStatementNode", "astUpdateStatementNode", "astDeleteStatementNode", "astMergeStatementNode", "astTruncateStatementNode", "astCallStatementNode"]);

/** BigQuery allows queries, DML, and DDL on temporary tables and functions inside a transaction. */
export function checkAllowedInTransaction(statement: ParsedStatement, session: ScriptSession): void {
  const kind = statement.kinds[statement.kinds.length - 1] ?? "";
  const { node } = statement;
  if (DML.has(kind)) return;
  if ((kind === "astCreateTableStatementNode" || kind === "astCreateFunctionStatementNode") && node.scope === "TEMPORARY") return;
  if (kind === "astDropStatementNode" && node.schemaObjectKind === "kTable") {
    const segments = pathSegments(node.name) ?? [];
    if (segments.length === 1 && session.tempTables.has(segments[0])) return;
  }
  if (kind === "astDropFunctionStatementNode") {
    const segments = pathSegments(node.name) ?? [];
    if (segments.length === 1 && session.tempFunctions.has(segments[0].toLowerCase())) return;
  }
  const what = kind.replace(/^ast|StatementNode$|Node$/g, "").replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase();
  throw invalidQuery(`${what} is not supported inside a multi-statement transaction: only queries, DML, and DDL on temporary tables and functions are`);
}

interface Shadow {
  real: TableRef;
  shadow: TableRef;
  /** The real table's version when copied: a different one at COMMIT means someone else changed it. */
  version: number;
}

/** The store as the transaction's statements see it: written tables are their shadows. */
class TransactionStore implements Store {
  private readonly shadows = new Map<string, Shadow>();
  private counter = 0;

  constructor(
    private readonly base: Store,
    private readonly session: ScriptSession,
  ) {}

  private map(ref: TableRef): TableRef {
    return this.shadows.get(tableKey(ref))?.shadow ?? ref;
  }

  /** Copies a table into its shadow before the transaction first writes it. */
  private async shadow(ref: TableRef): Promise<void> {
    const key = tableKey(ref);
    const meta = this.base.getTable(ref);
    if (this.shadows.has(key) || !meta || meta.type !== "TABLE") return;
    const dataset = await this.session.hiddenDataset();
    const shadow: TableRef = { ...dataset, tableId: `__transaction_${++this.counter}` };
    const version = this.base.tableVersion(ref);
    await this.base.createTable(
      { ...meta, ref: shadow },
      { fill: async (tx) => void (await tx.connection.run(`INSERT INTO ${tx.relation(shadow)} SELECT * FROM ${tx.relation(ref)} ORDER BY rowid`)) },
    );
    this.shadows.set(key, { real: ref, shadow, version });
  }

  private mapped(tx: WriteTransaction): WriteTransaction {
    return {
      connection: tx.connection,
      relation: (ref) => tx.relation(this.map(ref)),
      readRows: (ref) => tx.readRows(this.map(ref)),
      applyChanges: (ref, changes: RowChanges) => tx.applyChanges(this.map(ref), changes),
    };
  }

  async commit(): Promise<void> {
    const shadows = [...this.shadows.values()];
    if (shadows.length > 0) {
      await this.base.write(shadows.map((s) => s.real), async (tx) => {
        for (const s of shadows) {
          if (!this.base.getTable(s.real) || this.base.tableVersion(s.real) !== s.version) {
            throw new BigQueryError(
              "invalidQuery",
              `Transaction is aborted due to concurrent update against table ${s.real.projectId}:${s.real.datasetId}.${s.real.tableId}.`,
            );
          }
          await tx.connection.run(`DELETE FROM ${tx.relation(s.real)}`);
          await tx.connection.run(`INSERT INTO ${tx.relation(s.real)} SELECT * FROM ${tx.relation(s.shadow)} ORDER BY rowid`);
        }
      }).finally(() => this.rollback());
    }
  }

  async rollback(): Promise<void> {
    const shadows = [...this.shadows.values()];
    this.shadows.clear();
    for (const s of shadows) await this.base.deleteTable(s.shadow, { ifExists: true });
  }

  // ---- reads and writes of rows go to shadows ----

  stats(ref: TableRef): TableStats {
    return this.base.stats(this.map(ref));
  }

  tableVersion(ref: TableRef): number {
    return this.base.tableVersion(this.map(ref));
  }

  readRows(ref: TableRef, opts?: { offset?: number; limit?: number }): Promise<StoredRow[]> {
    return this.base.readRows(this.map(ref), opts);
  }

  relation(ref: TableRef): string {
    return this.base.relation(this.map(ref));
  }

  read<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.base.read(fn);
  }

  snapshot<T>(fn: (tx: ReadTransaction) => Promise<T>): Promise<T> {
    return this.base.snapshot((tx) => fn({ connection: tx.connection, relation: (ref) => tx.relation(this.map(ref)), readRows: (ref) => tx.readRows(this.map(ref)) }));
  }

  async write<T>(refs: TableRef[], fn: (tx: WriteTransaction) => Promise<T>): Promise<T> {
    for (const ref of refs) await this.shadow(ref);
    return this.base.write(refs.map((r) => this.map(r)), (tx) => fn(this.mapped(tx)));
  }

  async appendRows(ref: TableRef, rows: Row[], insertIds?: (string | undefined)[]): Promise<InsertOutcome> {
    await this.shadow(ref);
    return this.base.appendRows(this.map(ref), rows, insertIds);
  }

  async appendGroup(appends: readonly Append[]): Promise<(InsertOutcome | Error)[]> {
    for (const a of appends) await this.shadow(a.ref);
    return this.base.appendGroup(appends.map((a) => ({ ...a, ref: this.map(a.ref) })));
  }

  // ---- the catalog is shared (the transaction allows DDL on temporary objects only) ----

  getDataset(ref: DatasetRef): DatasetMeta | undefined {
    return this.base.getDataset(ref);
  }
  listDatasets(projectId: string): DatasetMeta[] {
    return this.base.listDatasets(projectId);
  }
  createDataset(meta: DatasetMeta, opts?: { ifNotExists?: boolean }): Promise<boolean> {
    return this.base.createDataset(meta, opts);
  }
  updateDataset(ref: DatasetRef, patch: Partial<Pick<DatasetMeta, "description" | "labels">>): Promise<DatasetMeta> {
    return this.base.updateDataset(ref, patch);
  }
  deleteDataset(ref: DatasetRef, opts?: { deleteContents?: boolean; ifExists?: boolean }): Promise<void> {
    return this.base.deleteDataset(ref, opts);
  }
  getTable(ref: TableRef): TableMeta | undefined {
    return this.base.getTable(ref);
  }
  listTables(ref: DatasetRef): TableMeta[] {
    return this.base.listTables(ref);
  }
  createTable(meta: TableMeta, opts?: Parameters<Store["createTable"]>[1]): Promise<boolean> {
    return this.base.createTable(meta, opts);
  }
  updateTable(ref: TableRef, patch: Parameters<Store["updateTable"]>[1]): Promise<TableMeta> {
    return this.base.updateTable(ref, patch);
  }
  rewriteTable(...args: Parameters<Store["rewriteTable"]>): Promise<TableMeta> {
    return this.base.rewriteTable(...args);
  }
  renameTable(from: TableRef, to: TableRef): Promise<TableMeta> {
    return this.base.renameTable(from, to);
  }
  async deleteTable(ref: TableRef, opts?: { ifExists?: boolean }): Promise<void> {
    const shadow = this.shadows.get(tableKey(ref));
    this.shadows.delete(tableKey(ref));
    if (shadow) await this.base.deleteTable(shadow.shadow, { ifExists: true });
    return this.base.deleteTable(ref, opts);
  }
  getRoutine(ref: RoutineRef): RoutineMeta | undefined {
    return this.base.getRoutine(ref);
  }
  listRoutines(ref: DatasetRef): RoutineMeta[] {
    return this.base.listRoutines(ref);
  }
  putRoutine(meta: RoutineMeta, opts?: { replace?: boolean; ifNotExists?: boolean }): Promise<boolean> {
    return this.base.putRoutine(meta, opts);
  }
  deleteRoutine(ref: RoutineRef, opts?: { ifExists?: boolean }): Promise<boolean> {
    return this.base.deleteRoutine(ref, opts);
  }
  async close(): Promise<void> {
    // The base store belongs to the executor's owner.
  }
}

