/**
 * Differential runs: one query through ZetaSQL's reference evaluator and through the DuckDB
 * compiler on the same tables; both answers (or both failures) are returned for comparison.
 */
import { startEngine, type Engine, type EngineTable } from "../../src/engine";
import { DuckDbRunner, compileQuery, type CompiledQuery } from "../../src/engine/duckdb";
import type { Field, QueryParameter, Row } from "../../src/model";

export interface Outcome {
  /** The rows, or the failure's message. */
  rows?: Row[];
  error?: string;
  schema?: Field[];
}

export interface Differential {
  /** Both engines' outcomes, and what the compiler made (or refused). */
  run(sql: string, params?: QueryParameter[]): Promise<{ reference: Outcome; duck: Outcome; compiled: CompiledQuery | string }>;
  /** The compiler's refusal message, or undefined when it compiles. */
  refusal(sql: string, params?: QueryParameter[]): Promise<string | undefined>;
  stop(): Promise<void>;
}

const outcome = async (work: () => Promise<{ rows: Row[]; schema: Field[] }>): Promise<Outcome> => {
  try {
    return await work();
  } catch (error) {
    return { error: (error as Error).message };
  }
};

export async function startDifferential(tables: EngineTable[]): Promise<Differential> {
  const engine: Engine = await startEngine({ deadlineMs: 60_000 });
  const duck = await DuckDbRunner.open();
  for (const table of tables) await duck.load(table);
  const compile = async (sql: string, params: QueryParameter[]) =>
    compileQuery(await engine.analyze(sql, { tables, params }), params);
  return {
    async run(sql, params = []) {
      const compiled = await compile(sql, params);
      const reference = await outcome(() => engine.evaluateQuery(sql, { tables, params }));
      if (!compiled.ok) return { reference, duck: { error: compiled.unsupported }, compiled: compiled.unsupported };
      return { reference, duck: await outcome(() => duck.run(compiled)), compiled };
    },
    async refusal(sql, params = []) {
      const compiled = await compile(sql, params);
      return compiled.ok ? undefined : compiled.unsupported;
    },
    async stop() {
      duck.close();
      await engine.stop();
    },
  };
}

/** Rows in a canonical order, for comparing results whose order the query leaves open. */
export const sortedRows = (rows: Row[]): string[] => rows.map((r) => JSON.stringify(r)).sort();
