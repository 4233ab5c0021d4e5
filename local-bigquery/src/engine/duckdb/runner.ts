/**
 * Runs compiled SQL on a DuckDB connection: session setup (UTC, the prelude macros), loading
 * tables, and converting DuckDB values to canonical cells (model.ts Value) by GoogleSQL type.
 */
import { DuckDBInstance, DuckDBListValue, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";
import type {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBStructValue,
  DuckDBTimeValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
} from "@duckdb/node-api";
import type { Row, Value } from "../../model";
import { daysToDate } from "../civil_time";
import { decimalText } from "../decimal_codec";
import { typeOf, type TypeProto } from "../types";
import { doubleText } from "../values";
import type { EngineTable, QueryOutput } from "../zetasql_engine";
import type { CompiledQuery } from "./compile_statement";
import { PRELUDE, SESSION } from "./prelude";
import { duckLiteral, duckType, quoteIdent, structFieldNames } from "./types";

const MICROS_PER_DAY = 86_400_000_000n;
const pad = (n: bigint | number, width = 2): string => String(n).padStart(width, "0");

/** Microseconds since midnight as TIME text: HH:MM:SS[.ffffff]. */
function timeText(micros: bigint): string {
  const fraction = micros % 1_000_000n;
  const seconds = micros / 1_000_000n;
  const text = `${pad(seconds / 3600n)}:${pad((seconds / 60n) % 60n)}:${pad(seconds % 60n)}`;
  return fraction === 0n ? text : `${text}.${pad(fraction, 6)}`;
}

function datetimeText(micros: bigint): string {
  let days = micros / MICROS_PER_DAY;
  let rest = micros % MICROS_PER_DAY;
  if (rest < 0n) {
    days -= 1n;
    rest += MICROS_PER_DAY;
  }
  return `${daysToDate(Number(days))}T${timeText(rest)}`;
}

/** A DuckDB value of GoogleSQL type `type` as a canonical cell. */
export function toCell(value: DuckDBValue, type: TypeProto): Value {
  if (type.typeKind === "TYPE_ARRAY") {
    // BigQuery has no NULL arrays: NULL reads as [].
    const element = type.arrayType?.elementType as TypeProto;
    return value instanceof DuckDBListValue ? value.items.map((v) => toCell(v, element)) : [];
  }
  if (value === null) return null;
  switch (type.typeKind) {
    case "TYPE_STRUCT": {
      const entries = (value as DuckDBStructValue).entries;
      const names = structFieldNames(type);
      return (type.structType?.field ?? []).map((f, i) => toCell(entries[names[i]] ?? null, f.fieldType));
    }
    case "TYPE_INT64":
      return String(value);
    case "TYPE_DOUBLE":
      return doubleText(value as number);
    case "TYPE_BOOL":
      return value ? "true" : "false";
    case "TYPE_STRING":
    case "TYPE_JSON":
      return value as string;
    case "TYPE_BYTES":
      return Buffer.from((value as DuckDBBlobValue).bytes).toString("base64");
    case "TYPE_DATE":
      return daysToDate((value as DuckDBDateValue).days);
    case "TYPE_TIMESTAMP":
      return String((value as DuckDBTimestampTZValue).micros);
    case "TYPE_DATETIME":
      return datetimeText((value as DuckDBTimestampValue).micros);
    case "TYPE_TIME":
      return timeText((value as DuckDBTimeValue).micros);
    case "TYPE_NUMERIC": {
      const decimal = value as DuckDBDecimalValue;
      return decimalText(decimal.value, decimal.scale);
    }
    default:
      throw new Error(`toCell: no conversion for ${type.typeKind}`);
  }
}

export class DuckDbRunner {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /** An in-memory database on one thread, its session in UTC with the prelude macros. */
  static async open(): Promise<DuckDbRunner> {
    const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
    const connection = await instance.connect();
    for (const setting of SESSION) await connection.run(setting);
    for (const macro of PRELUDE) await connection.run(macro);
    return new DuckDbRunner(instance, connection);
  }

  /** Creates (or replaces) a table named as the engine names it, with its rows. */
  async load(table: EngineTable): Promise<void> {
    const types = table.columns.map((c) => typeOf(c.field));
    const columns = table.columns.map((c, i) => `${quoteIdent(c.name)} ${duckType(types[i])}`);
    await this.connection.run(`CREATE OR REPLACE TABLE ${quoteIdent(table.name)} (${columns.join(", ")})`);
    const rows = table.rows ?? [];
    for (let start = 0; start < rows.length; start += 500) {
      const values = rows.slice(start, start + 500).map((row: Row) => `(${row.map((v, i) => duckLiteral(v, types[i])).join(", ")})`);
      await this.connection.run(`INSERT INTO ${quoteIdent(table.name)} VALUES ${values.join(", ")}`);
    }
  }

  async run(query: CompiledQuery): Promise<QueryOutput> {
    const reader = await this.connection.runAndReadAll(query.sql);
    const rows = reader.getRows().map((row) => row.map((v, i) => toCell(v, query.types[i])));
    return { schema: query.schema, rows };
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
