/**
 * Ingestion-time partitioning (PARTITION BY _PARTITIONDATE, or timePartitioning without a field):
 * BigQuery places each row in the partition of the moment it was written, readable as the
 * pseudo-columns _PARTITIONTIME (that moment truncated to the partition unit, a TIMESTAMP) and,
 * for daily partitions, _PARTITIONDATE. Here such a table's DuckDB table has two hidden columns of
 * those names, after the schema's, whose DuckDB DEFAULT is the writing transaction's time
 * truncated to the unit: every way rows arrive (the appender of insertAll and DML, INSERT ... SELECT
 * of compiled DML and CREATE TABLE AS SELECT) leaves them to that default, and UPDATE never sets
 * them, so a row keeps the partition it was written in. Copies carry them along (SELECT *).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { quoteIdent } from "../engine/duckdb/types";
import type { TableMeta, TimePartitioning } from "../model";
import { PLACEHOLDER_COLUMN, clusterIndexSql, createTableSql } from "./table_layout";

export const PARTITION_TIME = "_PARTITIONTIME";
export const PARTITION_DATE = "_PARTITIONDATE";

/** The partition unit of an ingestion-time partitioned table, else undefined. */
export const ingestionUnit = (meta: Pick<TableMeta, "type" | "timePartitioning">): TimePartitioning["type"] | undefined =>
  meta.type === "TABLE" && meta.timePartitioning && !meta.timePartitioning.field ? meta.timePartitioning.type : undefined;

/** An instant (TIMESTAMPTZ SQL) truncated to the unit in UTC, whatever the session's time zone. */
const truncated = (instant: string, unit: TimePartitioning["type"]): string =>
  `timezone('UTC', date_trunc('${unit.toLowerCase()}', timezone('UTC', ${instant})))`;

const dateOf = (instant: string): string => `CAST(timezone('UTC', ${instant}) AS DATE)`;

/** The hidden columns' definitions for CREATE TABLE. */
export function ingestionColumnsSql(unit: TimePartitioning["type"]): string[] {
  return [
    `${quoteIdent(PARTITION_TIME)} TIMESTAMPTZ DEFAULT ${truncated("current_timestamp", unit)}`,
    `${quoteIdent(PARTITION_DATE)} DATE DEFAULT ${dateOf("current_timestamp")}`,
  ];
}

/** The hidden columns to append to canonical rows' SELECT (epoch microseconds and the date as text). */
export const ingestionSelectSql = (): string =>
  `epoch_us(${quoteIdent(PARTITION_TIME)}), CAST(${quoteIdent(PARTITION_DATE)} AS VARCHAR)`;

/**
 * A table stored before ingestion time was kept lacks the hidden columns: it is rebuilt with them
 * first (createTableSql's layout), its existing rows placed at `fallbackMs` (its last write: BigQuery
 * had them in that partition or an earlier one). Runs inside the caller's transaction.
 */
export async function ensureIngestionColumns(
  c: DuckDBConnection,
  relation: string,
  meta: Pick<TableMeta, "schema" | "clustering">,
  unit: TimePartitioning["type"],
  fallbackMs: number,
  indexName: string,
): Promise<void> {
  const [schema, table] = relation.split(".");
  const reader = await c.runAndReadAll(
    `SELECT count(*) FROM duckdb_columns() WHERE schema_name = $1 AND table_name = $2 AND column_name IN ($3, $4)`,
    [schema, table, PARTITION_TIME, PARTITION_DATE],
  );
  if (Number(reader.getRows()[0][0]) === 2) return;
  const at = `to_timestamp(${Math.floor(fallbackMs) / 1000})`;
  const rebuilt = `${relation}_ingestion`;
  const columns = meta.schema.length > 0 ? meta.schema.map((f) => quoteIdent(f.name)) : [quoteIdent(PLACEHOLDER_COLUMN)];
  await c.run(createTableSql(rebuilt, meta.schema, ingestionColumnsSql(unit)));
  await c.run(`INSERT INTO ${rebuilt} SELECT ${truncated(at, unit)}, ${dateOf(at)}, ${columns.join(", ")} FROM ${relation} ORDER BY rowid`);
  await c.run(`DROP TABLE ${relation}`);
  await c.run(`ALTER TABLE ${rebuilt} RENAME TO ${quoteIdent(table)}`);
  const index = clusterIndexSql(relation, indexName, meta);
  if (index) await c.run(index);
}

/**
 * The column list of a copy of `source`'s rows into `target` (`INSERT INTO target <list> SELECT <list>
 * FROM source`): the schema's columns by name, and the hidden ones when both tables have them (a
 * copy keeps each row's partition; into another table the rows take the copy's time).
 */
export function copyColumns(source: Pick<TableMeta, "type" | "timePartitioning" | "schema">, target: Pick<TableMeta, "type" | "timePartitioning">): string {
  const hidden = ingestionUnit(source) && ingestionUnit(target) ? [PARTITION_TIME, PARTITION_DATE] : [];
  const names = source.schema.length > 0 ? source.schema.map((f) => f.name) : [PLACEHOLDER_COLUMN];
  return [...hidden, ...names].map(quoteIdent).join(", ");
}
