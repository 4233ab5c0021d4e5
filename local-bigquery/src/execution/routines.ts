/**
 * Routine statements: CREATE [OR REPLACE] [TEMP] FUNCTION (SQL and JavaScript), DROP FUNCTION,
 * CREATE [OR REPLACE] PROCEDURE, DROP PROCEDURE, and CALL. ZetaSQL analyses each CREATE
 * (argument types, the body of a SQL function against the functions it calls); persistent
 * routines live in the store, temporary functions in the script's session. A procedure runs as a
 * script of its own: its arguments are its variables, and OUT/INOUT arguments are copied back to
 * the caller's variables when it ends.
 */
import type { AstNode, EngineConstant } from "../engine";
import { fieldOf, typeOf, sqlTypeName, type TypeProto } from "../engine/types";
import { datasetNotFound, resolveTableName } from "./table_names";
import { duplicate, invalidQuery, notFound, unsupported } from "../errors";
import type { RoutineArgument, RoutineMeta, RoutineRef } from "../model";
import type { ExecutionResult } from "./executor";
import { optionValues, plainOption, stringOption } from "./ddl_options";
import { checkJsDefinition } from "./js_udfs";
import { runStatements, type Frame, type ScriptState } from "./procedural";
import { functionsFor } from "./routine_functions";
import { resolveRoutineName, standardSqlType, typeProto } from "./routine_types";
import { checkSupported, evaluate, splitStatements, type ParsedStatement } from "./script";
import { checkStructure } from "./script_structure";
import { SqlText, flatten, nodeKinds, pathSegments, rangeOf, withPositions } from "./sql_text";
import { loadTables, prepareStatement } from "./statement_tables";

const kindOf = (s: ParsedStatement): string => s.kinds[s.kinds.length - 1] ?? "";

export function isRoutineStatement(kind: string, node: AstNode): boolean {
  return (
    kind === "astCreateFunctionStatementNode" ||
    kind === "astDropFunctionStatementNode" ||
    kind === "astCreateProcedureStatementNode" ||
    kind === "astCallStatementNode" ||
    kind === "astCreateTableFunctionStatementNode" ||
    kind === "astDropTableFunctionStatementNode" ||
    (kind === "astDropStatementNode" && node.schemaObjectKind === "kProcedure")
  );
}

const label = (ref: RoutineRef): string => `${ref.projectId}:${ref.datasetId}.${ref.routineId}`;

interface ResolvedArgument {
  kind?: string;
  type?: TypeProto;
  options?: { argumentName?: string; procedureArgumentMode?: string };
}

function routineArguments(resolved: AstNode): RoutineArgument[] {
  const names = (resolved.argumentNameList as string[] | undefined) ?? [];
  const args = ((resolved.signature as AstNode | undefined)?.argument as ResolvedArgument[] | undefined) ?? [];
  return args.map((a, i) => {
    const mode = a.options?.procedureArgumentMode;
    const argument: RoutineArgument = { name: a.options?.argumentName ?? names[i] ?? `arg${i}` };
    if (a.kind === "ARG_TYPE_ARBITRARY" || !a.type) argument.argumentKind = "ANY_TYPE";
    else argument.dataType = standardSqlType(a.type);
    if (mode === "IN" || mode === "OUT" || mode === "INOUT") argument.mode = mode;
    else if (resolved.procedureBody !== undefined) argument.mode = "IN";
    return argument;
  });
}

