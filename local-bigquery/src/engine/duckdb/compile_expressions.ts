/** Resolved expressions to DuckDB expressions: literals, column refs, parameters, casts, function calls. */
import type { QueryParameter, Value } from "../../model";
import type { TypeProto } from "../types";
import { timestampTextToMicros } from "../civil_time";
import { fromValueProto, type ValueProto } from "../values";
import { cannotRaise } from "./cannot_raise";
import { CASTS } from "./casts";
import { compileSubquery } from "./compile_subqueries";
import { FUNCTIONS } from "./functions";
import { safeGeography } from "./functions_geography";
import { isJsUdfCall, jsUdfForm } from "./functions_js_udf";
import { RAISING_MACROS } from "./prelude";
import { child, children, type Node, type ResolvedColumn } from "./resolved_ast";
import { duckLiteral, duckType, quoteIdent, structFieldNames } from "./types";
import { refuse } from "./unsupported";

export interface Scope {
  params: QueryParameter[];
  /** The DuckDB relation holding a catalog table, by the table's name in the resolved AST. */
  tableSql: (fullName: string) => string;
  /** Named constants (script variables) in canonical form, by lower-case name. */
  constants?: ReadonlyMap<string, Value>;
  /** Output columns of each WITH entry in scope, by name. */
  withColumns: Map<string, ResolvedColumn[]>;
  /** Inside a recursive WITH entry's recursive term: the entry's name and columns. */
  recursive?: { name: string; columns: ResolvedColumn[] };
  /** Inside an argument that IF, CASE or COALESCE may leave unevaluated. */
  lazy?: boolean;
  /** Inside a SAFE. call whose arguments cannot fail: constants stay plain (no scalar subqueries, which TRY refuses). */
  plain?: boolean;
}

/** Every relation the compiler builds names its columns c<column id>. */
export const col = (column: ResolvedColumn): string => `c${column.columnId}`;

export const typeOfNode = (node: Node): TypeProto => node.type as TypeProto;

export function compileExpr(node: Node, scope: Scope): string {
  switch (node.kind) {
    case "Literal":
      return literal(node, scope);
    case "ColumnRef":
      // A correlated reference names the outer column (ids are unique); DuckDB resolves it outward.
      return col(node.column as ResolvedColumn);
    case "Parameter":
      return parameter(node, scope);
    case "Constant": {
      // A script variable: its value is known for this statement, like a parameter's.
      const name = String((node.constant as { name?: string } | undefined)?.name ?? "").toLowerCase();
      if (!scope.constants?.has(name)) return refuse(`constant ${name} without a value`);
      return constant(scope.constants.get(name) ?? null, typeOfNode(node), scope);
    }
    case "Cast":
      return cast(node, scope);
    case "FunctionCall":
      return functionCall(node, scope);
    case "SubqueryExpr":
      return compileSubquery(node, scope);
    case "MakeStruct": {
      const type = typeOfNode(node);
      const names = structFieldNames(type);
      const fields = children(node, "fieldList").map((field, i) => `${quoteIdent(names[i])} := ${compileExpr(field, scope)}`);
      return `CAST(struct_pack(${fields.join(", ")}) AS ${duckType(type)})`;
    }
    case "GetStructField": {
      const struct = child(node, "expr") as Node;
      const names = (typeOfNode(struct).structType?.field ?? []).map((f, i) => f.fieldName || `_field_${i + 1}`);
      const name = names[Number(node.fieldIdx ?? 0)];
      return `struct_extract(${compileExpr(struct, scope)}, '${name.replace(/'/g, "''")}')`;
    }
    default:
      return refuse(`expression ${node.kind}`);
  }
}

/**
 * DuckDB folds a call with a constant NULL argument to NULL at plan time, dropping its other
 * arguments, errors included ((a * 2^62) + NULL is NULL there, an overflow in GoogleSQL). A NULL
 * constant is therefore a scalar subquery, which the planner cannot see through.
 */
function constant(value: Value, type: TypeProto, scope: Scope): string {
  return value === null && !scope.plain ? `(SELECT ${duckLiteral(null, type)})` : duckLiteral(value, type);
}

function literal(node: Node, scope: Scope): string {
  const type = typeOfNode(node);
  const proto = ((node.value as { value?: ValueProto }).value ?? {}) as ValueProto;
  // fromValueProto reads a NULL array as [] (BigQuery's output rule); a literal keeps its NULL.
  if (type.typeKind === "TYPE_ARRAY" && !proto.arrayValue) return constant(null, type, scope);
  // The canonical cell of -0.0 is "0"; IEEE_DIVIDE and signbit see the sign.
  if (type.typeKind === "TYPE_DOUBLE" && Object.is(proto.doubleValue, -0)) return "CAST('-0.0' AS DOUBLE)";
  return constant(fromValueProto(proto, type), type, scope);
}

function parameter(node: Node, scope: Scope): string {
  const name = String(node.name ?? "");
  const position = Number(node.position ?? 0);
  const param = name
    ? scope.params.find((p) => p.name?.toLowerCase() === name.toLowerCase())
    : scope.params.filter((p) => !p.name)[position - 1];
  if (!param) return refuse(`parameter ${name || position} without a value`);
  return constant(canonicalParam(param.value, typeOfNode(node)), typeOfNode(node), scope);
}

/** Parameter values come in the REST text forms; TIMESTAMP ("2025-01-01 00:00:00 UTC") becomes epoch micros. */
function canonicalParam(value: Value, type: TypeProto): Value {
  if (value === null) return null;
  if (Array.isArray(value)) {
    if (type.typeKind === "TYPE_ARRAY") return value.map((v) => canonicalParam(v, type.arrayType?.elementType as TypeProto));
    return value.map((v, i) => canonicalParam(v, (type.structType?.field ?? [])[i]?.fieldType ?? { typeKind: "" }));
  }
  if (type.typeKind === "TYPE_TIMESTAMP") return timestampTextToMicros(value);
  if (type.typeKind === "TYPE_BOOL") return value.trim().toLowerCase();
  return value;
}

