/**
 * Table functions (CREATE TABLE FUNCTION ds.f(args) AS query). At CREATE, ZetaSQL analyses the body
 * (tables it reads from the store, table functions it calls known by their output columns) and
 * records where the body reads each argument. A call in FROM is then inlined as a view is: its
 * arguments are evaluated once into query parameters, the body's argument references become those
 * parameters (at the places the analysis found, never by matching text), and the body becomes a
 * parenthesised subquery whose own names are resolved in turn.
 */
import type { AstNode, EngineTableFunction } from "../engine";
import { sqlTypeName, type TypeProto } from "../engine/types";
import { BigQueryError, invalidQuery, notFound, unsupported } from "../errors";
import type { RoutineMeta, RoutineRef } from "../model";
import type { ExecutionResult } from "./executor";
import type { Frame, ScriptState } from "./procedural";
import { resolveRoutineName, routinePaths, sqlLiteral, standardSqlType, typeProto, withoutBuiltinClashes } from "./routine_types";
import { RewrittenSql, SqlText, flatten, nodeKinds, pathSegments, rangeOf, walk, withPositions } from "./sql_text";
import { loadTables, prepareStatement, type Deps } from "./statement_tables";
import { datasetNotFound, type StatementScope } from "./table_names";

const label = (ref: RoutineRef): string => `${ref.projectId}:${ref.datasetId}.${ref.routineId}`;

/** The table functions a body calls, as the analyser's catalog needs them. */
async function calledTableFunctions(deps: Deps, ast: AstNode, projectId: string): Promise<EngineTableFunction[]> {
  const builtins = await deps.engine.builtinFunctionNames();
  const found: EngineTableFunction[] = [];
  walk(ast, (node, key) => {
    if (key !== "astTvfNode") return;
    const segments = pathSegments(node.name);
    if (!segments) return;
    let ref: RoutineRef;
    try {
      ref = resolveRoutineName(segments, { projectId });
    } catch {
      return;
    }
    const routine = deps.store.getRoutine(ref);
    if (routine?.routineType !== "TABLE_VALUED_FUNCTION") return;
    found.push({
      paths: withoutBuiltinClashes(routinePaths(ref, projectId), builtins),
      argumentNames: routine.arguments.map((a) => a.name),
      argumentTypes: routine.arguments.map((a) => typeProto(a.dataType ?? { typeKind: "STRING" })),
      columns: (routine.returnTableType?.columns ?? []).map((c) => ({ name: c.name, type: typeProto(c.type) })),
    });
  });
  return found;
}

/** CREATE [OR REPLACE] TABLE FUNCTION [IF NOT EXISTS]: analysed, stored with its output columns and argument references. */
export async function createTableFunction(state: ScriptState, frame: Frame, text: SqlText, statement: ParsedLike): Promise<ExecutionResult> {
  const { deps } = state;
  const node = statement.node;
  if (node.scope === "TEMPORARY") throw unsupported("The local BigQuery cannot create temporary table functions; BigQuery's are persistent");
  const declaration = node.functionDeclaration as AstNode | undefined;
  const ref = resolveRoutineName(pathSegments(declaration?.name) ?? [], frame.scope);
  if (!deps.store.getDataset(ref)) throw datasetNotFound(ref);
  const body = rangeOf(node.query);
  if (!body) throw invalidQuery("CREATE TABLE FUNCTION needs AS query");
  // Offsets of the parse tree are in the whole script; `text` is this statement alone.
  const start = statement.range.start;
  const bodyRange = { start: body.start - start, end: body.end - start };
  const ast = await deps.engine.parse(text.text);
  // Like a view's, the body's names ignore the default dataset and mean the function's project.
  const scope: StatementScope = { ...frame.scope, projectId: ref.projectId, defaultDataset: undefined };
  const prepared = await prepareStatement(deps, scope, text, ast, { namesFrom: text.slice(bodyRange), inlineTableFunctions: false });
  const tables = await loadTables(deps, prepared.uses, { content: false });
  const tableFunctions = await calledTableFunctions(deps, ast, ref.projectId);
  const resolved = await withPositions(new SqlText(prepared.sql), text, (o) => prepared.rewritten.locate(o), () =>
    deps.engine.analyze(prepared.sql, { tables, tableFunctions, recordParseLocations: true }),
  );
  const stmt = flatten(nodeKinds(resolved).node);
  const names = (stmt.argumentNameList as string[] | undefined) ?? [];
  const signature = ((stmt.signature as AstNode | undefined)?.argument as { type?: TypeProto }[] | undefined) ?? [];
  const columns = ((stmt.outputColumnList as { name?: string; column?: { type?: TypeProto } }[] | undefined) ?? []).map((c) => ({
    name: c.name ?? "",
    type: standardSqlType(c.column?.type ?? { typeKind: "TYPE_STRING" }),
  }));
  const references: { argument: number; start: number; end: number }[] = [];
  walk(stmt.query, (n, key) => {
    if (key !== "resolvedArgumentRefNode") return;
    const at = ((n.parent as AstNode | undefined)?.parent as { parseLocationRange?: { start?: number; end?: number } } | undefined)?.parseLocationRange;
    const argument = names.findIndex((a) => a.toLowerCase() === String(n.name).toLowerCase());
    if (!at || argument < 0) return;
    const from = prepared.rewritten.toOriginal(at.start ?? 0) - bodyRange.start;
    references.push({ argument, start: from, end: from + ((at.end ?? 0) - (at.start ?? 0)) });
  });
  const mode = { replace: stmt.createMode === "CREATE_OR_REPLACE", ifNotExists: stmt.createMode === "CREATE_IF_NOT_EXISTS" };
  const existing = deps.store.getRoutine(ref);
  const result = (op: ExecutionResult["ddlOperationPerformed"]): ExecutionResult => ({
    statementType: "CREATE_TABLE_FUNCTION",
    totalBytesProcessed: 0,
    ddlTargetRoutine: ref,
    ddlOperationPerformed: op,
  });
  if (existing && mode.ifNotExists && !mode.replace) return result("SKIP");
  if (existing && !mode.replace) throw new BigQueryError("duplicate", `Already Exists: Table function ${label(ref)}`);
  const now = Date.now();
  const meta: RoutineMeta = {
    ref,
    routineType: "TABLE_VALUED_FUNCTION",
    language: "SQL",
    arguments: names.map((name, i) => ({ name, dataType: standardSqlType(signature[i]?.type ?? { typeKind: "TYPE_STRING" }) })),
    returnTableType: { columns },
    definitionBody: text.slice(bodyRange),
    argumentReferences: references,
    creationTime: existing?.creationTime ?? now,
    lastModifiedTime: now,
  };
  if (!state.opts.dryRun) await deps.store.putRoutine(meta, mode);
  return result(existing ? "REPLACE" : "CREATE");
}

