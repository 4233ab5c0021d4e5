/**
 * A grouped expression written out in SELECT, GROUP BY and ORDER BY (`SELECT MOD(n, 2) AS p ...
 * GROUP BY MOD(n, 2) ORDER BY MOD(n, 2)`, also in ROLLUP, CUBE and GROUPING SETS): BigQuery takes it,
 * this ZetaSQL's analyser refuses it once the query orders or has HAVING ("... is neither grouped
 * nor aggregated"). Grouping by the position of the SELECT
 * item with the same text, and ordering by that item, mean the same, and the analyser accepts them,
 * so the text is rewritten to them before analysis.
 */
import type { AstNode } from "../engine";
import { quoteIdentifier, rangeOf, type RewrittenSql, type SqlText } from "./sql_text";

const normal = (text: string): string => text.replace(/\s+/g, " ").trim();

/** The text without parentheses around the whole of it (a grouping set's `(MOD(n, 2))`). */
function unwrapped(text: string): string {
  while (text.startsWith("(") && text.endsWith(")")) {
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
      depth += text[i] === "(" ? 1 : text[i] === ")" ? -1 : 0;
      if (depth === 0 && i < text.length - 1) return text; // the first parenthesis closes early: (a) + (b)
    }
    text = text.slice(1, -1).trim();
  }
  return text;
}

/** Adds the replacements to `rewritten` (ranges in `text`, the statement's own text). */
export function groupBySelectPositions(ast: AstNode, text: SqlText, rewritten: RewrittenSql): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    const obj = node as AstNode;
    const select = (obj.queryExpr as AstNode | undefined)?.astSelectNode as AstNode | undefined;
    if (select?.groupBy) rewrite(select, obj.orderBy as AstNode | undefined);
    for (const value of Object.values(obj)) visit(value);
  };
  const rewrite = (select: AstNode, orderBy: AstNode | undefined): void => {
    const columns = ((select.selectList as AstNode | undefined)?.columns as AstNode[] | undefined) ?? [];
    const items = columns.map((c) => {
      const range = rangeOf(c.expression);
      return range ? normal(text.slice(range)) : undefined;
    });
    const aliases = columns.map((c) => ((c.alias as AstNode | undefined)?.identifier as { idString?: string } | undefined)?.idString);
    /** The SELECT item an expression writes out again, unless it is a bare name or number already. */
    const itemOf = (expression: unknown): { range: { start: number; end: number }; index: number } | undefined => {
      const range = expression ? rangeOf(expression) : undefined;
      if (!range) return undefined;
      const written = unwrapped(normal(text.slice(range)));
      const index = /^[\w`.]+$/.test(written) ? -1 : items.indexOf(written);
      return index >= 0 ? { range, index } : undefined;
    };
    // Grouped expressions, also inside ROLLUP, CUBE and GROUPING SETS: the outermost match is replaced.
    const group = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(group);
      if (!node || typeof node !== "object") return;
      const item = itemOf(node);
      if (item) return rewritten.replace(item.range, String(item.index + 1));
      for (const [key, value] of Object.entries(node as AstNode)) if (key !== "parent") group(value);
    };
    group(((select.groupBy as AstNode).groupingItems as AstNode[] | undefined) ?? []);
    for (const ordering of (orderBy?.orderingExpressions as AstNode[] | undefined) ?? []) {
      const item = itemOf(ordering.expression);
      const alias = item ? aliases[item.index] : undefined;
      if (item) rewritten.replace(item.range, alias ? quoteIdentifier(alias) : String(item.index + 1));
    }
  };
  visit(ast);
}
