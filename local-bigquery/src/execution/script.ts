/**
 * Splits a request into statements with ZetaSQL's parse-resume calls, refuses up front what the
 * local BigQuery cannot run, and runs the variable statements: DECLARE, SET, SET (a, b) = (...)
 * (variables become named constants every later statement can read).
 */
import type { AstNode, Engine } from "../engine";
import { BigQueryError, invalidQuery, unsupported } from "../errors";
import { typeOf, sqlTypeName } from "../engine/types";
import { runQuery } from "./query_runner";
import { SqlText, nodeKinds, rangeOf, withPositions, type ByteRange } from "./sql_text";
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

/** Statement kinds the local BigQuery cannot run, by parse-tree kind, and how to say so. */
const UNSUPPORTED: Record<string, string> = {
  astSystemVariableAssignmentNode: "SET of system variables (@@...)",
};

/** The SQL statements that run alone (queries, DDL, DML): a script's leaves, and a request of one is no script. */
export const SQL_STATEMENTS = new Set([
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
  "astCreateRowAccessPolicyStatementNode",
  "astDropRowAccessPolicyStatementNode",
  "astDropAllRowAccessPoliciesStatementNode",
]);

/** Everything a request may hold: the SQL statements and the procedural language around them. */
const SUPPORTED = new Set([
  ...SQL_STATEMENTS,
  "astVariableDeclarationNode",
  "astSingleAssignmentNode",
  "astAssignmentFromStructNode",
  "astBeginEndBlockNode",
  "astIfStatementNode",
  "astCaseStatementNode",
  "astWhileStatementNode",
  "astRepeatStatementNode",
  "astForInStatementNode",
  "astBreakStatementNode",
  "astContinueStatementNode",
  "astReturnStatementNode",
  "astRaiseStatementNode",
  "astAssertStatementNode",
  "astExecuteImmediateStatementNode",
  "astBeginStatementNode",
  "astCommitStatementNode",
  "astRollbackStatementNode",
  "astCreateFunctionStatementNode",
  "astDropFunctionStatementNode",
  "astCreateProcedureStatementNode",
  "astCallStatementNode",
  "astCreateTableFunctionStatementNode",
  "astDropTableFunctionStatementNode",
]);

/** The statements nested in a procedural statement (blocks, branches, loop bodies, handlers). */
export function nestedStatementLists(node: AstNode): AstNode[][] {
  const lists: AstNode[][] = [];
  const add = (list: unknown) => {
    const statements = (list as AstNode | undefined)?.statementList;
    if (Array.isArray(statements)) lists.push(statements as AstNode[]);
  };
  add(node.statementListNode);
  add(node.body);
  add(node.thenList);
  add(node.elseList);
  for (const handler of ((node.handlerList as AstNode | undefined)?.exceptionHandlerList as AstNode[] | undefined) ?? []) add(handler.statementList);
  for (const clause of ((node.elseifClauses as AstNode | undefined)?.elseifClauses as AstNode[] | undefined) ?? []) add(clause.body);
  for (const clause of ((node.whenThenClauses as AstNode | undefined)?.whenThenClauses as AstNode[] | undefined) ?? []) add(clause.body);
  return lists;
}

/** Refuses, before anything runs, a script holding (at any depth) a statement the local BigQuery cannot run. */
export function checkSupported(statements: ParsedStatement[]): void {
  statements.forEach((s, i) => {
    const where = statements.length > 1 ? ` (statement ${i + 1} of the script)` : "";
    checkStatement(s.kinds, s.node, where);
  });
}

function checkStatement(kinds: string[], node: AstNode, where: string): void {
  const kind = kinds[kinds.length - 1] ?? "";
  const what = refusal(kind, node);
  if (what) {
    throw unsupported(
      `The local BigQuery cannot run ${what}${where}: it runs GoogleSQL queries, DDL, DML, SQL functions, procedures ` +
        `and procedural statements. Nothing in this request was run.`,
    );
  }
  for (const list of nestedStatementLists(node)) {
    for (const statement of list) {
      const nested = nodeKinds(statement);
      checkStatement(nested.kinds, nested.node, where);
    }
  }
}

function refusal(kind: string, node: AstNode): string | undefined {
  if (kind === "astCreateFunctionStatementNode") {
    const language = String((node.language as { idString?: string } | undefined)?.idString ?? "sql").toLowerCase();
    // SQL and JavaScript run; another language is refused for a temporary function, which exists only to be called.
    if (language !== "sql" && language !== "js" && node.scope === "TEMPORARY") return `${language} user-defined functions (LANGUAGE ${language})`;
    if (node.isAggregate) return "aggregate user-defined functions (CREATE AGGREGATE FUNCTION)";
    if (node.isRemote) return "remote functions";
    return undefined;
  }
  if (SUPPORTED.has(kind)) return undefined;
  return UNSUPPORTED[kind] ?? `${kind.replace(/^ast|Node$/g, "").replace(/([a-z])([A-Z])/g, "$1 $2")} statements`;
}

