import type { DatasetRef, Field, QueryParameter, RoutineRef, Row, TableRef } from "../model";
import type { Destination } from "./destination";

/** One query job's SQL and settings, decoded from jobs.insert or jobs.query. */
export interface ExecutionRequest {
  projectId: string;
  sql: string;
  /** Named or positional parameters; empty when none. */
  params: QueryParameter[];
  /** Resolves unqualified table names (`t`); `d.t` resolves against projectId. */
  defaultDataset?: DatasetRef;
  /** Validate and describe only: nothing is executed or changed. */
  dryRun?: boolean;
  /** Caps the bytes a query may read (BigQuery's maximumBytesBilled); exceeding it fails with bytesBilledLimitExceeded. */
  maximumBytesBilled?: string;
  /** Milliseconds until the request's deadline. */
  timeoutMs?: number;
  /** false: neither answer from nor store in the result cache (BigQuery's useQueryCache). */
  useQueryCache?: boolean;
  /** A query job's destinationTable and dispositions (destination.ts). */
  destination?: Destination;
}

/** BigQuery's statement types, as jobs.get reports statistics.query.statementType. */
export type StatementType =
  | "SELECT"
  | "INSERT"
  | "UPDATE"
  | "DELETE"
  | "MERGE"
  | "TRUNCATE_TABLE"
  | "CREATE_TABLE"
  | "CREATE_TABLE_AS_SELECT"
  | "CREATE_VIEW"
  | "CREATE_MATERIALIZED_VIEW"
  | "CREATE_SNAPSHOT_TABLE"
  | "CREATE_SCHEMA"
  | "DROP_TABLE"
  | "DROP_VIEW"
  | "DROP_MATERIALIZED_VIEW"
  | "DROP_SNAPSHOT_TABLE"
  | "DROP_SCHEMA"
  | "ALTER_TABLE"
  | "EXPORT_DATA"
  | "CREATE_FUNCTION"
  | "DROP_FUNCTION"
  | "CREATE_PROCEDURE"
  | "DROP_PROCEDURE"
  | "CREATE_TABLE_FUNCTION"
  | "DROP_TABLE_FUNCTION"
  | "CREATE_ROW_ACCESS_POLICY"
  | "DROP_ROW_ACCESS_POLICY"
  | "DROP_ALL_ROW_ACCESS_POLICIES"
  | "SCRIPT";

/** BigQuery's ddlOperationPerformed values. */
export type DdlOperation = "CREATE" | "REPLACE" | "SKIP" | "DROP" | "ALTER";

export interface ExecutionResult {
  statementType: StatementType;
  /** Result schema and rows: present for queries (and for a script, its last SELECT). */
  schema?: Field[];
  rows?: Row[];
  /** INSERT/UPDATE/DELETE/MERGE: rows touched. */
  numDmlAffectedRows?: number;
  /** An estimate of the bytes the statement read (BigQuery's sizes: 8 per INT64, 2 + length per STRING, ...). */
  totalBytesProcessed: number;
  /** Queries: bytes billed on demand (whole MB, 10 MB minimum per table; 0 on a cache hit). Else as processed. */
  totalBytesBilled?: number;
  /** The table or view a DDL/DML statement targeted. */
  ddlTargetTable?: TableRef;
  /** What a DDL statement did to its target (BigQuery's statistics.query.ddlOperationPerformed). */
  ddlOperationPerformed?: DdlOperation;
  /**
   * The schema BigQuery answers a statement without rows with: the table or view a CREATE defines
   * (its job's results have this schema and no rows), the target table of a dry-run DML statement.
   */
  ddlSchema?: Field[];
  /** The function or procedure a DDL statement targeted. */
  ddlTargetRoutine?: RoutineRef;
  /** The query was answered from the result cache. */
  cacheHit?: boolean;
  /**
   * Which engine evaluated the request's queries and DML (not part of BigQuery's API; jobs report
   * it as statistics.query.localBigQuery): how many ran on DuckDB, how many on ZetaSQL's
   * reference evaluator, and the constructs the DuckDB compiler refused.
   */
  engines?: { duckdb: number; referenceEvaluator: number; refused: string[] };
}

/**
 * Runs GoogleSQL statements against the store: queries, DDL, DML and short
 * scripts. Throws BigQueryError (invalidQuery with ZetaSQL's message and
 * position, notFound for unknown tables, ...) for anything the user got wrong
 * or the engine cannot do.
 */
export interface Executor {
  execute(request: ExecutionRequest): Promise<ExecutionResult>;
  close(): Promise<void>;
}
