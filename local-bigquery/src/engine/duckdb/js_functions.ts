/**
 * Scalar functions DuckDB lacks in GoogleSQL's form, written in JavaScript and registered on each
 * connection. GoogleSQL's UPPER and LOWER use Unicode's full case mapping (ICU: ß -> SS, final
 * sigma); DuckDB's use the simple one (ß -> ẞ). JavaScript's toUpperCase/toLowerCase are the full
 * mapping, so non-ASCII text goes through them (functions.ts keeps DuckDB's for ASCII, which is faster).
 */
import { BLOB, DuckDBBlobValue, DuckDBScalarFunction, VARCHAR, type DuckDBConnection, type DuckDBType, type DuckDBValue } from "@duckdb/node-api";
import { geographyFunctions } from "./functions_geography";
import { fromBase32, toBase32 } from "./js_base32";

/** A one-argument function, NULL in and NULL out; `apply` maps every other value. */
function unary<I extends DuckDBValue, O extends DuckDBValue>(name: string, parameter: DuckDBType, returns: DuckDBType, apply: (value: I) => O): DuckDBScalarFunction {
  return DuckDBScalarFunction.create({
    name,
    returnType: returns,
    parameterTypes: [parameter],
    // The function sees NULLs itself (without this DuckDB would still call it for them).
    specialHandling: true,
    mainFunction: (_info, input, output) => {
      const column = input.getColumnVector(0);
      for (let i = 0; i < input.rowCount; i++) {
        const value = column.getItem(i) as I | null;
        output.setItem(i, value === null ? null : apply(value));
      }
      output.flush();
    },
  });
}

export function registerJsFunctions(connection: DuckDBConnection): void {
  connection.registerScalarFunction(unary("gsql_upper_full", VARCHAR, VARCHAR, (t: string) => t.toUpperCase()));
  connection.registerScalarFunction(unary("gsql_lower_full", VARCHAR, VARCHAR, (t: string) => t.toLowerCase()));
  connection.registerScalarFunction(unary("gsql_to_base32", BLOB, VARCHAR, (b: DuckDBBlobValue) => toBase32(b.bytes)));
  connection.registerScalarFunction(unary("gsql_from_base32", VARCHAR, BLOB, (t: string) => new DuckDBBlobValue(fromBase32(t))));
  for (const f of geographyFunctions()) connection.registerScalarFunction(f);
}