/** What createTableFunction needs of the statement: its (flattened) node and its range in the script. */
interface ParsedLike {
  node: AstNode;
  range: { start: number; end: number };
}

/** What a statement's table function arguments may read: its parameters and variables. */
export interface TableFunctionScope {
  scope: Pick<StatementScope, "params" | "variables">;
}

/**
 * One call of a table function in FROM: its body with each argument's value, evaluated once, as a
 * literal where the analysis found the argument read (literals, not parameters: a view's body
 * may call it), ready for the caller to resolve the body's own names.
 */
export async function tableFunctionBody(
  deps: Deps,
  call: AstNode,
  text: SqlText,
  projectId: string,
  outer: TableFunctionScope,
): Promise<{ routine: RoutineMeta; body: string } | undefined> {
  const segments = pathSegments(call.name);
  if (!segments) return undefined;
  const ref = resolveRoutineName(segments, { projectId });
  const routine = deps.store.getRoutine(ref);
  if (!routine || routine.routineType !== "TABLE_VALUED_FUNCTION") {
    throw notFound(`Not found: Table function ${label(ref)}`);
  }
  const entries = (call.argumentEntries as AstNode[] | undefined) ?? [];
  if (entries.length !== routine.arguments.length) {
    throw invalidQuery(`Table function ${ref.datasetId}.${ref.routineId} takes ${routine.arguments.length} arguments, but ${entries.length} were given`);
  }
  const literals: string[] = [];
  for (const [i, entry] of entries.entries()) {
    const range = rangeOf(entry.expr);
    if (!range) throw unsupported("The local BigQuery supports table function arguments that are scalar expressions only");
    const type = typeProto(routine.arguments[i].dataType ?? { typeKind: "STRING" });
    const { field, value } = await argumentValue(deps, text.slice(range), type, outer);
    literals.push(`(${sqlLiteral(value, field)})`);
  }
  const bodyText = new SqlText(routine.definitionBody);
  const substituted = new RewrittenSql(bodyText);
  for (const r of routine.argumentReferences ?? []) substituted.replace({ start: r.start, end: r.end }, literals[r.argument]);
  return { routine, body: substituted.changed ? substituted.text() : bodyText.text };
}

/** An argument's value, cast to the parameter's type; it may read variables and named parameters, not tables. */
async function argumentValue(deps: Deps, expression: string, type: TypeProto, outer: TableFunctionScope) {
  const output = await deps.engine.evaluateQuery(`SELECT CAST((${expression}\n) AS ${sqlTypeName(type)}) AS v`, {
    constants: [...outer.scope.variables.values()],
    params: outer.scope.params.filter((p) => p.name),
  });
  return { field: output.schema[0], value: output.rows[0]?.[0] ?? null };
}
