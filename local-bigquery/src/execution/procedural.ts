/**
 * BigQuery's procedural language: runs a request's statements as a script, walking ZetaSQL's
 * parse tree. BEGIN ... END blocks (their variables end with them) with EXCEPTION WHEN ERROR
 * handlers (@@error), IF, CASE, LOOP, WHILE, REPEAT, FOR ... IN, BREAK/LEAVE/CONTINUE/ITERATE
 * (with labels), RETURN, RAISE, ASSERT, EXECUTE IMMEDIATE, transactions, routines. Each SQL
 * statement in it (query, DDL, DML) runs alone through `runLeaf`; its error positions are mapped
 * into the text the statement came from.
 */
import type { AstNode } from "../engine";
import { BigQueryError, invalidQuery } from "../errors";
import type { Field, Row, Value } from "../model";
import { executeImmediate } from "./execute_immediate";
import type { ExecutionResult } from "./executor";
import { runQuery } from "./query_runner";
import { functionsFor } from "./routine_functions";
import { callProcedure, createRoutine, dropRoutine, isRoutineStatement } from "./routines";
import { SQL_STATEMENTS, assign, assignFromStruct, declare, evaluate, nestedStatementLists, type ParsedStatement } from "./script";
import type { ScriptSession } from "./script_session";
import type { SqlText } from "./sql_text";
import { lineColumnOf, nodeKinds, rangeOf, withPositions } from "./sql_text";
import { createTableFunction } from "./table_functions";
import type { Deps } from "./statement_tables";
import { RaisedError, caughtMessage, withSystemVariables, type CaughtError } from "./system_variables";
import type { StatementScope } from "./table_names";
import { beginTransaction, checkAllowedInTransaction, type ScriptTransaction } from "./transaction";

export interface RunOptions {
  dryRun: boolean;
  maximumBytesBilled?: number;
}

/** Runs one SQL statement (query, DDL, DML) whose text is `text` alone. */
export type LeafRunner = (deps: Deps, scope: StatementScope, text: SqlText, statement: ParsedStatement, opts: RunOptions) => Promise<ExecutionResult>;

/** What one request's script shares across its statements (and the procedures it calls). */
export interface ScriptState {
  /** The store and engine statements use: a transaction's view of the store while one is open. */
  deps: Deps;
  readonly base: Deps;
  readonly runLeaf: LeafRunner;
  readonly opts: RunOptions;
  /** Epoch milliseconds after which loops stop with a timeout. */
  readonly deadline: number;
  readonly session: ScriptSession;
  /** The result of the last query, DML or DDL statement run: the script's result. */
  last?: ExecutionResult;
  bytes: number;
  ranDdl: boolean;
  /** @@row_count: rows the last DML statement changed. */
  rowCount?: number;
  /** Errors of the exception handlers running, innermost last (@@error). */
  caught: CaughtError[];
  transaction?: ScriptTransaction;
  /** Text of the SQL statement running, for @@error.statement_text. */
  current?: string;
}

/** The text statements of one script or procedure body come from, and the variables they see. */
export interface Frame {
  text: SqlText;
  scope: StatementScope;
}

export type Flow = { kind: "break" | "continue"; label?: string } | { kind: "return" } | undefined;

const kindOf = (kinds: string[]): string => kinds[kinds.length - 1] ?? "";
const labelOf = (node: AstNode): string | undefined =>
  ((node.label as AstNode | undefined)?.name as { idString?: string } | undefined)?.idString?.toLowerCase();

/** Runs a list of statements (parse-tree nodes located in frame.text) until one ends the list. */
export async function runStatements(state: ScriptState, frame: Frame, list: AstNode[]): Promise<Flow> {
  for (const statement of list) {
    const { kinds, node } = nodeKinds(statement);
    const range = rangeOf(node);
    if (!range) throw new Error(`a ${kindOf(kinds)} without a location`);
    const flow = await runOne(state, frame, { ast: statement, kinds, node, range });
    if (flow) return flow;
  }
  return undefined;
}

