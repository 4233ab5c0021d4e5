/**
 * User-defined functions in statements: an Engine that hands ZetaSQL, with each statement, the
 * script's temporary functions and the persistent functions the statement calls (through other
 * functions' bodies too), as functions of its catalog. A SQL function is templated: ZetaSQL
 * analyses each call against the body and inlines it, so the rest of the executor sees plain SQL.
 * A JavaScript function is known by its signature; the DuckDB compiler runs its calls (js_udfs.ts).
 */
import type { AstNode, Engine, EngineContext, EngineFunction } from "../engine";
import { jsEngineFunction, jsOnReference } from "./js_udfs";
import type { RoutineMeta, RoutineRef } from "../model";
import type { Store } from "../storage/store";
import { resolveRoutineName, routineKey, routinePaths, typeProto, withoutBuiltinClashes } from "./routine_types";
import { ResultCache } from "./result_cache";
import type { ScriptSession } from "./script_session";
import { SqlText, pathSegments, walk } from "./sql_text";
import { loadTables, prepareStatement, type Deps, type TableUse } from "./statement_tables";
import type { StatementScope } from "./table_names";

/** Calls of a dotted name: `ds.f(`, `` `p.ds.f`( ``, `p.ds.f (`. Cheap test before parsing. */
const DOTTED_CALL = /[\w`]\s*\.\s*`?[A-Za-z_][\w]*`?\s*\(/;

/** The functions a statement may call, and the tables their bodies read (names as the statement's catalog holds them). */
export interface RoutineCatalog {
  functions: EngineFunction[];
  uses: TableUse[];
}

export function engineWithRoutines(
  engine: Engine,
  store: () => Store,
  session: ScriptSession,
  scope: Pick<StatementScope, "projectId" | "defaultDataset">,
): Engine {
  const withFunctions = async (sql: string, context: EngineContext, rows: boolean): Promise<EngineContext> => {
    const catalog = await routineCatalog(engine, store(), session, sql, scope);
    if (catalog.functions.length === 0) return context;
    // Tables a function body reads and the statement does not: the evaluator needs their rows too.
    const have = new Set((context.tables ?? []).map((t) => t.name));
    const extra = catalog.uses.filter((u) => !have.has(u.engineName));
    const tables = extra.length === 0 ? [] : await loadTables({ store: store(), engine, cache: new ResultCache() }, extra, { content: rows });
    return { ...context, functions: catalog.functions, tables: [...(context.tables ?? []), ...tables] };
  };
  return {
    parse: (sql) => engine.parse(sql),
    parseNext: (script, position) => engine.parseNext(script, position),
    extractTableNames: (sql) => engine.extractTableNames(sql),
    analyze: async (sql, context) => engine.analyze(sql, await withFunctions(sql, context, false)),
    prepareQuery: async (sql, context) => engine.prepareQuery(sql, await withFunctions(sql, context, false)),
    evaluateQuery: async (sql, context) => engine.evaluateQuery(sql, await withFunctions(sql, context, true)).catch((e: unknown) => Promise.reject(jsOnReference(e))),
    evaluateModify: async (sql, target, context) =>
      engine.evaluateModify(sql, target, await withFunctions(sql, context, true)).catch((e: unknown) => Promise.reject(jsOnReference(e))),
    builtinFunctionNames: () => engine.builtinFunctionNames(),
    serverPid: () => engine.serverPid(),
    stop: () => engine.stop(),
  };
}

/** The functions a statement may call: every temporary one, and the persistent ones it names, transitively. */
export async function functionsFor(engine: Engine, store: Store, session: ScriptSession, sql: string, projectId: string): Promise<EngineFunction[]> {
  return (await routineCatalog(engine, store, session, sql, { projectId })).functions;
}

export async function routineCatalog(
  engine: Engine,
  store: Store,
  session: ScriptSession,
  sql: string,
  scope: Pick<StatementScope, "projectId" | "defaultDataset">,
): Promise<RoutineCatalog> {
  const { projectId } = scope;
  const found = new Map<string, RoutineMeta>();
  const visit = async (text: string, project: string): Promise<void> => {
    if (!DOTTED_CALL.test(text)) return;
    let ast: AstNode;
    try {
      ast = await engine.parse(text);
    } catch {
      return; // the statement's own analysis reports it
    }
    const calls: string[][] = [];
    walk(ast, (node, key) => {
      if (key !== "astFunctionCallNode") return;
      const segments = pathSegments(node.function);
      if (segments && segments.join(".").split(".").length >= 2) calls.push(segments);
    });
    for (const segments of calls) {
      let ref: RoutineRef;
      try {
        ref = resolveRoutineName(segments, { projectId: project });
      } catch {
        continue;
      }
      const routine = store.getRoutine(ref);
      if (!routine || routine.routineType !== "SCALAR_FUNCTION" || found.has(routineKey(ref))) continue;
      found.set(routineKey(ref), routine);
      // A JavaScript body calls no SQL function.
      if (routine.language === "SQL") await visit(`SELECT (${routine.definitionBody}\n)`, ref.projectId);
    }
  };
  await visit(sql, projectId);
  for (const temp of session.tempFunctions.values()) if (temp.language === "SQL") await visit(`SELECT (${temp.definitionBody}\n)`, projectId);
  const builtins = found.size > 0 ? await engine.builtinFunctionNames() : new Set<string>();
  const uses = new Map<string, TableUse>();
  const deps: Deps = { store, engine, cache: new ResultCache() };
  const functions: EngineFunction[] = [];
  for (const r of session.tempFunctions.values()) {
    functions.push(await engineFunction(deps, r, [[r.ref.routineId]], scope, uses));
  }
  for (const r of found.values()) {
    // A persistent function's body, like a view's, names tables of its own project, never the default dataset.
    functions.push(await engineFunction(deps, r, withoutBuiltinClashes(routinePaths(r.ref, projectId), builtins), { projectId: r.ref.projectId }, uses));
  }
  return { functions, uses: [...uses.values()] };
}

const BODY_PREFIX = "SELECT (";
const BODY_SUFFIX = "\n)";

/** A routine as ZetaSQL's catalog takes it; the tables its body reads, renamed as the catalog holds them, join `uses`. */
async function engineFunction(
  deps: Deps,
  routine: RoutineMeta,
  paths: string[][],
  scope: Pick<StatementScope, "projectId" | "defaultDataset">,
  uses: Map<string, TableUse>,
): Promise<EngineFunction> {
  if (routine.language === "JAVASCRIPT") return jsEngineFunction(routine, paths);
  let body = routine.definitionBody;
  const sql = `${BODY_PREFIX}${body}${BODY_SUFFIX}`;
  if ((await deps.engine.extractTableNames(sql)).length > 0) {
    const prepared = await prepareStatement(deps, { ...scope, params: [], variables: new Map() }, new SqlText(sql), await deps.engine.parse(sql));
    body = prepared.sql.slice(BODY_PREFIX.length, prepared.sql.length - BODY_SUFFIX.length);
    for (const use of prepared.uses) uses.set(use.engineName, use);
  }
  return {
    paths,
    argumentNames: routine.arguments.map((a) => a.name),
    argumentTypes: routine.arguments.map((a) => (a.argumentKind === "ANY_TYPE" || !a.dataType ? undefined : typeProto(a.dataType))),
    returnType: routine.returnType ? typeProto(routine.returnType) : undefined,
    body,
  };
}
