/**
 * JavaScript user-defined functions on DuckDB. Each definition (name, signature, code) gets an id
 * (defineJsUdf), which ZetaSQL's catalog carries as the function's signature context id, so a
 * resolved call names its definition; the compiler turns the call into gsql_js_udf_<id>(...), a
 * JavaScript scalar function registered on each connection (registerJsUdfs) that converts the
 * arguments as BigQuery does (js_udf_values.ts), runs the body, and converts the result back.
 *
 * The body is compiled once per definition with new Function(arguments..., body): it sees its
 * arguments and JavaScript's globals, not this server's modules. It is not sandboxed: it runs in
 * this process, on its main thread, like any code the server runs.
 */
import {
  BIGINT,
  BLOB,
  BOOLEAN,
  DATE,
  DECIMAL,
  DOUBLE,
  DuckDBScalarFunction,
  LIST,
  STRUCT,
  TIMESTAMP,
  TIMESTAMPTZ,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
} from "@duckdb/node-api";
import type { Value } from "../../model";
import { fieldOf, sqlTypeName, type TypeProto } from "../types";
import type { Form } from "./call";
import { toCell, toDuckValue } from "./cells";
import { JsResultError, fromJs, toJs, unsupportedJsType } from "./js_udf_values";
import type { Node } from "./resolved_ast";
import { duckType, structFieldNames } from "./types";
import { refuse } from "./unsupported";

export interface JsUdfDefinition {
  /** As error messages name it: `f` (temporary) or `dataset.f`. */
  name: string;
  argumentNames: string[];
  argumentTypes: TypeProto[];
  returnType: TypeProto;
  code: string;
}

type JsBody = (...args: unknown[]) => unknown;

interface Entry {
  id: string;
  definition: JsUdfDefinition;
  /** The body, compiled at its first call; a SyntaxError is every call's error. */
  body?: JsBody | Error;
}

/** Every definition seen, in order (ids are positions + 1). Definitions are few and small: kept for the process's life. */
const entries: Entry[] = [];
const byKey = new Map<string, Entry>();

/** The id of a definition (the same for the same definition), the context id of its signature in ZetaSQL's catalog. */
export function defineJsUdf(definition: JsUdfDefinition): string {
  const key = JSON.stringify(definition);
  let entry = byKey.get(key);
  if (!entry) {
    entry = { id: String(entries.length + 1), definition };
    entries.push(entry);
    byKey.set(key, entry);
  }
  return entry.id;
}

const sqlName = (id: string): string => `gsql_js_udf_${id}`;

/** Functions of ZetaSQL's group JS are JavaScript UDFs (zetasql_engine.ts declares them so). */
export const isJsUdfCall = (functionName: string): boolean => functionName.startsWith("JS:");

/** The DuckDB form of a call of a JavaScript UDF: its registered function, when its types have JavaScript encodings. */
export function jsUdfForm(node: Node): Form {
  const id = String((node.signature as { contextId?: string } | undefined)?.contextId ?? "");
  const entry = entries[Number(id) - 1];
  if (!entry || entry.id !== id) return () => refuse("a JavaScript function without its definition");
  const { name, argumentTypes, returnType } = entry.definition;
  return ({ args }) => {
    const unsupported = [...argumentTypes, returnType].map(unsupportedJsType).find((t) => t !== undefined);
    if (unsupported) return refuse(`JavaScript function ${name} with a ${unsupported} argument or result (BigQuery documents no JavaScript encoding for ${unsupported})`);
    [...argumentTypes, returnType].forEach(duckType); // refuses what the compiler cannot hold (BIGNUMERIC)
    return `${sqlName(id)}(${args.join(", ")})`;
  };
}

/** The DuckDB type of a value the compiler holds as `duckType(type)` does; undefined when it holds none. */
function duckDbType(type: TypeProto): DuckDBType | undefined {
  switch (type.typeKind) {
    case "TYPE_ARRAY": {
      const element = duckDbType(type.arrayType?.elementType as TypeProto);
      return element && LIST(element);
    }
    case "TYPE_STRUCT": {
      const fields = type.structType?.field ?? [];
      const names = structFieldNames(type);
      const entries = fields.map((f, i) => [names[i], duckDbType(f.fieldType)] as const);
      if (fields.length === 0 || entries.some(([, t]) => !t)) return undefined;
      return STRUCT(Object.fromEntries(entries) as Record<string, DuckDBType>);
    }
    default:
      return SCALAR_TYPES[type.typeKind];
  }
}

