/**
 * Resolved scans to DuckDB relations. Every scan becomes one SELECT whose columns are named
 * c<column id> (ids are unique within a statement, so joins never clash). An ordered scan
 * (OrderByScan, and the Project/Limit scans above it that keep its order) also carries __ord, its
 * row's rank in that order, so order survives subquery nesting, where SQL would drop it.
 */
import { compileAggregate, compileAnalytic } from "./compile_aggregates";
import { cannotRaise } from "./cannot_raise";
import { groupingCalls, groupingSets } from "./grouping_sets";
import { col, compileExpr, type Scope } from "./compile_expressions";
import { pivotScan, unpivotScan } from "./compile_pivot";
import { orderItems } from "./compile_order";
import { child, children, columnsOf, type Node, type ResolvedColumn } from "./resolved_ast";
import { duckType, quoteIdent } from "./types";
import { refuse } from "./unsupported";

export interface Relation {
  sql: string;
  /** The relation has an __ord column giving its order. */
  ordered: boolean;
}

const ORD = "__ord";

function select(columns: ResolvedColumn[], keepOrder: boolean): string {
  const names = columns.map(col);
  if (keepOrder) names.push(ORD);
  return names.length > 0 ? names.join(", ") : "NULL AS __none";
}

const from = (input: Relation): string => `(${input.sql}) AS s`;

/**
 * A WHERE condition. ZetaSQL evaluates every argument of AND and OR; DuckDB splits a filter's
 * conjunctions into filters that see only the rows the previous ones kept, dropping the later
 * ones' errors. As an IS TRUE test, a condition that may fail stays one expression, evaluated
 * whole. (Conditions that cannot fail keep their form, which DuckDB may push into the scan.)
 */
function condition(node: Node, scope: Scope): string {
  const sql = compileExpr(node, scope);
  return cannotRaise(node) ? sql : `((${sql}) IS TRUE)`;
}

export function compileScan(node: Node, scope: Scope): Relation {
  // Every column a scan produces must have a DuckDB type.
  for (const c of columnsOf(node)) duckType(c.type);
  switch (node.kind) {
    case "SingleRowScan":
      return { sql: "SELECT NULL AS __none", ordered: false };
    case "TableScan":
      return tableScan(node, scope);
    case "ProjectScan":
      return projectScan(node, scope);
    case "FilterScan": {
      const input = compileScan(child(node, "inputScan") as Node, scope);
      const where = condition(child(node, "filterExpr") as Node, scope);
      const keep = input.ordered && node.isOrdered === true;
      return { sql: `SELECT ${select(columnsOf(node), keep)} FROM ${from(input)} WHERE ${where}`, ordered: keep };
    }
    case "OrderByScan": {
      const input = compileScan(child(node, "inputScan") as Node, scope);
      const keys = orderItems(children(node, "orderByItemList"), scope);
      return { sql: `SELECT ${select(columnsOf(node), false)}, row_number() OVER (ORDER BY ${keys.join(", ")}) AS ${ORD} FROM ${from(input)}`, ordered: true };
    }
    case "LimitOffsetScan":
      return limitOffsetScan(node, scope);
    case "AggregateScan":
      return aggregateScan(node, scope);
    case "AnalyticScan":
      return analyticScan(node, scope);
    case "JoinScan":
      return joinScan(node, scope);
    case "WithScan":
      return withScan(node, scope);
    case "WithRefScan":
      return withRefScan(node, scope);
    case "RecursiveScan":
      return refuse("a recursive scan outside WITH RECURSIVE");
    case "RecursiveRefScan":
      return recursiveRefScan(node, scope);
    case "PivotScan":
      return pivotScan(node, scope);
    case "UnpivotScan":
      return unpivotScan(node, scope);
    case "SetOperationScan":
      return setOperationScan(node, scope);
    case "ArrayScan":
      return arrayScan(node, scope);
    default:
      return refuse(`scan ${node.kind}`);
  }
}

/** The hidden row-id column the executor adds to a DML target (statement_tables.ts ROW_ID): DuckDB's rowid. */
const ROW_ID_COLUMN = "__lbq_row_id";

