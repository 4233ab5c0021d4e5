/** A resolved query statement to one DuckDB SELECT and its output schema. */
import type { Field, QueryParameter, Value } from "../../model";
import type { TypeProto } from "../types";
import { outputSchema } from "../zetasql_engine";
import { col } from "./compile_expressions";
import { compileScan } from "./compile_scans";
import { normalize, type Node, type ResolvedColumn } from "./resolved_ast";
import { quoteIdent } from "./types";
import { undefinedOrder, type UndefinedOrder } from "./undefined_order";
import { Unsupported, refuse } from "./unsupported";

export interface CompiledQuery {
  sql: string;
  schema: Field[];
  /** The GoogleSQL type of each output column (the runner converts by them). */
  types: TypeProto[];
  /** The result's row order is the query's (it has an ORDER BY at the top). */
  ordered: boolean;
  /** Values inside the rows whose order the query leaves undefined (walks the AST: only the oracle asks). */
  undefinedOrder: () => UndefinedOrder;
}

export type CompileResult = ({ ok: true } & CompiledQuery) | { ok: false; unsupported: string };

export interface CompileOptions {
  /** The DuckDB relation of each catalog table (default: the table's full name as one quoted identifier). */
  tableSql?: (fullName: string) => string;
  /** Named constants (script variables) in canonical form, by lower-case name. */
  constants?: ReadonlyMap<string, Value>;
}

function compileStatement(stmt: Node, params: QueryParameter[], options: CompileOptions): CompiledQuery {
  if (stmt.kind !== "QueryStmt") return refuse(`statement ${stmt.kind}`);
  if (stmt.isValueTable) return refuse("SELECT AS VALUE / AS STRUCT");
  const outputs = (stmt.outputColumnList as { name: string; column: ResolvedColumn }[]) ?? [];
  const relation = compileScan(stmt.query as Node, { params, withColumns: new Map(), tableSql: options.tableSql ?? quoteIdent, constants: options.constants });
  const items = outputs.map((o) => col(o.column));
  const order = relation.ordered ? " ORDER BY __ord" : "";
  return {
    sql: `SELECT ${items.join(", ")} FROM (${relation.sql}) AS q${order}`,
    schema: outputSchema(outputs.map((o) => ({ name: o.name, type: o.column.type }))),
    types: outputs.map((o) => o.column.type),
    ordered: relation.ordered,
    undefinedOrder: () => undefinedOrder(stmt),
  };
}

/**
 * Compiles the resolved AST that Engine.analyze returned. Anything not proven exact comes back
 * as { ok: false, unsupported: "<construct>" } for the caller to run on ZetaSQL instead.
 */
export function compileQuery(resolved: Record<string, unknown>, params: QueryParameter[] = [], options: CompileOptions = {}): CompileResult {
  try {
    return { ok: true, ...compileStatement(normalize(resolved), params, options) };
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, unsupported: error.message };
    throw error;
  }
}