const SCALAR_TYPES: Record<string, DuckDBType> = {
  TYPE_INT64: BIGINT,
  TYPE_DOUBLE: DOUBLE,
  TYPE_BOOL: BOOLEAN,
  TYPE_STRING: VARCHAR,
  TYPE_BYTES: BLOB,
  TYPE_DATE: DATE,
  TYPE_DATETIME: TIMESTAMP,
  TYPE_TIMESTAMP: TIMESTAMPTZ,
  TYPE_NUMERIC: DECIMAL(38, 9),
  TYPE_JSON: VARCHAR,
};

/** How BigQuery words an error of the body: "Error: boom at f(FLOAT64) line 1, columns 6-7". */
function errorText(error: unknown, definition: JsUdfDefinition): string {
  const where = `${definition.name}(${definition.argumentTypes.map(sqlTypeName).join(", ")})`;
  const text = String(error).split("\n")[0];
  // new Function puts two lines before the body ("function anonymous(args\n) {\n").
  const frame = /eval at [^\n]*<anonymous>:(\d+):(\d+)\)/.exec(error instanceof Error ? (error.stack ?? "") : "");
  if (!frame) return `${text} at ${where}`;
  const column = Number(frame[2]);
  return `${text} at ${where} line ${Number(frame[1]) - 2}, columns ${column - 1}-${column}`;
}

function bodyOf(entry: Entry): JsBody {
  if (!entry.body) {
    try {
      // Only its arguments in scope: new Function closes over the global scope, not this module's.
      entry.body = new Function(...entry.definition.argumentNames, entry.definition.code) as JsBody;
    } catch (error) {
      entry.body = new Error(errorText(error, entry.definition));
    }
  }
  if (entry.body instanceof Error) throw entry.body;
  return entry.body;
}

/** Runs one call: arguments converted in, the body run, its result converted out; errors worded as BigQuery's. */
function call(entry: Entry, cells: Value[]): Value {
  const { definition } = entry;
  const body = bodyOf(entry);
  let result: unknown;
  try {
    result = body(...cells.map((cell, i) => toJs(cell, definition.argumentTypes[i])));
  } catch (error) {
    throw new Error(errorText(error, definition));
  }
  if (result instanceof Promise) {
    // BigQuery waits for a Promise; a DuckDB scalar function returns synchronously and cannot.
    result.catch(() => undefined);
    throw new Error(`${definition.name} returned a Promise, which the local BigQuery cannot wait for`);
  }
  try {
    return fromJs(result, definition.returnType);
  } catch (error) {
    if (error instanceof JsResultError) throw new Error(`Failed to coerce the result of ${definition.name}: ${error.message}`);
    throw error;
  }
}

function scalarFunction(entry: Entry): DuckDBScalarFunction | undefined {
  const { argumentTypes, returnType } = entry.definition;
  const parameterTypes = argumentTypes.map(duckDbType);
  const resultType = duckDbType(returnType);
  if (!resultType || parameterTypes.some((t) => !t) || [...argumentTypes, returnType].some((t) => unsupportedJsType(t))) return undefined;
  const resultField = fieldOf("", returnType);
  return DuckDBScalarFunction.create({
    name: sqlName(entry.id),
    returnType: resultType,
    parameterTypes: parameterTypes as DuckDBType[],
    // BigQuery calls the body with NULL arguments too.
    specialHandling: true,
    mainFunction: (_info, input, output) => {
      const columns = argumentTypes.map((_, k) => input.getColumnVector(k));
      for (let i = 0; i < input.rowCount; i++) {
        // (toCell reads a NULL array as [], BigQuery's output rule; an argument keeps its NULL.)
        const cells = columns.map((column, k) => {
          const value = column.getItem(i);
          return value === null ? null : toCell(value, argumentTypes[k]);
        });
        output.setItem(i, toDuckValue(resultField, call(entry, cells)));
      }
      output.flush();
    },
  });
}

/** Definitions registered per connection (a count of `entries`): registration happens outside transactions, once. */
const registered = new WeakMap<DuckDBConnection, number>();

/**
 * Registers on a connection the definitions it lacks. Called when the pool hands a connection out,
 * outside any transaction (a registration inside one is undone by its ROLLBACK): every definition
 * a statement calls was made while ZetaSQL analysed it, before its compiled SQL runs.
 */
export function registerJsUdfs(connection: DuckDBConnection): void {
  const from = registered.get(connection) ?? 0;
  for (let i = from; i < entries.length; i++) {
    const fn = scalarFunction(entries[i]);
    if (fn) connection.registerScalarFunction(fn);
  }
  registered.set(connection, entries.length);
}
