/**
 * A conservative test that an expression (or a subquery's scan) can never raise an error. DuckDB
 * evaluates a subquery for every row, even under a CASE branch not taken; GoogleSQL evaluates only
 * the branch taken. Such a subquery is exact only when it cannot fail. Unknown means "may raise".
 */
import { children, child, type Node } from "./resolved_ast";

/** Functions that raise on no input (every argument must also be safe). */
const NEVER_RAISE = new Set([
  "$equal", "$not_equal", "$less", "$less_or_equal", "$greater", "$greater_or_equal",
  "$and", "$or", "$not", "$is_null", "$is_true", "$is_false", "$is_not_distinct_from", "$is_distinct_from",
  "$in", "$between", "$like", "if", "coalesce", "ifnull", "nullif", "$case_no_value", "$case_with_value",
  "$make_array", "lower", "upper", "length", "byte_length", "char_length", "starts_with", "ends_with", "strpos",
  "array_length", "safe_divide", "$in_array", "is_nan", "is_inf", "greatest", "least",
  "trim", "ltrim", "rtrim", "reverse", "split", "unicode", "to_hex", "md5", "sha1", "sha256", "array_reverse", "array_concat",
  "unix_date", "unix_seconds", "unix_millis", "unix_micros", "$extract", "timestamp_diff", "date_diff", "datetime_diff", "time_diff",
  "sign", "ieee_divide", "safe_add", "safe_subtract", "safe_multiply", "safe_negate", "$safe_array_at_offset", "$safe_array_at_ordinal",
  "json_value", "json_extract_scalar", "json_type", "to_json_string", "format_date", "format_datetime", "format_timestamp", "format_time",
]);

/** Aggregates that cannot fail on any input (SUM and AVG can overflow). */
const SAFE_AGGREGATES = new Set([
  "$count_star", "count", "countif", "min", "max", "logical_and", "logical_or", "any_value", "bit_and", "bit_or", "bit_xor",
  "array_agg", "string_agg", "approx_count_distinct", "stddev_samp", "stddev_pop", "var_samp", "var_pop",
]);

/** Casts that succeed for every value. */
const SAFE_CASTS = new Set([
  "TYPE_INT64>TYPE_DOUBLE", "TYPE_INT64>TYPE_NUMERIC", "TYPE_INT64>TYPE_STRING", "TYPE_BOOL>TYPE_STRING", "TYPE_BOOL>TYPE_INT64",
  "TYPE_INT64>TYPE_BOOL", "TYPE_DATE>TYPE_TIMESTAMP", "TYPE_TIMESTAMP>TYPE_DATE", "TYPE_DATE>TYPE_DATETIME", "TYPE_DATE>TYPE_STRING",
  "TYPE_DOUBLE>TYPE_STRING", "TYPE_NUMERIC>TYPE_STRING", "TYPE_TIMESTAMP>TYPE_STRING", "TYPE_DATETIME>TYPE_STRING", "TYPE_TIME>TYPE_STRING",
  "TYPE_TIMESTAMP>TYPE_DATETIME", "TYPE_TIMESTAMP>TYPE_TIME", "TYPE_DATETIME>TYPE_DATE", "TYPE_DATETIME>TYPE_TIME", "TYPE_DATETIME>TYPE_TIMESTAMP",
  "TYPE_STRING>TYPE_BYTES",
]);

const name = (node: Node): string => String((node.function as { name?: string } | undefined)?.name ?? "").replace(/^ZetaSQL:/, "");
const kindOf = (node: Node | undefined): string => String((node?.type as { typeKind?: string } | undefined)?.typeKind ?? "");

export function cannotRaise(node: Node | undefined): boolean {
  if (!node) return true;
  switch (node.kind) {
    case "Literal":
    case "Parameter":
    case "ColumnRef":
      return true;
    case "FunctionCall":
      if (node.errorMode === "SAFE_ERROR_MODE") return children(node, "argumentList").every(cannotRaise);
      return NEVER_RAISE.has(name(node)) && children(node, "argumentList").every(cannotRaise);
    case "Cast": {
      const inner = child(node, "expr") as Node;
      const safe = node.returnNullOnError === true || kindOf(inner) === kindOf(node) || SAFE_CASTS.has(`${kindOf(inner)}>${kindOf(node)}`);
      return safe && !node.format && cannotRaise(inner);
    }
    case "MakeStruct":
      return children(node, "fieldList").every(cannotRaise);
    case "GetStructField":
      return cannotRaise(child(node, "expr"));
    case "SubqueryExpr": {
      const scan = child(node, "subquery") as Node;
      if (!scanCannotRaise(scan) || !cannotRaise(child(node, "inExpr"))) return false;
      // A scalar subquery fails when it yields more than one row.
      return node.subqueryType !== "SCALAR" || atMostOneRow(scan);
    }
    default:
      return false;
  }
}

function scanCannotRaise(scan: Node | undefined): boolean {
  if (!scan) return true;
  const input = (): boolean => scanCannotRaise(child(scan, "inputScan"));
  switch (scan.kind) {
    case "TableScan":
    case "SingleRowScan":
    case "WithRefScan":
      return true;
    case "ProjectScan":
      return children(scan, "exprList").every((e) => cannotRaise(child(e, "expr"))) && input();
    case "FilterScan":
      return cannotRaise(child(scan, "filterExpr")) && input();
    case "OrderByScan":
    case "LimitOffsetScan":
      return input();
    case "AggregateScan":
      return (
        children(scan, "groupByList").every((g) => cannotRaise(child(g, "expr"))) &&
        children(scan, "aggregateList").every((a) => {
          const call = child(a, "expr") as Node;
          return SAFE_AGGREGATES.has(name(call)) && children(call, "argumentList").every(cannotRaise);
        }) &&
        input()
      );
    case "JoinScan":
      return cannotRaise(child(scan, "joinExpr")) && scanCannotRaise(child(scan, "leftScan")) && scanCannotRaise(child(scan, "rightScan"));
    default:
      return false;
  }
}

function atMostOneRow(scan: Node): boolean {
  switch (scan.kind) {
    case "SingleRowScan":
      return true;
    case "AggregateScan":
      return children(scan, "groupByList").length === 0;
    case "ProjectScan":
    case "FilterScan":
    case "OrderByScan":
      return atMostOneRow(child(scan, "inputScan") as Node);
    default:
      return false;
  }
}
