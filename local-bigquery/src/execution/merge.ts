/**
 * MERGE, which ZetaSQL analyses but does not evaluate. Compiled, it runs on DuckDB as a changes
 * query (compiled_modify.ts). Otherwise it runs as one query (on DuckDB when that compiles, else on
 * ZetaSQL) that joins the target (with its hidden row ids) to the source on
 * the ON condition and evaluates, per joined row, which WHEN clause applies and the values it
 * writes; the changes then land in the same store transaction.
 */
import type { AstNode } from "../engine";
import { typeOf, sqlTypeName } from "../engine/types";
import { BigQueryError, invalidQuery, unsupported } from "../errors";
import type { Field, Row, Value } from "../model";
import type { DmlOutcome } from "./dml";
import { runQuery } from "./query_runner";
import { checkRequired } from "./required_columns";
import { checkWritable } from "./table_copies";
import { SqlText, nodeKinds, pathSegments, quoteIdentifier, rangeOf, withPositions } from "./sql_text";
import { applyColumnDefaults } from "./column_defaults";
import { requireFullAccess } from "./row_access";
import { modifyOnDuckDb } from "./compiled_modify";
import { ROW_ID, bytesRead, loadTables, prepareStatement, usedColumnsOf, type Deps } from "./statement_tables";
import { resolveTableName, tableKey, tableNotFound, type StatementScope } from "./table_names";

type MatchType = "MATCHED" | "NOT_MATCHED_BY_TARGET" | "NOT_MATCHED_BY_SOURCE";

interface Clause {
  matchType: MatchType;
  condition?: string;
  action: "UPDATE" | "DELETE" | "INSERT";
  /** UPDATE: column index -> expression; INSERT: column index -> expression (null: DEFAULT). */
  assignments: { column: number; expression: string | null }[];
  /** INSERT ROW: every source column, by position. */
  insertRow?: boolean;
}

const SOURCE_MARK = "__lbq_src";

export async function merge(
  deps: Deps,
  scope: StatementScope,
  text: SqlText,
  ast: AstNode,
  node: AstNode,
  dryRun: boolean,
): Promise<DmlOutcome> {
  const targetSegments = pathSegments(node.targetPath) ?? [];
  const targetRef = resolveTableName(targetSegments, scope);
  const target = deps.store.getTable(targetRef);
  if (!target) throw tableNotFound(targetRef);
  if (target.type === "VIEW") throw invalidQuery(`Cannot modify a view: ${tableKey(targetRef)}`);
  checkWritable(target);
  requireFullAccess(target, "MERGE into it");
  const withDefaults = applyColumnDefaults(text, node, target);
  if (withDefaults) {
    const sent = new SqlText(withDefaults.text());
    const parsed = await deps.engine.parse(sent.text);
    return withPositions(sent, text, (o) => withDefaults.toOriginal(o), () => merge(deps, scope, sent, parsed, nodeKinds(parsed).node, dryRun));
  }

  // ZetaSQL analyses MERGE fully: types, names and errors with positions in the user's text.
  const prepared = await prepareStatement(deps, scope, text, ast);
  const schemaOnly = await loadTables(deps, prepared.uses, { content: false });
  const resolved = await withPositions(new SqlText(prepared.sql), text, (o) => prepared.rewritten.locate(o), () =>
    deps.engine.analyze(prepared.sql, {
      tables: schemaOnly,
      constants: [...scope.variables.values()],
      params: prepared.params,
      deadlineMs: scope.deadlineMs,
    }),
  );
  if (dryRun) return { statementType: "MERGE", target: targetRef, affected: 0, bytes: 0 };
  const targetUse = prepared.uses.find((u) => tableKey(u.ref) === tableKey(targetRef));
  if (!targetUse) throw tableNotFound(targetRef);
  const onDuckDb = await modifyOnDuckDb(deps, resolved, { params: prepared.params, constants: [...scope.variables.values()], uses: prepared.uses, target: targetUse, kind: "MERGE" });
  if ("affected" in onDuckDb) {
    scope.engines?.push({ duckdb: true });
    return { statementType: "MERGE", target: targetRef, affected: onDuckDb.affected, bytes: bytesRead(deps, prepared.uses, usedColumnsOf(resolved)) };
  }
  scope.engines?.push({ duckdb: false, refused: onDuckDb.refused });

  const schema = target.schema;
  const clauses = readClauses(text, node, schema);
  const targetAlias = aliasOf(node.alias) ?? targetRef.tableId;
  const source = sourceOf(text, node.tableExpression as AstNode);
  const condition = text.slice(rangeOf(node.mergeCondition) ?? { start: 0, end: 0 });
  const sql = mergeQuery(text, node, clauses, schema, targetAlias, source, condition);

  return deps.store.write([targetRef], async (tx) => {
    let result;
    try {
      result = await runQuery(deps, scope, new SqlText(sql), { rowIdFor: targetRef, tx });
    } catch (error) {
      // Positions in the generated query mean nothing to the user.
      if (error instanceof BigQueryError) {
        throw new BigQueryError(error.reason, `${error.message.replace(/ at \[\d+:\d+\]/g, "")} (while running MERGE)`, error.location, error.status);
      }
      throw error;
    }
    const stored = new Map((await tx.readRows(targetRef)).map((r) => [r.rowId, r.cells]));
    const touched = new Set<number>();
    const deleteRowIds: number[] = [];
    const updates: { rowId: number; cells: Row }[] = [];
    const inserts: Row[] = [];
    for (const row of result.rows) {
      const rowId = row[0] === null ? undefined : Number(row[0]);
      const clause = clauses[Number(row[1])];
      const values = (row[2 + Number(row[1])] ?? null) as Value[] | null;
      if (clause.action !== "INSERT") {
        if (rowId === undefined) continue;
        if (touched.has(rowId)) {
          throw invalidQuery("UPDATE/MERGE must match at most one source row for each target row");
        }
        touched.add(rowId);
        if (clause.action === "DELETE") {
          deleteRowIds.push(rowId);
        } else {
          const cells = schema.map((_, i) => (stored.get(rowId) ?? [])[i] ?? null);
          clause.assignments.forEach((a, i) => (cells[a.column] = values?.[i] ?? null));
          updates.push({ rowId, cells });
        }
      } else {
        const cells: Row = schema.map(() => null);
        if (clause.insertRow) {
          (values ?? []).forEach((v, i) => {
            if (i < cells.length) cells[i] = v;
          });
        } else {
          clause.assignments.forEach((a, i) => (cells[a.column] = values?.[i] ?? null));
        }
        inserts.push(cells);
      }
    }
    checkRequired(schema, [...updates.map((u) => u.cells), ...inserts], targetRef);
    await tx.applyChanges(targetRef, { deleteRowIds, updates, inserts });
    return {
      statementType: "MERGE" as const,
      target: targetRef,
      affected: deleteRowIds.length + updates.length + inserts.length,
      bytes: result.bytes,
    };
  });
}

