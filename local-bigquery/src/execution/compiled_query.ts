/**
 * Runs a query compiled to DuckDB SQL on the store's tables, and says what DuckDB's failures
 * mean: a failure of the data (overflow, division by zero, a bad cast) is the user's, as in
 * BigQuery; a failure to bind or plan the compiled SQL is a gap of the compiler, and the caller
 * runs the query on ZetaSQL's reference evaluator instead.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { compileQuery, toCell, type CompiledQuery } from "../engine/duckdb";
import type { AstNode } from "../engine";
import { BigQueryError } from "../errors";
import type { QueryParameter, Row, TableRef, Value } from "../model";
import type { EngineConstant } from "../engine";
import type { TableUse } from "./statement_tables";
import { wildcardRelationSql } from "./wildcard_tables";

/** DuckDB's error classes that report the data, not the SQL: GoogleSQL raises at the same rows. */
const DATA_ERRORS = /^(Invalid Input|Out of Range|Conversion|Constraint|Overflow|Division By Zero) Error: /;

/** A compiled statement DuckDB could not bind or plan: run it on the reference evaluator instead. */
export class CompilerGap extends Error {}

export interface CompileContext {
  params: QueryParameter[];
  constants: EngineConstant[];
  /** The tables the statement reads, by the name they have in the resolved AST. */
  uses: TableUse[];
  relation: (ref: TableRef) => string;
}

/** The DuckDB relation of each table by its name in the resolved AST. */
export function tableSqlFor(uses: TableUse[], relation: (ref: TableRef) => string): (name: string) => string {
  const byName = new Map(uses.map((u) => [u.engineName, u]));
  return (name) => {
    const use = byName.get(name);
    if (!use) throw new Error(`compiled SQL names an unknown table ${name}`);
    // A wildcard table is the UNION ALL of its members.
    return use.members ? wildcardRelationSql(use.meta.schema, use.members, relation) : relation(use.ref);
  };
}

/** Script variables as the compiler takes them: canonical values by lower-case name. */
export const constantValues = (constants: EngineConstant[]): Map<string, Value> => new Map(constants.map((c) => [c.name.toLowerCase(), c.value]));

/** The DuckDB form of a resolved query, or the construct the compiler refused. */
export function compile(resolved: AstNode, context: CompileContext): { compiled?: CompiledQuery; refused?: string } {
  const result = guarded(() =>
    compileQuery(resolved, context.params, { tableSql: tableSqlFor(context.uses, context.relation), constants: constantValues(context.constants) }),
  );
  return result.ok ? { compiled: result } : { refused: result.unsupported };
}

/**
 * A compiler that throws (a value it cannot decode, say a RANGE literal) has refused: the
 * reference evaluator answers instead of the user seeing the compiler's failure.
 */
export function guarded<T extends { ok: true }>(compileIt: () => T | { ok: false; unsupported: string }): T | { ok: false; unsupported: string } {
  try {
    return compileIt();
  } catch (error) {
    return { ok: false, unsupported: `unsupported: a value or construct the compiler could not translate (${(error as Error).message.split("\n")[0]})` };
  }
}

export async function runCompiled(connection: DuckDBConnection, compiled: CompiledQuery): Promise<Row[]> {
  let reader;
  try {
    reader = await connection.runAndReadAll(compiled.sql);
  } catch (error) {
    throw duckDbError(error);
  }
  return reader.getRows().map((row) => row.map((v, i) => toCell(v, compiled.types[i])));
}

/** DuckDB's error as BigQuery's: invalidQuery with DuckDB's message for data errors, CompilerGap otherwise. */
export function duckDbError(error: unknown): Error {
  // An error raised inside a JavaScript scalar function may come from another realm (not instanceof Error).
  const message = typeof (error as { message?: unknown } | null)?.message === "string" ? (error as Error).message : String(error);
  const match = DATA_ERRORS.exec(message);
  if (match) return new BigQueryError("invalidQuery", message.slice(match[0].length).split("\n")[0], "query");
  return new CompilerGap(message);
}
