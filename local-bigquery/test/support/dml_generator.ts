/**
 * A seeded generator of DML cases for the DML differential test: random small tables g (the
 * target: k, n REQUIRED, v, tags) and h (a source of the same column types, n nullable), and a
 * random INSERT, UPDATE, DELETE or MERGE over them, valid by construction.
 *
 * MERGE values and conditions never raise errors here: the executor's MERGE (the reference)
 * evaluates every clause's values on every joined row, where GoogleSQL evaluates only the
 * applicable clause's; an erroring value in a clause that does not apply would fail there alone.
 * Nor does the WHERE of UPDATE ... FROM: ZetaSQL evaluates a conjunct on the target alone for
 * every target row, while DuckDB's join filter pushdown drops target rows without a join
 * partner before that conjunct sees them (a known difference in which rows raise, see index.ts).
 */
import type { Field, Row } from "../../src/model";
import type { TableSpec } from "./modify_differential";

const field = (name: string, type: Field["type"], mode: Field["mode"] = "NULLABLE"): Field => ({ name, type, mode });

const TARGET_SCHEMA: Field[] = [field("k", "INTEGER"), field("n", "INTEGER", "REQUIRED"), field("v", "STRING"), field("tags", "STRING", "REPEATED")];
const SOURCE_SCHEMA: Field[] = [field("k", "INTEGER"), field("n", "INTEGER"), field("v", "STRING"), field("tags", "STRING", "REPEATED")];

export interface DmlCase {
  sql: string;
  tables: TableSpec[];
}

/** Tables in scope: T the target, S the source, none (VALUES). */
type Scope = "T" | "S" | "TS" | "";
type Column = "k" | "n" | "v" | "tags";

