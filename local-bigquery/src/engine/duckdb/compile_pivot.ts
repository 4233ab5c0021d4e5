/**
 * PIVOT and UNPIVOT scans. PIVOT is a grouped aggregate per (expression, value), each over the
 * rows whose FOR expression IS NOT DISTINCT FROM the value (ZetaSQL matches NULL to NULL and NaN
 * to NaN, as DuckDB's IS NOT DISTINCT FROM does). UNPIVOT is a UNION ALL of one SELECT per label.
 */
import { compileFilteredAggregate } from "./compile_aggregates";
import { col, compileExpr, type Scope } from "./compile_expressions";
import { compileScan, type Relation } from "./compile_scans";
import { child, children, columnsOf, type Node, type ResolvedColumn } from "./resolved_ast";
import { refuse } from "./unsupported";

export function pivotScan(node: Node, scope: Scope): Relation {
  const input = compileScan(child(node, "inputScan") as Node, scope);
  const groups = children(node, "groupByList").map((g) => ({ name: col(g.column as ResolvedColumn), sql: compileExpr(child(g, "expr") as Node, scope) }));
  const forExpr = compileExpr(child(node, "forExpr") as Node, scope);
  // Pivot values are constants: plain, since DuckDB takes no subquery inside FILTER.
  const values = children(node, "pivotValueList").map((v) => compileExpr({ ...v, kind: "Literal" }, { ...scope, plain: true }));
  const exprs = children(node, "pivotExprList");
  const pivots = children(node, "pivotColumnList").map((p) => {
    const expr = exprs[Number(p.pivotExprIndex)] ?? refuse("a PIVOT column without its expression");
    const value = values[Number(p.pivotValueIndex)];
    return `${compileFilteredAggregate(expr, scope, `${forExpr} IS NOT DISTINCT FROM ${value}`)} AS ${col(p.column as ResolvedColumn)}`;
  });
  const items = [...groups.map((g) => `${g.sql} AS ${g.name}`), ...pivots];
  const groupBy = groups.length > 0 ? ` GROUP BY ${groups.map((g) => g.sql).join(", ")}` : "";
  return { sql: `SELECT ${items.join(", ")} FROM (${input.sql}) AS s${groupBy}`, ordered: false };
}

export function unpivotScan(node: Node, scope: Scope): Relation {
  const input = compileScan(child(node, "inputScan") as Node, scope);
  const projected = children(node, "projectedInputColumnList").map((p) => `${compileExpr(child(p, "expr") as Node, scope)} AS ${col(p.column as ResolvedColumn)}`);
  const valueColumns = columnsOf(node, "valueColumnList");
  const label = node.labelColumn as ResolvedColumn;
  const labels = children(node, "labelList").map((l) => compileExpr({ ...l, kind: "Literal" }, { ...scope, plain: true }));
  const branches = children(node, "unpivotArgList").map((arg, i) => {
    const values = children(arg, "columnList").map((ref, j) => `${col(ref.column as ResolvedColumn)} AS ${col(valueColumns[j])}`);
    const where = node.includeNulls ? "" : ` WHERE NOT (${children(arg, "columnList").map((ref) => `${col(ref.column as ResolvedColumn)} IS NULL`).join(" AND ")})`;
    return `SELECT ${[...projected, ...values, `${labels[i]} AS ${col(label)}`].join(", ")} FROM (${input.sql}) AS s${where}`;
  });
  if (branches.length === 0) return refuse("UNPIVOT without columns");
  return { sql: `SELECT * FROM (${branches.map((b) => `(${b})`).join(" UNION ALL ")}) AS u`, ordered: false };
}
