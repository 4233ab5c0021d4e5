/**
 * INFORMATION_SCHEMA views as BigQuery names and types them, built from the store's catalog when a
 * statement reads one. Each reference becomes a parenthesised GoogleSQL subquery over a typed array
 * literal of its rows (`SELECT * FROM UNNEST(ARRAY<STRUCT<...>>[...])`), so a view can be joined,
 * filtered, aggregated or read by a user's view like any table, and ZetaSQL checks its column names
 * and types. Rows reflect the catalog at the moment the statement is prepared.
 *
 * Scopes (BigQuery's): `[project.]dataset.INFORMATION_SCHEMA.V` for dataset-level views,
 * `[project.]region-xx.INFORMATION_SCHEMA.V` for every dataset of the project in that location;
 * SCHEMATA is project or region level, JOBS (JOBS_BY_PROJECT, JOBS_BY_USER) region level.
 */
import { invalidQuery, notFound } from "../errors";
import type { DatasetMeta, Field, FieldType, TableMeta, TableRef, TimePartitioning } from "../model";
import type { Store } from "../storage/store";
import { quoteIdent } from "../engine/duckdb/types";
import { PARTITION_TIME } from "../storage/ingestion_time";

/** A finished or running job as INFORMATION_SCHEMA.JOBS shows it. */
export interface JobSummary {
  projectId: string;
  jobId: string;
  location: string;
  jobType: string;
  statementType?: string;
  query?: string;
  state: string;
  creationTime: number;
  startTime?: number;
  endTime?: number;
  totalBytesProcessed?: number;
  totalBytesBilled?: number;
  cacheHit?: boolean;
  error?: { reason: string; message: string };
  destinationTable?: TableRef;
  labels?: Record<string, string>;
  dml?: { inserted: number; deleted: number; updated: number };
}

export interface InformationSchemaSource {
  store: Store;
  jobs?: () => JobSummary[];
}

type SqlType = "STRING" | "INT64" | "FLOAT64" | "BOOL" | "TIMESTAMP" | string;

interface ColumnDef {
  name: string;
  type: SqlType;
}

/** A literal's SQL: strings quoted, numbers as such, timestamps from epoch milliseconds. */
type Cell = string | number | boolean | null | { micros: number } | { sql: string };

const col = (spec: string): ColumnDef[] =>
  spec.split(",").map((s) => {
    const [name, ...type] = s.trim().split(/\s+/);
    return { name, type: type.join(" ") || "STRING" };
  });

const ERROR_RESULT = "STRUCT<reason STRING, location STRING, debug_info STRING, message STRING>";
const TABLE_REF = "STRUCT<project_id STRING, dataset_id STRING, table_id STRING>";

