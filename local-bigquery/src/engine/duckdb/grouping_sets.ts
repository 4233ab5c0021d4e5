/**
 * GROUP BY GROUPING SETS, ROLLUP and CUBE (ZetaSQL's groupingSetList) and GROUPING() (its
 * groupingCallList) as DuckDB's GROUPING SETS and grouping(). Each item expands to explicit sets:
 * a grouping set is itself, ROLLUP(a, b) is (a, b), (a), (), CUBE(a, b) every subset; the items'
 * sets are concatenated, duplicates kept (GROUPING SETS is the UNION ALL of its GROUP BYs, and
 * DuckDB keeps duplicate sets too). A multi-column item ROLLUP((a, b), c) moves its columns
 * together. The reference evaluator has none of this; the tests compare with the UNION ALL form.
 */
import { col } from "./compile_expressions";
import { children, type Node, type ResolvedColumn } from "./resolved_ast";
import { refuse } from "./unsupported";

/** One ROLLUP/CUBE element: the columns it groups by together. */
const multi = (item: Node): string[] => children(item, "columnList").map((c) => col(c.column as ResolvedColumn));

// ZetaSQL's own limit is 4096 sets; a CUBE of 12 columns already gives 4096.
const MAX_SETS = 4096;

function expand(item: Node): string[][] {
  switch (item.kind) {
    case "GroupingSet":
      return [children(item, "groupByColumnList").map((c) => col(c.column as ResolvedColumn))];
    case "Rollup": {
      const parts = children(item, "rollupColumnList").map(multi);
      return parts.map((_, i) => parts.slice(0, parts.length - i).flat()).concat([[]]);
    }
    case "Cube": {
      const parts = children(item, "cubeColumnList").map(multi);
      if (parts.length > 12) return refuse("CUBE of more than 12 columns");
      const sets: string[][] = [];
      for (let mask = (1 << parts.length) - 1; mask >= 0; mask--) sets.push(parts.filter((_, i) => mask & (1 << i)).flat());
      return sets;
    }
    default:
      return refuse(`grouping set item ${item.kind}`);
  }
}

/** The grouping sets of an AggregateScan, or undefined for a plain GROUP BY. */
export function groupingSets(node: Node): string[][] | undefined {
  const items = children(node, "groupingSetList");
  // Older ZetaSQL: ROLLUP as a list of columns on the scan itself.
  const rollup = children(node, "rollupColumnList");
  if (items.length === 0 && rollup.length === 0) return undefined;
  const sets = items.length > 0 ? items.flatMap(expand) : expand({ kind: "Rollup", rollupColumnList: rollup.map((c) => ({ kind: "", columnList: [c] })) });
  if (sets.length > MAX_SETS) return refuse(`more than ${MAX_SETS} grouping sets`);
  return sets;
}

/** GROUPING(x) outputs: 1 where x is not grouped in the row's set. */
export const groupingCalls = (node: Node): string[] =>
  children(node, "groupingCallList").map((g) => `grouping(${col((g.groupByColumn as Node).column as ResolvedColumn)}) AS ${col(g.outputColumn as ResolvedColumn)}`);
