/**
 * Whether a statement builds values whose inner order GoogleSQL leaves undefined: an ARRAY
 * subquery that does not order, ARRAY_AGG / ARRAY_CONCAT_AGG / STRING_AGG without ORDER BY. Two
 * correct engines may answer such a statement with different element orders (DuckDB's parallel
 * hash aggregates do, run to run), so the differential oracle compares those arrays as multisets
 * and cannot compare such strings at all.
 */
import { functionName } from "./compile_expressions";
import type { Node } from "./resolved_ast";

export type UndefinedOrder = "none" | "arrays" | "text";

const ARRAY_AGGREGATES = new Set(["array_agg", "array_concat_agg"]);

export function undefinedOrder(root: Node): UndefinedOrder {
  let found: UndefinedOrder = "none";
  const visit = (value: unknown): void => {
    if (found === "text" || value === null || typeof value !== "object" || value instanceof Uint8Array) return;
    if (Array.isArray(value)) return value.forEach(visit);
    const node = value as Node;
    const name = node.function === undefined ? "" : functionName(node);
    const unordered = ((node.orderByItemList as unknown[] | undefined) ?? []).length === 0;
    if (node.kind === "SubqueryExpr" && node.subqueryType === "ARRAY" && (node.subquery as Node | undefined)?.isOrdered !== true) found = "arrays";
    if (unordered && ARRAY_AGGREGATES.has(name)) found = "arrays";
    if (unordered && name === "string_agg") found = "text";
    Object.values(node).forEach(visit);
  };
  visit(root);
  return found;
}
