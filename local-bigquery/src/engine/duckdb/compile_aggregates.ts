/** Aggregate and analytic (window) function calls. */
import { AGGREGATES, type AggregateCall } from "./aggregate_forms";
import { compileExpr, functionName, typeOfNode, type Scope } from "./compile_expressions";
import { orderItems } from "./compile_order";
import { child, children, type Node } from "./resolved_ast";
import { refuse } from "./unsupported";

const ORDERED_SCALARS = new Set(["TYPE_INT64", "TYPE_BOOL", "TYPE_STRING", "TYPE_BYTES", "TYPE_DATE", "TYPE_DATETIME", "TYPE_TIMESTAMP", "TYPE_TIME", "TYPE_NUMERIC"]);

const argKind = (argNodes: Node[]): string => typeOfNode(argNodes[0]).typeKind;

/** The LIMIT of ARRAY_AGG / STRING_AGG: a non-negative INT64 literal or parameter. */
function limitOf(node: Node | undefined, scope: Scope): string | undefined {
  if (!node) return undefined;
  const m = /^CAST\('(\d+)' AS BIGINT\)$/.exec(compileExpr(node, scope));
  return m ? m[1] : refuse("an aggregate LIMIT that is not a non-negative constant");
}

function aggregateCall(node: Node, scope: Scope, over: string): AggregateCall {
  const name = functionName(node);
  if (node.errorMode === "SAFE_ERROR_MODE") refuse(`SAFE.${name}`);
  const nulls = String(node.nullHandlingModifier ?? "DEFAULT_NULL_HANDLING");
  if (nulls === "RESPECT_NULLS" || (nulls === "IGNORE_NULLS" && name !== "array_agg")) refuse(`${name} IGNORE/RESPECT NULLS`);
  if (child(node, "havingModifier")) refuse(`${name} with HAVING MAX/MIN`);
  if (children(node, "groupByList").length > 0) refuse(`${name} with GROUP BY`);
  const argNodes = children(node, "argumentList");
  return {
    name,
    result: typeOfNode(node),
    argNodes,
    args: argNodes.map((a) => compileExpr(a, scope)),
    over,
    distinct: node.distinct === true,
    order: orderItems(children(node, "orderByItemList"), scope),
    limit: limitOf(child(node, "limit"), scope),
    ignoreNulls: nulls === "IGNORE_NULLS",
  };
}

export function compileAggregate(node: Node, scope: Scope): string {
  if (node.kind !== "AggregateFunctionCall") return refuse(`aggregate ${node.kind}`);
  const call = aggregateCall(node, scope, "");
  const form = AGGREGATES[call.name] ?? refuse(`aggregate ${call.name}`);
  return form(call);
}

/**
 * An aggregate over the rows a condition keeps (PIVOT): the condition rides in `over` as a FILTER
 * clause after each DuckDB aggregate; forms with a FILTER of their own are refused.
 */
export function compileFilteredAggregate(node: Node, scope: Scope, condition: string): string {
  if (node.kind !== "AggregateFunctionCall") return refuse(`aggregate ${node.kind}`);
  const call = aggregateCall(node, scope, ` FILTER (WHERE ${condition})`);
  if (call.name === "countif" || call.ignoreNulls || call.limit !== undefined) return refuse(`PIVOT of ${call.name} with a filter of its own`);
  const form = AGGREGATES[call.name] ?? refuse(`aggregate ${call.name}`);
  return form(call);
}

/**
 * PERCENTILE_DISC with a literal fraction over ordered kinds (not FLOAT64: ZetaSQL orders NaN
 * first, DuckDB last). PERCENTILE_CONT is refused: its interpolation rounds differently from
 * DuckDB's (one ulp, for large values).
 */
function percentile(call: AggregateCall, window: string): string {
  if (call.name !== "percentile_disc") return refuse("analytic percentile_cont");
  const k = typeOfNode(call.argNodes[0]).typeKind;
  if (!ORDERED_SCALARS.has(k)) return refuse(`PERCENTILE_DISC of ${k}`);
  if (call.argNodes[1]?.kind !== "Literal") return refuse("PERCENTILE_DISC with a computed fraction");
  return `quantile_disc(${call.args[0]}, ${call.args[1]}) ${window}`;
}

/** Navigation and numbering functions (no frame); their DuckDB names are the same. */
const ANALYTIC: Record<string, (args: string[]) => string> = {
  row_number: () => "row_number()",
  rank: () => "rank()",
  dense_rank: () => "dense_rank()",
  percent_rank: () => "percent_rank()",
  cume_dist: () => "cume_dist()",
  lag: (args) => `lag(${args.join(", ")})`,
  lead: (args) => `lead(${args.join(", ")})`,
  first_value: (args) => `first_value(${args[0]})`,
  last_value: (args) => `last_value(${args[0]})`,
};

