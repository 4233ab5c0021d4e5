/**
 * GoogleSQL aggregate functions (ZetaSQL's names) and their DuckDB forms, each proven equal over
 * empty input, NULLs, NaN and overflow by the differential tests. A form gets its compiled call;
 * `over` (empty, or " OVER (...)" for an analytic call) must follow each DuckDB aggregate it uses.
 *
 * FLOAT64 SUM, AVG, STDDEV and VARIANCE are not bit-exact: ZetaSQL's reference sums exactly,
 * BigQuery in no fixed order; DuckDB's fsum (Kahan-Babuska) is the closest form. The differential
 * tests compare those results within a relative 1e-12.
 */
import type { TypeProto } from "../types";
import type { Node } from "./resolved_ast";
import { refuse } from "./unsupported";
import { typeOfNode } from "./compile_expressions";
import { APPROX_AGGREGATES } from "./aggregates_approx";

export interface AggregateCall {
  name: string;
  /** The call's result type. */
  result: TypeProto;
  args: string[];
  argNodes: Node[];
  /** Empty, or " OVER (...)". */
  over: string;
  distinct: boolean;
  /** DuckDB ORDER BY keys of ARRAY_AGG / STRING_AGG (empty when none). */
  order: string[];
  /** A LIMIT constant, when given. */
  limit?: string;
  ignoreNulls: boolean;
}

export type AggregateForm = (call: AggregateCall) => string;

const ORDERED_SCALARS = new Set(["TYPE_INT64", "TYPE_BOOL", "TYPE_STRING", "TYPE_BYTES", "TYPE_DATE", "TYPE_DATETIME", "TYPE_TIMESTAMP", "TYPE_TIME", "TYPE_NUMERIC"]);

const argKind = (call: AggregateCall, i = 0): string => typeOfNode(call.argNodes[i]).typeKind;
const d = (call: AggregateCall): string => (call.distinct ? "DISTINCT " : "");

/** Only the modifiers an aggregate accepts: DISTINCT (per kind), ORDER BY, LIMIT, IGNORE NULLS. */
function plain(call: AggregateCall, distinctKinds: Set<string> | null): void {
  if (call.order.length > 0 || call.limit !== undefined) refuse(`${call.name} with ORDER BY or LIMIT`);
  if (call.ignoreNulls) refuse(`${call.name} IGNORE NULLS`);
  if (call.distinct && (!distinctKinds || !distinctKinds.has(argKind(call)))) refuse(`${call.name}(DISTINCT ...) of ${argKind(call)}`);
}

function minMax(fn: "min" | "max"): AggregateForm {
  return (call) => {
    plain(call, ORDERED_SCALARS);
    const [x] = call.args;
    const k = argKind(call);
    if (ORDERED_SCALARS.has(k)) return `${fn}(${x})${call.over}`;
    // GoogleSQL's MIN and MAX are NaN when any input is; DuckDB's MAX is, its MIN is not.
    if (k === "TYPE_DOUBLE") {
      return `(CASE WHEN bool_or(isnan(${x}))${call.over} THEN CAST('NaN' AS DOUBLE) ELSE ${fn}(${x})${call.over} END)`;
    }
    return refuse(`${fn.toUpperCase()} of ${k}`);
  };
}

/**
 * FLOAT64 SUM and AVG: NaN if any input is NaN or both infinities occur, else the infinity present;
 * else fsum. ZetaSQL raises only when the total overflows, not a partial sum (fsum is NaN then):
 * the sum is taken again of x / 1024 (exact) and scaled back, overflowing only if the total does.
 */
function doubleSum(call: AggregateCall, average: boolean): string {
  const [x] = call.args;
  const o = call.over;
  const n = average ? ` / count(${x})${o}` : "";
  const whole = `fsum(${x})${o}${n}`;
  const scaled = `(fsum(${x} / 1024)${o}${n}) * 1024`;
  return `(CASE WHEN bool_or(isnan(${x}))${o} OR (bool_or(${x} = 'Infinity')${o} AND bool_or(${x} = '-Infinity')${o}) THEN CAST('NaN' AS DOUBLE)
    WHEN bool_or(${x} = 'Infinity')${o} THEN CAST('Infinity' AS DOUBLE) WHEN bool_or(${x} = '-Infinity')${o} THEN CAST('-Infinity' AS DOUBLE)
    WHEN isfinite(${whole}) THEN ${whole} WHEN count(${x})${o} = 0 THEN NULL
    WHEN isinf(${scaled}) THEN error('double overflow') ELSE ${scaled} END)`;
}

