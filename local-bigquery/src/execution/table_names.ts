/**
 * Names as BigQuery resolves them: `p.d.t`, `p`.`d`.`t` and p.d.t alike;
 * d.t against the request's project; t against the default dataset.
 */
import { invalidQuery, notFound } from "../errors";
import type { DatasetRef, QueryParameter, TableRef } from "../model";
import type { EngineConstant } from "../engine";

/** What every statement of a request shares. */
export interface StatementScope {
  projectId: string;
  defaultDataset?: DatasetRef;
  params: QueryParameter[];
  /** Script variables (DECLARE), visible to SQL as named constants. */
  variables: Map<string, EngineConstant>;
  deadlineMs?: number;
  /** false: the result cache is neither read nor written. */
  useQueryCache?: boolean;
  /** Which engine ran each query and DML part of the request (see ExecutionResult.engines). */
  engines?: EngineUse[];
  /** The script's temporary tables by their one-part name: found before the default dataset. */
  tempTables?: ReadonlyMap<string, TableRef>;
}

/** DuckDB ran it, or the reference evaluator did because the DuckDB compiler refused `refused`. */
export type EngineUse = { duckdb: true } | { duckdb: false; refused: string };

const parts = (segments: string[]): string[] => segments.flatMap((s) => s.split("."));

export function resolveTableName(segments: string[], scope: Pick<StatementScope, "projectId" | "defaultDataset" | "tempTables">): TableRef {
  const p = parts(segments);
  const temporary = p.length === 1 ? scope.tempTables?.get(p[0]) : undefined;
  if (temporary) return temporary;
  // INFORMATION_SCHEMA views are read, never resolved to stored tables (information_schema.ts).
  if (p.some((s) => s.toUpperCase() === "INFORMATION_SCHEMA")) throw invalidQuery(`INFORMATION_SCHEMA views cannot be written or created: ${segments.join(".")}`);
  if (p.length === 3) return { projectId: p[0], datasetId: p[1], tableId: p[2] };
  if (p.length === 2) return { projectId: scope.projectId, datasetId: p[0], tableId: p[1] };
  if (p.length === 1) {
    if (!scope.defaultDataset) {
      throw invalidQuery(`Table "${p[0]}" must be qualified with a dataset (e.g. dataset.table).`);
    }
    return { ...scope.defaultDataset, tableId: p[0] };
  }
  throw invalidQuery(`Invalid table name: ${segments.join(".")}`);
}

export function resolveDatasetName(segments: string[], scope: Pick<StatementScope, "projectId">): DatasetRef {
  const p = parts(segments);
  if (p.length === 2) return { projectId: p[0], datasetId: p[1] };
  if (p.length === 1) return { projectId: scope.projectId, datasetId: p[0] };
  throw invalidQuery(`Invalid dataset name: ${segments.join(".")}`);
}

export const tableKey = (ref: TableRef): string => `${ref.projectId}.${ref.datasetId}.${ref.tableId}`;

export const tableNotFound = (ref: TableRef): Error =>
  notFound(`Not found: Table ${ref.projectId}:${ref.datasetId}.${ref.tableId} was not found in location US`);

export const datasetNotFound = (ref: DatasetRef): Error =>
  notFound(`Not found: Dataset ${ref.projectId}:${ref.datasetId} was not found in location US`);