const aliasOf = (alias: unknown): string | undefined =>
  ((alias as AstNode | undefined)?.identifier as { idString?: string } | undefined)?.idString;

function sourceOf(text: SqlText, expression: AstNode): { sql: string; alias: string } {
  const kind = String(expression.node ?? "");
  const inner = expression[kind] as AstNode;
  if (kind === "astTableSubqueryNode") {
    const range = rangeOf(inner.subquery);
    if (!range) throw unsupported("MERGE source not understood");
    return { sql: `(${text.slice(range)})`, alias: aliasOf(inner.alias) ?? "__lbq_source" };
  }
  if (kind === "astTablePathExpressionNode") {
    const segments = pathSegments(inner.pathExpr) ?? [];
    const range = rangeOf(inner.pathExpr);
    if (!range) throw unsupported("MERGE source not understood");
    const last = segments.join(".").split(".").pop() ?? "source";
    return { sql: text.slice(range), alias: aliasOf(inner.alias) ?? last };
  }
  throw unsupported("The local BigQuery supports MERGE ... USING a table or a (subquery) only");
}

function readClauses(text: SqlText, node: AstNode, schema: Field[]): Clause[] {
  const list = ((node.whenClauses as AstNode | undefined)?.clauseList as AstNode[] | undefined) ?? [];
  const columnIndex = (name: string): number => {
    const i = schema.findIndex((f) => f.name.toLowerCase() === name.toLowerCase());
    if (i < 0) throw invalidQuery(`Column ${name} is not present in the MERGE target`);
    return i;
  };
  const expressionText = (expr: AstNode): string | null =>
    expr.node === "astDefaultLiteralNode" ? null : text.slice(rangeOf(expr) ?? { start: 0, end: 0 });
  return list.map((clause) => {
    const action = clause.action as AstNode;
    const actionType = String(action.actionType) as Clause["action"];
    const out: Clause = {
      matchType: String(clause.matchType) as MatchType,
      condition: clause.searchCondition ? text.slice(rangeOf(clause.searchCondition) ?? { start: 0, end: 0 }) : undefined,
      action: actionType,
      assignments: [],
    };
    if (actionType === "UPDATE") {
      const items = ((action.updateItemList as AstNode | undefined)?.updateItems as AstNode[] | undefined) ?? [];
      out.assignments = items.map((item) => {
        const setValue = item.setValue as AstNode | undefined;
        const path = pathSegments(setValue?.path) ?? [];
        if (!setValue || path.length !== 1) throw unsupported("The local BigQuery's MERGE can only SET whole top-level columns");
        return { column: columnIndex(path[0]), expression: expressionText(setValue.value as AstNode) };
      });
    } else if (actionType === "INSERT") {
      const row = action.insertRow as AstNode | undefined;
      const values = (row?.values as AstNode[] | undefined) ?? [];
      const columns = ((action.insertColumnList as AstNode | undefined)?.identifiers as { idString?: string }[] | undefined)?.map(
        (i) => columnIndex(i.idString ?? ""),
      ) ?? schema.map((_, i) => i);
      if (values.length === 0) {
        out.insertRow = true;
      } else {
        if (values.length !== columns.length) throw invalidQuery("MERGE INSERT has a different number of columns and values");
        out.assignments = columns.map((column, i) => ({ column, expression: expressionText(values[i]) }));
      }
    }
    return out;
  });
}