/** CREATE FUNCTION and CREATE PROCEDURE. */
export async function createRoutine(state: ScriptState, frame: Frame, text: SqlText, statement: ParsedStatement): Promise<ExecutionResult> {
  const isFunction = kindOf(statement) === "astCreateFunctionStatementNode";
  const { deps } = state;
  const functions = await functionsFor(deps.engine, deps.store, state.session, text.text, frame.scope.projectId);
  // A SQL function's body may read tables: ZetaSQL sees them (renamed as its catalog holds them) to analyse it.
  // Those of a persistent one, like a view's, are in its own project and never in the default dataset.
  const body = isFunction ? rangeOf((statement.node.sqlFunctionBody as AstNode | undefined)?.expression) : undefined;
  const bodyText = body ? frame.text.slice(body) : undefined;
  const scope = statement.node.scope === "TEMPORARY" ? frame.scope : { ...frame.scope, defaultDataset: undefined };
  const prepared = await prepareStatement(deps, scope, text, await deps.engine.parse(text.text), { namesFrom: bodyText ? `SELECT (${bodyText}\n)` : "" });
  const tables = await loadTables(deps, prepared.uses, { content: false });
  const resolved = flatten(
    nodeKinds(
      (await withPositions(new SqlText(prepared.sql), text, (o) => prepared.rewritten.locate(o), () =>
        deps.engine.analyze(prepared.sql, { functions, tables }),
      )) as AstNode,
    ).node,
  );
  const namePath = (resolved.namePath as string[] | undefined) ?? [];
  const temporary = resolved.createScope === "CREATE_TEMP";
  const mode = { replace: resolved.createMode === "CREATE_OR_REPLACE", ifNotExists: resolved.createMode === "CREATE_IF_NOT_EXISTS" };
  const options = optionValues(resolved.optionList);
  const others = Object.fromEntries([...options].filter(([n]) => n !== "description").map(([n, o]) => [n, plainOption(o)]));
  const language = String(resolved.language ?? "SQL").toUpperCase();
  if (language === "JS" || language === "JAVASCRIPT") checkJsDefinition(namePath.join("."), routineArguments(resolved), others.library);
  const now = Date.now();
  const meta = (ref: RoutineRef): RoutineMeta => ({
    ref,
    routineType: isFunction ? "SCALAR_FUNCTION" : "PROCEDURE",
    language: language === "JS" || language === "JAVASCRIPT" ? "JAVASCRIPT" : "SQL",
    arguments: routineArguments(resolved),
    returnType: isFunction && resolved.hasExplicitReturnType && resolved.returnType ? standardSqlType(resolved.returnType as TypeProto) : undefined,
    // The body as written (ZetaSQL's copy has the catalog's table names).
    definitionBody: String((isFunction ? (language === "SQL" && bodyText !== undefined ? bodyText : resolved.code) : resolved.procedureBody) ?? ""),
    description: stringOption(options, "description"),
    options: Object.keys(others).length > 0 ? others : undefined,
    creationTime: now,
    lastModifiedTime: now,
  });
  const statementType = isFunction ? "CREATE_FUNCTION" : "CREATE_PROCEDURE";

  if (temporary) {
    if (namePath.length !== 1 || namePath[0].includes(".")) throw invalidQuery(`Temporary function names must be a single identifier: ${namePath.join(".")}`);
    const name = namePath[0];
    if ((await deps.engine.builtinFunctionNames()).has(name.toLowerCase())) {
      throw invalidQuery(`${name} is the name of a built-in function; give the temporary function another name`);
    }
    const exists = state.session.tempFunctions.has(name.toLowerCase());
    if (exists && mode.ifNotExists) return { statementType, totalBytesProcessed: 0, ddlOperationPerformed: "SKIP" };
    if (exists && !mode.replace) throw duplicate(`Already Exists: Function ${name}`);
    // Also in a dry run: the script's later statements are validated against it; it ends with the request anyway.
    state.session.tempFunctions.set(name.toLowerCase(), meta({ projectId: "", datasetId: "", routineId: name }));
    return { statementType, totalBytesProcessed: 0, ddlOperationPerformed: exists ? "REPLACE" : "CREATE" };
  }
  const ref = resolveRoutineName(namePath, frame.scope);
  if (!deps.store.getDataset(ref)) throw datasetNotFound(ref);
  const existing = deps.store.getRoutine(ref);
  if (existing && mode.ifNotExists && !mode.replace) return { statementType, totalBytesProcessed: 0, ddlTargetRoutine: ref, ddlOperationPerformed: "SKIP" };
  if (existing && !mode.replace) throw duplicate(`Already Exists: ${isFunction ? "Function" : "Procedure"} ${label(ref)}`);
  if (!state.opts.dryRun) {
    const created = meta(ref);
    await deps.store.putRoutine(existing ? { ...created, creationTime: existing.creationTime } : created, mode);
  }
  return { statementType, totalBytesProcessed: 0, ddlTargetRoutine: ref, ddlOperationPerformed: existing ? "REPLACE" : "CREATE" };
}

/** DROP FUNCTION [IF EXISTS] and DROP PROCEDURE [IF EXISTS]. */
const DROPS = {
  astDropFunctionStatementNode: { what: "Function", statementType: "DROP_FUNCTION", routineType: "SCALAR_FUNCTION" },
  astDropTableFunctionStatementNode: { what: "Table function", statementType: "DROP_TABLE_FUNCTION", routineType: "TABLE_VALUED_FUNCTION" },
  astDropStatementNode: { what: "Procedure", statementType: "DROP_PROCEDURE", routineType: "PROCEDURE" },
} as const;

export async function dropRoutine(state: ScriptState, frame: Frame, statement: ParsedStatement): Promise<ExecutionResult> {
  const kind = kindOf(statement) as keyof typeof DROPS;
  const isFunction = kind === "astDropFunctionStatementNode";
  const { what, statementType, routineType: wanted } = DROPS[kind] ?? DROPS.astDropStatementNode;
  const segments = pathSegments(statement.node.name) ?? [];
  const ifExists = statement.node.isIfExists === true;
  if (isFunction && segments.length === 1 && state.session.tempFunctions.has(segments[0].toLowerCase())) {
    if (!state.opts.dryRun) state.session.tempFunctions.delete(segments[0].toLowerCase());
    return { statementType, totalBytesProcessed: 0, ddlOperationPerformed: "DROP" };
  }
  const ref = resolveRoutineName(segments, frame.scope);
  const existing = state.deps.store.getRoutine(ref);
  if (!existing || existing.routineType !== wanted) {
    if (ifExists) return { statementType, totalBytesProcessed: 0, ddlTargetRoutine: ref, ddlOperationPerformed: "SKIP" };
    throw notFound(`Not found: ${what} ${label(ref)}`);
  }
  if (!state.opts.dryRun) await state.deps.store.deleteRoutine(ref, { ifExists: true });
  return { statementType, totalBytesProcessed: 0, ddlTargetRoutine: ref, ddlOperationPerformed: "DROP" };
}

