/**
 * DML on DuckDB: a resolved INSERT, UPDATE, DELETE or MERGE compiled to one changes query
 * (engine/duckdb/compile_modify.ts) and applied by rowid in one store transaction holding the
 * target. What the compiler refuses, or DuckDB cannot plan, runs on the reference evaluator.
 */
import { applyChanges, compileModify } from "../engine/duckdb";
import type { AstNode, EngineConstant } from "../engine";
import type { QueryParameter, TableRef } from "../model";
import { CompilerGap, constantValues, duckDbError, guarded, tableSqlFor } from "./compiled_query";
import type { StatementType } from "./executor";
import { requiredFieldError } from "./required_columns";
import type { Deps, TableUse } from "./statement_tables";

export type ModifyAttempt = { affected: number } | { refused: string };

export async function modifyOnDuckDb(
  deps: Deps,
  resolved: AstNode,
  statement: { params: QueryParameter[]; constants: EngineConstant[]; uses: TableUse[]; target: TableUse; kind: StatementType },
): Promise<ModifyAttempt> {
  if (deps.referenceOnly) return { refused: "reference evaluator only" };
  const { target } = statement;
  const compiled = guarded(() =>
    compileModify(resolved, statement.params, {
      targetSchema: target.meta.schema,
      tableSql: tableSqlFor(statement.uses, (ref) => deps.store.relation(ref)),
      constants: constantValues(statement.constants),
    }),
  );
  if (!compiled.ok) return { refused: compiled.unsupported };
  const ref: TableRef = target.ref;
  try {
    return await deps.store.write([ref], async (tx) => {
      try {
        return { affected: await applyChanges(tx.connection, compiled.sql, { relation: tx.relation(ref), columns: target.meta.schema.map((f) => f.name) }) };
      } catch (error) {
        throw error instanceof Error && error.name === "BigQueryError" ? error : requiredFieldError(duckDbError(error), ref);
      }
    });
  } catch (error) {
    // Rolled back: the reference evaluator runs the statement instead.
    if (error instanceof CompilerGap) return { refused: `its compiled form (DuckDB: ${error.message.split("\n")[0]})` };
    throw error;
  }
}