/** Each view's columns, in BigQuery's order and with its types. */
const VIEWS: Record<string, ColumnDef[]> = {
  SCHEMATA: col(
    "catalog_name, schema_name, schema_owner, creation_time TIMESTAMP, last_modified_time TIMESTAMP, location, ddl, default_collation_name",
  ),
  TABLES: col(
    "table_catalog, table_schema, table_name, table_type, is_insertable_into, is_typed, is_change_history_enabled, " +
      "creation_time TIMESTAMP, base_table_catalog, base_table_schema, base_table_name, snapshot_time_ms TIMESTAMP, " +
      "replica_source_catalog, replica_source_schema, replica_source_name, replication_status, replication_error, ddl, " +
      "default_collation_name, upsert_stream_apply_watermark TIMESTAMP",
  ),
  COLUMNS: col(
    "table_catalog, table_schema, table_name, column_name, ordinal_position INT64, is_nullable, data_type, is_generated, " +
      "generation_expression, is_stored, is_hidden, is_updatable, is_system_defined, is_partitioning_column, " +
      "clustering_ordinal_position INT64, collation_name, column_default, rounding_mode",
  ),
  COLUMN_FIELD_PATHS: col("table_catalog, table_schema, table_name, column_name, field_path, data_type, description, collation_name, rounding_mode"),
  TABLE_OPTIONS: col("table_catalog, table_schema, table_name, option_name, option_type, option_value"),
  VIEWS: col("table_catalog, table_schema, table_name, view_definition, check_option, use_standard_sql"),
  PARTITIONS: col(
    "table_catalog, table_schema, table_name, partition_id, total_rows INT64, total_logical_bytes INT64, " +
      "total_billable_bytes INT64, last_modified_time TIMESTAMP, storage_tier",
  ),
  JOBS: [
    ...col(
      "creation_time TIMESTAMP, project_id, project_number INT64, user_email, job_id, job_type, statement_type, priority, " +
        "start_time TIMESTAMP, end_time TIMESTAMP, query, state, reservation_id, total_bytes_processed INT64, total_slot_ms INT64",
    ),
    { name: "error_result", type: ERROR_RESULT },
    { name: "cache_hit", type: "BOOL" },
    { name: "destination_table", type: TABLE_REF },
    { name: "referenced_tables", type: `ARRAY<${TABLE_REF}>` },
    { name: "labels", type: "ARRAY<STRUCT<key STRING, value STRING>>" },
    ...col("total_bytes_billed INT64, transaction_id, parent_job_id"),
    { name: "dml_statistics", type: "STRUCT<inserted_row_count INT64, deleted_row_count INT64, updated_row_count INT64>" },
  ],
};
VIEWS.JOBS_BY_PROJECT = VIEWS.JOBS;
VIEWS.JOBS_BY_USER = VIEWS.JOBS;

const REGION_ONLY = new Set(["JOBS", "JOBS_BY_PROJECT", "JOBS_BY_USER"]);

const isRegion = (segment: string): boolean => /^region-[a-z0-9-]+$/i.test(segment);

/** Whether a table path (its dot-separated parts) names an INFORMATION_SCHEMA view. */
export function isInformationSchema(parts: string[]): boolean {
  return parts.some((p) => p.toUpperCase() === "INFORMATION_SCHEMA");
}

interface Target {
  projectId: string;
  view: string;
  /** Dataset-level views: this dataset only. */
  dataset?: DatasetMeta;
  /** Region-level views: datasets in this location. */
  region?: string;
  /** How the reference is written, for messages. */
  label: string;
}

function target(source: InformationSchemaSource, parts: string[], scope: { projectId: string; defaultDataset?: { projectId: string; datasetId: string } }): Target {
  const at = parts.findIndex((p) => p.toUpperCase() === "INFORMATION_SCHEMA");
  const view = (parts[at + 1] ?? "").toUpperCase();
  const qualifier = parts.slice(0, at);
  const label = parts.join(".");
  if (at !== parts.length - 2 || qualifier.length > 2) throw invalidQuery(`Invalid INFORMATION_SCHEMA reference: ${label}`);
  const columns = VIEWS[view];
  const unknown = (): Error => notFound(`Not found: Table ${[scope.projectId, ...qualifier].join(":")}.INFORMATION_SCHEMA.${parts[at + 1] ?? ""} was not found in location US`);
  if (!columns) throw unknown();
  const last = qualifier[qualifier.length - 1];
  if (last !== undefined && isRegion(last)) {
    return { projectId: qualifier.length === 2 ? qualifier[0] : scope.projectId, view, region: last.slice("region-".length), label };
  }
  // `x.INFORMATION_SCHEMA.SCHEMATA` names a project; a dataset-level view's qualifier is a dataset.
  if (view === "SCHEMATA") {
    if (qualifier.length > 1) throw invalidQuery(`INFORMATION_SCHEMA.SCHEMATA takes a project or region qualifier, not ${qualifier.join(".")}`);
    return { projectId: qualifier[0] ?? scope.projectId, view, label };
  }
  if (REGION_ONLY.has(view)) throw invalidQuery(`INFORMATION_SCHEMA.${view} needs a region qualifier, e.g. \`region-us\`.INFORMATION_SCHEMA.${view}`);
  let ref: { projectId: string; datasetId: string } | undefined;
  if (qualifier.length === 2) ref = { projectId: qualifier[0], datasetId: qualifier[1] };
  else if (qualifier.length === 1) ref = { projectId: scope.projectId, datasetId: qualifier[0] };
  else ref = scope.defaultDataset;
  if (!ref) throw invalidQuery(`Table "INFORMATION_SCHEMA.${view}" must be qualified with a dataset (e.g. dataset.INFORMATION_SCHEMA.${view}) or a region`);
  const dataset = source.store.getDataset(ref);
  if (!dataset) throw notFound(`Not found: Dataset ${ref.projectId}:${ref.datasetId} was not found in location US`);
  return { projectId: ref.projectId, view, dataset, label };
}