/** Where an expression's text sits in the text the user sent, for error positions. */
export interface Origin {
  text: SqlText;
  start: number;
}

/** Evaluates one expression as a query (it may read tables and variables), its errors located at `origin`. */
export async function evaluate(deps: Deps, scope: StatementScope, expression: string, type?: string, origin?: Origin) {
  const prefix = type ? "SELECT CAST((" : "SELECT (";
  const sql = `${prefix}${expression}\n)${type ? ` AS ${type})` : ""} AS v`;
  const run = () => runQuery(deps, scope, new SqlText(sql));
  if (origin) {
    const skip = Buffer.byteLength(prefix);
    const result = await withPositions(new SqlText(sql), origin.text, (o) => Math.max(0, o - skip) + origin.start, run);
    return { field: result.schema[0], value: result.rows[0]?.[0] ?? null };
  }
  try {
    const result = await run();
    return { field: result.schema[0], value: result.rows[0]?.[0] ?? null };
  } catch (error) {
    if (error instanceof BigQueryError) {
      throw new BigQueryError(error.reason, error.message.replace(/ at \[\d+:\d+\]/g, ""), error.location, error.status);
    }
    throw error;
  }
}

const identifiers = (list: unknown): string[] =>
  (((list as AstNode | undefined)?.identifierList as { idString?: string }[] | undefined) ?? []).map((i) => i.idString ?? "");

/** DECLARE: the variables' names (lower case), for the enclosing block to forget them when it ends. */
export async function declare(deps: Deps, scope: StatementScope, script: SqlText, node: AstNode, origin?: Origin): Promise<string[]> {
  const names = identifiers(node.variableList);
  const typeRange = node.type ? rangeOf(node.type) : undefined;
  const type = typeRange ? script.slice(typeRange) : undefined;
  const defaultRange = node.defaultValue ? rangeOf(node.defaultValue) : undefined;
  if (!type && !defaultRange) throw invalidQuery("DECLARE needs a type or a DEFAULT value");
  for (const name of names) {
    if (scope.variables.has(name.toLowerCase())) throw invalidQuery(`Variable ${name} is already declared`);
  }
  const at = origin && defaultRange ? { text: origin.text, start: origin.start + defaultRange.start } : undefined;
  const { field, value } = await evaluate(deps, scope, defaultRange ? script.slice(defaultRange) : "NULL", type, at);
  for (const name of names) scope.variables.set(name.toLowerCase(), { name, field, value });
  return names.map((n) => n.toLowerCase());
}

function variableOf(scope: StatementScope, name: string) {
  const variable = scope.variables.get(name.toLowerCase());
  if (!variable) throw invalidQuery(`Undeclared variable: ${name}`);
  return variable;
}

/** Gives a declared variable a new value, cast to its type. */
export async function assignValue(deps: Deps, scope: StatementScope, name: string, expression: string, origin?: Origin): Promise<void> {
  const variable = variableOf(scope, name);
  const { value } = await evaluate(deps, scope, expression, sqlTypeName(typeOf(variable.field)), origin);
  scope.variables.set(name.toLowerCase(), { ...variable, value });
}

export async function assign(deps: Deps, scope: StatementScope, script: SqlText, node: AstNode, origin?: Origin): Promise<void> {
  const name = String((node.variable as { idString?: string } | undefined)?.idString ?? "");
  variableOf(scope, name);
  const range = rangeOf(node.expression);
  if (!range) throw invalidQuery(`SET ${name} needs a value`);
  await assignValue(deps, scope, name, script.slice(range), origin && { text: origin.text, start: origin.start + range.start });
}

/** SET (a, b, ...) = (x, y, ...) or = (SELECT AS STRUCT ...): each variable takes one field, cast to its type. */
export async function assignFromStruct(deps: Deps, scope: StatementScope, script: SqlText, node: AstNode, origin?: Origin): Promise<void> {
  const names = identifiers(node.variables);
  const variables = names.map((n) => variableOf(scope, n));
  const range = rangeOf(node.structExpression);
  if (!range) throw invalidQuery("SET (...) needs a value");
  const type = `STRUCT<${variables.map((v) => sqlTypeName(typeOf(v.field))).join(", ")}>`;
  const at = origin && { text: origin.text, start: origin.start + range.start };
  const probe = await evaluate(deps, scope, script.slice(range), undefined, at);
  const fields = probe.field.type === "RECORD" ? (probe.field.fields ?? []) : [];
  if (probe.field.mode === "REPEATED" || fields.length !== names.length) {
    throw invalidQuery(`SET (${names.join(", ")}) needs a STRUCT of ${names.length} fields`);
  }
  const { value } = await evaluate(deps, scope, script.slice(range), type, at);
  const cells = Array.isArray(value) ? value : names.map(() => null);
  names.forEach((name, i) => scope.variables.set(name.toLowerCase(), { ...variables[i], value: cells[i] ?? null }));
}