function tableScan(node: Node, scope: Scope): Relation {
  if (child(node, "forSystemTimeExpr")) return refuse("FOR SYSTEM_TIME AS OF");
  const table = (node.table as { name?: string; fullName?: string }).fullName ?? "";
  const columns = columnsOf(node).map((c) => `${c.name === ROW_ID_COLUMN ? "rowid" : quoteIdent(c.name)} AS ${col(c)}`);
  return { sql: `SELECT ${columns.length > 0 ? columns.join(", ") : "NULL AS __none"} FROM ${scope.tableSql(table)}`, ordered: false };
}

function projectScan(node: Node, scope: Scope): Relation {
  const input = compileScan(child(node, "inputScan") as Node, scope);
  const computed = new Map(children(node, "exprList").map((e) => [col(e.column as ResolvedColumn), child(e, "expr") as Node]));
  const keep = input.ordered && node.isOrdered === true;
  const items = columnsOf(node).map((c) => {
    const expr = computed.get(col(c));
    return expr ? `${compileExpr(expr, scope)} AS ${col(c)}` : col(c);
  });
  if (keep) items.push(ORD);
  return { sql: `SELECT ${items.length > 0 ? items.join(", ") : "NULL AS __none"} FROM ${from(input)}`, ordered: keep };
}

/** LIMIT and OFFSET are constants (literals or parameters) in GoogleSQL; NULL or negative fail analysis or refuse here. */
function constant(node: Node | undefined, scope: Scope): string | undefined {
  if (!node) return undefined;
  const sql = compileExpr(node, scope);
  const m = /^CAST\('(\d+)' AS BIGINT\)$/.exec(sql);
  return m ? m[1] : refuse("LIMIT or OFFSET that is not a non-negative constant");
}

function limitOffsetScan(node: Node, scope: Scope): Relation {
  const input = compileScan(child(node, "inputScan") as Node, scope);
  const limit = constant(child(node, "limit"), scope);
  const offset = constant(child(node, "offset"), scope);
  const keep = input.ordered && node.isOrdered !== false;
  const parts = [`SELECT ${select(columnsOf(node), keep)} FROM ${from(input)}`];
  if (input.ordered) parts.push(`ORDER BY ${ORD}`);
  if (limit !== undefined) parts.push(`LIMIT ${limit}`);
  if (offset !== undefined) parts.push(`OFFSET ${offset}`);
  return { sql: parts.join(" "), ordered: keep };
}

function aggregateScan(node: Node, scope: Scope): Relation {
  const input = compileScan(child(node, "inputScan") as Node, scope);
  const groups = children(node, "groupByList").map((g) => ({ name: col(g.column as ResolvedColumn), sql: compileExpr(child(g, "expr") as Node, scope) }));
  const aggregates = children(node, "aggregateList").map((a) => `${compileAggregate(child(a, "expr") as Node, scope)} AS ${col(a.column as ResolvedColumn)}`);
  // DuckDB and ZetaSQL may keep different ones of equal intervals ('1 month' = '30 days') as the key.
  if (children(node, "groupByList").some((g) => (g.column as ResolvedColumn).type.typeKind === "TYPE_INTERVAL")) return refuse("GROUP BY an INTERVAL");
  const sets = groupingSets(node);
  if (sets) {
    // The keys are computed below the grouping, so the sets and grouping() name them as columns.
    const keyed = `SELECT s.*${groups.map((g) => `, ${g.sql} AS ${g.name}`).join("")} FROM ${from(input)}`;
    const items = [...groups.map((g) => g.name), ...aggregates, ...groupingCalls(node)];
    const list = sets.map((set) => `(${set.join(", ")})`).join(", ");
    return { sql: `SELECT ${items.join(", ")} FROM (${keyed}) AS s GROUP BY GROUPING SETS (${list})`, ordered: false };
  }
  if (children(node, "groupingCallList").length > 0) return refuse("GROUPING() without grouping sets");
  const items = [...groups.map((g) => `${g.sql} AS ${g.name}`), ...aggregates];
  const groupBy = groups.length > 0 ? ` GROUP BY ${groups.map((g) => g.sql).join(", ")}` : "";
  return { sql: `SELECT ${items.length > 0 ? items.join(", ") : "NULL AS __none"} FROM ${from(input)}${groupBy}`, ordered: false };
}