/** The datasets a reference covers. */
function datasetsOf(source: InformationSchemaSource, t: Target): DatasetMeta[] {
  if (t.dataset) return [t.dataset];
  const all = source.store.listDatasets(t.projectId);
  return t.region ? all.filter((d) => d.location.toLowerCase() === t.region?.toLowerCase()) : all;
}

const tablesOf = (source: InformationSchemaSource, datasets: DatasetMeta[]): TableMeta[] => datasets.flatMap((d) => source.store.listTables(d.ref));

/** GoogleSQL's name of a field's type: INT64, STRUCT<a STRING>, ARRAY<...>, NUMERIC(10, 2). */
export function dataTypeName(field: Pick<Field, "type" | "mode" | "fields" | "maxLength" | "precision" | "scale" | "rangeElementType">, element = false): string {
  if (field.mode === "REPEATED" && !element) return `ARRAY<${dataTypeName(field, true)}>`;
  if (field.type === "RANGE") return `RANGE<${field.rangeElementType?.type ?? "DATE"}>`;
  if (field.type === "RECORD") return `STRUCT<${(field.fields ?? []).map((f) => `${f.name} ${dataTypeName(f)}`).join(", ")}>`;
  const base = TYPE_NAMES[field.type];
  if (field.precision !== undefined) return `${base}(${field.precision}${field.scale !== undefined ? `, ${field.scale}` : ""})`;
  if (field.maxLength !== undefined) return `${base}(${field.maxLength})`;
  return base;
}

const TYPE_NAMES: Record<FieldType, string> = {
  STRING: "STRING",
  BYTES: "BYTES",
  INTEGER: "INT64",
  FLOAT: "FLOAT64",
  NUMERIC: "NUMERIC",
  BIGNUMERIC: "BIGNUMERIC",
  BOOLEAN: "BOOL",
  TIMESTAMP: "TIMESTAMP",
  DATE: "DATE",
  TIME: "TIME",
  DATETIME: "DATETIME",
  JSON: "JSON",
  GEOGRAPHY: "GEOGRAPHY",
  INTERVAL: "INTERVAL",
  RANGE: "RANGE",
  RECORD: "STRUCT",
};

function tableType(t: TableMeta): string {
  if (t.type === "VIEW") return t.materialized ? "MATERIALIZED VIEW" : "VIEW";
  if (t.snapshot) return "SNAPSHOT";
  if (t.clone) return "CLONE";
  return "BASE TABLE";
}

const yesNo = (b: boolean): string => (b ? "YES" : "NO");
const ts = (ms: number | undefined): Cell => (ms === undefined ? null : { micros: ms * 1000 });

