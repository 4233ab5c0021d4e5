/**
 * The local BigQuery's shared vocabulary: schemas, values, table and dataset
 * metadata. Every layer (REST, execution, engine, storage) speaks these types.
 */

/** Column types as BigQuery's REST API names them in a table schema. */
export type FieldType =
  | "STRING"
  | "BYTES"
  | "INTEGER"
  | "FLOAT"
  | "NUMERIC"
  | "BIGNUMERIC"
  | "BOOLEAN"
  | "TIMESTAMP"
  | "DATE"
  | "TIME"
  | "DATETIME"
  | "JSON"
  | "GEOGRAPHY"
  | "INTERVAL"
  | "RANGE"
  | "RECORD";

/**
 * Type names as GoogleSQL (parameters, DDL, including its INT64 aliases) and the REST API's
 * legacy names spell them, to the schema type BigQuery stores.
 */
export const FIELD_TYPE_ALIASES: Readonly<Record<string, FieldType>> = {
  STRING: "STRING",
  BYTES: "BYTES",
  INT64: "INTEGER",
  INTEGER: "INTEGER",
  INT: "INTEGER",
  SMALLINT: "INTEGER",
  BIGINT: "INTEGER",
  TINYINT: "INTEGER",
  BYTEINT: "INTEGER",
  FLOAT64: "FLOAT",
  FLOAT: "FLOAT",
  NUMERIC: "NUMERIC",
  DECIMAL: "NUMERIC",
  BIGNUMERIC: "BIGNUMERIC",
  BIGDECIMAL: "BIGNUMERIC",
  BOOL: "BOOLEAN",
  BOOLEAN: "BOOLEAN",
  TIMESTAMP: "TIMESTAMP",
  DATE: "DATE",
  TIME: "TIME",
  DATETIME: "DATETIME",
  JSON: "JSON",
  GEOGRAPHY: "GEOGRAPHY",
  INTERVAL: "INTERVAL",
  RANGE: "RANGE",
  STRUCT: "RECORD",
  RECORD: "RECORD",
};

/** The element types a RANGE may have. */
export type RangeElementType = "DATE" | "DATETIME" | "TIMESTAMP";

export type FieldMode = "NULLABLE" | "REQUIRED" | "REPEATED";

export interface Field {
  name: string;
  type: FieldType;
  mode: FieldMode;
  /** Sub-fields of a RECORD. */
  fields?: Field[];
  /** A RANGE's element type, as the REST schema gives it. */
  rangeElementType?: { type: RangeElementType };
  description?: string;
  /** The client created the field without a mode: tables.get shows none either (BigQuery echoes the schema as given). */
  modeOmitted?: boolean;
  /** Parameterised types (STRING(10), NUMERIC(10, 2)), as the REST schema gives them: int64 strings. */
  maxLength?: string;
  precision?: string;
  scale?: string;
  roundingMode?: string;
  /** The column's DEFAULT expression, as GoogleSQL text. */
  defaultValueExpression?: string;
  /** Other attributes of the REST field (collation, policyTags, ...), kept and echoed as given. */
  extra?: Record<string, unknown>;
}

/**
 * One cell in canonical form, the same form BigQuery's REST API uses for `v`:
 * - a scalar is a string (INTEGER "12", FLOAT "1.5", BOOLEAN "true", NUMERIC "12.50",
 *   BYTES base64, DATE "2025-01-31", DATETIME "2025-01-31T10:00:00[.ffffff]",
 *   TIME "10:00:00[.ffffff]", TIMESTAMP as int64 epoch microseconds "1735689600000000",
 *   JSON its compact text, GEOGRAPHY WKT, INTERVAL "Y-M D H:M:S[.fff[fff]]" (ZetaSQL's and
 *   BigQuery's text), RANGE "[start, end)" of its elements' canonical texts or UNBOUNDED);
 * - NULL is null;
 * - a REPEATED field is an array of element values (never null: an empty array);
 * - a RECORD is an array of its sub-field values, in schema order.
 */
export type Value = string | null | Value[];

/** A row: one value per top-level field, in schema order. */
export type Row = Value[];

export interface TableRef {
  projectId: string;
  datasetId: string;
  tableId: string;
}

export interface DatasetRef {
  projectId: string;
  datasetId: string;
}

export interface TimePartitioning {
  type: "DAY" | "HOUR" | "MONTH" | "YEAR";
  /** Absent: ingestion-time partitioning. */
  field?: string;
  expirationMs?: string;
}

export interface DatasetMeta {
  ref: DatasetRef;
  location: string;
  description?: string;
  labels?: Record<string, string>;
  /** Epoch milliseconds. */
  creationTime: number;
  lastModifiedTime: number;
}