function analyticScan(node: Node, scope: Scope): Relation {
  const input = compileScan(child(node, "inputScan") as Node, scope);
  const computed = new Map<string, string>();
  for (const group of children(node, "functionGroupList")) {
    for (const fn of children(group, "analyticFunctionList")) {
      computed.set(col(fn.column as ResolvedColumn), compileAnalytic(child(fn, "expr") as Node, group, scope));
    }
  }
  const items = columnsOf(node).map((c) => {
    const sql = computed.get(col(c));
    return sql ? `${sql} AS ${col(c)}` : col(c);
  });
  return { sql: `SELECT ${items.join(", ")} FROM ${from(input)}`, ordered: false };
}

const JOINS: Record<string, string> = { INNER: "JOIN", LEFT: "LEFT JOIN", RIGHT: "RIGHT JOIN", FULL: "FULL JOIN" };

function joinScan(node: Node, scope: Scope): Relation {
  if (children(node, "usingColumnList").length > 0 && !child(node, "joinExpr")) return refuse("JOIN USING without a join expression");
  const left = compileScan(child(node, "leftScan") as Node, scope);
  const right = compileScan(child(node, "rightScan") as Node, scope);
  const joinExpr = child(node, "joinExpr");
  const type = String(node.joinType ?? "INNER");
  const join = JOINS[type] ?? refuse(`${type} JOIN`);
  // ON keeps DuckDB's form: both engines take equality keys out of it for a hash join and test
  // the rest on matching pairs only.
  const on = joinExpr ? compileExpr(joinExpr, scope) : type === "INNER" ? undefined : "TRUE";
  const sources = on === undefined ? `(${left.sql}) AS l CROSS JOIN (${right.sql}) AS r` : `(${left.sql}) AS l ${join} (${right.sql}) AS r ON ${on}`;
  return { sql: `SELECT ${select(columnsOf(node), false)} FROM ${sources}`, ordered: false };
}

const withName = (name: string): string => quoteIdent(`with_${name}`);

function withScan(node: Node, scope: Scope): Relation {
  const withColumns = new Map(scope.withColumns);
  const inner: Scope = { ...scope, withColumns };
  const entries = children(node, "withEntryList").map((entry) => {
    const name = String(entry.withQueryName);
    const subquery = child(entry, "withSubquery") as Node;
    const sql = subquery.kind === "RecursiveScan" ? recursiveScan(subquery, name, inner) : compileScan(subquery, inner).sql;
    // Entries see the ones before them; the query sees all.
    withColumns.set(name, columnsOf(subquery));
    return `${withName(name)} AS (${sql})`;
  });
  const query = compileScan(child(node, "query") as Node, inner);
  return { sql: `WITH ${node.recursive ? "RECURSIVE " : ""}${entries.join(", ")} ${query.sql}`, ordered: query.ordered };
}

/**
 * A recursive WITH entry: its non-recursive term UNION [ALL] its recursive term, which reads the
 * previous iteration's rows (RecursiveRefScan). DuckDB iterates as GoogleSQL does; its UNION drops
 * rows seen in any earlier iteration, as UNION DISTINCT does.
 */
function recursiveScan(node: Node, name: string, scope: Scope): string {
  const union = node.opType === "UNION_ALL" ? "UNION ALL" : node.opType === "UNION_DISTINCT" ? "UNION" : refuse(`recursive ${String(node.opType)}`);
  const outputs = columnsOf(node);
  const term = (field: string, termScope: Scope): string => {
    const item = child(node, field) as Node;
    const input = compileScan(child(item, "scan") as Node, termScope);
    const items = columnsOf(item, "outputColumnList").map((c, i) => `${col(c)} AS ${col(outputs[i])}`);
    return `SELECT ${items.join(", ")} FROM ${from(input)}`;
  };
  return `${term("nonRecursiveTerm", scope)} ${union} ${term("recursiveTerm", { ...scope, recursive: { name, columns: outputs } })}`;
}