function cast(node: Node, scope: Scope): string {
  const inner = child(node, "expr") as Node;
  const from = typeOfNode(inner);
  const to = typeOfNode(node);
  if (node.format || node.timeZone) return refuse("CAST with FORMAT");
  // SAFE_CAST's TRY forms refuse scalar subqueries: constants stay plain when nothing can fail.
  const x = compileExpr(inner, node.returnNullOnError === true && cannotRaise(inner) ? { ...scope, plain: true } : scope);
  if (duckType(from) === duckType(to)) return x;
  const form = CASTS[`${from.typeKind}>${to.typeKind}`] ?? refuse(`CAST from ${from.typeKind} to ${to.typeKind}`);
  const sql = form(x, node.returnNullOnError === true);
  // TRY would also swallow the argument's own errors, which SAFE_CAST keeps.
  if (sql.startsWith("TRY(") && (!cannotRaise(inner) || sql.includes("(SELECT"))) return refuse(`SAFE_CAST from ${from.typeKind} with an argument that may fail`);
  return sql;
}

/** An expression without column references: DuckDB's binder evaluates it while planning. */
function isConstant(node: Node): boolean {
  if (node.kind === "ColumnRef") return false;
  return Object.values(node).every((v) =>
    Array.isArray(v)
      ? v.every((item) => typeof item !== "object" || item === null || !("kind" in item) || isConstant(item as Node))
      : typeof v !== "object" || v === null || !("kind" in v) || isConstant(v as Node),
  );
}

/**
 * A computed constant argument that may be NULL (NULLIF('a', 'a')) would let DuckDB fold the
 * whole call to NULL while planning, dropping its other arguments' errors; as a scalar subquery
 * it stays a value. Plain literals need no wrapping (NULL ones are wrapped already).
 */
function opaque(node: Node, sql: string, scope: Scope): string {
  if (scope.plain || node.kind === "Literal" || node.kind === "Parameter" || !isConstant(node)) return sql;
  // Under a lazy branch a subquery would run regardless; a CASE on a volatile condition is as
  // opaque to the planner and evaluated only where the branch is.
  if (scope.lazy && !cannotRaise(node)) return `(CASE WHEN random() < 2 THEN ${sql} END)`;
  return `(SELECT ${sql})`;
}

/**
 * Evaluate only the arguments they need, in both engines: a subquery argument would be evaluated
 * always. (AND and OR are not among them: ZetaSQL evaluates all their arguments.)
 */
const LAZY = new Set(["if", "$case_no_value", "$case_with_value", "coalesce", "ifnull"]);

function functionName(node: Node): string {
  const full = String((node.function as { name?: string }).name ?? "");
  return full.replace(/^ZetaSQL:/, "");
}

export function functionCall(node: Node, scope: Scope): string {
  const name = functionName(node);
  if (children(node, "genericArgumentList").length > 0) return refuse(`${name} with lambda or generic arguments`);
  const argNodes = children(node, "argumentList");
  const form = FUNCTIONS[name] ?? (isJsUdfCall(name) ? jsUdfForm(node) : refuse(`function ${name}`));
  const enums = argNodes.map((a) =>
    a.kind === "Literal" && typeOfNode(a).typeKind === "TYPE_ENUM"
      ? Number(((a.value as { value?: { enumValue?: number } }).value ?? {}).enumValue)
      : undefined,
  );
  const lazy = LAZY.has(name);
  // A SAFE. call's arguments are plain when none can fail (else the call is refused, in safe()).
  const callScope = node.errorMode === "SAFE_ERROR_MODE" && argNodes.every(cannotRaise) ? { ...scope, plain: true } : scope;
  const args = argNodes.map((a, i) => {
    if (enums[i] !== undefined) return "";
    // The first argument is always evaluated; the others maybe not.
    const argScope = lazy && i > 0 ? { ...callScope, lazy: true } : callScope;
    return lazy ? compileExpr(a, argScope) : opaque(a, compileExpr(a, argScope), argScope);
  });
  duckType(typeOfNode(node));
  const sql = form({ args, types: argNodes.map(typeOfNode), result: typeOfNode(node), enums, nodes: argNodes });
  if (node.errorMode === "SAFE_ERROR_MODE" && name.startsWith("st_")) return safeGeography(sql);
  return node.errorMode === "SAFE_ERROR_MODE" ? safe(name, sql, argNodes) : sql;
}

/**
 * SAFE.f turns f's own errors into NULL, not its arguments' errors; DuckDB's TRY would swallow
 * both, so the arguments must be unable to fail. Raising macros become their safe_ variants
 * (TRY refuses error(), which is volatile); TRY catches DuckDB's own errors. Regular expressions
 * are compiled while planning, outside TRY's reach: SAFE.REGEXP_* is refused.
 */
function safe(name: string, sql: string, argNodes: Node[]): string {
  if (!argNodes.every(cannotRaise)) return refuse(`SAFE.${name} with an argument that may fail`);
  if (name.startsWith("regexp_")) return refuse(`SAFE.${name}`);
  if (sql.includes("(SELECT")) return refuse(`SAFE.${name} of a subquery`);
  const safeSql = sql.replace(/\b(\w+)\(/g, (call: string, fn: string) => (RAISING_MACROS.has(fn) ? `safe_${fn}(` : call));
  if (/\berror\(/.test(safeSql)) return refuse(`SAFE.${name}`);
  return `TRY(${safeSql})`;
}

export { functionName };
