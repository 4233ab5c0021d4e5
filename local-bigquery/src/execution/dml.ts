/**
 * INSERT, UPDATE, DELETE and TRUNCATE: on DuckDB when they compile (compiled_modify.ts), else on
 * ZetaSQL's reference evaluator: its EvaluateModify
 * computes the changed rows from the rows read inside one store transaction, which then applies
 * them. UPDATE and DELETE see each stored row's id as a hidden key column, so the changes land
 * on exactly the rows ZetaSQL chose. INSERT never gets a key: ZetaSQL's server crashes on INSERT
 * into a keyed table.
 */
import type { AstNode, ModifiedRow } from "../engine";
import { invalidQuery } from "../errors";
import type { Field, TableRef } from "../model";
import type { StatementType } from "./executor";
import { checkRequired } from "./required_columns";
import { checkWritable } from "./table_copies";
import { SqlText, nodeKinds, pathSegments, withPositions } from "./sql_text";
import { applyColumnDefaults } from "./column_defaults";
import { requireFullAccess } from "./row_access";
import { modifyOnDuckDb } from "./compiled_modify";
import { bytesRead, loadTables, prepareStatement, usedColumnsOf, type Deps } from "./statement_tables";
import { resolveTableName, tableKey, tableNotFound, type StatementScope } from "./table_names";

export interface DmlOutcome {
  statementType: StatementType;
  target: TableRef;
  affected: number;
  bytes: number;
  /** A dry run reports its target table's schema, as BigQuery does. */
  schema?: Field[];
}

type DmlKind = "INSERT" | "UPDATE" | "DELETE";

export async function modify(
  deps: Deps,
  scope: StatementScope,
  text: SqlText,
  ast: AstNode,
  astNode: AstNode,
  kind: DmlKind,
  dryRun: boolean,
): Promise<DmlOutcome> {
  const targetRef = resolveTableName(pathSegments(astNode.targetPath) ?? [], scope);
  const targetMeta = deps.store.getTable(targetRef);
  if (!targetMeta) throw tableNotFound(targetRef);
  if (targetMeta.type === "VIEW") throw invalidQuery(`Cannot modify a view: ${tableKey(targetRef)}`);
  checkWritable(targetMeta);
  requireFullAccess(targetMeta, `${kind} on it`);
  const withDefaults = applyColumnDefaults(text, astNode, targetMeta);
  if (withDefaults) {
    const sent = new SqlText(withDefaults.text());
    const parsed = await deps.engine.parse(sent.text);
    return withPositions(sent, text, (o) => withDefaults.toOriginal(o), () => modify(deps, scope, sent, parsed, nodeKinds(parsed).node, kind, dryRun));
  }
  const prepared = await prepareStatement(deps, scope, text, ast);
  const target = prepared.uses.find((u) => tableKey(u.ref) === tableKey(targetRef));
  if (!target) throw tableNotFound(targetRef);
  const keyed = kind !== "INSERT";
  const sent = new SqlText(prepared.sql);
  const context = { constants: [...scope.variables.values()], params: prepared.params, deadlineMs: scope.deadlineMs };
  const rowIds = { rowIdFor: keyed ? targetRef : undefined, rowIdIsKey: keyed };

  return withPositions(sent, text, (o) => prepared.rewritten.locate(o), async () => {
    const schemaOnly = await loadTables(deps, prepared.uses, { content: false, ...rowIds });
    const resolved = await deps.engine.analyze(prepared.sql, { ...context, tables: schemaOnly });
    // UPDATE needs every column of the rows it rewrites; INSERT and DELETE only what they read.
    const usedColumns = kind === "UPDATE" ? undefined : usedColumnsOf(resolved);
    const bytes = bytesRead(deps, prepared.uses.filter((u) => kind !== "INSERT" || u !== target), usedColumns);
    if (dryRun) return { statementType: kind, target: targetRef, affected: 0, bytes: 0, schema: targetMeta.schema };
    const onDuckDb = await modifyOnDuckDb(deps, resolved, { params: prepared.params, constants: context.constants, uses: prepared.uses, target, kind });
    if ("affected" in onDuckDb) {
      scope.engines?.push({ duckdb: true });
      return { statementType: kind, target: targetRef, affected: onDuckDb.affected, bytes };
    }
    scope.engines?.push({ duckdb: false, refused: onDuckDb.refused });
    // Read, evaluate and apply in one transaction holding the target: rowids stay valid, and
    // concurrent writers of the table wait.
    return deps.store.write([targetRef], async (tx) => {
      const tables = await loadTables(deps, prepared.uses, { content: true, ...rowIds, usedColumns, rows: tx.readRows });
      const changes = await deps.engine.evaluateModify(prepared.sql, target.engineName, { ...context, tables });
      const width = target.meta.schema.length;
      const applied = (c: ModifiedRow["operation"]) => changes.filter((m) => m.operation === c);
      if (kind === "INSERT") {
        const rows = applied("INSERT").map((c) => c.cells.slice(0, width));
        checkRequired(target.meta.schema, rows, targetRef);
        if (rows.length > 0) await tx.applyChanges(targetRef, { inserts: rows });
        return { statementType: kind, target: targetRef, affected: rows.length, bytes };
      }
      if (kind === "UPDATE") {
        const updates = applied("UPDATE").map((c) => ({ rowId: Number(c.oldKey[0]), cells: c.cells.slice(0, width) }));
        checkRequired(target.meta.schema, updates.map((u) => u.cells), targetRef);
        if (updates.length > 0) await tx.applyChanges(targetRef, { updates });
        return { statementType: kind, target: targetRef, affected: updates.length, bytes };
      }
      const deleteRowIds = applied("DELETE").map((c) => Number(c.oldKey[0]));
      if (deleteRowIds.length > 0) await tx.applyChanges(targetRef, { deleteRowIds });
      return { statementType: kind, target: targetRef, affected: deleteRowIds.length, bytes };
    });
  });
}

export async function truncate(deps: Deps, scope: StatementScope, astNode: AstNode, dryRun: boolean): Promise<DmlOutcome> {
  const ref = resolveTableName(pathSegments(astNode.targetPath) ?? [], scope);
  const meta = deps.store.getTable(ref);
  if (!meta) throw tableNotFound(ref);
  if (meta.type === "VIEW") throw invalidQuery(`Cannot truncate a view: ${tableKey(ref)}`);
  checkWritable(meta);
  requireFullAccess(meta, "TRUNCATE TABLE on it");
  if (dryRun) return { statementType: "TRUNCATE_TABLE", target: ref, affected: 0, bytes: 0 };
  return deps.store.write([ref], async (tx) => {
    const reader = await tx.connection.runAndReadAll(`DELETE FROM ${tx.relation(ref)}`);
    return { statementType: "TRUNCATE_TABLE", target: ref, affected: Number(reader.rowsChanged), bytes: 0 };
  });
}
