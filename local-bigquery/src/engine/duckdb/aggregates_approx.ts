/**
 * APPROX_QUANTILES, APPROX_TOP_COUNT and APPROX_TOP_SUM, which the reference evaluator lacks.
 * BigQuery's sketches (KLL, and the top-k counters) are exact on small inputs; these compute the
 * exact answer, which is what BigQuery gives there and within its stated error elsewhere:
 * - APPROX_QUANTILES(x, n): the minimum, then for i = 1..n the value of nearest rank
 *   ceil(i * N / n) among the N non-NULL values (sorted as GoogleSQL sorts: NaN lowest), so the
 *   last is the maximum. BigQuery's documented examples all follow this rank.
 * - APPROX_TOP_COUNT(x, n): the n most frequent values (NULL is a value) with their counts;
 *   APPROX_TOP_SUM(x, w, n) the n values of largest total weight (rows with a NULL weight are
 *   skipped). Ties are broken by the value, ascending, NULL last: BigQuery leaves their order open.
 */
import type { AggregateCall, AggregateForm } from "./aggregate_forms";
import { typeOfNode } from "./compile_expressions";
import { duckType } from "./types";
import { refuse } from "./unsupported";

const ORDERED = new Set(["TYPE_INT64", "TYPE_BOOL", "TYPE_STRING", "TYPE_BYTES", "TYPE_DATE", "TYPE_DATETIME", "TYPE_TIMESTAMP", "TYPE_TIME", "TYPE_NUMERIC", "TYPE_DOUBLE"]);

export const APPROX_MACROS: string[] = [
  // l sorted, non-NULL; element i (0..n) is l at rank max(1, ceil(i * len / n)).
  `CREATE MACRO gsql_quantiles(l, n) AS CASE WHEN l IS NULL OR len(l) = 0 THEN NULL
     ELSE list_transform(range(n + 1), lambda i: l[greatest(1, (i * len(l) + n - 1) // n)]) END`,
  // pairs: a list of {v, w}; per distinct value (NULL included) its total, largest first, then by value.
  `CREATE MACRO gsql_top(pairs, n) AS list_transform(list_slice(list_sort(list_transform(
       list_distinct(list_transform(pairs, lambda p: {'k': p.v})),
       lambda d: {'neg': - list_sum(list_transform(list_filter(pairs, lambda p: p.v IS NOT DISTINCT FROM d.k), lambda p: p.w)), 'k': d.k})),
     1, n), lambda e: {'value': e.k, 'total': - e.neg})`,
];

/** A positive INT64 literal argument (BigQuery requires a constant). */
function countArg(call: AggregateCall, i: number): string {
  const m = /^CAST\('(\d+)' AS BIGINT\)$/.exec(call.args[i] ?? "");
  if (!m || BigInt(m[1]) < 1n) return refuse(`${call.name} with a count that is not a positive constant`);
  return m[1];
}

function noModifiers(call: AggregateCall): void {
  if (call.order.length > 0 || call.limit !== undefined || call.ignoreNulls) refuse(`${call.name} with ORDER BY, LIMIT or IGNORE NULLS`);
  if (call.over) refuse(`${call.name} OVER`);
}

const kindOf = (call: AggregateCall, i: number): string => typeOfNode(call.argNodes[i]).typeKind;

export const APPROX_AGGREGATES: Record<string, AggregateForm> = {
  approx_quantiles: (call) => {
    noModifiers(call);
    const k = kindOf(call, 0);
    if (!ORDERED.has(k)) return refuse(`APPROX_QUANTILES of ${k}`);
    const [x] = call.args;
    const n = countArg(call, 1);
    // GoogleSQL sorts NaN below every number; DuckDB above.
    const order = k === "TYPE_DOUBLE" ? `isnan(${x}) DESC, ${x}` : x;
    const distinct = call.distinct ? "DISTINCT " : "";
    if (call.distinct && k === "TYPE_DOUBLE") return refuse("APPROX_QUANTILES(DISTINCT ...) of FLOAT64");
    return `gsql_quantiles(list(${distinct}${x} ORDER BY ${order}) FILTER (WHERE ${x} IS NOT NULL), ${n})`;
  },
  approx_top_count: (call) => {
    noModifiers(call);
    const k = kindOf(call, 0);
    if (!ORDERED.has(k) || k === "TYPE_DOUBLE") return refuse(`APPROX_TOP_COUNT of ${k}`);
    const n = countArg(call, 1);
    const type = duckType(call.result);
    // The struct's second field is count; gsql_top names it total.
    return `CAST(list_transform(gsql_top(list({'v': ${call.args[0]}, 'w': 1}), ${n}), lambda e: {'value': e.value, 'count': CAST(e.total AS BIGINT)}) AS ${type})`;
  },
  approx_top_sum: (call) => {
    noModifiers(call);
    const k = kindOf(call, 0);
    const w = kindOf(call, 1);
    if (!ORDERED.has(k) || k === "TYPE_DOUBLE") return refuse(`APPROX_TOP_SUM of ${k}`);
    if (w !== "TYPE_INT64" && w !== "TYPE_DOUBLE") return refuse(`APPROX_TOP_SUM with ${w} weights`);
    const n = countArg(call, 2);
    const type = duckType(call.result);
    const [x, weight] = call.args;
    // INT64: HUGEINT totals, cast back (raising on overflow, as a sum does). FLOAT64: a plain sum
    // in no fixed order (BigQuery fixes none either); NaN and infinite weights fail plainly.
    const exact = w === "TYPE_INT64";
    const wsql = exact ? `CAST(${weight} AS HUGEINT)` : weight;
    const total = exact ? "CAST(e.total AS BIGINT)" : "e.total";
    const top = `CAST(list_transform(gsql_top(list({'v': ${x}, 'w': ${wsql}}) FILTER (WHERE ${weight} IS NOT NULL), ${n}), lambda e: {'value': e.value, 'sum': ${total}}) AS ${type})`;
    if (exact) return top;
    return `(CASE WHEN bool_or(NOT isfinite(${weight})) THEN error('The local BigQuery does not implement APPROX_TOP_SUM over NaN or infinite weights') ELSE ${top} END)`;
  },
};
