/**
 * Splits a request into statements with ZetaSQL's parse-resume calls, and runs
 * the scripting statements the local BigQuery supports: DECLARE and SET
 * (variables become named constants every later statement can read).
 */
import type { AstNode, Engine } from "../engine";
import { BigQueryError, invalidQuery, unsupported } from "../errors";
import { typeOf, sqlTypeName } from "../engine/types";
import { runQuery } from "./query_runner";
import { SqlText, nodeKinds, rangeOf, type ByteRange } from "./sql_text";
import type { Deps } from "./statement_tables";
import type { StatementScope } from "./table_names";

export interface ParsedStatement {
  range: ByteRange;
  ast: AstNode;
  /** The concrete statement node and its kind (the last entry of kinds). */
  node: AstNode;
  kinds: string[];
}

const ONLY_COMMENTS = /^(?:\s|--[^\n]*(?:\n|$)|#[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|;)*$/;

export async function splitStatements(engine: Engine, script: SqlText): Promise<ParsedStatement[]> {
  const statements: ParsedStatement[] = [];
  let position = 0;
  while (position >= 0 && position < script.bytes.length) {
    if (ONLY_COMMENTS.test(script.bytes.subarray(position).toString("utf8"))) break;
    const { statement, nextBytePosition } = await engine.parseNext(script.text, position);
    const { kinds, node } = nodeKinds(statement);
    const range = rangeOf(node) ?? { start: position, end: nextBytePosition };
    statements.push({ range, ast: statement, node, kinds });
    if (nextBytePosition <= position) break;
    position = nextBytePosition;
  }
  if (statements.length === 0) throw invalidQuery("Syntax error: Unexpected end of script at [1:1]");
  return statements;
}

/** Statement kinds a script may hold that the local BigQuery cannot run, by parse-tree kind. */
const UNSUPPORTED: Record<string, string> = {
  astBeginEndBlockNode: "BEGIN ... END blocks (and EXCEPTION handlers)",
  astCallStatementNode: "CALL of procedures",
  astExecuteImmediateStatementNode: "EXECUTE IMMEDIATE",
  astCreateProcedureStatementNode: "CREATE PROCEDURE",
  astCreateFunctionStatementNode: "CREATE FUNCTION",
  astCreateTableFunctionStatementNode: "CREATE TABLE FUNCTION",
  astRaiseStatementNode: "RAISE",
  astIfStatementNode: "IF statements",
  astCaseStatementNode: "CASE statements",
  astWhileStatementNode: "WHILE loops",
  astRepeatStatementNode: "REPEAT loops",
  astForInStatementNode: "FOR ... IN loops",
  astBeginStatementNode: "transactions (BEGIN TRANSACTION)",
  astCommitStatementNode: "transactions (COMMIT)",
  astRollbackStatementNode: "transactions (ROLLBACK)",
  astReturnStatementNode: "RETURN",
  astAssertStatementNode: "ASSERT",
  astSystemVariableAssignmentNode: "SET of system variables (@@...)",
  astAssignmentFromStructNode: "SET (a, b, ...) = (...)",
};

const SUPPORTED = new Set([
  "astQueryStatementNode",
  "astCreateSchemaStatementNode",
  "astCreateTableStatementNode",
  "astCreateViewStatementNode",
  "astCreateMaterializedViewStatementNode",
  "astCreateSnapshotTableStatementNode",
  "astDropSnapshotTableStatementNode",
  "astDropMaterializedViewStatementNode",
  "astExportDataStatementNode",
  "astAlterTableStatementNode",
  "astDropStatementNode",
  "astInsertStatementNode",
  "astUpdateStatementNode",
  "astDeleteStatementNode",
  "astMergeStatementNode",
  "astTruncateStatementNode",
  "astVariableDeclarationNode",
  "astSingleAssignmentNode",
  "astCreateRowAccessPolicyStatementNode",
  "astDropRowAccessPolicyStatementNode",
  "astDropAllRowAccessPoliciesStatementNode",
]);

/** Refuses, before anything runs, a script holding a statement the local BigQuery cannot run. */
export function checkSupported(statements: ParsedStatement[]): void {
  statements.forEach((s, i) => {
    const kind = s.kinds[s.kinds.length - 1] ?? "";
    const temporary = kind === "astCreateTableStatementNode" && (s.node.scope === "TEMPORARY" || s.node.scope === "TEMP");
    if (SUPPORTED.has(kind) && !temporary) return;
    const what = temporary
      ? "temporary tables (CREATE TEMP TABLE)"
      : (UNSUPPORTED[kind] ?? `${kind.replace(/^ast|Node$/g, "").replace(/([a-z])([A-Z])/g, "$1 $2")} statements`);
    const where = statements.length > 1 ? ` (statement ${i + 1} of the script)` : "";
    throw unsupported(
      `The local BigQuery cannot run ${what}${where}: it runs single GoogleSQL statements (queries, DDL, DML) ` +
        `and scripts of them with DECLARE and SET only. Nothing in this request was run.`,
    );
  });
}

/** Evaluates one expression as a query (it may read tables and earlier variables). */
async function evaluate(deps: Deps, scope: StatementScope, expression: string, type?: string) {
  const sql = type ? `SELECT CAST((${expression}) AS ${type}) AS v` : `SELECT (${expression}) AS v`;
  try {
    const result = await runQuery(deps, scope, new SqlText(sql));
    return { field: result.schema[0], value: result.rows[0]?.[0] ?? null };
  } catch (error) {
    if (error instanceof BigQueryError) {
      throw new BigQueryError(error.reason, error.message.replace(/ at \[\d+:\d+\]/g, ""), error.location, error.status);
    }
    throw error;
  }
}

export async function declare(deps: Deps, scope: StatementScope, script: SqlText, node: AstNode): Promise<void> {
  const names = (((node.variableList as AstNode | undefined)?.identifierList as { idString?: string }[] | undefined) ?? []).map(
    (i) => i.idString ?? "",
  );
  const typeRange = node.type ? rangeOf(node.type) : undefined;
  const type = typeRange ? script.slice(typeRange) : undefined;
  const defaultRange = node.defaultValue ? rangeOf(node.defaultValue) : undefined;
  if (!type && !defaultRange) throw invalidQuery("DECLARE needs a type or a DEFAULT value");
  const { field, value } = await evaluate(deps, scope, defaultRange ? script.slice(defaultRange) : "NULL", type);
  for (const name of names) {
    if (scope.variables.has(name.toLowerCase())) throw invalidQuery(`Variable ${name} is already declared`);
    scope.variables.set(name.toLowerCase(), { name, field, value });
  }
}

export async function assign(deps: Deps, scope: StatementScope, script: SqlText, node: AstNode): Promise<void> {
  const name = String((node.variable as { idString?: string } | undefined)?.idString ?? "");
  const variable = scope.variables.get(name.toLowerCase());
  if (!variable) throw invalidQuery(`Undeclared variable: ${name}`);
  const range = rangeOf(node.expression);
  if (!range) throw invalidQuery(`SET ${name} needs a value`);
  const { value } = await evaluate(deps, scope, script.slice(range), sqlTypeName(typeOf(variable.field)));
  scope.variables.set(name.toLowerCase(), { ...variable, value });
}
