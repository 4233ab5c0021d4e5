/**
 * DuckDB connections of one database, each prepared for compiled SQL (prepareSession). A
 * connection runs one statement at a time; DuckDB runs statements of different connections in
 * parallel, so concurrent requests each borrow their own. Idle connections are kept for reuse.
 */
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { registerJsUdfs } from "../engine/duckdb/functions_js_udf";
import { prepareSession } from "../engine/duckdb/runner";

/** Idle connections kept beyond this are closed. */
const MAX_IDLE = 8;

export class ConnectionPool {
  private readonly idle: DuckDBConnection[] = [];
  private readonly all = new Set<DuckDBConnection>();
  private closed = false;

  constructor(private readonly instance: DuckDBInstance) {}

  async use<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await this.acquire();
    let healthy = true;
    try {
      // JavaScript UDFs defined since the connection was last handed out (outside any transaction).
      registerJsUdfs(connection);
      return await fn(connection);
    } catch (error) {
      // A failed statement may leave a transaction open: end it before the connection is reused.
      healthy = await connection.run("ROLLBACK").then(
        () => true,
        (e: unknown) => /no transaction is active/i.test(String((e as Error).message)),
      );
      throw error;
    } finally {
      this.release(connection, healthy);
    }
  }

  private async acquire(): Promise<DuckDBConnection> {
    if (this.closed) throw new Error("The local BigQuery's store is closed");
    const reused = this.idle.pop();
    if (reused) return reused;
    const connection = await this.instance.connect();
    this.all.add(connection);
    await prepareSession(connection);
    return connection;
  }

  private release(connection: DuckDBConnection, healthy: boolean): void {
    if (healthy && !this.closed && this.idle.length < MAX_IDLE) {
      this.idle.push(connection);
      return;
    }
    this.all.delete(connection);
    connection.closeSync();
  }

  close(): void {
    this.closed = true;
    for (const connection of this.all) connection.closeSync();
    this.all.clear();
    this.idle.length = 0;
  }
}
