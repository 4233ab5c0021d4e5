/**
 * Runs compiled SQL on a DuckDB connection: session setup (UTC, the prelude macros), loading
 * tables, and converting DuckDB values to canonical cells (model.ts Value) by GoogleSQL type.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { Row } from "../../model";
import { typeOf } from "../types";
import type { EngineTable, QueryOutput } from "../zetasql_engine";
import type { CompiledQuery } from "./compile_statement";
import { toCell } from "./cells";
import { registerJsFunctions } from "./js_functions";
import { PRELUDE, SESSION } from "./prelude";
import { duckLiteral, duckType, quoteIdent } from "./types";

/**
 * Makes a connection run compiled SQL as the compiler expects: the session settings (UTC, the
 * optimizers that drop GoogleSQL's errors disabled), the JavaScript functions, and the prelude
 * macros (temporary: they belong to the session, not to a database file).
 */
export async function prepareSession(connection: DuckDBConnection): Promise<void> {
  for (const setting of SESSION) await connection.run(setting);
  registerJsFunctions(connection);
  for (const macro of PRELUDE) await connection.run(macro.replace(/^\s*CREATE\s+(OR\s+REPLACE\s+)?MACRO\b/i, "CREATE OR REPLACE TEMP MACRO"));
}

export class DuckDbRunner {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /** An in-memory database on one thread, its session in UTC with the prelude macros. */
  static async open(): Promise<DuckDbRunner> {
    const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
    const connection = await instance.connect();
    await prepareSession(connection);
    return new DuckDbRunner(instance, connection);
  }

  /** Creates (or replaces) a table named as the engine names it, with its rows. */
  async load(table: EngineTable): Promise<void> {
    const types = table.columns.map((c) => typeOf(c.field));
    // REQUIRED columns are NOT NULL, as the DuckDB storage declares them.
    const columns = table.columns.map((c, i) => `${quoteIdent(c.name)} ${duckType(types[i])}${c.field.mode === "REQUIRED" ? " NOT NULL" : ""}`);
    await this.connection.run(`CREATE OR REPLACE TABLE ${quoteIdent(table.name)} (${columns.join(", ")})`);
    const rows = table.rows ?? [];
    for (let start = 0; start < rows.length; start += 500) {
      const values = rows.slice(start, start + 500).map((row: Row) => `(${row.map((v, i) => duckLiteral(v, types[i])).join(", ")})`);
      await this.connection.run(`INSERT INTO ${quoteIdent(table.name)} VALUES ${values.join(", ")}`);
    }
  }

  async run(query: CompiledQuery): Promise<QueryOutput> {
    const reader = await this.connection.runAndReadAll(query.sql);
    const rows = reader.getRows().map((row) => row.map((v, i) => toCell(v, query.types[i])));
    return { schema: query.schema, rows };
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