async function rowsOf(source: InformationSchemaSource, t: Target): Promise<Cell[][]> {
  const datasets = datasetsOf(source, t);
  switch (t.view) {
    case "SCHEMATA":
      return datasets.map((d) => [d.ref.projectId, d.ref.datasetId, null, ts(d.creationTime), ts(d.lastModifiedTime), d.location, schemaDdl(d), null]);
    case "TABLES":
      return tablesOf(source, datasets).map((m) => [
        ...names(m),
        tableType(m),
        yesNo(m.type === "TABLE" && !m.snapshot),
        "NO",
        "NO",
        ts(m.creationTime),
        m.baseTable?.projectId ?? null,
        m.baseTable?.datasetId ?? null,
        m.baseTable?.tableId ?? null,
        m.snapshot ? ts(m.snapshotTime ?? m.creationTime) : null,
        null,
        null,
        null,
        null,
        null,
        tableDdl(m),
        null,
        null,
      ]);
    case "COLUMNS":
      return tablesOf(source, datasets).flatMap((m) => columnRows(m));
    case "COLUMN_FIELD_PATHS":
      return tablesOf(source, datasets).flatMap((m) => fieldPathRows(m));
    case "TABLE_OPTIONS":
      return tablesOf(source, datasets).flatMap((m) => tableOptions(m).map(([name, type, value]) => [...names(m), name, type, value]));
    case "VIEWS":
      return tablesOf(source, datasets)
        .filter((m) => m.type === "VIEW" && !m.materialized)
        .map((m) => [...names(m), m.viewQuery ?? "", null, "YES"]);
    case "PARTITIONS":
      return partitionRows(source, tablesOf(source, datasets).filter((m) => m.type === "TABLE"));
    default:
      return jobRows(source, t);
  }
}

const names = (m: TableMeta): Cell[] => [m.ref.projectId, m.ref.datasetId, m.ref.tableId];

function columnRows(m: TableMeta): Cell[][] {
  const partitionField = m.timePartitioning?.field ?? m.rangePartitioning?.field;
  const rows: Cell[][] = m.schema.map((f, i) => {
    const clustering = m.clustering?.findIndex((c) => c.toLowerCase() === f.name.toLowerCase()) ?? -1;
    return [
      ...names(m),
      f.name,
      i + 1,
      yesNo(f.mode !== "REQUIRED"),
      dataTypeName(f),
      "NEVER",
      null,
      null,
      "NO",
      null,
      "NO",
      yesNo(partitionField !== undefined && partitionField.toLowerCase() === f.name.toLowerCase()),
      clustering >= 0 ? clustering + 1 : null,
      null,
      f.defaultValueExpression ?? null,
      f.roundingMode ?? null,
    ];
  });
  // Ingestion-time partitioned tables show their pseudo-columns, hidden and without position.
  if (m.type === "TABLE" && m.timePartitioning && !m.timePartitioning.field) {
    const pseudo: [string, string][] = [["_PARTITIONTIME", "TIMESTAMP"]];
    if (m.timePartitioning.type === "DAY") pseudo.push(["_PARTITIONDATE", "DATE"]);
    for (const [name, type] of pseudo) rows.push([...names(m), name, null, "YES", type, "NEVER", null, null, "YES", null, "YES", "YES", null, null, null, null]);
  }
  return rows;
}

function fieldPathRows(m: TableMeta): Cell[][] {
  const rows: Cell[][] = [];
  const visit = (f: Field, column: string, path: string): void => {
    rows.push([...names(m), column, path, dataTypeName(f), f.description ?? null, null, f.roundingMode ?? null]);
    for (const sub of f.type === "RECORD" ? (f.fields ?? []) : []) visit(sub, column, `${path}.${sub.name}`);
  };
  for (const f of m.schema) visit(f, f.name, f.name);
  return rows;
}

/** GoogleSQL literal text of a string, as option_value shows it. */
const quoted = (s: string): string => JSON.stringify(s);

