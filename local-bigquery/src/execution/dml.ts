/**
 * INSERT, UPDATE, DELETE and TRUNCATE: ZetaSQL's EvaluateModify computes the
 * changed rows; the store applies them in one transaction. UPDATE and DELETE
 * see each stored row's id as a hidden key column, so the changes land on
 * exactly the rows ZetaSQL chose. INSERT never gets a key: ZetaSQL's server
 * crashes on INSERT into a keyed table.
 */
import type { AstNode } from "../engine";
import { invalidQuery } from "../errors";
import type { TableRef } from "../model";
import type { StatementType } from "./executor";
import { checkRequired } from "./required_columns";
import { SqlText, pathSegments, withPositions } from "./sql_text";
import { loadTables, prepareStatement, usedColumnsOf, type Deps } from "./statement_tables";
import type { TableLocks } from "./table_locks";
import { resolveTableName, tableKey, tableNotFound, type StatementScope } from "./table_names";

export interface DmlOutcome {
  statementType: StatementType;
  target: TableRef;
  affected: number;
  bytes: number;
}

type DmlKind = "INSERT" | "UPDATE" | "DELETE";

const PRUNE_ABOVE_ROWS = 2000;

export async function modify(
  deps: Deps & { locks: TableLocks },
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
  const prepared = await prepareStatement(deps, scope, text, ast);
  const target = prepared.uses.find((u) => tableKey(u.ref) === tableKey(targetRef));
  if (!target) throw tableNotFound(targetRef);
  const keyed = kind !== "INSERT";
  const sent = new SqlText(prepared.sql);
  const context = { constants: [...scope.variables.values()], params: prepared.params, deadlineMs: scope.deadlineMs };

  const run = (): Promise<DmlOutcome> =>
    withPositions(sent, text, (o) => prepared.rewritten.locate(o), async () => {
      const schemaOnly = loadTables(deps, prepared.uses, { content: false, rowIdFor: keyed ? targetRef : undefined, rowIdIsKey: keyed });
      const totalRows = prepared.uses.reduce((n, u) => n + deps.store.countRows(u.ref), 0);
      let usedColumns: Map<string, Set<number>> | undefined;
      if (dryRun || (kind !== "UPDATE" && totalRows > PRUNE_ABOVE_ROWS)) {
        const resolved = await deps.engine.analyze(prepared.sql, { ...context, tables: schemaOnly.tables });
        if (kind !== "UPDATE") usedColumns = usedColumnsOf(resolved);
      }
      if (dryRun) return { statementType: kind, target: targetRef, affected: 0, bytes: 0 };
      const loaded = loadTables(deps, prepared.uses, { content: true, rowIdFor: keyed ? targetRef : undefined, rowIdIsKey: keyed, usedColumns });
      const changes = await deps.engine.evaluateModify(prepared.sql, target.engineName, { ...context, tables: loaded.tables });
      const width = target.meta.schema.length;
      if (kind === "INSERT") {
        const rows = changes.filter((c) => c.operation === "INSERT").map((c) => c.cells.slice(0, width));
        checkRequired(target.meta.schema, rows, targetRef);
        if (rows.length > 0) deps.store.appendRows(targetRef, rows);
        return { statementType: kind, target: targetRef, affected: rows.length, bytes: loaded.bytes };
      }
      if (kind === "UPDATE") {
        const updates = changes
          .filter((c) => c.operation === "UPDATE")
          .map((c) => ({ rowId: Number(c.oldKey[0]), cells: c.cells.slice(0, width) }));
        checkRequired(target.meta.schema, updates.map((u) => u.cells), targetRef);
        if (updates.length > 0) deps.store.applyChanges(targetRef, { updates });
        return { statementType: kind, target: targetRef, affected: updates.length, bytes: loaded.bytes };
      }
      const deleteRowIds = changes.filter((c) => c.operation === "DELETE").map((c) => Number(c.oldKey[0]));
      if (deleteRowIds.length > 0) deps.store.applyChanges(targetRef, { deleteRowIds });
      return { statementType: kind, target: targetRef, affected: deleteRowIds.length, bytes: loaded.bytes };
    });
  // Read-modify-write: one at a time per table, so concurrent UPDATEs do not overwrite each other.
  return keyed ? deps.locks.run(tableKey(targetRef), run) : run();
}

export async function truncate(deps: Deps & { locks: TableLocks }, scope: StatementScope, astNode: AstNode, dryRun: boolean): Promise<DmlOutcome> {
  const ref = resolveTableName(pathSegments(astNode.targetPath) ?? [], scope);
  const meta = deps.store.getTable(ref);
  if (!meta) throw tableNotFound(ref);
  if (meta.type === "VIEW") throw invalidQuery(`Cannot truncate a view: ${tableKey(ref)}`);
  if (dryRun) return { statementType: "DELETE", target: ref, affected: 0, bytes: 0 };
  return deps.locks.run(tableKey(ref), async () => {
    const ids = deps.store.readRows(ref).map((r) => r.rowId);
    if (ids.length > 0) deps.store.applyChanges(ref, { deleteRowIds: ids });
    return { statementType: "DELETE", target: ref, affected: ids.length, bytes: 0 };
  });
}