function recursiveRefScan(node: Node, scope: Scope): Relation {
  const recursive = scope.recursive ?? refuse("a recursive reference outside its term");
  const items = columnsOf(node).map((c, i) => `${col(recursive.columns[i])} AS ${col(c)}`);
  return { sql: `SELECT ${items.length > 0 ? items.join(", ") : "NULL AS __none"} FROM ${withName(recursive.name)}`, ordered: false };
}

function withRefScan(node: Node, scope: Scope): Relation {
  const name = String(node.withQueryName);
  const source = scope.withColumns.get(name) ?? refuse(`WITH reference ${name} out of scope`);
  // The reference's columns are new ids, position by position of the entry's columns.
  const items = columnsOf(node).map((c, i) => `${col(source[i])} AS ${col(c)}`);
  return { sql: `SELECT ${items.length > 0 ? items.join(", ") : "NULL AS __none"} FROM ${withName(name)}`, ordered: false };
}

const SET_OPERATIONS: Record<string, string> = {
  UNION_ALL: "UNION ALL",
  UNION_DISTINCT: "UNION",
  INTERSECT_ALL: "INTERSECT ALL",
  INTERSECT_DISTINCT: "INTERSECT",
  EXCEPT_ALL: "EXCEPT ALL",
  EXCEPT_DISTINCT: "EXCEPT",
};

function setOperationScan(node: Node, scope: Scope): Relation {
  const op = SET_OPERATIONS[String(node.opType)] ?? refuse(`set operation ${String(node.opType)}`);
  if (!op.endsWith("ALL") && columnsOf(node).some((c) => c.type.typeKind === "TYPE_INTERVAL")) return refuse(`${op} of INTERVAL columns`);
  if (node.columnMatchMode && node.columnMatchMode !== "BY_POSITION") return refuse("set operation CORRESPONDING");
  if (node.columnPropagationMode && node.columnPropagationMode !== "STRICT") return refuse("set operation with OUTER column propagation");
  const outputs = columnsOf(node);
  const branches = children(node, "inputItemList").map((item) => {
    const input = compileScan(child(item, "scan") as Node, scope);
    const items = columnsOf(item, "outputColumnList").map((c, i) => `${col(c)} AS ${col(outputs[i])}`);
    return `SELECT ${items.join(", ")} FROM ${from(input)}`;
  });
  return { sql: `SELECT * FROM (${branches.map((b) => `(${b})`).join(` ${op} `)}) AS u`, ordered: false };
}

function arrayScan(node: Node, scope: Scope): Relation {
  // Newer ZetaSQL lists the arrays (several for multi-way UNNEST); this one has arrayExpr.
  const single = child(node, "arrayExpr");
  const arrays = single ? [single] : children(node, "arrayExprList");
  const element = node.elementColumn as ResolvedColumn | undefined;
  const elements = element ? [element] : columnsOf(node, "elementColumnList");
  if (arrays.length !== 1 || elements.length !== 1) return refuse("UNNEST of several arrays");
  const inputNode = child(node, "inputScan");
  const input = inputNode ? compileScan(inputNode, scope) : { sql: "SELECT NULL AS __none", ordered: false };
  const array = compileExpr(arrays[0], scope);
  const offset = child(node, "arrayOffsetColumn");
  const offsetColumn = offset ? col(offset.column as ResolvedColumn) : "__offset";
  // One row per element, NULL elements included; a NULL or empty array gives none (or, outer, one NULL row).
  const unnest = `(SELECT unnest(${array}) AS ${col(elements[0])}, unnest(range(len(${array}))) AS ${offsetColumn})`;
  const condition = child(node, "joinExpr");
  const on = condition ? compileExpr(condition, scope) : "TRUE";
  const join = node.isOuter ? `LEFT JOIN LATERAL ${unnest} AS a ON ${on}` : `CROSS JOIN LATERAL ${unnest} AS a`;
  if (condition && !node.isOuter) return refuse("UNNEST with an inner join condition");
  return { sql: `SELECT ${select(columnsOf(node), false)} FROM ${from(input)} ${join}`, ordered: false };
}
