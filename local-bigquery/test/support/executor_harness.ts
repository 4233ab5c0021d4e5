/**
 * A real executor for the SQL-core tests: the real ZetaSQL engine and a real in-memory DuckDB
 * store, with the differential oracle on (every query DuckDB answers is also answered by
 * ZetaSQL's reference evaluator, and any difference fails the statement).
 */
import { startEngine, type Engine } from "../../src/engine";
import { createExecutor } from "../../src/execution";
import type { ExecutionRequest, ExecutionResult, Executor } from "../../src/execution/executor";
import type { TableRef } from "../../src/model";
import { openStore } from "../../src/storage/duckdb_store";
import type { Store } from "../../src/storage/store";

export const PROJECT = "test-project";

export interface Harness {
  engine: Engine;
  store: Store;
  executor: Executor;
  /** Runs SQL in PROJECT; extra request fields override. */
  run(sql: string, extra?: Partial<ExecutionRequest>): Promise<ExecutionResult>;
  /** The error a statement fails with (fails the test if it succeeds). */
  failure(sql: string, extra?: Partial<ExecutionRequest>): Promise<Error & { reason?: string; status?: number }>;
  /** A table's rows' cells, in insertion order. */
  cells(dataset: string, table: string): Promise<unknown[][]>;
  ref(dataset: string, table: string): TableRef;
  stop(): Promise<void>;
}

/** referenceOnly: every statement runs on ZetaSQL's reference evaluator (the other side of DML differential tests). */
export async function startHarness(opts: { referenceOnly?: boolean } = {}): Promise<Harness> {
  const engine = await startEngine({ deadlineMs: 60_000 });
  const store = await openStore(":memory:");
  const executor = createExecutor({ store, engine, oracle: !opts.referenceOnly, referenceOnly: opts.referenceOnly });
  const run = (sql: string, extra: Partial<ExecutionRequest> = {}): Promise<ExecutionResult> =>
    executor.execute({ projectId: PROJECT, sql, params: [], ...extra });
  const ref = (dataset: string, table: string): TableRef => ({ projectId: PROJECT, datasetId: dataset, tableId: table });
  return {
    engine,
    store,
    executor,
    run,
    ref,
    async failure(sql, extra) {
      try {
        await run(sql, extra);
      } catch (error) {
        return error as Error;
      }
      throw new Error(`expected a failure: ${sql}`);
    },
    cells: async (dataset, table) => (await store.readRows(ref(dataset, table))).map((r) => r.cells),
    async stop() {
      await executor.close();
      await engine.stop();
      await store.close();
    },
  };
}
