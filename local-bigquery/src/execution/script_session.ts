/**
 * What one request creates that lives until it ends: temporary tables and temporary functions.
 * Temporary tables are ordinary tables of a hidden dataset of the request (`_script_<id>`, as
 * BigQuery keeps them in an anonymous dataset); a one-part name resolves to one of them before
 * the default dataset. The dataset, and everything in it, is deleted when the request ends.
 */
import { randomUUID } from "node:crypto";
import { invalidQuery } from "../errors";
import type { DatasetRef, RoutineMeta, TableRef } from "../model";
import type { Store } from "../storage/store";
import type { ParsedStatement } from "./script";
import { pathSegments } from "./sql_text";

/** What afterStatement needs to know about the statement that ran. */
export interface StatementToken {
  /** A temporary table name this statement registered (CREATE TEMP TABLE). */
  added?: string;
  /** The statement dropped a table: forget temporary names whose table is gone. */
  dropped?: boolean;
}

export class ScriptSession {
  /** Temporary tables by their one-part name (names are case-sensitive, as table names are). */
  readonly tempTables = new Map<string, TableRef>();
  /** Temporary functions by lower-case name (function names are case-insensitive). */
  readonly tempFunctions = new Map<string, RoutineMeta>();
  private dataset?: DatasetRef;

  constructor(
    private readonly store: Store,
    private readonly projectId: string,
  ) {}

  /** The request's hidden dataset, created on first use. */
  async hiddenDataset(): Promise<DatasetRef> {
    if (!this.dataset) {
      const ref = { projectId: this.projectId, datasetId: `_script_${randomUUID().replace(/-/g, "")}` };
      const now = Date.now();
      await this.store.createDataset({ ref, location: "US", creationTime: now, lastModifiedTime: now, description: "Temporary tables of one script" });
      this.dataset = ref;
    }
    return this.dataset;
  }

  /** CREATE TEMP TABLE: its one-part name now means a table of the hidden dataset. */
  async beforeStatement(statement: ParsedStatement): Promise<StatementToken> {
    const kind = statement.kinds[statement.kinds.length - 1];
    if (kind === "astDropStatementNode") return { dropped: true };
    if (kind !== "astCreateTableStatementNode" || statement.node.scope !== "TEMPORARY") return {};
    const segments = pathSegments(statement.node.name) ?? [];
    if (segments.length !== 1 || segments[0].includes(".")) {
      throw invalidQuery(`Temporary table names must be a single identifier, without project or dataset: ${segments.join(".")}`);
    }
    const name = segments[0];
    if (this.tempTables.has(name)) return {};
    const dataset = await this.hiddenDataset();
    this.tempTables.set(name, { ...dataset, tableId: name });
    return { added: name };
  }

  async afterStatement(token: StatementToken): Promise<void> {
    const forget = (name: string, ref: TableRef) => {
      if (!this.store.getTable(ref)) this.tempTables.delete(name);
    };
    if (token.added) forget(token.added, this.tempTables.get(token.added) as TableRef);
    if (token.dropped) for (const [name, ref] of [...this.tempTables]) forget(name, ref);
  }

  /** Deletes the hidden dataset and its tables. */
  async close(): Promise<void> {
    const dataset = this.dataset;
    this.dataset = undefined;
    this.tempTables.clear();
    this.tempFunctions.clear();
    if (dataset) await this.store.deleteDataset(dataset, { deleteContents: true, ifExists: true });
  }
}