/** CALL p(args): runs the procedure's body in a scope of its own; OUT and INOUT arguments must be the caller's variables. */
export async function callProcedure(state: ScriptState, frame: Frame, statement: ParsedStatement): Promise<void> {
  const path = pathSegments(statement.node.procedureName) ?? [];
  if (path.join(".").toUpperCase() === "BQ.REFRESH_MATERIALIZED_VIEW") return refreshMaterializedView(state, frame, statement);
  const ref = resolveRoutineName(path, frame.scope);
  const procedure = state.deps.store.getRoutine(ref);
  if (!procedure || procedure.routineType !== "PROCEDURE") throw notFound(`Not found: Procedure ${label(ref)}`);
  if (procedure.language !== "SQL") throw unsupported(`The local BigQuery cannot run procedures in ${procedure.language} (${label(ref)})`);
  const args = (statement.node.arguments as AstNode[] | undefined) ?? [];
  if (args.length !== procedure.arguments.length) {
    throw invalidQuery(`Procedure ${ref.datasetId}.${ref.routineId} takes ${procedure.arguments.length} arguments, but ${args.length} were given`);
  }
  const variables = new Map<string, EngineConstant>();
  const outputs: { argument: string; variable: string }[] = [];
  for (const [i, parameter] of procedure.arguments.entries()) {
    const expression = (args[i] as AstNode).expr;
    const range = rangeOf(expression);
    if (!range) throw invalidQuery(`Argument ${i + 1} of CALL ${ref.routineId} is not an expression`);
    const type = typeProto(parameter.dataType ?? { typeKind: "STRING" });
    const field = fieldOf(parameter.name, type);
    const mode = parameter.mode ?? "IN";
    if (mode !== "IN") {
      const target = variableName(expression);
      if (!target || !frame.scope.variables.has(target.toLowerCase())) {
        throw invalidQuery(`Argument ${parameter.name} of procedure ${ref.routineId} is ${mode}: it must be a variable of the script`);
      }
      outputs.push({ argument: parameter.name.toLowerCase(), variable: target.toLowerCase() });
    }
    const value =
      mode === "OUT" ? null : (await evaluate(state.deps, frame.scope, frame.text.slice(range), sqlTypeName(type), { text: frame.text, start: range.start })).value;
    variables.set(parameter.name.toLowerCase(), { name: parameter.name, field, value });
  }

  const body = new SqlText(procedure.definitionBody);
  const inner: Frame = { text: body, scope: { ...frame.scope, variables, params: [] } };
  const statements = await splitStatements(state.deps.engine, body);
  checkSupported(statements);
  checkStructure(statements, body);
  await runStatements(state, inner, statements.map((s) => s.ast));

  for (const { argument, variable } of outputs) {
    const target = frame.scope.variables.get(variable);
    const source = variables.get(argument);
    if (!target || !source) continue;
    const same = sqlTypeName(typeOf(target.field)) === sqlTypeName(typeOf(source.field));
    const value = same
      ? source.value
      : (await evaluate(state.deps, { ...frame.scope, variables: new Map([["__out", { ...source, name: "__out" }]]) }, "__out", sqlTypeName(typeOf(target.field)))).value;
    frame.scope.variables.set(variable, { ...target, value });
  }
}

/** The variable an OUT/INOUT argument names (a one-part path), if it is one. */
function variableName(expression: unknown): string | undefined {
  const segments = pathSegments(expression);
  if (!segments) {
    const { node } = nodeKinds(expression as AstNode);
    const inner = pathSegments(node);
    return inner?.length === 1 ? inner[0] : undefined;
  }
  return segments.length === 1 ? segments[0] : undefined;
}

/**
 * BigQuery's system procedure BQ.REFRESH_MATERIALIZED_VIEW('ds.mv'): a materialized view here is
 * always current (answered as its query), so there is nothing to refresh once it is found.
 */
async function refreshMaterializedView(state: ScriptState, frame: Frame, statement: ParsedStatement): Promise<void> {
  const args = (statement.node.arguments as AstNode[] | undefined) ?? [];
  const range = args.length === 1 ? rangeOf((args[0] as AstNode).expr) : undefined;
  if (!range) throw invalidQuery("BQ.REFRESH_MATERIALIZED_VIEW takes one argument, the materialized view's name");
  const { value } = await evaluate(state.deps, frame.scope, frame.text.slice(range), "STRING");
  const ref = resolveTableName(String(value ?? "").split("."), frame.scope);
  const meta = state.deps.store.getTable(ref);
  if (!meta || meta.type !== "VIEW" || !meta.materialized) throw notFound(`Not found: Materialized view ${ref.projectId}:${ref.datasetId}.${ref.tableId}`);
}
