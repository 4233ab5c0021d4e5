/** ORDER BY items (of queries and of windows) with GoogleSQL's NULL and NaN placement. */
import { compileExpr, typeOfNode, type Scope } from "./compile_expressions";
import { intervalOrderKey } from "./functions_interval";
import { rangeOrderKeys } from "./functions_range";
import type { Node } from "./resolved_ast";
import { refuse } from "./unsupported";

/**
 * GoogleSQL: ASC puts NULLs first, DESC last, unless NULLS FIRST/LAST says otherwise; and a FLOAT64
 * NaN sorts just after NULL (before -inf) in ascending order. DuckDB sorts NaN above +inf, so a
 * DOUBLE key gets a rank key (NULL, NaN, number) before it.
 */
export function orderItems(items: Node[], scope: Scope, keyMap: (key: string) => string = (key) => key): string[] {
  return items.flatMap((item) => {
    const ref = item.columnRef as Node;
    const key = keyMap(compileExpr({ ...ref, kind: "ColumnRef" }, scope));
    if ((item.collation as { collationName?: string } | undefined)?.collationName) refuse("ORDER BY with a collation");
    const desc = item.isDescending === true;
    const nullsFirst = item.nullOrder === "NULLS_FIRST" || (item.nullOrder !== "NULLS_LAST" && !desc);
    const direction = desc ? "DESC" : "ASC";
    const kind = typeOfNode(ref).typeKind;
    // RANGE: by start then end, unbounded outermost; INTERVAL: by total microseconds (functions_*.ts).
    if (kind === "TYPE_RANGE") return rangeOrderKeys(key, desc, nullsFirst);
    const keys = [`${kind === "TYPE_INTERVAL" ? intervalOrderKey(key) : key} ${direction} NULLS ${nullsFirst ? "FIRST" : "LAST"}`];
    if (typeOfNode(ref).typeKind === "TYPE_DOUBLE") {
      // NaN is the least non-NULL value: rank it 0 below numbers (1) in the key's direction.
      keys.unshift(`(CASE WHEN ${key} IS NULL THEN NULL WHEN isnan(${key}) THEN 0 ELSE 1 END) ${direction} NULLS ${nullsFirst ? "FIRST" : "LAST"}`);
    }
    return keys;
  });
}