function mergeQuery(
  text: SqlText,
  node: AstNode,
  clauses: Clause[],
  schema: Field[],
  targetAlias: string,
  source: { sql: string; alias: string },
  condition: string,
): string {
  const T = quoteIdentifier(targetAlias);
  const S = quoteIdentifier(source.alias);
  const targetPresent = `${T}.${ROW_ID} IS NOT NULL`;
  const sourcePresent = `${S}.${SOURCE_MARK} IS NOT NULL`;
  const gate: Record<MatchType, string> = {
    MATCHED: `${targetPresent} AND ${sourcePresent}`,
    NOT_MATCHED_BY_TARGET: `NOT (${targetPresent})`,
    NOT_MATCHED_BY_SOURCE: `NOT (${sourcePresent})`,
  };
  const cast = (expression: string | null, column: number): string =>
    `CAST(${expression === null ? "NULL" : `(${expression})`} AS ${sqlTypeName(typeOf(schema[column]))})`;
  // NOT MATCHED BY SOURCE sees only the target's columns, BY TARGET only the source's (as in
  // BigQuery): evaluated over that side alone, an unqualified name is never ambiguous.
  const scoped = (c: Clause): string => {
    if (!c.condition) return "";
    if (c.matchType === "NOT_MATCHED_BY_SOURCE") return ` AND (SELECT (${c.condition}) FROM (SELECT ${T}.*) AS ${T})`;
    if (c.matchType === "NOT_MATCHED_BY_TARGET") return ` AND (SELECT (${c.condition}) FROM (SELECT ${S}.* EXCEPT (${SOURCE_MARK})) AS ${S})`;
    return ` AND (${c.condition})`;
  };
  const choice = clauses.map((c, i) => `WHEN ${gate[c.matchType]}${scoped(c)} THEN ${i}`).join("\n    ");
  const values = clauses.map((c, i) => {
    const name = `__lbq_v${i}`;
    if (c.action === "DELETE") return `NULL AS ${name}`;
    if (c.action === "UPDATE") {
      return `STRUCT(${c.assignments.map((a) => cast(a.expression, a.column)).join(", ")}) AS ${name}`;
    }
    const row = c.insertRow ? `${S}.* EXCEPT (${SOURCE_MARK})` : c.assignments.map((a) => cast(a.expression, a.column)).join(", ");
    // Only the source is in scope for INSERT values, as in BigQuery.
    return `(SELECT AS STRUCT ${row} FROM (SELECT ${S}.* EXCEPT (${SOURCE_MARK}))) AS ${name}`;
  });
  const bySource = clauses.some((c) => c.matchType === "NOT_MATCHED_BY_SOURCE");
  const byTarget = clauses.some((c) => c.matchType === "NOT_MATCHED_BY_TARGET");
  const join = bySource && byTarget ? "FULL OUTER JOIN" : bySource ? "LEFT OUTER JOIN" : byTarget ? "RIGHT OUTER JOIN" : "INNER JOIN";
  const targetText = text.slice(rangeOf(node.targetPath) ?? { start: 0, end: 0 });
  return `SELECT * FROM (
  SELECT ${T}.${ROW_ID} AS __lbq_rid,
    CASE ${choice} ELSE -1 END AS __lbq_clause,
    ${values.join(",\n    ")}
  FROM ${targetText} AS ${T}
  ${join} (SELECT *, TRUE AS ${SOURCE_MARK} FROM ${source.sql} AS ${S}) AS ${S}
  ON ${condition}
) WHERE __lbq_clause >= 0`;
}
