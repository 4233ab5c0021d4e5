/**
 * The data directory: one DuckDB file, `bigquery.duckdb`. A directory written by the SQLite store
 * of earlier versions (`bigquery.sqlite`) is migrated on first start (migrate_sqlite.ts).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { SQLITE_FILE, migrateSqlite } from "./migrate_sqlite";
import { openStore, type StoreOptions } from "./duckdb_store";
import type { Store } from "./store";

export const STORE_FILE = "bigquery.duckdb";

export async function openDataDirectory(dataDir: string, log: (message: string) => void, options: StoreOptions = {}): Promise<Store> {
  const path = join(dataDir, STORE_FILE);
  const old = join(dataDir, SQLITE_FILE);
  if (!existsSync(path) && existsSync(old)) {
    log(`Migrating ${old} (the SQLite store of earlier versions) to ${path}`);
    const report = await migrateSqlite(old, path).catch((error: unknown) => {
      throw new Error(
        `${old} (the SQLite store of earlier versions) could not be migrated to DuckDB: ${(error as Error).message}. ` +
          `Nothing was changed; repair or move that file away and start again.`,
      );
    });
    log(`Migrated ${report.datasets} datasets, ${report.tables} tables and views, ${report.rows} rows; the old file is kept as ${old}.migrated`);
  }
  return openStore(path, options);
}