/**
 * NUMERIC SUM and AVG exactly: DuckDB's DECIMAL(38) sum overflows its HUGEINT where ZetaSQL's wider
 * accumulator does not, and its AVG is a DOUBLE. The sum is kept as two exact HUGEINT sums, of
 * the integer parts and of the fractions in units of 1e-9; the prelude's macros combine them,
 * raise GoogleSQL's overflow for SUM and round AVG half away from zero.
 */
function numericSum(call: AggregateCall, average: boolean): string {
  const [x] = call.args;
  const o = call.over;
  const whole = `sum(CAST(trunc(${x}) AS HUGEINT))${o}`;
  const nanos = `sum(CAST((${x} - trunc(${x})) * 1000000000 AS BIGINT))${o}`;
  return average ? `gsql_numeric_avg(${whole}, ${nanos}, count(${x})${o})` : `gsql_numeric_sum(${whole}, ${nanos})`;
}

function sum(average: boolean): AggregateForm {
  return (call) => {
    const k = argKind(call);
    plain(call, k === "TYPE_INT64" ? ORDERED_SCALARS : null);
    const [x] = call.args;
    // DuckDB sums BIGINT into HUGEINT; the cast back raises when the total leaves INT64.
    if (k === "TYPE_INT64" && !average) return `CAST(sum(${d(call)}${x})${call.over} AS BIGINT)`;
    // ZetaSQL averages INT64 as FLOAT64s (9223372036854775807 is 2^63 there): the FLOAT64 form.
    // (Its AVG(DISTINCT) takes distinct INT64s, which distinct FLOAT64s would merge: refused.)
    if (k === "TYPE_INT64") return call.distinct ? refuse("AVG(DISTINCT ...) of TYPE_INT64") : doubleSum({ ...call, args: [`CAST(${x} AS DOUBLE)`] }, true);
    if (k === "TYPE_DOUBLE") return doubleSum(call, average);
    if (k === "TYPE_NUMERIC") return numericSum(call, average);
    return refuse(`${average ? "AVG" : "SUM"} of ${k}`);
  };
}

/**
 * STDDEV and VARIANCE: NaN when an input is NaN or infinite. DuckDB raises "out of range" on such
 * inputs and when its sum of squares overflows, and raises in the aggregate whatever a CASE around
 * it picks, so neither aggregate ever sees them: one gets only finite inputs up to 1e100 (else 0),
 * the other all finite inputs scaled by 2^-600 (exact) and its result scaled back, so a variance
 * beyond FLOAT64 is +inf as in ZetaSQL. The CASE picks the one that saw the true inputs.
 */
function spread(fn: string, squared: boolean): AggregateForm {
  return (call) => {
    plain(call, null);
    const k = argKind(call);
    if (!["TYPE_DOUBLE", "TYPE_INT64", "TYPE_NUMERIC"].includes(k)) return refuse(`${fn} of ${k}`);
    const x = k === "TYPE_DOUBLE" ? call.args[0] : `CAST(${call.args[0]} AS DOUBLE)`;
    const o = call.over;
    const scale = "4.149515568880993e+180"; // 2^600
    const back = squared ? ` * ${scale} * ${scale}` : ` * ${scale}`;
    // NULL stays NULL (skipped): NOT isfinite(NULL) is NULL, so the ELSE branch gives x.
    const small = `${fn}(CASE WHEN NOT isfinite(${x}) OR abs(${x}) > 1e100 THEN 0 ELSE ${x} END)${o}`;
    const large = `${fn}(CASE WHEN NOT isfinite(${x}) THEN 0 ELSE ${x} / ${scale} END)${o}${back}`;
    // Fewer than two values (one for the population forms) is NULL, before any NaN.
    const minimum = fn.endsWith("_samp") ? 2 : 1;
    return `(CASE WHEN count(${x})${o} < ${minimum} THEN NULL WHEN bool_or(NOT isfinite(${x}))${o} THEN CAST('NaN' AS DOUBLE)
      WHEN max(abs(${x}))${o} > 1e100 THEN ${large} ELSE ${small} END)`;
  };
}

