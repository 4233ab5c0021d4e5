/**
 * The local BigQuery's public entry: opens the store in dataDir, starts the
 * ZetaSQL engine and the executor, and serves the REST API until stop().
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pino from "pino";
import { startEngine } from "./engine";
import { createExecutor } from "./execution";
import type { Executor } from "./execution/executor";
import { buildServer } from "./http/server";
import { JobRegistry } from "./jobs/job_registry";
import type { ServiceContext } from "./rest/context";
import { restRoutes } from "./rest/routes";
import type { Store } from "./storage/store";
import { GroupCommit } from "./storage/group_commit";
import { openDataDirectory } from "./storage/data_directory";

export interface LocalBigQueryOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: a fresh temporary directory. */
  dataDir?: string;
  /** No log output (same as logLevel "silent"). */
  quiet?: boolean;
  /** Default info: one line per request. */
  logLevel?: string;
  /**
   * Check every query DuckDB answers against ZetaSQL's reference evaluator (see execution/query_runner.ts).
   * Default: on when LOCAL_BIGQUERY_ORACLE=1 (the test suites set it).
   */
  oracle?: boolean;
}

export interface LocalBigQuery {
  /** http://HOST:PORT, the BIGQUERY_EMULATOR_HOST value. */
  url: string;
  port: number;
  dataDir: string;
  /** The store and the executor behind the REST API, for tests and benchmarks that work below it. */
  store: Store;
  executor: Executor;
  stop(): Promise<void>;
}

export { STORE_FILE } from "./storage/data_directory";

export async function startLocalBigQuery(opts: LocalBigQueryOptions = {}): Promise<LocalBigQuery> {
  const host = opts.host ?? "127.0.0.1";
  const dataDir = resolve(opts.dataDir ?? mkdtempSync(join(tmpdir(), "local-bigquery-")));
  mkdirSync(dataDir, { recursive: true });
  const logger = pino({ level: opts.quiet ? "silent" : (opts.logLevel ?? "info"), base: undefined });

  const store = await openDataDirectory(dataDir, (m) => logger.info(m));
  const engine = await startEngine({ log: (m) => logger.warn(m) }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  // Cleared on stop, so jobs arriving during shutdown fail cleanly instead of using a closed engine.
  let executor: Executor | undefined;
  const registry = new JobRegistry(() => executor);
  // INFORMATION_SCHEMA.JOBS lists the registry's jobs.
  const created = createExecutor({ store, engine, oracle: opts.oracle ?? process.env.LOCAL_BIGQUERY_ORACLE === "1", jobs: () => registry.summaries(), exportRoot: join(dataDir, "gcs") });
  executor = created;
  const ctx: ServiceContext = { store, inserts: new GroupCommit(store), jobs: registry, executor: () => executor, now: Date.now };
  const app = buildServer(restRoutes(ctx), { logger });
  try {
    await app.listen({ port: opts.port ?? 0, host });
  } catch (error) {
    await created.close();
    await engine.stop();
    await store.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : (opts.port ?? 0);
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await app.close();
      await ctx.jobs.drain(5_000);
      const running = executor;
      executor = undefined;
      await running?.close();
      await engine.stop();
      await store.close();
    })();
    return stopping;
  };
  return { url, port, dataDir, store, executor: created, stop };
}