/** Integer-range partitioning (PARTITION BY RANGE_BUCKET): int64 bounds as strings, as the REST API has them. */
export interface RangePartitioning {
  field: string;
  range: { start: string; end: string; interval: string };
}

export interface TableMeta {
  ref: TableRef;
  type: "TABLE" | "VIEW";
  /** A VIEW created as a materialized view (answered like a view: always current). */
  materialized?: boolean;
  /** A table snapshot: a read-only copy of baseTable taken at snapshotTime. */
  snapshot?: boolean;
  /** A table clone (CREATE TABLE ... CLONE): a writable copy of baseTable. */
  clone?: boolean;
  baseTable?: TableRef;
  /** Epoch milliseconds. */
  snapshotTime?: number;
  rangePartitioning?: RangePartitioning;
  schema: Field[];
  description?: string;
  labels?: Record<string, string>;
  timePartitioning?: TimePartitioning;
  clustering?: string[];
  /** Other OPTIONS(...) as given, for example require_partition_filter. */
  options?: Record<string, unknown>;
  /** A view's GoogleSQL text. */
  viewQuery?: string;
  /** Row-level security (row_access.ts): once a table has any, a query sees only the rows of those granted to the caller. */
  rowAccessPolicies?: RowAccessPolicy[];
  /** Epoch milliseconds. */
  creationTime: number;
  lastModifiedTime: number;
}

/** A row access policy: the rows matching filterPredicate (GoogleSQL over the table's columns) are visible to its grantees. */
export interface RowAccessPolicy {
  policyId: string;
  filterPredicate: string;
  /** IAM members: `user:a@b.c`, `group:...`, `serviceAccount:...`, `domain:...`, `allUsers`, `allAuthenticatedUsers`. */
  grantees: string[];
  /** Epoch milliseconds. */
  creationTime: number;
  lastModifiedTime: number;
}

/** A query parameter after decoding from the REST form. */
export interface QueryParameter {
  /** Absent for positional parameters. */
  name?: string;
  type: ParameterType;
  value: Value;
}

/** A parameter's type: a scalar, an ARRAY of a type, or a STRUCT of named types. */
export interface ParameterType {
  type: string; // GoogleSQL type name: INT64, STRING, TIMESTAMP, ARRAY, STRUCT, ...
  arrayType?: ParameterType;
  rangeElementType?: { type: string };
  structTypes?: { name?: string; type: ParameterType }[];
}

export const tableName = (ref: TableRef): string => `${ref.projectId}.${ref.datasetId}.${ref.tableId}`;
export const datasetName = (ref: DatasetRef): string => `${ref.projectId}.${ref.datasetId}`;

export interface RoutineRef {
  projectId: string;
  datasetId: string;
  routineId: string;
}

/** A type as the routines REST API spells it (StandardSqlDataType): INT64, ARRAY with its element, STRUCT with its fields. */
export interface StandardSqlDataType {
  typeKind: string;
  arrayElementType?: StandardSqlDataType;
  structType?: { fields: { name?: string; type: StandardSqlDataType }[] };
}

export interface RoutineArgument {
  name: string;
  /** ANY_TYPE: a templated argument of a SQL function (no dataType). */
  argumentKind?: "FIXED_TYPE" | "ANY_TYPE";
  /** Procedures only. */
  mode?: "IN" | "OUT" | "INOUT";
  dataType?: StandardSqlDataType;
}

/** A function or procedure of a dataset, as BigQuery's Routine resource describes it. */
export interface RoutineMeta {
  ref: RoutineRef;
  routineType: "SCALAR_FUNCTION" | "PROCEDURE" | "TABLE_VALUED_FUNCTION";
  language: "SQL" | "JAVASCRIPT";
  arguments: RoutineArgument[];
  /** Absent: the body's type (SQL functions without RETURNS). */
  returnType?: StandardSqlDataType;
  /** A table function's output columns. */
  returnTableType?: { columns: { name: string; type: StandardSqlDataType }[] };
  /** A function's body expression, a table function's query, or a procedure's BEGIN ... END. */
  definitionBody: string;
  /**
   * Where a table function's body reads its arguments (byte offsets in definitionBody, found by
   * ZetaSQL's analysis): each call substitutes its argument values there. Not part of the REST resource.
   */
  argumentReferences?: { argument: number; start: number; end: number }[];
  description?: string;
  /** Other OPTIONS(...) as given. */
  options?: Record<string, unknown>;
  /** Epoch milliseconds. */
  creationTime: number;
  lastModifiedTime: number;
}
