/** BigQuery's rules for dataset and table ids, with its messages. */
import { invalid } from "../errors";

const DATASET_ID = /^[A-Za-z0-9_]{1,1024}$/;
// Tables allow Unicode letters, marks, numbers, connectors, dashes and spaces.
const TABLE_ID = /^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd}\p{Zs}]{1,1024}$/u;

export function checkDatasetId(id: unknown): string {
  if (typeof id !== "string" || !DATASET_ID.test(id)) {
    throw invalid(
      `Invalid dataset ID "${String(id)}". Dataset IDs must be alphanumeric (plus underscores) and must be at most 1024 characters long.`,
      "datasetId",
    );
  }
  return id;
}

export function checkTableId(id: unknown): string {
  if (typeof id !== "string" || !TABLE_ID.test(id)) {
    throw invalid(
      `Invalid table ID "${String(id)}". Table IDs must be alphanumeric (plus underscores, dashes and spaces) and must be at most 1024 characters long.`,
      "tableId",
    );
  }
  return id;
}