export function dmlGenerator(random: () => number): () => DmlCase {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number): boolean => random() < p;
  const subset = <T>(items: readonly T[]): T[] => {
    const chosen = items.filter(() => chance(0.5));
    return chosen.length > 0 ? chosen : [pick(items)];
  };

  const row = (nullableN: boolean): Row => [
    pick([null, "0", "1", "2", "2", "3", "4"]),
    nullableN && chance(0.2) ? null : pick(["0", "1", "2", "3"]),
    pick([null, "a", "b", "ab", ""]),
    pick([[], ["a"], ["x", "y"]]),
  ];
  const rows = (nullableN: boolean, max: number): Row[] => Array.from({ length: Math.floor(random() * (max + 1)) }, () => row(nullableN));

  /** Values of each column's type from the tables in scope (T target, S source). */
  const value = (column: Column, scope: Scope, erroring: boolean): string => {
    const t = scope.includes("T");
    const s = scope.includes("S");
    const options: string[] = [];
    switch (column) {
      case "k":
      case "n":
        options.push("0", "7", "NULL", "-1");
        if (t) options.push("T.k", "T.n", "T.k + T.n", "COALESCE(T.k, 0)");
        if (s) options.push("S.k", "S.n", "S.n * 2", "COALESCE(S.n, 5)");
        if (t && s) options.push("T.n + S.n", "IF(S.k > 1, T.n, S.n)");
        if (erroring && t) options.push("DIV(T.n, T.k)");
        break;
      case "v":
        options.push("'lit'", "NULL", "''");
        if (t) options.push("T.v", "CONCAT(T.v, '!')", "UPPER(T.v)");
        if (s) options.push("S.v", "CONCAT(S.v, '?')", "SUBSTR(S.v, 2)");
        if (t && s) options.push("CONCAT(T.v, S.v)", "COALESCE(S.v, T.v)");
        break;
      case "tags":
        options.push("['g']", "CAST([] AS ARRAY<STRING>)");
        if (t) options.push("T.tags");
        if (s) options.push("S.tags");
        break;
    }
    return pick(options);
  };

  const condition = (scope: Scope, erroring: boolean): string => {
    const t = scope.includes("T");
    const s = scope.includes("S");
    const options: string[] = ["TRUE"];
    if (t) options.push("T.n > 1", "T.v IS NULL", "T.k IS NULL OR T.n = 0", "NOT (T.v = 'a')", "T.v LIKE 'a%'");
    if (s) options.push("S.k = 2", "S.n IS NULL", "S.v LIKE '%b'", "S.n < 2");
    if (t && s) options.push("S.v = T.v", "T.n = S.n", "T.n > S.n OR S.v IS NULL");
    if (erroring && t) options.push("DIV(T.n, T.k) > 0");
    return pick(options);
  };

  const COLUMNS: Column[] = ["k", "n", "v", "tags"];
  const setList = (scope: Scope, erroring: boolean): string => subset(COLUMNS).map((c) => `${c} = ${value(c, scope, erroring)}`).join(", ");
  const insertValues = (scope: Scope, erroring: boolean): string => {
    if (chance(0.3)) return `INSERT VALUES (${COLUMNS.map((c) => value(c, scope, erroring)).join(", ")})`;
    const columns = subset(COLUMNS);
    return `INSERT (${columns.join(", ")}) VALUES (${columns.map((c) => value(c, scope, erroring)).join(", ")})`;
  };

  const source = (): string =>
    pick([
      "h S",
      "(SELECT k, n, v, tags FROM h WHERE n IS NULL OR n < 3) S",
      "(SELECT k, MAX(n) AS n, MIN(v) AS v, ['agg'] AS tags FROM h GROUP BY k) S",
      "(SELECT k + 1 AS k, n, v, tags FROM g) S",
    ]);

  const merge = (): string => {
    const on = pick(["T.k = S.k", "T.k = S.k AND T.n >= S.n", "T.v = S.v", "T.k = S.k OR T.v = S.v", "FALSE", "T.k = S.k AND S.v IS NOT NULL"]);
    const clauses = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
      const kind = pick(["MATCHED", "NOT MATCHED", "NOT MATCHED BY TARGET", "NOT MATCHED BY SOURCE"]);
      const scope: Scope = kind === "MATCHED" ? "TS" : kind === "NOT MATCHED BY SOURCE" ? "T" : "S";
      const when = chance(0.5) ? ` AND ${condition(scope, false)}` : "";
      let action: string;
      if (scope === "S") action = chance(0.25) ? "INSERT ROW" : insertValues(scope, false);
      else action = chance(0.3) ? "DELETE" : `UPDATE SET ${setList(scope, false)}`;
      return `WHEN ${kind}${when} THEN ${action}`;
    });
    return `MERGE g T USING ${source()} ON ${on} ${clauses.join(" ")}`;
  };

  const update = (): string => {
    if (chance(0.4)) return `UPDATE g T SET ${setList("TS", true)} FROM ${source()} WHERE T.k = S.k AND ${condition("TS", false)}`;
    return `UPDATE g T SET ${setList("T", true)} WHERE ${condition("T", true)}`;
  };

  const insert = (): string => {
    const columns = subset(COLUMNS);
    if (chance(0.3)) {
      const valueRows = Array.from({ length: 1 + Math.floor(random() * 3) }, () => `(${columns.map((c) => value(c, "", true)).join(", ")})`);
      return `INSERT INTO g (${columns.join(", ")}) VALUES ${valueRows.join(", ")}`;
    }
    return `INSERT INTO g (${columns.join(", ")}) SELECT ${columns.map((c) => value(c, "S", true)).join(", ")} FROM h S WHERE ${condition("S", true)}`;
  };

  return () => {
    const tables: TableSpec[] = [
      { name: "g", schema: TARGET_SCHEMA, rows: rows(false, 6) },
      { name: "h", schema: SOURCE_SCHEMA, rows: rows(true, 6) },
    ];
    const r = random();
    const sql = r < 0.5 ? merge() : r < 0.75 ? update() : r < 0.9 ? insert() : `DELETE g T WHERE ${condition("T", true)}`;
    return { sql, tables };
  };
}
