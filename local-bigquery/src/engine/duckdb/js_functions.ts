/**
 * Scalar functions DuckDB lacks in GoogleSQL's form, written in JavaScript and registered on each
 * connection. GoogleSQL's UPPER and LOWER use Unicode's full case mapping (ICU: ß -> SS, final
 * sigma); DuckDB's use the simple one (ß -> ẞ). JavaScript's toUpperCase/toLowerCase are the full
 * mapping, so non-ASCII text goes through them (functions.ts keeps DuckDB's for ASCII, which is faster).
 */
import { DuckDBScalarFunction, VARCHAR, type DuckDBConnection } from "@duckdb/node-api";
import { geographyFunctions } from "./functions_geography";
import { base32Functions } from "./js_base32";

function stringFunction(name: string, apply: (text: string) => string): DuckDBScalarFunction {
  return DuckDBScalarFunction.create({
    name,
    returnType: VARCHAR,
    parameterTypes: [VARCHAR],
    // NULL in, NULL out: the function sees NULLs itself.
    specialHandling: true,
    mainFunction: (_info, input, output) => {
      const column = input.getColumnVector(0);
      for (let i = 0; i < input.rowCount; i++) {
        const text = column.getItem(i) as string | null;
        output.setItem(i, text === null ? null : apply(text));
      }
      output.flush();
    },
  });
}

export function registerJsFunctions(connection: DuckDBConnection): void {
  connection.registerScalarFunction(stringFunction("gsql_upper_full", (t) => t.toUpperCase()));
  connection.registerScalarFunction(stringFunction("gsql_lower_full", (t) => t.toLowerCase()));
  for (const f of geographyFunctions()) connection.registerScalarFunction(f);
  for (const f of base32Functions()) connection.registerScalarFunction(f);
}
