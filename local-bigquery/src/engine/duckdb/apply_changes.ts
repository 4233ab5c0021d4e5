/**
 * Applies a changes query (compile_modify.ts) to its target, inside the caller's DuckDB
 * transaction: the changes are materialised once, a target row changed twice fails the
 * statement, then DELETEs, UPDATEs (by rowid) and INSERTs run in that order.
 *
 * Why this order: DuckDB keeps a row's rowid across deletes of other rows within a transaction,
 * but an UPDATE that touches a LIST column rewrites the row under a new rowid, so every
 * rowid-addressed statement must run before (DELETE) or as (UPDATE) the single rewrite.
 *
 * REQUIRED columns are the target's NOT NULL constraints: a NULL written to one fails the
 * UPDATE or INSERT with DuckDB's constraint error, which the caller maps to BigQuery's message
 * and answers by rolling the transaction back.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { invalidQuery } from "../../errors";
import { quoteIdent } from "./types";

export interface ChangesTarget {
  /** The target's DuckDB relation (a base table, so that it has rowids), as tableSql gives it. */
  relation: string;
  /** Its column names in schema order: the changes query's __v0 ... by position. */
  columns: string[];
}

export const MULTIPLE_MATCHES = "UPDATE/MERGE must match at most one source row for each target row";

let sequence = 0;

/** Runs the changes query and applies it; returns the number of rows inserted, updated and deleted. */
export async function applyChanges(connection: DuckDBConnection, changesSql: string, target: ChangesTarget): Promise<number> {
  const changes = quoteIdent(`__lbq_changes_${++sequence}`);
  const values = target.columns.map((_, i) => `__v${i}`);
  await connection.run(`CREATE TEMP TABLE ${changes} AS ${changesSql}`);
  try {
    // One pass: rows per operation, and target rows changed more than once.
    const reader = await connection.runAndReadAll(
      `SELECT count(*) FILTER (WHERE __op = 'D'), count(*) FILTER (WHERE __op = 'U'), count(*) FILTER (WHERE __op = 'I'), ` +
        `count(__rid) - count(DISTINCT __rid) FROM ${changes}`,
    );
    const [deletes, updates, inserts, twice] = reader.getRows()[0].map(Number);
    if (twice > 0) throw invalidQuery(MULTIPLE_MATCHES);
    // Each statement only when it has rows: an INSERT need not scan the target for nothing to update.
    if (deletes > 0) await connection.run(`DELETE FROM ${target.relation} WHERE rowid IN (SELECT __rid FROM ${changes} WHERE __op = 'D')`);
    if (updates > 0) {
      const set = target.columns.map((name, i) => `${quoteIdent(name)} = __c.${values[i]}`).join(", ");
      await connection.run(`UPDATE ${target.relation} AS __target SET ${set} FROM ${changes} AS __c WHERE __target.rowid = __c.__rid AND __c.__op = 'U'`);
    }
    if (inserts > 0) {
      const names = target.columns.map(quoteIdent).join(", ");
      await connection.run(`INSERT INTO ${target.relation} (${names}) SELECT ${values.join(", ")} FROM ${changes} WHERE __op = 'I'`);
    }
    return deletes + updates + inserts;
  } finally {
    // A failed statement leaves DuckDB's transaction aborted, and its rollback drops the table anyway.
    await connection.run(`DROP TABLE IF EXISTS ${changes}`).catch(() => undefined);
  }
}
