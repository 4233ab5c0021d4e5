/**
 * JSON functions. A JSON value is its canonical compact text in a VARCHAR (as BigQuery returns it
 * and the store keeps it); DuckDB's JSON functions parse it and re-serialize what they return. Only
 * forms whose text is proven equal are here: JSON_VALUE / JSON_EXTRACT_SCALAR of scalars (DuckDB
 * prints 1e-07 as 1e-7 and 100.0 as 100, so FLOAT64 numbers are printed again, below), JSON_TYPE,
 * TO_JSON_STRING of JSON. JSON_QUERY would return re-serialized numbers inside objects: refused.
 */
import { type Call, type Form, kind, stringLiteral } from "./call";
import { refuse } from "./unsupported";

export const JSON_MACROS: string[] = [
  // A JSON FLOAT64 number as ZetaSQL prints it: the shortest digits, as DuckDB's CAST prints them,
  // except that exponents start at 1e15 there, at 1e16 in DuckDB.
  `CREATE MACRO gsql_json_digits(x) AS rtrim(replace(CAST(abs(x) AS VARCHAR), '.', ''), '0')`,
  `CREATE MACRO gsql_json_double(x) AS CASE WHEN abs(x) >= 1e15 AND abs(x) < 1e16
     THEN CASE WHEN x < 0 THEN '-' ELSE '' END || left(gsql_json_digits(x), 1)
       || CASE WHEN length(gsql_json_digits(x)) > 1 THEN '.' || substr(gsql_json_digits(x), 2) ELSE '' END || 'e+15'
     ELSE CAST(x AS VARCHAR) END`,
  `CREATE MACRO gsql_json_value(j, p) AS CASE json_type(j, p) WHEN 'OBJECT' THEN NULL WHEN 'ARRAY' THEN NULL
     WHEN 'DOUBLE' THEN gsql_json_double(CAST(json_extract_string(j, p) AS DOUBLE)) ELSE json_extract_string(j, p) END`,
];

/** A JSONPath both engines read alike: $ followed by .member and [index] steps. */
function simplePath(call: Call): string {
  const path = stringLiteral(call.nodes[1]);
  if (path === undefined || !/^\$(\.[A-Za-z_][A-Za-z0-9_]*|\[[0-9]+\])*$/.test(path)) return refuse("a JSON path other than a literal of .member and [index] steps");
  return call.args[1];
}

const jsonValue: Form = (call) => {
  if (kind(call.types[0]) !== "TYPE_JSON") return refuse("JSON functions of STRING (their number text is not canonical)");
  return `gsql_json_value(${call.args[0]}, ${simplePath(call)})`;
};

export const JSON_FUNCTIONS: Record<string, Form> = {
  json_value: jsonValue,
  json_extract_scalar: jsonValue,
  json_type: (call) => {
    if (kind(call.types[0]) !== "TYPE_JSON") return refuse("JSON_TYPE of STRING");
    const j = call.args[0];
    return `(CASE json_type(${j}) WHEN 'OBJECT' THEN 'object' WHEN 'ARRAY' THEN 'array' WHEN 'VARCHAR' THEN 'string' WHEN 'BOOLEAN' THEN 'boolean'
      WHEN 'NULL' THEN 'null' WHEN 'BIGINT' THEN 'number' WHEN 'UBIGINT' THEN 'number' WHEN 'DOUBLE' THEN 'number' END)`;
  },
  // A SQL NULL prints as JSON null.
  to_json_string: (call) => {
    if (kind(call.types[0]) !== "TYPE_JSON" || call.args.length > 1) return refuse(`TO_JSON_STRING of ${kind(call.types[0])}`);
    return `coalesce(${call.args[0]}, 'null')`;
  },
};
