/**
 * The rules of a script's shape that BigQuery checks before running anything and that ZetaSQL's
 * statement-by-statement parsing does not: DECLARE only at the start of the script or a block, and
 * BREAK/LEAVE/CONTINUE/ITERATE only inside a loop (or, for BREAK/LEAVE with a label, a labelled block).
 */
import type { AstNode } from "../engine";
import { invalidQuery } from "../errors";
import { nestedStatementLists, type ParsedStatement } from "./script";
import { lineColumnOf, nodeKinds, rangeOf, type SqlText } from "./sql_text";

const LOOPS = new Set(["astWhileStatementNode", "astRepeatStatementNode", "astForInStatementNode"]);

interface Enclosing {
  loops: number;
  /** Labels in scope, lower case, and whether each names a loop. */
  labels: Map<string, boolean>;
}

const labelOf = (node: AstNode): string | undefined =>
  ((node.label as AstNode | undefined)?.name as { idString?: string } | undefined)?.idString?.toLowerCase();

export function checkStructure(statements: ParsedStatement[], text: SqlText): void {
  checkList(statements.map((s) => ({ kind: s.kinds[s.kinds.length - 1] ?? "", node: s.node })), text, { loops: 0, labels: new Map() }, true);
}

function checkList(list: { kind: string; node: AstNode }[], text: SqlText, enclosing: Enclosing, declarations: boolean): void {
  let declaring = declarations;
  for (const { kind, node } of list) {
    const at = (message: string) => {
      const { line, column } = lineColumnOf(text, rangeOf(node)?.start ?? 0);
      return invalidQuery(`${message} at [${line}:${column}]`);
    };
    if (kind === "astVariableDeclarationNode") {
      if (!declaring) throw at("Variable declarations are allowed only at the start of a block or script");
    } else {
      declaring = false;
    }
    if (kind === "astBreakStatementNode" || kind === "astContinueStatementNode") {
      const keyword = String(node.keyword ?? (kind === "astBreakStatementNode" ? "BREAK" : "CONTINUE"));
      const label = labelOf(node);
      if (label !== undefined) {
        const isLoop = enclosing.labels.get(label);
        if (isLoop === undefined) throw at(`Label ${label} is not defined in an enclosing loop or block`);
        if (kind === "astContinueStatementNode" && !isLoop) throw at(`${keyword} cannot refer to the label ${label} of a block`);
      } else if (enclosing.loops === 0) {
        throw at(`${keyword} is only allowed inside a loop`);
      }
    }
    const label = labelOf(node);
    const inner: Enclosing = {
      loops: enclosing.loops + (LOOPS.has(kind) ? 1 : 0),
      labels: label === undefined ? enclosing.labels : new Map([...enclosing.labels, [label, LOOPS.has(kind)]]),
    };
    const block = kind === "astBeginEndBlockNode";
    const blockStatements = (node.statementListNode as AstNode | undefined)?.statementList;
    for (const nested of nestedStatementLists(node)) {
      const entries = nested.map((s) => {
        const { kinds, node: n } = nodeKinds(s);
        return { kind: kinds[kinds.length - 1] ?? "", node: n };
      });
      // A block's own statements may start with declarations; its handler, branches and loop bodies may not.
      checkList(entries, text, inner, block && nested === blockStatements);
    }
  }
}
