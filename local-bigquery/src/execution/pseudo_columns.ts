/**
 * The pseudo-columns a table offers ZetaSQL's catalog: readable by name, absent from SELECT *.
 * A wildcard table has _TABLE_SUFFIX (wildcard_tables.ts); an ingestion-time partitioned table has
 * _PARTITIONTIME and, with daily partitions, _PARTITIONDATE (storage/ingestion_time.ts). Compiled
 * queries read them as the DuckDB columns of the same names; the reference evaluator gets their
 * values from StoredRow.pseudo.
 */
import type { Field, TableMeta } from "../model";
import { PARTITION_DATE, PARTITION_TIME, ingestionUnit } from "../storage/ingestion_time";
import { TABLE_SUFFIX } from "./wildcard_tables";

export interface PseudoColumn {
  name: string;
  field: Pick<Field, "type" | "mode">;
}

export function pseudoColumnsOf(meta: TableMeta, wildcard: boolean): PseudoColumn[] {
  if (wildcard) return [{ name: TABLE_SUFFIX, field: { type: "STRING", mode: "NULLABLE" } }];
  const unit = ingestionUnit(meta);
  if (!unit) return [];
  const columns: PseudoColumn[] = [{ name: PARTITION_TIME, field: { type: "TIMESTAMP", mode: "NULLABLE" } }];
  if (unit === "DAY") columns.push({ name: PARTITION_DATE, field: { type: "DATE", mode: "NULLABLE" } });
  return columns;
}