async function runOne(state: ScriptState, frame: Frame, statement: ParsedStatement): Promise<Flow> {
  const { node } = statement;
  const kind = kindOf(statement.kinds);
  checkDeadline(state);
  switch (kind) {
    case "astBeginEndBlockNode":
      return runBlock(state, frame, node);
    case "astIfStatementNode":
      return runIf(state, frame, node);
    case "astCaseStatementNode":
      return runCase(state, frame, node);
    case "astWhileStatementNode":
    case "astRepeatStatementNode":
      return runLoop(state, frame, node, kind);
    case "astForInStatementNode":
      return runFor(state, frame, node);
    case "astBreakStatementNode":
      return { kind: "break", label: labelOf(node) };
    case "astContinueStatementNode":
      return { kind: "continue", label: labelOf(node) };
    case "astReturnStatementNode":
      return { kind: "return" };
    case "astRaiseStatementNode":
      return raise(state, frame, statement);
    case "astAssertStatementNode":
      return assertStatement(state, frame, statement);
    case "astVariableDeclarationNode":
    case "astSingleAssignmentNode":
    case "astAssignmentFromStructNode":
      await variables(state, frame, statement, kind);
      return undefined;
    case "astExecuteImmediateStatementNode":
      await located(state, frame, statement, (f) => executeImmediate(state, f, statement));
      return undefined;
    case "astBeginStatementNode":
      if (state.transaction) throw atStatement(frame, statement, "Nested transactions are not supported: a transaction is already active");
      state.transaction = await beginTransaction(state.base, state.session);
      state.deps = state.transaction.deps;
      return undefined;
    case "astCommitStatementNode":
    case "astRollbackStatementNode":
      await endTransaction(state, frame, statement, kind === "astCommitStatementNode");
      return undefined;
    default:
      if (state.transaction) checkAllowedInTransaction(statement, state.session);
      if (isRoutineStatement(kind, node)) {
        await located(state, frame, statement, async (f, text) => {
          if (kind === "astCallStatementNode") return callProcedure(state, f, statement);
          const create = kind === "astCreateFunctionStatementNode" || kind === "astCreateProcedureStatementNode";
          const result = await withPositions(text, frame.text, (o) => o + statement.range.start, () =>
            kind === "astCreateTableFunctionStatementNode"
              ? createTableFunction(state, f, text, statement)
              : create
                ? createRoutine(state, f, text, statement)
                : dropRoutine(state, f, statement),
          );
          record(state, result);
        });
        return undefined;
      }
      await leaf(state, frame, statement);
      return undefined;
  }
}

/** Runs `fn` on the statement's text with system variables spelled as constants, errors located in the frame's text. */
async function located<T>(
  state: ScriptState,
  frame: Frame,
  statement: ParsedStatement,
  fn: (frame: Frame, text: SqlText, system: ReadonlySet<string>) => Promise<T>,
): Promise<T> {
  const { text, constants } = withSystemVariables(frame.text, statement.node, systemValues(state, frame));
  const scope = constants.length === 0 ? frame.scope : { ...frame.scope, variables: new Map([...frame.scope.variables, ...constants.map((c) => [c.name, c] as const)]) };
  state.current = frame.text.slice(statement.range);
  return fn({ text, scope }, text.sub(statement.range), new Set(constants.map((c) => c.name)));
}

function systemValues(state: ScriptState, frame: Frame) {
  return {
    projectId: frame.scope.projectId,
    datasetId: frame.scope.defaultDataset?.datasetId,
    rowCount: state.rowCount,
    caught: state.caught[state.caught.length - 1],
  };
}

/** A query, DDL or DML statement: run alone, its result becomes the script's. */
async function leaf(state: ScriptState, frame: Frame, statement: ParsedStatement): Promise<void> {
  await located(state, frame, statement, async (f, text) => {
    // The runner re-parses statements not at offset 0, and one whose text was rewritten must be too.
    const ast = statement.range.start === 0 && f.text !== frame.text ? await state.deps.engine.parse(text.text) : statement.ast;
    const result = await withPositions(text, frame.text, (o) => o + statement.range.start, async () => {
      const token = await state.session.beforeStatement(statement);
      try {
        // A result depends on the functions the statement calls, which the cache key does not hold.
        const calls = state.session.tempFunctions.size > 0 || (await functionsFor(state.deps.engine, state.deps.store, state.session, text.text, f.scope.projectId)).length > 0;
        const scope = calls ? { ...f.scope, useQueryCache: false } : f.scope;
        return await state.runLeaf(state.deps, scope, text, { ...statement, ast }, state.opts);
      } finally {
        await state.session.afterStatement(token);
      }
    });
    record(state, result);
  });
}

function record(state: ScriptState, result: ExecutionResult | undefined): void {
  if (!result) return;
  state.last = result;
  state.bytes += result.totalBytesProcessed;
  state.ranDdl ||= /^(CREATE|DROP)/.test(result.statementType);
  if (result.numDmlAffectedRows !== undefined) state.rowCount = result.numDmlAffectedRows;
}