/** [option_name, option_type, option_value] of a table's options, as TABLE_OPTIONS lists them. */
function tableOptions(m: TableMeta): [string, string, string][] {
  const out: [string, string, string][] = [];
  if (m.description !== undefined) out.push(["description", "STRING", quoted(m.description)]);
  if (m.labels && Object.keys(m.labels).length > 0) {
    out.push(["labels", "ARRAY<STRUCT<STRING, STRING>>", `[${Object.entries(m.labels).map(([k, v]) => `STRUCT(${quoted(k)}, ${quoted(v)})`).join(", ")}]`]);
  }
  if (m.timePartitioning?.expirationMs !== undefined) {
    out.push(["partition_expiration_days", "FLOAT64", String(Number(m.timePartitioning.expirationMs) / 86_400_000)]);
  }
  for (const [name, value] of Object.entries(m.options ?? {})) {
    if (name === "partition_expiration_days") continue;
    if (typeof value === "boolean") out.push([name, "BOOL", String(value)]);
    else if (typeof value === "number") out.push([name, Number.isInteger(value) ? "INT64" : "FLOAT64", String(value)]);
    else if (typeof value === "string") out.push([name, name.endsWith("timestamp") ? "TIMESTAMP" : "STRING", name.endsWith("timestamp") ? `TIMESTAMP ${quoted(value)}` : quoted(value)]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function schemaDdl(d: DatasetMeta): string {
  const options: string[] = [];
  if (d.location) options.push(`location=${quoted(d.location)}`);
  if (d.description !== undefined) options.push(`description=${quoted(d.description)}`);
  return `CREATE SCHEMA \`${d.ref.projectId}.${d.ref.datasetId}\`${options.length ? `\nOPTIONS(\n  ${options.join(",\n  ")}\n)` : ""};`;
}

function tableDdl(m: TableMeta): string {
  const name = `\`${m.ref.projectId}.${m.ref.datasetId}.${m.ref.tableId}\``;
  if (m.type === "VIEW") return `CREATE ${m.materialized ? "MATERIALIZED VIEW" : "VIEW"} ${name}\nAS ${m.viewQuery ?? ""};`;
  const columns = m.schema.map((f) => `  ${f.name} ${dataTypeName(f)}${f.mode === "REQUIRED" ? " NOT NULL" : ""}`).join(",\n");
  const parts = [`CREATE ${m.snapshot ? "SNAPSHOT TABLE" : "TABLE"} ${name}\n(\n${columns}\n)`];
  if (m.timePartitioning) parts.push(`PARTITION BY ${partitionExpression(m.timePartitioning)}`);
  if (m.clustering?.length) parts.push(`CLUSTER BY ${m.clustering.join(", ")}`);
  const options = tableOptions(m).map(([n, , v]) => `${n}=${v}`);
  if (options.length) parts.push(`OPTIONS(\n  ${options.join(",\n  ")}\n)`);
  return `${parts.join("\n")};`;
}

function partitionExpression(tp: TimePartitioning): string {
  if (!tp.field) return tp.type === "DAY" ? "_PARTITIONDATE" : `TIMESTAMP_TRUNC(_PARTITIONTIME, ${tp.type})`;
  return tp.type === "DAY" ? tp.field : `TIMESTAMP_TRUNC(${tp.field}, ${tp.type})`;
}

/** DuckDB's text of a partition's id for a time-unit column (BigQuery's partition_id forms). */
const PARTITION_FORMAT: Record<TimePartitioning["type"], string> = { HOUR: "%Y%m%d%H", DAY: "%Y%m%d", MONTH: "%Y%m", YEAR: "%Y" };

/** One row per partition holding rows (an unpartitioned table is one partition, id NULL). */
async function partitionRows(source: InformationSchemaSource, tables: TableMeta[]): Promise<Cell[][]> {
  const out: Cell[][] = [];
  for (const m of tables) {
    const stats = source.store.stats(m.ref);
    const bytes = stats.columnBytes.reduce((a, b) => a + b, 0);
    const row = (id: string | null, rows: number, logical: number): Cell[] => [...names(m), id, rows, logical, logical, ts(m.lastModifiedTime), "ACTIVE"];
    const tp = m.timePartitioning;
    const range = m.rangePartitioning;
    if (!tp && !range) {
      out.push(row(null, stats.rows, bytes));
      continue;
    }
    if (stats.rows === 0) continue;
    // An ingestion-time partitioned table's rows are in the partition of their hidden _PARTITIONTIME (storage/ingestion_time.ts).
    const column = tp && !tp.field ? `timezone('UTC', ${quoteIdent(PARTITION_TIME)})` : quoteIdent((tp?.field ?? range?.field) as string);
    const key = tp
      ? `coalesce(strftime(${column}, '${PARTITION_FORMAT[tp.type]}'), '__NULL__')`
      : rangeKeySql(column, range as NonNullable<TableMeta["rangePartitioning"]>);
    const counts = await source.store.read(async (c) =>
      (await c.runAndReadAll(`SELECT ${key} AS id, count(*) AS n FROM ${source.store.relation(m.ref)} GROUP BY 1 ORDER BY 1`)).getRows(),
    );
    for (const [id, n] of counts) {
      // Logical bytes are not kept per partition: each gets its share of the table's by rows.
      out.push(row(String(id), Number(n), Math.round((bytes * Number(n)) / Math.max(1, stats.rows))));
    }
  }
  return out;
}

/** BigQuery's integer-range partition ids: the range's start, `__UNPARTITIONED__` outside, `__NULL__` for NULL. */
function rangeKeySql(column: string, range: NonNullable<TableMeta["rangePartitioning"]>): string {
  const { start, end, interval } = range.range;
  return (
    `CASE WHEN ${column} IS NULL THEN '__NULL__' WHEN ${column} < ${start} OR ${column} >= ${end} THEN '__UNPARTITIONED__' ` +
    `ELSE CAST(${start} + ((${column} - ${start}) // ${interval}) * ${interval} AS VARCHAR) END`
  );
}

function jobRows(source: InformationSchemaSource, t: Target): Cell[][] {
  const jobs = (source.jobs?.() ?? []).filter((j) => j.projectId === t.projectId && (!t.region || j.location.toLowerCase() === t.region.toLowerCase()));
  const struct = (values: Cell[]): Cell => ({ sql: `(${values.map(literal).join(", ")})` });
  return jobs.map((j) => [
    ts(j.creationTime),
    j.projectId,
    null,
    "local-bigquery@localhost",
    j.jobId,
    j.jobType,
    j.statementType ?? null,
    "INTERACTIVE",
    ts(j.startTime),
    ts(j.endTime),
    j.query ?? null,
    j.state,
    null,
    j.totalBytesProcessed ?? null,
    0,
    j.error ? struct([j.error.reason, null, null, j.error.message]) : null,
    j.cacheHit ?? null,
    j.destinationTable ? struct([j.destinationTable.projectId, j.destinationTable.datasetId, j.destinationTable.tableId]) : null,
    { sql: "[]" },
    { sql: `[${Object.entries(j.labels ?? {}).map(([k, v]) => `(${literal(k)}, ${literal(v)})`).join(", ")}]` },
    j.totalBytesBilled ?? null,
    null,
    null,
    j.dml ? struct([j.dml.inserted, j.dml.deleted, j.dml.updated]) : null,
  ]);
}

/** A GoogleSQL literal of a cell. */
function literal(cell: Cell): string {
  if (cell === null) return "NULL";
  if (typeof cell === "string") return quoted(cell);
  if (typeof cell === "number") return String(cell);
  if (typeof cell === "boolean") return cell ? "TRUE" : "FALSE";
  if ("micros" in cell) return `TIMESTAMP_MICROS(${Math.round(cell.micros)})`;
  return cell.sql;
}

/**
 * The SQL replacing a reference to an INFORMATION_SCHEMA view: a subquery of its rows. Throws
 * notFound for an unknown view or dataset.
 */
export async function informationSchemaSql(
  source: InformationSchemaSource,
  parts: string[],
  scope: { projectId: string; defaultDataset?: { projectId: string; datasetId: string } },
): Promise<string> {
  const t = target(source, parts, scope);
  const columns = VIEWS[t.view];
  const rows = await rowsOf(source, t);
  const type = `ARRAY<STRUCT<${columns.map((c) => `${c.name} ${c.type}`).join(", ")}>>`;
  // A one-field STRUCT needs STRUCT(...) rather than a parenthesised value; every view has several.
  const items = rows.map((r) => `(${r.map(literal).join(", ")})`);
  return `SELECT * FROM UNNEST(${type}[${items.join(",\n")}])`;
}
