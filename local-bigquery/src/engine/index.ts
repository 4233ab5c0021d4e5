/** The ZetaSQL adapter: start a supervised ZetaSQL server and talk GoogleSQL to it. */
import { ZetaSqlClient } from "./zetasql_client";
import { ZetaSqlEngine, type Engine } from "./zetasql_engine";
import { ZetaSqlProcess } from "./zetasql_process";

export type {
  AstNode,
  Engine,
  EngineColumn,
  EngineConstant,
  EngineContext,
  EngineFunction,
  EngineTableFunction,
  EngineTable,
  ModifiedRow,
  QueryOutput,
} from "./zetasql_engine";
export { MAX_REQUEST_BYTES } from "./zetasql_client";

export interface EngineOptions {
  /** Deadline of each call to ZetaSQL, in milliseconds (default 60 s). */
  deadlineMs?: number;
  log?: (message: string) => void;
}

/** Starts the ZetaSQL server (and waits until it answers). stop() kills it. */
export async function startEngine(opts: EngineOptions = {}): Promise<Engine> {
  const process = new ZetaSqlProcess(opts.log);
  const client = new ZetaSqlClient(process, opts.deadlineMs ?? 60_000);
  const engine = new ZetaSqlEngine(process, client);
  try {
    await engine.extractTableNames("SELECT 1");
  } catch (error) {
    await engine.stop();
    throw error;
  }
  return engine;
}
