/**
 * The DuckDB half of the engine (issue 8, step 1): ZetaSQL parses and analyses; this compiles
 * ZetaSQL's resolved AST, scan by scan and expression by expression, into DuckDB SQL, and runs it.
 * Not yet wired into the server.
 *
 * Contract: exactness. compileQuery() emits only forms proven equal to ZetaSQL's reference
 * evaluator by test/duckdb_differential*.test.ts (with a generated corpus of 1,200 queries); any
 * node, function, argument type or modifier it does not know yields { ok: false, unsupported:
 * "unsupported: <construct>" } so the caller falls back to ZetaSQL. Never a silently different
 * answer.
 *
 * Resolved-AST shapes (Analyze's proto JSON; resolved_ast.ts flattens them):
 * - each node is wrapped once per abstract base (`resolvedScanNode` > `resolvedProjectScanNode`),
 *   inherited fields sit under `parent`; items such as partitionByList or orderByItemList's
 *   columnRef are bare ColumnRef messages without the wrapper.
 * - columns are identified by columnId, unique within a statement (a WITH reference, a self-join
 *   each get new ids), so every compiled relation names its columns c<id>.
 * - ORDER BY keys are ColumnRefs, often to columns the OrderByScan does not output; order is kept
 *   through nesting by an __ord column (row_number over the keys) that Project/Filter/Limit scans
 *   marked isOrdered carry up to the final ORDER BY.
 * - implicit coercions are explicit Cast nodes (INT64 / INT64 arrives as $divide of two casts to
 *   DOUBLE); date parts are TYPE_ENUM literals (DateTimestampPart: YEAR 1 ... SECOND 9, DAY 3).
 * - QUALIFY is an AnalyticScan under a FilterScan; aggregate window functions always carry an
 *   explicit windowFrame (the default frames are spelled out), navigation functions none.
 *
 * Files: compile_statement (entry), compile_scans (+ compile_pivot, compile_subqueries),
 * compile_expressions (literals, parameters, casts via casts.ts, calls), compile_aggregates with
 * aggregate_forms, compile_order; functions*.ts hold scalar forms by family (call.ts: what a form
 * receives); prelude.ts the session settings and the macros the forms call (each family's macros
 * live beside its forms); cannot_raise.ts decides which expressions can never fail.
 *
 * DuckDB traps handled: x / 0 and x // 0 are NULL (GoogleSQL: error); FLOAT64 overflow gives
 * Infinity (GoogleSQL: error); NaN = NaN is TRUE and NaN sorts above +inf (GoogleSQL: comparisons
 * with NaN are FALSE, NaN sorts just above NULL), and DuckDB's MIN ignores NaN; concat() skips
 * NULLs (|| does not); MOD(INT64_MIN, -1) overflows (GoogleSQL: 0); millisecond()/microsecond()
 * include the whole seconds; dayofweek() counts from 0; substring() rejects lengths > 2^32;
 * SUM(BIGINT) is HUGEINT (cast back, which raises on INT64 overflow like GoogleSQL); NULLS FIRST/
 * LAST is always spelled out (GoogleSQL: ASC NULLS FIRST, DESC NULLS LAST); TIMESTAMP is
 * TIMESTAMPTZ in a UTC session. Strings compare byte-wise in both (DuckDB's default collation).
 * SUM of DECIMAL(38, 9) overflows its HUGEINT where ZetaSQL's wider accumulator does not and AVG
 * of DECIMAL is a DOUBLE: NUMERIC SUM/AVG are two exact HUGEINT sums (integer parts, nanos) that
 * prelude macros combine. DuckDB's STDDEV/VARIANCE raise "out of range" on NaN, infinities and
 * huge inputs, inside the aggregate whatever a CASE around it picks: they see sanitised inputs.
 * DuckDB's any_value skips NULLs (ZetaSQL's takes the first row): first(). DECIMAL to DOUBLE
 * rounds twice (text to DOUBLE once: used). DuckDB's reverse() keeps grapheme clusters, its trim()
 * only spaces, its sign(NaN) is 0, its ln() raises for x <= 0, its round(x, n) differs from
 * ZetaSQL's 80-bit one (ROUND(FLOAT64, digits) refused), its regexp_extract gives '' for no match,
 * its regexp_replace keeps the string on an invalid rewrite, its casts from VARCHAR accept more
 * than GoogleSQL's grammar (validated first), its greatest() skips NULLs, its list_concat skips
 * NULL lists, its lists index from 1 and read a[0] and a[-1], its generate_series overflows near
 * INT64's limits, its RANGE frames compute key +/- offset in the key's type (HUGEINT used), its
 * JSON functions re-serialize numbers (1e-07 as 1e-7). DuckDB casts a constant while binding, so
 * CAST(-9223372036854775807 AS INTEGER) fails a query whose branch never runs: narrowing is
 * TRY_CAST. TRY() refuses error() (volatile) and scalar subqueries; DuckDB refuses subqueries
 * inside lambdas; macros nest past the default max_expression_depth (raised in SESSION).
 *
 * Not bit-exact, by design: FLOAT64 SUM/AVG/STDDEV/VARIANCE. ZetaSQL's reference sums exactly,
 * BigQuery in no fixed order; the compiler uses fsum (Kahan-Babuska), raising only when the total
 * overflows as ZetaSQL does, and the differential tests compare these results within a relative
 * 1e-12. ZetaSQL's AVG is a running mean, NaN once an infinity is followed by another value;
 * the compiler's is SUM / COUNT (IEEE's, BigQuery's +/-inf). ZetaSQL averages INT64 as FLOAT64s
 * (so 2^63 - 1 and -2^63 cancel to 0 there): so does the compiler. APPROX_COUNT_DISTINCT (which the
 * reference lacks) is an exact COUNT(DISTINCT), BigQuery's answer for small inputs. ROLLUP (which
 * the reference lacks) is tested against its definition, the UNION ALL of its grouping sets.
 *
 * Errors that DuckDB's planner drops (found by the seeded generator in the differential test):
 * GoogleSQL evaluates every argument of a call, so (a * 2^62) + NULL raises for large a; DuckDB
 * (1) folds a call with a constant NULL argument to NULL in the binder, (2) moves constants across
 * comparisons (-1 <= c - x becomes x <= c + 1, no overflow), (3) replaces provably-NULL
 * expressions by NULL (statistics propagation), (4) short-circuits CASE and OR, and (5) adds some:
 * common-subexpression elimination hoists an expression that occurs twice (macros repeat their
 * arguments) out of a COALESCE or CASE branch, evaluating it on every row. Hence: NULL and
 * computed constant arguments are scalar subqueries, or under IF/CASE/COALESCE branches (which
 * GoogleSQL may skip but a subquery would always run) CASEs on a volatile condition, as opaque and
 * evaluated only with the branch; the session disables the expression_rewriter and
 * statistics_propagation optimizers; the prelude macros count NULLs by a sum, which evaluates
 * every argument, before their CASE shortcuts; common_subexpressions is disabled too. SAFE. calls
 * run under TRY with the macros' safe_ variants (error() as NULL), only when no argument can fail
 * (SAFE. keeps argument errors).
 *
 * ZetaSQL evaluates every argument of AND and OR (not lazily); DuckDB splits a WHERE's conjunctions
 * into filters that each see only the rows the previous kept, so a WHERE that may fail is compiled
 * as one `(...) IS TRUE` test. Subqueries (compile_subqueries.ts): DuckDB skips the left side of
 * x IN (empty subquery), so a left side that may fail goes through a list; DuckDB evaluates a
 * subquery for every row even under a CASE branch not taken, so under IF/CASE/COALESCE only
 * subqueries that cannot fail (cannot_raise.ts) compile. Correlated references are the outer
 * column's c<id>, which DuckDB resolves outward (it decorrelates). Where the two engines push
 * filters through joins differently (an erroring WHERE over a join), errors may differ: both
 * optimise, and GoogleSQL leaves the order of evaluation open.
 *
 * Covered: scans (tables, projections, filters, ORDER BY/LIMIT, joins, WITH and WITH RECURSIVE,
 * set operations, UNNEST of one array, aggregates with ROLLUP, analytic functions with ROWS and
 * RANGE frames, PIVOT, UNPIVOT); scalar, EXISTS, IN and ARRAY subqueries, correlated or not;
 * NUMERIC +, - and * (exact, GoogleSQL's overflow); the functions in FUNCTIONS (functions*.ts:
 * operators, conditionals, strings, BYTES, regular expressions, FORMAT, math, dates and times,
 * FORMAT_*, PARSE_DATE, arrays, JSON scalars), AGGREGATES (aggregate_forms.ts), ANALYTIC and
 * PERCENTILE_DISC; CASTS (casts.ts), STRUCT/ARRAY equality, the SAFE. prefix.
 * Refused: anything not listed there, in particular ROUND/TRUNC(FLOAT64, digits), time zones other
 * than UTC, JSON_QUERY/JSON_EXTRACT/PARSE_JSON and JSON functions of STRING, STRING to TIMESTAMP
 * casts (zones in the text), PARSE_DATE beyond %Y %m %d %e %b (and PARSE_DATETIME,
 * PARSE_TIMESTAMP, PARSE_TIME), FORMAT's %f %x %o %t (and FLOAT64 past 17 digits), INITCAP,
 * NUMERIC / (and SAFE_MULTIPLY of NUMERIC), STRUCT/ARRAY ordering, ARRAY_AGG(DISTINCT FLOAT64),
 * STRING_AGG of BYTES, SUM/AVG(DISTINCT FLOAT64 or NUMERIC), AVG(DISTINCT INT64), UNNEST of
 * several arrays (not analysed), TABLESAMPLE, RANGE frames over FLOAT64, subqueries that may fail
 * under a conditional branch, PERCENTILE_CONT, BIGNUMERIC; GROUP BY, DISTINCT or PARTITION BY an
 * INTERVAL, INTERVAL * and /, differences of dates and times, GENERATE_RANGE_ARRAY.
 *
 * GEOGRAPHY (functions_geography.ts, geography/): VARCHAR holding WKT (values computed by queries
 * in a lossless "S2 " + x y z variant); the ST_ functions are JavaScript scalar functions over
 * s2js, each with a gsql_safe_ twin for SAFE. (TRY would also swallow refusals). The reference
 * evaluator has no ST_ function and takes no GEOGRAPHY value: the oracle skips such statements.
 *
 * INTERVAL is DuckDB's INTERVAL, RANGE a STRUCT(start, end) (functions_interval.ts, functions_range.ts):
 * DuckDB orders intervals by its own truncating normalisation ('1 month -1 day' > '29 days'), so
 * comparisons use an exact total-microseconds key. GROUPING SETS, ROLLUP and CUBE (grouping_sets.ts)
 * and the APPROX_* aggregates (aggregates_approx.ts, exact) have no reference: see their tests.
 *
 * JavaScript UDFs (functions_js_udf.ts, js_udf_values.ts): ZetaSQL's catalog declares them in group
 * JS with their definition's id as the signature's context id; a call compiles to gsql_js_udf_<id>,
 * a JavaScript scalar function registered on each connection as the pool hands it out. The
 * reference evaluator cannot call JavaScript: the oracle skips such statements.
 *
 * DML: compileModify() (compile_modify.ts) turns a resolved INSERT, UPDATE, DELETE, MERGE or
 * TRUNCATE into one changes query (__rid, __op, the new row), applyChanges() (apply_changes.ts)
 * applies it by rowid in the caller's transaction; proven by test/duckdb_modify_differential.test.ts.
 * DuckDB traps there: an UPDATE touching a LIST column moves the row to a new rowid (so DELETEs
 * go first and UPDATE is one statement); a column named rowid hides the pseudo-column (refused);
 * STRUCT fields cannot be NOT NULL and CHECK constraints take no lambdas (nested REQUIRED fields
 * are checked by the changes query); an uncorrelated scalar subquery (an opaque constant) runs
 * even when no row needs it, so an erroring constant fails where GoogleSQL evaluates it on no row;
 * the join filter pushdown optimizer drops probe-side rows before a pushed-down predicate sees
 * them, so `JOIN ... ON a.k = b.k WHERE DIV(a.n, a.k) > 0` may not raise where ZetaSQL (which
 * evaluates that conjunct on every row of a) does.
 */
export { compileQuery, type CompileOptions, type CompileResult, type CompiledQuery } from "./compile_statement";
export type { UndefinedOrder } from "./undefined_order";
export { compileModify, type CompileModifyResult, type CompiledModify, type ModifyOptions, type TargetColumn } from "./compile_modify";
export { applyChanges, MULTIPLE_MATCHES, type ChangesTarget } from "./apply_changes";
export { DuckDbRunner, prepareSession } from "./runner";
export { cellAppender, toCell, toDuckValue } from "./cells";
export { storageType } from "./types";
// Any connection running compiled SQL needs the session settings, then the macros (prepareSession does both).
export { PRELUDE, SESSION } from "./prelude";