/** An error located at a statement, in BigQuery's form ("... at [line:column]"). */
function atStatement(frame: Frame, statement: ParsedStatement, message: string): BigQueryError {
  return invalidQuery(`${message}${position(frame, statement.range.start)}`);
}

function position(frame: Frame, offset: number): string {
  const { line, column } = lineColumnOf(frame.text, offset);
  return ` at [${line}:${column}]`;
}

function checkDeadline(state: ScriptState): void {
  if (Date.now() > state.deadline) {
    throw new BigQueryError("timeout", "The script exceeded its time limit and was stopped (a loop that does not end?)");
  }
}

let iterations = 0;

/** Each loop iteration: the deadline, and now and then a turn of the event loop (a loop of SET alone never waits on I/O). */
async function nextIteration(state: ScriptState): Promise<void> {
  checkDeadline(state);
  if (++iterations % 256 === 0) await new Promise((resolve) => setImmediate(resolve));
}

// ---- blocks and handlers ----

/** Errors that are the local BigQuery's own limits, not the script's: a handler must not hide them. */
const REFUSAL = /^(The local BigQuery (cannot|does not)|This statement reads \d+ rows)|does not implement this|may lack this BigQuery function/;

function catchable(error: unknown): boolean {
  if (!(error instanceof BigQueryError)) return false;
  if (error.reason === "timeout" || error.reason === "backendError" || error.reason === "internalError") return false;
  return !REFUSAL.test(error.message);
}

async function runBlock(state: ScriptState, frame: Frame, node: AstNode): Promise<Flow> {
  const label = labelOf(node);
  const outer = new Set(frame.scope.variables.keys());
  const forget = () => {
    for (const name of [...frame.scope.variables.keys()]) if (!outer.has(name)) frame.scope.variables.delete(name);
  };
  const statements = ((node.statementListNode as AstNode | undefined)?.statementList as AstNode[] | undefined) ?? [];
  const handler = ((node.handlerList as AstNode | undefined)?.exceptionHandlerList as AstNode[] | undefined)?.[0];
  let flow: Flow;
  try {
    flow = await runStatements(state, frame, statements);
  } catch (error) {
    if (!handler || !catchable(error)) throw error;
    // The block's variables are gone in its handler.
    forget();
    state.caught.push({ error, message: caughtMessage(error), statementText: state.current ?? "" });
    try {
      flow = await runStatements(state, frame, ((handler.statementList as AstNode | undefined)?.statementList as AstNode[] | undefined) ?? []);
    } finally {
      state.caught.pop();
    }
  } finally {
    forget();
  }
  // LEAVE of this block's label ends the block.
  if (flow?.kind === "break" && flow.label !== undefined && flow.label === label) return undefined;
  return flow;
}

async function raise(state: ScriptState, frame: Frame, statement: ParsedStatement): Promise<Flow> {
  const messageNode = statement.node.message;
  if (!messageNode) {
    const caught = state.caught[state.caught.length - 1];
    if (!caught) throw atStatement(frame, statement, "RAISE without a message is only allowed inside an exception handler");
    throw caught.error;
  }
  const value = await located(state, frame, statement, (f) => condition(state, f, messageNode, "STRING"));
  throw new RaisedError(value ?? "", position(frame, statement.range.start));
}

async function assertStatement(state: ScriptState, frame: Frame, statement: ParsedStatement): Promise<Flow> {
  const value = await located(state, frame, statement, (f) => condition(state, f, statement.node.expr, "BOOL"));
  if (value === "true") return undefined;
  const description = (statement.node.description as { stringValue?: string } | undefined)?.stringValue;
  const range = rangeOf(statement.node.expr);
  const what = description ?? `Assertion failed: ${range ? frame.text.slice(range) : "ASSERT"}`;
  throw atStatement(frame, statement, what);
}

async function variables(state: ScriptState, frame: Frame, statement: ParsedStatement, kind: string): Promise<void> {
  if (state.opts.dryRun && kind !== "astVariableDeclarationNode") return;
  await located(state, frame, statement, async (f, _text, system) => {
    const origin = { text: frame.text, start: 0 };
    if (kind === "astVariableDeclarationNode") await declare(state.deps, f.scope, f.text, statement.node, origin);
    else if (kind === "astSingleAssignmentNode") await assign(state.deps, f.scope, f.text, statement.node, origin);
    else await assignFromStruct(state.deps, f.scope, f.text, statement.node, origin);
    // The statement ran on a copy holding system variables: its writes belong to the frame.
    if (f.scope.variables !== frame.scope.variables) {
      for (const [key, value] of f.scope.variables) if (!system.has(key)) frame.scope.variables.set(key, value);
    }
  });
}

