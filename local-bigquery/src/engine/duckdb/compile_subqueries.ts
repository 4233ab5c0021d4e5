/**
 * Subquery expressions: scalar, EXISTS, IN and ARRAY subqueries, correlated or not. The subquery's
 * scan compiles like any other (its columns are c<id>, unique in the statement), so a correlated
 * column reference inside it is simply the outer column's name, which DuckDB resolves outward.
 */
import { cannotRaise } from "./cannot_raise";
import { col, compileExpr, typeOfNode, type Scope } from "./compile_expressions";
import { compileScan } from "./compile_scans";
import { child, columnsOf, type Node } from "./resolved_ast";
import { duckType } from "./types";
import { refuse } from "./unsupported";

const SCALAR_ORDERED = new Set(["TYPE_INT64", "TYPE_BOOL", "TYPE_STRING", "TYPE_BYTES", "TYPE_DATE", "TYPE_DATETIME", "TYPE_TIMESTAMP", "TYPE_TIME", "TYPE_NUMERIC"]);

export function compileSubquery(node: Node, scope: Scope): string {
  const type = String(node.subqueryType);
  const scan = child(node, "subquery") as Node;
  // A subquery inside a branch GoogleSQL may skip: DuckDB evaluates it for every row regardless.
  if (scope.lazy && !cannotRaise(node)) return refuse("a subquery that may fail inside a conditional branch");
  const relation = compileScan(scan, { ...scope, lazy: false });
  const columns = columnsOf(scan);
  const from = `(${relation.sql}) AS sq`;
  switch (type) {
    case "SCALAR":
      // DuckDB raises when a scalar subquery yields several rows, as GoogleSQL does.
      return `(SELECT ${col(columns[0])} FROM ${from})`;
    case "EXISTS":
      return `EXISTS (SELECT 1 FROM ${from})`;
    case "ARRAY": {
      // An empty ARRAY subquery is [], not NULL; an ordered subquery keeps its order.
      const order = relation.ordered ? " ORDER BY __ord" : "";
      return `(SELECT coalesce(list(${col(columns[0])}${order}), CAST([] AS ${duckType(typeOfNode(node))})) FROM ${from})`;
    }
    case "IN":
      return inSubquery(node, scope, col(columns[0]), from);
    default:
      return refuse(`${type} subquery`);
  }
}

function inSubquery(node: Node, scope: Scope, value: string, from: string): string {
  if (node.inCollation && Object.keys(node.inCollation as object).length > 0) refuse("IN subquery with a collation");
  const inExpr = child(node, "inExpr") as Node;
  const kind = typeOfNode(inExpr).typeKind;
  const x = compileExpr(inExpr, scope);
  // DuckDB skips the left side when the subquery is empty, dropping its errors: a left side that
  // may fail goes through a list, which evaluates it always.
  if (SCALAR_ORDERED.has(kind)) {
    return cannotRaise(inExpr) ? `(${x} IN (SELECT ${value} FROM ${from}))` : `gsql_in_list(${x}, (SELECT list(${value}) FROM ${from}))`;
  }
  // GoogleSQL's IN is equality, under which NaN matches nothing; DuckDB's IN matches NaN to NaN.
  if (kind === "TYPE_DOUBLE") return `gsql_in_doubles(${x}, (SELECT list(${value}) FROM ${from}))`;
  return refuse(`IN subquery over ${kind}`);
}
