/**
 * JavaScript user-defined functions in statements: a JAVASCRIPT routine becomes a function of
 * ZetaSQL's catalog known by its signature (so analysis, types and errors stay ZetaSQL's), whose
 * calls the DuckDB compiler runs as JavaScript (engine/duckdb/functions_js_udf.ts). ZetaSQL's
 * reference evaluator cannot call JavaScript: a statement the compiler refuses fails plainly.
 * OPTIONS(library=...) (and the REST API's importedLibraries) would load code from Cloud Storage,
 * which the local BigQuery does not have: refused.
 */
import type { EngineFunction } from "../engine";
import { defineJsUdf } from "../engine/duckdb/functions_js_udf";
import { BigQueryError, invalidQuery, unsupported } from "../errors";
import type { RoutineArgument, RoutineMeta } from "../model";
import { typeProto } from "./routine_types";

const nameOf = (routine: RoutineMeta): string => (routine.ref.datasetId ? `${routine.ref.datasetId}.${routine.ref.routineId}` : routine.ref.routineId);

/** Refuses JavaScript libraries, which BigQuery loads from Cloud Storage. */
function checkNoLibraries(name: string, library: unknown): void {
  const none = library === undefined || library === null || (Array.isArray(library) && library.length === 0);
  if (!none) {
    throw unsupported(
      `The local BigQuery cannot load JavaScript libraries (OPTIONS(library=...) of ${name}): it has no Cloud Storage to read them from. ` +
        `Put the code the function needs in its body.`,
    );
  }
}

const anyTypeArgument = (name: string, argument: string) =>
  invalidQuery(`JavaScript function ${name} has an ANY TYPE argument (${argument}); the arguments of a JavaScript function need a type`);

/** Checks a JavaScript function when it is created: libraries and ANY TYPE arguments are refused then. */
export function checkJsDefinition(name: string, args: RoutineArgument[], library: unknown): void {
  checkNoLibraries(name, library);
  const templated = args.find((a) => a.argumentKind === "ANY_TYPE");
  if (templated) throw anyTypeArgument(name, templated.name);
}

/** A JAVASCRIPT routine as ZetaSQL's catalog takes it, under each of `paths`. */
export function jsEngineFunction(routine: RoutineMeta, paths: string[][]): EngineFunction {
  const name = nameOf(routine);
  checkNoLibraries(name, routine.options?.library);
  if (!routine.returnType) throw invalidQuery(`JavaScript function ${name} has no return type; a JavaScript function must declare one (RETURNS)`);
  const argumentTypes = routine.arguments.map((a) => {
    if (a.argumentKind === "ANY_TYPE" || !a.dataType) throw anyTypeArgument(name, a.name);
    return typeProto(a.dataType);
  });
  const returnType = typeProto(routine.returnType);
  const argumentNames = routine.arguments.map((a) => a.name);
  return {
    paths,
    argumentNames,
    argumentTypes,
    returnType,
    body: routine.definitionBody,
    language: "js",
    jsId: defineJsUdf({ name, argumentNames, argumentTypes, returnType, code: routine.definitionBody }),
  };
}

/** ZetaSQL's reference evaluator on a function without an implementation (a JavaScript one). */
const NO_EVALUATOR = /^User-defined function (\S+) has no evaluator\b/;

/** Words for the user when the reference evaluator met a JavaScript function (see query_runner.ts). */
const JS_ON_REFERENCE = /only on DuckDB: ZetaSQL's reference evaluator/;

/** The reference evaluator's failure on a JavaScript function, said plainly; other errors unchanged. */
export function jsOnReference(error: unknown): unknown {
  const match = error instanceof Error ? NO_EVALUATOR.exec(error.message) : null;
  if (!match) return error;
  return unsupported(
    `The local BigQuery runs JavaScript user-defined functions (here ${match[1]}) only on DuckDB: ZetaSQL's reference evaluator, ` +
      `which runs the statements DuckDB cannot, cannot call JavaScript`,
  );
}

export const isJsOnReference = (error: unknown): boolean => error instanceof BigQueryError && JS_ON_REFERENCE.test(error.message);
