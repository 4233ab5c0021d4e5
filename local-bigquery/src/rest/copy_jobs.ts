/**
 * Copy jobs (jobs.insert with configuration.copy): one or more source tables copied into a
 * destination by BigQuery's dispositions (createDisposition CREATE_IF_NEEDED | CREATE_NEVER;
 * writeDisposition WRITE_EMPTY | WRITE_TRUNCATE | WRITE_APPEND) and operationType COPY, CLONE or
 * SNAPSHOT (a read-only copy). The rows are copied inside DuckDB, in the destination's transaction.
 */
import { duplicate, invalid, notFound } from "../errors";
import type { ExecutionResult } from "../execution/executor";
import type { TableMeta, TableRef } from "../model";
import type { WriteTransaction } from "../storage/store";
import type { ServiceContext } from "./context";
import { copyColumns, ingestionUnit } from "../storage/ingestion_time";
import { requireFullAccess } from "../execution/row_access";
import { isRecord } from "./request_values";

const label = (ref: TableRef): string => `${ref.projectId}:${ref.datasetId}.${ref.tableId}`;

function refOf(value: unknown, projectId: string, what: string): TableRef {
  if (!isRecord(value) || typeof value.datasetId !== "string" || typeof value.tableId !== "string") {
    throw invalid(`${what} needs a datasetId and a tableId`, what);
  }
  return { projectId: typeof value.projectId === "string" ? value.projectId : projectId, datasetId: value.datasetId, tableId: value.tableId };
}

/** Validates configuration.copy and returns the work to run as the job. */
export function copyJob(ctx: ServiceContext, projectId: string, copy: Record<string, unknown>): () => Promise<ExecutionResult> {
  const sources = Array.isArray(copy.sourceTables) ? copy.sourceTables : copy.sourceTable !== undefined ? [copy.sourceTable] : [];
  if (sources.length === 0) throw invalid("configuration.copy needs sourceTable or sourceTables", "sourceTable");
  const sourceRefs = sources.map((s) => refOf(s, projectId, "sourceTable"));
  const destination = refOf(copy.destinationTable, projectId, "destinationTable");
  const write = typeof copy.writeDisposition === "string" ? copy.writeDisposition.toUpperCase() : "WRITE_EMPTY";
  const create = typeof copy.createDisposition === "string" ? copy.createDisposition.toUpperCase() : "CREATE_IF_NEEDED";
  const operation = typeof copy.operationType === "string" ? copy.operationType.toUpperCase() : "COPY";
  if (!["COPY", "CLONE", "SNAPSHOT"].includes(operation)) throw invalid(`The local BigQuery supports copy operationType COPY, CLONE and SNAPSHOT, not ${operation}`, "operationType");
  return async () => {
    const metas = sourceRefs.map((ref) => {
      const meta = ctx.store.getTable(ref);
      if (!meta) throw notFound(`Not found: Table ${label(ref)}`);
      if (meta.type !== "TABLE") throw invalid(`Cannot copy ${label(ref)}: it is a view`);
      // The destination takes the source's row access policies (metadata spread below), as BigQuery copies them.
      requireFullAccess(meta, "copying it");
      return meta;
    });
    const first = metas[0];
    for (const meta of metas.slice(1)) {
      if (JSON.stringify(meta.schema) !== JSON.stringify(first.schema)) throw invalid(`Cannot copy tables with different schemas: ${label(first.ref)} and ${label(meta.ref)}`);
    }
    const existing = ctx.store.getTable(destination);
    if (!existing && create === "CREATE_NEVER") throw notFound(`Not found: Table ${label(destination)}`);
    if (existing?.snapshot || existing?.type === "VIEW") throw invalid(`Cannot copy into ${label(destination)}: it is a ${existing.snapshot ? "table snapshot" : "view"}`);
    // By name: an ingestion-time partitioned table has hidden columns, kept only into another such table.
    const select = (target: TableMeta): string => {
      const columns = copyColumns(metas.every((m) => ingestionUnit(m)) ? first : { ...first, timePartitioning: undefined }, target);
      return `(${columns}) ${metas.map((m) => `SELECT ${columns} FROM ${ctx.store.relation(m.ref)}`).join(" UNION ALL ")}`;
    };
    const copiedRows = metas.reduce((n, m) => n + ctx.store.stats(m.ref).rows, 0);
    if (existing && write === "WRITE_APPEND") {
      if (JSON.stringify(existing.schema.map((f) => [f.name, f.type])) !== JSON.stringify(first.schema.map((f) => [f.name, f.type]))) {
        throw invalid(`Provided Schema does not match Table ${label(destination)}`);
      }
      await ctx.store.write([destination], (tx) => tx.connection.run(`INSERT INTO ${tx.relation(destination)} ${select(existing)}`).then(() => undefined));
    } else {
      if (existing && write === "WRITE_EMPTY" && ctx.store.stats(destination).rows > 0) throw duplicate(`Already Exists: Table ${label(destination)}`);
      const now = ctx.now();
      const meta: TableMeta = {
        ...first,
        ref: destination,
        creationTime: existing?.creationTime ?? now,
        lastModifiedTime: now,
        snapshot: operation === "SNAPSHOT" || undefined,
        clone: operation === "CLONE" || undefined,
        baseTable: operation === "COPY" ? undefined : first.ref,
        snapshotTime: operation === "SNAPSHOT" ? now : undefined,
      };
      await ctx.store.createTable(meta, {
        replace: true,
        fill: async (tx: WriteTransaction) => {
          await tx.connection.run(`INSERT INTO ${tx.relation(destination)} ${select(meta)}`);
        },
      });
    }
    return { statementType: "SELECT", totalBytesProcessed: 0, numDmlAffectedRows: copiedRows };
  };
}