// ---- conditions ----

/** Evaluates an expression node of the frame as `type` ("BOOL": must be BOOL), returning its cell. */
async function condition(state: ScriptState, frame: Frame, expression: unknown, type: "BOOL" | "STRING"): Promise<string | null> {
  const range = rangeOf(expression);
  if (!range) throw invalidQuery("An expression is missing");
  const origin = { text: frame.text, start: range.start };
  const sql = frame.text.slice(range);
  const { field, value } = await evaluate(state.deps, frame.scope, sql, type === "STRING" ? "STRING" : undefined, origin);
  // A bare NULL literal is INT64 to ZetaSQL, but BigQuery takes it as a BOOL condition.
  const nullLiteral = nodeKinds(expression as AstNode).kinds.includes("astNullLiteralNode");
  if (type === "BOOL" && !nullLiteral && (field.type !== "BOOLEAN" || field.mode === "REPEATED")) {
    const { line, column } = lineColumnOf(frame.text, range.start);
    throw invalidQuery(`Expected a BOOL expression, but got ${field.mode === "REPEATED" ? "ARRAY" : field.type} at [${line}:${column}]`);
  }
  return typeof value === "string" ? value : null;
}

async function isTrue(state: ScriptState, frame: Frame, statement: ParsedStatement, expression: unknown): Promise<boolean> {
  return (await located(state, frame, statement, (f) => condition(state, f, expression, "BOOL"))) === "true";
}

const listOf = (node: unknown): AstNode[] => ((node as AstNode | undefined)?.statementList as AstNode[] | undefined) ?? [];

function asStatement(node: AstNode): ParsedStatement {
  return { ast: node, kinds: [], node, range: rangeOf(node) ?? { start: 0, end: 0 } };
}

async function runIf(state: ScriptState, frame: Frame, node: AstNode): Promise<Flow> {
  const self = asStatement(node);
  if (await isTrue(state, frame, self, node.condition)) return runStatements(state, frame, listOf(node.thenList));
  for (const clause of ((node.elseifClauses as AstNode | undefined)?.elseifClauses as AstNode[] | undefined) ?? []) {
    if (await isTrue(state, frame, asStatement(clause), clause.condition)) return runStatements(state, frame, listOf(clause.body));
  }
  return runStatements(state, frame, listOf(node.elseList));
}

/** CASE [expr] WHEN ... THEN ... [ELSE ...] END CASE: the first WHEN that holds (equals expr) runs. */
async function runCase(state: ScriptState, frame: Frame, node: AstNode): Promise<Flow> {
  const subject = node.expression ? rangeOf(node.expression) : undefined;
  for (const clause of ((node.whenThenClauses as AstNode | undefined)?.whenThenClauses as AstNode[] | undefined) ?? []) {
    const when = rangeOf(clause.condition);
    if (!when) continue;
    let holds: boolean;
    if (subject) {
      const sql = `(${frame.text.slice(subject)}) = (${frame.text.slice(when)})`;
      const value = await located(state, frame, asStatement(clause), async (f) => (await evaluate(state.deps, f.scope, sql)).value);
      holds = value === "true";
    } else {
      holds = await isTrue(state, frame, asStatement(clause), clause.condition);
    }
    if (holds) return runStatements(state, frame, listOf(clause.body));
  }
  return runStatements(state, frame, listOf(node.elseList));
}

// ---- loops ----

/** What a loop does with the flow its body ended with: stop, go on, or pass it outwards. */
function loopFlow(flow: Flow, label: string | undefined): "break" | "continue" | Flow {
  if (!flow) return "continue";
  if (flow.kind === "return") return flow;
  if (flow.label !== undefined && flow.label !== label) return flow;
  return flow.kind;
}

/** WHILE cond DO ... END WHILE, LOOP ... END LOOP (no condition), REPEAT ... UNTIL cond END REPEAT. */
async function runLoop(state: ScriptState, frame: Frame, node: AstNode, kind: string): Promise<Flow> {
  const label = labelOf(node);
  const self = asStatement(node);
  const until = (node.untilClause as AstNode | undefined)?.condition;
  for (;;) {
    await nextIteration(state);
    if (kind === "astWhileStatementNode" && node.condition && !(await isTrue(state, frame, self, node.condition))) return undefined;
    const next = loopFlow(await runStatements(state, frame, listOf(node.body)), label);
    if (next === "break") return undefined;
    if (next !== "continue") return next;
    if (kind === "astRepeatStatementNode" && (await isTrue(state, frame, self, until))) return undefined;
  }
}