function bitwise(fn: string): AggregateForm {
  return (call) => {
    plain(call, ORDERED_SCALARS);
    if (argKind(call) !== "TYPE_INT64") return refuse(`${fn} of ${argKind(call)}`);
    return `${fn}(${d(call)}${call.args[0]})${call.over}`;
  };
}

const orderBy = (call: AggregateCall): string => (call.order.length > 0 ? ` ORDER BY ${call.order.join(", ")}` : "");
const sliced = (list: string, limit: string | undefined): string => (limit === undefined ? list : `(${list})[1:${limit}]`);

/** Types DISTINCT may group in both engines alike (FLOAT64: NaN is one value, -0 equals 0). */
const DISTINCT_KINDS = new Set([...ORDERED_SCALARS, "TYPE_DOUBLE"]);

export const AGGREGATES: Record<string, AggregateForm> = {
  ...APPROX_AGGREGATES,
  $count_star: (call) => `count(*)${call.over}`,
  count: (call) => {
    plain(call, DISTINCT_KINDS);
    return `count(${d(call)}${call.args[0]})${call.over}`;
  },
  // The reference evaluator lacks APPROX_COUNT_DISTINCT; an exact count is what BigQuery
  // answers for small inputs (HLL++ is exact below its sparse precision).
  approx_count_distinct: (call) => {
    plain(call, null);
    if (!ORDERED_SCALARS.has(argKind(call)) || argKind(call) === "TYPE_BOOL") return refuse(`APPROX_COUNT_DISTINCT of ${argKind(call)}`);
    return `count(DISTINCT ${call.args[0]})${call.over}`;
  },
  sum: sum(false),
  avg: sum(true),
  min: minMax("min"),
  max: minMax("max"),
  countif: (call) => {
    plain(call, null);
    return `count(*) FILTER (WHERE ${call.args[0]})${call.over}`;
  },
  logical_and: (call) => {
    plain(call, null);
    return `bool_and(${call.args[0]})${call.over}`;
  },
  logical_or: (call) => {
    plain(call, null);
    return `bool_or(${call.args[0]})${call.over}`;
  },
  // ZetaSQL's ANY_VALUE respects NULLs (it takes the first row); DuckDB's any_value skips them, first() does not.
  any_value: (call) => {
    plain(call, null);
    return `first(${call.args[0]})${call.over}`;
  },
  bit_and: bitwise("bit_and"),
  bit_or: bitwise("bit_or"),
  bit_xor: bitwise("bit_xor"),
  stddev_samp: spread("stddev_samp", false),
  stddev_pop: spread("stddev_pop", false),
  var_samp: spread("var_samp", true),
  var_pop: spread("var_pop", true),
  // NULL elements stay unless IGNORE NULLS (ZetaSQL keeps them; BigQuery rejects them on output).
  array_agg: (call) => {
    const k = argKind(call);
    if (call.distinct && !DISTINCT_KINDS.has(k)) return refuse(`ARRAY_AGG(DISTINCT ...) of ${k}`);
    if (k === "TYPE_DOUBLE" && call.distinct) return refuse("ARRAY_AGG(DISTINCT ...) of FLOAT64");
    const filter = call.ignoreNulls ? ` FILTER (WHERE ${call.args[0]} IS NOT NULL)` : "";
    return sliced(`list(${d(call)}${call.args[0]}${orderBy(call)})${filter}${call.over}`, call.limit);
  },
  // STRING_AGG skips NULLs; its LIMIT counts non-NULL values.
  string_agg: (call) => {
    if (argKind(call) !== "TYPE_STRING") return refuse(`STRING_AGG of ${argKind(call)}`);
    if (call.ignoreNulls) refuse("STRING_AGG IGNORE NULLS");
    const delimiter = call.argNodes[1];
    if (delimiter && (delimiter.kind !== "Literal" || call.args[1].startsWith("(SELECT"))) return refuse("STRING_AGG with a computed or NULL delimiter");
    const sep = call.args[1] ?? "','";
    const [s] = call.args;
    if (call.limit === undefined) return `string_agg(${d(call)}${s}, ${sep}${orderBy(call)})${call.over}`;
    return `array_to_string(${sliced(`list(${d(call)}${s}${orderBy(call)}) FILTER (WHERE ${s} IS NOT NULL)${call.over}`, call.limit)}, ${sep})`;
  },
};
