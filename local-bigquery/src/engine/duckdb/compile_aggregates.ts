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

function boundary(b: Node, scope: Scope): string {
  switch (b.boundaryType) {
    case "UNBOUNDED_PRECEDING":
      return "UNBOUNDED PRECEDING";
    case "UNBOUNDED_FOLLOWING":
      return "UNBOUNDED FOLLOWING";
    case "CURRENT_ROW":
      return "CURRENT ROW";
    case "OFFSET_PRECEDING":
      return `${compileExpr(child(b, "expression") as Node, scope)} PRECEDING`;
    case "OFFSET_FOLLOWING":
      return `${compileExpr(child(b, "expression") as Node, scope)} FOLLOWING`;
    default:
      return refuse(`window boundary ${String(b.boundaryType)}`);
  }
}

function frame(node: Node, scope: Scope, ordered: boolean): string {
  const f = child(node, "windowFrame");
  if (!f) return "";
  const start = child(f, "startExpr") as Node;
  const end = child(f, "endExpr") as Node;
  const offsets = [start, end].some((b) => String(b.boundaryType).startsWith("OFFSET"));
  // RANGE with offsets over a DOUBLE (NaN) or without ORDER BY is not yet proven.
  if (f.frameUnit === "RANGE" && offsets) return refuse("RANGE frame with offsets");
  if (f.frameUnit === "RANGE" && !ordered && offsets) return refuse("RANGE frame without ORDER BY");
  return ` ${String(f.frameUnit)} BETWEEN ${boundary(start, scope)} AND ${boundary(end, scope)}`;
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
  if (orderBy.length > 0) over.push(`ORDER BY ${orderItems(orderBy, scope).join(", ")}`);
  const window = `OVER (${over.join(" ")}${frame(node, scope, orderBy.length > 0)})`;
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
  const aggregate = AGGREGATES[name] ?? refuse(`analytic ${name}`);
  return aggregate(call);
}