/** FOR x IN (query) DO ... END FOR: x is a STRUCT of each row's columns, the rows read once before the first. */
async function runFor(state: ScriptState, frame: Frame, node: AstNode): Promise<Flow> {
  const label = labelOf(node);
  const name = String((node.variable as { idString?: string } | undefined)?.idString ?? "");
  const range = rangeOf(node.query);
  if (!range) throw invalidQuery("FOR ... IN needs a query");
  const { schema, rows } = await located(state, frame, asStatement(node), async (f) => {
    const text = f.text.sub(range);
    return withPositions(text, frame.text, (o) => o + range.start, () => runQuery(state.deps, f.scope, text));
  });
  const key = name.toLowerCase();
  if (frame.scope.variables.has(key)) throw invalidQuery(`Variable ${name} is already declared`);
  const field: Field = { name, type: "RECORD", mode: "NULLABLE", fields: schema };
  try {
    for (const row of rows) {
      await nextIteration(state);
      frame.scope.variables.set(key, { name, field, value: row as Value[] as Row });
      const next = loopFlow(await runStatements(state, frame, listOf(node.body)), label);
      if (next === "break") return undefined;
      if (next !== "continue") return next;
    }
  } finally {
    frame.scope.variables.delete(key);
  }
  return undefined;
}

// ---- transactions ----

async function endTransaction(state: ScriptState, frame: Frame, statement: ParsedStatement, commit: boolean): Promise<void> {
  const transaction = state.transaction;
  if (!transaction) {
    throw atStatement(frame, statement, `${commit ? "COMMIT" : "ROLLBACK"} TRANSACTION without an active transaction (BEGIN TRANSACTION)`);
  }
  state.transaction = undefined;
  state.deps = state.base;
  if (commit) await transaction.commit();
  else await transaction.rollback();
}

/** Ends the script: a transaction still open is rolled back, as BigQuery does. */
export async function finishScript(state: ScriptState): Promise<void> {
  const transaction = state.transaction;
  state.transaction = undefined;
  state.deps = state.base;
  if (transaction) await transaction.rollback();
}

// ---- dry runs ----

/**
 * A dry run validates each SQL statement and routine DDL, branches and loop bodies once each, in
 * text order; it evaluates DECLARE (for the variables' types) and nothing else.
 */
export async function dryRunStatements(state: ScriptState, frame: Frame, list: AstNode[]): Promise<void> {
  for (const statement of list) {
    const { kinds, node } = nodeKinds(statement);
    const range = rangeOf(node);
    if (!range) continue;
    const parsed: ParsedStatement = { ast: statement, kinds, node, range };
    const kind = kindOf(kinds);
    const nested = nestedStatementLists(node);
    if (nested.length > 0 || kind === "astBeginEndBlockNode") {
      for (const inner of nested) await dryRunStatements(state, frame, inner);
    } else if (kind === "astVariableDeclarationNode") {
      await variables(state, frame, parsed, kind);
    } else if (SQL_STATEMENTS.has(kind)) {
      await leaf(state, frame, parsed);
    } else if (isRoutineStatement(kind, node) && kind !== "astCallStatementNode") {
      // Validated, and a temporary function is known to the statements after it; nothing is stored.
      await runOne(state, frame, parsed);
    }
  }
}


/** Whether a request of these statements is a script (BigQuery's statementType SCRIPT) rather than one statement. */
export function isScript(statements: ParsedStatement[]): boolean {
  if (statements.length !== 1) return true;
  const kind = kindOf(statements[0].kinds);
  return !SQL_STATEMENTS.has(kind) && !SINGLE_DDL.has(kind) && !isDropProcedure(statements[0]);
}

/** Routine DDL that, alone in a request, is a statement of its own (CREATE PROCEDURE is a script: its body is one). */
const SINGLE_DDL = new Set(["astCreateFunctionStatementNode", "astDropFunctionStatementNode", "astCreateTableFunctionStatementNode", "astDropTableFunctionStatementNode"]);

const isDropProcedure = (s: ParsedStatement): boolean => kindOf(s.kinds) === "astDropStatementNode" && s.node.schemaObjectKind === "kProcedure";
