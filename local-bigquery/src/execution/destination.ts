/**
 * A query job's destinationTable: the query's rows written to a table by BigQuery's dispositions
 * (createDisposition CREATE_IF_NEEDED | CREATE_NEVER; writeDisposition WRITE_EMPTY | WRITE_APPEND |
 * WRITE_TRUNCATE; schemaUpdateOptions ALLOW_FIELD_ADDITION / ALLOW_FIELD_RELAXATION on append).
 * As in BigQuery, the job's results are then the destination table's rows.
 */
import { BigQueryError, duplicate, invalid, notFound } from "../errors";
import type { Field, Row, TableMeta, TableRef, TimePartitioning } from "../model";
import type { ExecutionRequest, ExecutionResult } from "./executor";
import type { Deps } from "./statement_tables";
import { checkWritable } from "./table_copies";

export interface Destination {
  ref: TableRef;
  createDisposition?: string;
  writeDisposition?: string;
  schemaUpdateOptions?: string[];
  timePartitioning?: TimePartitioning;
  clustering?: string[];
}

const label = (ref: TableRef): string => `${ref.projectId}:${ref.datasetId}.${ref.tableId}`;
const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Checks BigQuery makes before the query runs. */
export function checkDestination(deps: Deps, destination: Destination): void {
  const write = destination.writeDisposition ?? "WRITE_EMPTY";
  if (!["WRITE_EMPTY", "WRITE_APPEND", "WRITE_TRUNCATE"].includes(write)) throw invalid(`Invalid value for writeDisposition: ${write}`, "writeDisposition");
  const create = destination.createDisposition ?? "CREATE_IF_NEEDED";
  if (!["CREATE_IF_NEEDED", "CREATE_NEVER"].includes(create)) throw invalid(`Invalid value for createDisposition: ${create}`, "createDisposition");
  if ((destination.schemaUpdateOptions?.length ?? 0) > 0 && write !== "WRITE_APPEND") {
    throw invalid("Schema update options should only be specified with WRITE_APPEND disposition, or with WRITE_TRUNCATE disposition on a table partition.");
  }
  const existing = deps.store.getTable(destination.ref);
  if (!existing && create === "CREATE_NEVER") throw notFound(`Not found: Table ${label(destination.ref)}`);
  if (!deps.store.getDataset(destination.ref)) throw notFound(`Not found: Dataset ${destination.ref.projectId}:${destination.ref.datasetId}`);
  if (existing?.type === "VIEW") throw invalid(`Cannot write query results to ${label(destination.ref)}: it is a view`);
  if (existing) checkWritable(existing);
}

/** Writes a query's result to its destination; the job then answers with the destination's rows. */
export async function writeDestination(deps: Deps, request: ExecutionRequest, result: ExecutionResult): Promise<ExecutionResult> {
  const destination = request.destination as Destination;
  if (result.statementType !== "SELECT" || !result.schema) {
    throw invalid("destinationTable can only be set for a query (SELECT) job, not for DDL, DML or scripts", "destinationTable");
  }
  const schema = result.schema.map((f) => ({ ...f, mode: f.mode === "REPEATED" ? ("REPEATED" as const) : ("NULLABLE" as const) }));
  const rows = result.rows ?? [];
  const ref = destination.ref;
  const existing = deps.store.getTable(ref);
  const write = destination.writeDisposition ?? "WRITE_EMPTY";
  if (destination.timePartitioning?.field && !schema.some((f) => same(f.name, destination.timePartitioning?.field ?? ""))) {
    throw invalid("The field specified for partitioning cannot be found in the schema.");
  }
  for (const name of destination.clustering ?? []) {
    if (!schema.some((f) => same(f.name, name))) throw invalid(`The field specified for clustering cannot be found in the schema. Invalid field: ${name}`);
  }
  if (request.dryRun) return result;
  if (existing && write === "WRITE_APPEND") {
    await append(deps, existing, schema, rows, destination.schemaUpdateOptions ?? []);
  } else {
    if (existing && write === "WRITE_EMPTY" && deps.store.stats(ref).rows > 0) throw duplicate(`Already Exists: Table ${label(ref)}`);
    const now = Date.now();
    const meta: TableMeta = {
      ...(existing ?? { creationTime: now }),
      ref,
      type: "TABLE",
      schema,
      timePartitioning: destination.timePartitioning ?? existing?.timePartitioning,
      clustering: destination.clustering ?? existing?.clustering,
      lastModifiedTime: now,
    };
    await deps.store.createTable(meta, { replace: true, rows });
  }
  const table = deps.store.getTable(ref) as TableMeta;
  const stored = await deps.store.readRows(ref);
  return { ...result, schema: table.schema, rows: stored.map((r) => r.cells) };
}

/** WRITE_APPEND: result columns match the table's by name; new ones need ALLOW_FIELD_ADDITION. */
async function append(deps: Deps, table: TableMeta, schema: Field[], rows: Row[], options: string[]): Promise<void> {
  let target = table.schema;
  for (const field of schema) {
    const existing = target.find((f) => same(f.name, field.name));
    if (!existing) {
      if (!options.includes("ALLOW_FIELD_ADDITION")) throw invalid(`Invalid schema update. Cannot add fields (field: ${field.name})`);
      target = [...target, field];
    } else if (existing.type !== field.type || (existing.mode === "REPEATED") !== (field.mode === "REPEATED")) {
      throw invalid(`Invalid schema update. Field ${field.name} has changed type from ${existing.type} to ${field.type}`);
    }
  }
  for (const field of target) {
    const given = schema.some((f) => same(f.name, field.name));
    if (field.mode === "REQUIRED" && (!given || rows.some((r) => r[schema.findIndex((f) => same(f.name, field.name))] === null))) {
      if (!options.includes("ALLOW_FIELD_RELAXATION")) throw invalid(`Invalid schema update. Field ${field.name} has changed mode from REQUIRED to NULLABLE`);
      target = target.map((f) => (f === field ? { ...f, mode: "NULLABLE" as const } : f));
    }
  }
  if (target !== table.schema) await deps.store.updateTable(table.ref, { schema: target });
  const positions = target.map((f) => schema.findIndex((s) => same(s.name, f.name)));
  const mapped = rows.map((r) => positions.map((i, j) => (i < 0 ? (target[j].mode === "REPEATED" ? [] : null) : (r[i] ?? null))));
  if (mapped.length > 0) {
    try {
      await deps.store.appendRows(table.ref, mapped);
    } catch (error) {
      if (error instanceof BigQueryError) throw error;
      throw invalid(`Cannot append the query's rows to ${label(table.ref)}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
}
