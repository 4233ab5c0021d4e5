/**
 * SQL user-defined functions in statements: an Engine that hands ZetaSQL, with each statement,
 * the script's temporary functions and the persistent functions the statement calls (through
 * other functions' bodies too), as templated SQL functions of its catalog. ZetaSQL analyses each
 * call against the body and inlines it, so the rest of the executor sees plain SQL.
 */
import type { AstNode, Engine, EngineContext, EngineFunction } from "../engine";
import { unsupported } from "../errors";
import type { RoutineMeta, RoutineRef } from "../model";
import type { Store } from "../storage/store";
import { resolveRoutineName, routineKey, routinePaths, typeProto, withoutBuiltinClashes } from "./routine_types";
import type { ScriptSession } from "./script_session";
import { pathSegments, walk } from "./sql_text";

/** Calls of a dotted name: `ds.f(`, `` `p.ds.f`( ``, `p.ds.f (`. Cheap test before parsing. */
const DOTTED_CALL = /[\w`]\s*\.\s*`?[A-Za-z_][\w]*`?\s*\(/;

export function engineWithRoutines(engine: Engine, store: () => Store, session: ScriptSession, projectId: string): Engine {
  const withFunctions = async (sql: string, context: EngineContext): Promise<EngineContext> => {
    const functions = await functionsFor(engine, store(), session, sql, projectId);
    return functions.length === 0 ? context : { ...context, functions };
  };
  return {
    parse: (sql) => engine.parse(sql),
    parseNext: (script, position) => engine.parseNext(script, position),
    extractTableNames: (sql) => engine.extractTableNames(sql),
    analyze: async (sql, context) => engine.analyze(sql, await withFunctions(sql, context)),
    prepareQuery: async (sql, context) => engine.prepareQuery(sql, await withFunctions(sql, context)),
    evaluateQuery: async (sql, context) => engine.evaluateQuery(sql, await withFunctions(sql, context)),
    evaluateModify: async (sql, target, context) => engine.evaluateModify(sql, target, await withFunctions(sql, context)),
    builtinFunctionNames: () => engine.builtinFunctionNames(),
    serverPid: () => engine.serverPid(),
    stop: () => engine.stop(),
  };
}

/** The functions a statement may call: every temporary one, and the persistent ones it names, transitively. */
export async function functionsFor(engine: Engine, store: Store, session: ScriptSession, sql: string, projectId: string): Promise<EngineFunction[]> {
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
      await visit(`SELECT (${routine.definitionBody}\n)`, ref.projectId);
    }
  };
  await visit(sql, projectId);
  for (const temp of session.tempFunctions.values()) await visit(`SELECT (${temp.definitionBody}\n)`, projectId);
  const builtins = found.size > 0 ? await engine.builtinFunctionNames() : new Set<string>();
  const temporary = [...session.tempFunctions.values()].map((r) => engineFunction(r, [[r.ref.routineId]]));
  const persistent = [...found.values()].map((r) => engineFunction(r, withoutBuiltinClashes(routinePaths(r.ref, projectId), builtins)));
  return [...temporary, ...persistent];
}

function engineFunction(routine: RoutineMeta, paths: string[][]): EngineFunction {
  if (routine.language !== "SQL") {
    const name = routine.ref.datasetId ? `${routine.ref.datasetId}.${routine.ref.routineId}` : routine.ref.routineId;
    throw unsupported(`The local BigQuery cannot run JavaScript user-defined functions (${name}); rewrite it as a SQL function`);
  }
  return {
    paths,
    argumentNames: routine.arguments.map((a) => a.name),
    argumentTypes: routine.arguments.map((a) => (a.argumentKind === "ANY_TYPE" || !a.dataType ? undefined : typeProto(a.dataType))),
    returnType: routine.returnType ? typeProto(routine.returnType) : undefined,
    body: routine.definitionBody,
  };
}