/** RANGE offsets over INT64 and NUMERIC keys are computed in HUGEINT (DuckDB's key +/- offset overflows BIGINT and DECIMAL(38)). */
type Widen = (sql: string) => string;
const WIDEN: Record<string, Widen> = {
  TYPE_INT64: (sql) => `CAST(${sql} AS HUGEINT)`,
  // NUMERIC in nanos: |key| < 10^38, and offsets are kept below 7e28 (see frame), within HUGEINT.
  TYPE_NUMERIC: (sql) => `(CAST(trunc(${sql}) AS HUGEINT) * 1000000000 + CAST((${sql} - trunc(${sql})) * 1000000000 AS HUGEINT))`,
};

function boundary(b: Node, scope: Scope, widen: Widen | undefined): string {
  const offset = (): string => {
    const sql = compileExpr(child(b, "expression") as Node, scope);
    if (!widen) return sql;
    const m = /^CAST\('([0-9.]+)' AS (BIGINT|DECIMAL\(38, 9\))\)$/.exec(sql);
    if (!m || Number(m[1]) > 7e28) return refuse("a RANGE offset that is not a literal below 7e28");
    return widen(sql);
  };
  switch (b.boundaryType) {
    case "UNBOUNDED_PRECEDING":
      return "UNBOUNDED PRECEDING";
    case "UNBOUNDED_FOLLOWING":
      return "UNBOUNDED FOLLOWING";
    case "CURRENT_ROW":
      return "CURRENT ROW";
    case "OFFSET_PRECEDING":
      return `${offset()} PRECEDING`;
    case "OFFSET_FOLLOWING":
      return `${offset()} FOLLOWING`;
    default:
      return refuse(`window boundary ${String(b.boundaryType)}`);
  }
}

/** The frame clause, and how the ORDER BY key is widened for a RANGE frame with offsets. */
function frame(node: Node, scope: Scope, keyKind: string): { sql: string; widen?: Widen } {
  const f = child(node, "windowFrame");
  if (!f) return { sql: "" };
  const start = child(f, "startExpr") as Node;
  const end = child(f, "endExpr") as Node;
  const offsets = [start, end].some((b) => String(b.boundaryType).startsWith("OFFSET"));
  let widen: Widen | undefined;
  if (f.frameUnit === "RANGE" && offsets) {
    // GoogleSQL allows one numeric key. FLOAT64 (NaN, infinities) is not proven.
    widen = WIDEN[keyKind] ?? refuse(`RANGE frame with offsets over ${keyKind}`);
  }
  return { sql: ` ${String(f.frameUnit)} BETWEEN ${boundary(start, scope, widen)} AND ${boundary(end, scope, widen)}`, widen };
}

/** One analytic function with its group's window. */
export function compileAnalytic(node: Node, group: Node, scope: Scope): string {
  const partition = children(child(group, "partitionBy") ?? { kind: "" }, "partitionByList");
  // DuckDB partitions intervals by its own normalisation, not GoogleSQL's (functions_interval.ts).
  if (partition.some((p) => typeOfNode(p).typeKind === "TYPE_INTERVAL")) refuse("PARTITION BY an INTERVAL");
  const orderBy = children(child(group, "orderBy") ?? { kind: "" }, "orderByItemList");
  const over: string[] = [];
  if (partition.length > 0) {
    over.push(`PARTITION BY ${partition.map((p) => compileExpr({ ...p, kind: "ColumnRef" }, scope)).join(", ")}`);
  }
  const keyKind = orderBy.length === 1 ? typeOfNode(orderBy[0].columnRef as Node).typeKind : "none";
  const framing = frame(node, scope, keyKind);
  if (orderBy.length > 0) over.push(`ORDER BY ${orderItems(orderBy, scope, framing.widen).join(", ")}`);
  const window = `OVER (${over.join(" ")}${framing.sql})`;
  if (node.kind !== "AnalyticFunctionCall") return refuse(`analytic ${node.kind}`);
  const call = aggregateCall(node, scope, ` ${window}`);
  const { name, args, argNodes } = call;
  if (node.distinct) return refuse(`${name}(DISTINCT ...) OVER`);
  const navigation = ANALYTIC[name];
  if (navigation) {
    if (["first_value", "last_value"].includes(name) && !ORDERED_SCALARS.has(argKind(argNodes)) && argKind(argNodes) !== "TYPE_DOUBLE") {
      return refuse(`${name} of ${argKind(argNodes)}`);
    }
    return `${navigation(args)} ${window}`;
  }
  if (name === "percentile_cont" || name === "percentile_disc") return percentile(call, window);
  const aggregate = AGGREGATES[name] ?? refuse(`analytic ${name}`);
  return aggregate(call);
}
