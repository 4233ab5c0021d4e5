/**
 * EXPORT DATA OPTIONS(uri, format, ...) AS query: runs the query and writes its rows as files. A
 * `gs://bucket/path/*.ext` URI maps to `<data dir>/gcs/bucket/path/`, the `*` replaced by
 * BigQuery's 12-digit file number (one file: 000000000000). Formats: CSV (header,
 * field_delimiter, compression GZIP) and JSON (newline-delimited, BigQuery's cell forms); AVRO and
 * PARQUET are refused plainly, other formats as BigQuery refuses them.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import type { AstNode } from "../engine";
import { invalidQuery, unsupported } from "../errors";
import { microsToIso } from "../encoding/timestamp";
import type { Field, Row, Value } from "../model";
import type { ExecutionResult } from "./executor";
import { runQuery } from "./query_runner";
import { flatten, nodeKinds, rangeOf, withPositions, type SqlText } from "./sql_text";
import type { Deps } from "./statement_tables";
import type { StatementScope } from "./table_names";

export interface ExportOutcome {
  bytes: number;
  files: string[];
}

export const exportResult = (outcome: ExportOutcome): ExecutionResult => ({ statementType: "EXPORT_DATA", totalBytesProcessed: outcome.bytes });

const FORMATS = new Set(["CSV", "JSON", "AVRO", "PARQUET"]);

function stringOptions(node: AstNode): Map<string, string> {
  const entries = ((flatten((node.optionsList ?? {}) as AstNode).optionsEntries as AstNode[] | undefined) ?? []).map(flatten);
  const out = new Map<string, string>();
  for (const entry of entries) {
    const name = String((entry.name as { idString?: string } | undefined)?.idString ?? "").toLowerCase();
    const { node: value } = nodeKinds((entry.value ?? {}) as AstNode);
    if (typeof value.stringValue === "string") out.set(name, value.stringValue);
    else if (value.value === true || value.value === false) out.set(name, String(value.value));
    else out.set(name, "");
  }
  return out;
}

/** Where a gs:// URI's files go under the export root, and the file name pattern. */
function destination(root: string, uri: string): { directory: string; prefix: string; suffix: string } {
  const m = /^gs:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!m) throw unsupported(`The local BigQuery exports to gs:// URIs only (mapped to its data directory), not ${uri}`);
  const [, bucket, path] = m;
  if ((path.match(/\*/g) ?? []).length !== 1) throw invalidQuery(`The uri option must contain exactly one '*' wildcard: ${uri}`);
  const full = join(root, bucket, path);
  const star = full.indexOf("*");
  return { directory: dirname(full), prefix: full.slice(0, star), suffix: full.slice(star + 1) };
}

export async function exportData(deps: Deps, scope: StatementScope, text: SqlText, node: AstNode, dryRun: boolean): Promise<ExportOutcome> {
  const options = stringOptions(node);
  const uri = options.get("uri") ?? "";
  if (uri === "") throw invalidQuery("Option 'uri' is missing or empty.");
  const format = (options.get("format") ?? "CSV").toUpperCase();
  if (!FORMATS.has(format)) throw invalidQuery(`'${options.get("format") ?? ""}' is not a valid value; failed to set 'format' in EXPORT DATA OPTIONS`);
  if (format === "AVRO" || format === "PARQUET") {
    throw unsupported(`The local BigQuery does not write ${format} files: EXPORT DATA supports format CSV and JSON`);
  }
  if (!deps.exportRoot) throw unsupported("The local BigQuery runs EXPORT DATA only with a data directory to write to");
  const target = destination(deps.exportRoot, uri);
  const queryRange = rangeOf(node.query);
  if (!queryRange) throw invalidQuery("EXPORT DATA needs AS followed by a query");
  const part = text.sub(queryRange);
  const result = await withPositions(part, text, (o) => o + queryRange.start, () => runQuery(deps, scope, part, { dryRun }));
  if (dryRun) return { bytes: result.bytes, files: [] };
  const compression = (options.get("compression") ?? "").toUpperCase();
  let body: string;
  if (format === "CSV") {
    if (result.schema.some((f) => f.type === "RECORD" || f.mode === "REPEATED")) {
      throw invalidQuery("Operation cannot be performed on a nested schema. Field(s) with ARRAY or STRUCT type cannot be exported as CSV.");
    }
    const delimiter = options.get("field_delimiter") ?? ",";
    const header = options.get("header") !== "false";
    const lines = result.rows.map((r) => r.map((v, i) => csvCell(scalarText(v, result.schema[i]), delimiter)).join(delimiter));
    if (header) lines.unshift(result.schema.map((f) => csvCell(f.name, delimiter)).join(delimiter));
    body = lines.map((l) => `${l}\n`).join("");
  } else {
    body = result.rows.map((r) => `${JSON.stringify(jsonRow(r, result.schema))}\n`).join("");
  }
  const existing = safeList(target.directory).filter((f) => join(target.directory, f).startsWith(target.prefix));
  if (existing.length > 0 && options.get("overwrite") !== "true") {
    throw invalidQuery(`Destination ${uri} already holds files; use OPTIONS(overwrite = true) to replace them`);
  }
  for (const f of existing) rmSync(join(target.directory, f), { force: true });
  mkdirSync(target.directory, { recursive: true });
  const file = `${target.prefix}000000000000${target.suffix}`;
  writeFileSync(file, compression === "GZIP" ? gzipSync(body) : body);
  return { bytes: result.bytes, files: [file] };
}

function safeList(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}

function csvCell(text: string | null, delimiter: string): string {
  if (text === null) return "";
  return /["\n\r]/.test(text) || text.includes(delimiter) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A scalar as BigQuery writes it in exported files: TIMESTAMP as `YYYY-MM-DD HH:MM:SS[.ffffff] UTC`. */
function scalarText(value: Value, field: Field): string | null {
  if (value === null || Array.isArray(value)) return value === null ? null : JSON.stringify(value);
  if (field.type === "TIMESTAMP") return microsToIso(BigInt(value)).replace("T", " ").replace(/\.?0*Z$/, "").replace(/(\.\d*?)0+$/, "$1") + " UTC";
  return value;
}

function jsonValue(value: Value, field: Field, element = false): unknown {
  if (value === null) return null;
  if (field.mode === "REPEATED" && !element) return (value as Value[]).map((v) => jsonValue(v, field, true));
  if (field.type === "RECORD") return jsonRow(value as Row, field.fields ?? []);
  const text = scalarText(value, field) as string;
  if (field.type === "BOOLEAN") return text === "true";
  if (field.type === "FLOAT") return Number.isFinite(Number(text)) ? Number(text) : text;
  if (field.type === "JSON") return JSON.parse(text) as unknown;
  return text;
}

function jsonRow(row: Row, schema: Field[]): Record<string, unknown> {
  return Object.fromEntries(schema.map((f, i) => [f.name, jsonValue(row[i] ?? null, f)]));
}
