/**
 * How our answer is held against BigQuery's: schemas by name, type and REPEATED; cells in canonical form
 * (values.ts), FLOAT64 within a relative tolerance, JSON by meaning, GEOGRAPHY by its WKT tokens; rows in
 * order when the query's outermost statement has ORDER BY, otherwise as a multiset.
 */
import type { Cell, SchemaField } from "./fixtures";
import { elementOf, isRepeated, normDecimal, typeOf } from "./values";

/** Relative tolerance for FLOAT64: BigQuery and DuckDB may sum or round in another order. */
export const FLOAT_RELATIVE_TOLERANCE = 1e-9;
/** Below this magnitude two floats are equal: a relative bound means nothing next to 0. */
export const FLOAT_ABSOLUTE_TOLERANCE = 1e-12;

export const floatsEqual = (e: Cell, a: Cell): boolean => {
  // "NaN", "Infinity", "-Infinity" are only equal to themselves.
  if (typeof e !== "number" || typeof a !== "number") return e === a;
  if (e === a) return true;
  return Math.abs(e - a) <= Math.max(FLOAT_ABSOLUTE_TOLERANCE, FLOAT_RELATIVE_TOLERANCE * Math.max(Math.abs(e), Math.abs(a)));
};

// ---- JSON --------------------------------------------------------------------------------------------------------

type JsonValue = string | boolean | null | { num: string } | JsonValue[] | { obj: [string, JsonValue][] };

/**
 * JSON text -> a comparable value: numbers keep their text (normalised, so 1, 1.0 and 1e0 agree and large
 * integers keep every digit, which JSON.parse would round), object keys sorted. undefined if not JSON.
 */
export const parseJsonCanonical = (text: string): JsonValue | undefined => {
  let i = 0;
  const space = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const fail = (): never => {
    throw new SyntaxError("not JSON");
  };
  const str = (): string => {
    if (text[i] !== '"') fail();
    let j = i + 1;
    while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
    if (j >= text.length) fail();
    const s = JSON.parse(text.slice(i, j + 1)) as string;
    i = j + 1;
    return s;
  };
  const value = (): JsonValue => {
    space();
    const c = text[i];
    if (c === "{") {
      i++;
      const entries: [string, JsonValue][] = [];
      space();
      if (text[i] === "}") {
        i++;
        return { obj: entries };
      }
      for (;;) {
        space();
        const k = str();
        space();
        if (text[i++] !== ":") fail();
        entries.push([k, value()]);
        space();
        const next = text[i++];
        if (next === "}") break;
        if (next !== ",") fail();
      }
      entries.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
      return { obj: entries };
    }
    if (c === "[") {
      i++;
      const items: JsonValue[] = [];
      space();
      if (text[i] === "]") {
        i++;
        return items;
      }
      for (;;) {
        items.push(value());
        space();
        const next = text[i++];
        if (next === "]") break;
        if (next !== ",") fail();
      }
      return items;
    }
    if (c === '"') return str();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 1000));
    if (!m) return fail();
    i += m[0].length;
    return { num: normDecimal(m[0]) };
  };
  try {
    const v = value();
    space();
    return i === text.length ? v : undefined;
  } catch {
    return undefined;
  }
};

export const jsonEqual = (e: Cell, a: Cell): boolean => {
  if (e === a) return true;
  if (typeof e !== "string" || typeof a !== "string") return false;
  const pa = parseJsonCanonical(a);
  if (pa === undefined) return false;
  const pe = parseJsonCanonical(e);
  if (pe !== undefined && JSON.stringify(pe) === JSON.stringify(pa)) return true;
  // The recorder's Python client turns a JSON string into a Python str, so JSON '"abc"' was recorded as abc.
  return typeof pa === "string" && pa === e;
};

/** WKT with case and spacing around punctuation normalised: "POINT(1 2)" equals "Point (1 2)". */
const wkt = (s: string): string =>
  s.trim().toUpperCase().replace(/\s+/g, " ").replace(/\s*([(),])\s*/g, "$1");

// ---- cells, rows, schemas ----------------------------------------------------------------------------------------

export const cellsEqual = (e: Cell, a: Cell, field: SchemaField): boolean => {
  if (isRepeated(field)) {
    if (!Array.isArray(e) || !Array.isArray(a) || e.length !== a.length) return false;
    const element = elementOf(field);
    return e.every((x, i) => cellsEqual(x, a[i], element));
  }
  if (e === null || a === null) return e === a;
  const type = typeOf(field);
  if (type === "STRUCT") {
    const fields = field.fields ?? [];
    if (!Array.isArray(e) || !Array.isArray(a) || e.length !== fields.length || a.length !== fields.length) return false;
    return fields.every((f, i) => cellsEqual(e[i], a[i], f));
  }
  if (type === "FLOAT64") return floatsEqual(e, a);
  if (type === "JSON") return jsonEqual(e, a);
  if (type === "GEOGRAPHY") return typeof e === "string" && typeof a === "string" && wkt(e) === wkt(a);
  return e === a;
};

export const rowsEqual = (e: Cell[], a: Cell[], schema: SchemaField[]): boolean =>
  e.length === schema.length && a.length === schema.length && schema.every((f, i) => cellsEqual(e[i], a[i], f));

const describeType = (f: SchemaField): string => (isRepeated(f) ? `ARRAY<${typeOf(f)}>` : typeOf(f));

/** Why our schema is not BigQuery's (first difference), or undefined. NULLABLE and REQUIRED count as the same. */
export const schemaDifference = (expected: SchemaField[], actual: SchemaField[], prefix = ""): string | undefined => {
  if (expected.length !== actual.length) return `${prefix}${actual.length} columns, BigQuery has ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    if (e.name !== a.name) return `${prefix}column ${i + 1} is named ${a.name}, BigQuery names it ${e.name}`;
    if (describeType(e) !== describeType(a)) return `${prefix}column ${e.name} is ${describeType(a)}, BigQuery's is ${describeType(e)}`;
    if (typeOf(e) === "STRUCT") {
      const inner = schemaDifference(e.fields ?? [], a.fields ?? [], `${prefix}${e.name}.`);
      if (inner) return inner;
    }
  }
  return undefined;
};

export interface RowMismatch {
  sub: "row count" | "values" | "row order";
  detail: string;
}

const show = (row: Cell[]): string => {
  const s = JSON.stringify(row);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
};

/**
 * Pairs every expected row with a distinct equal actual row if possible; returns the index of an expected
 * row left without one, or -1. Tolerant equality is not transitive, so first-fit could pair a row with the
 * partner another row needed: this is a maximum bipartite matching (augmenting paths), seeded with the rows
 * whose canonical text is identical, which is most of them.
 */
export const unmatchedRow = (expected: Cell[][], actual: Cell[][], equal: (e: Cell[], a: Cell[]) => boolean): number => {
  const partnerOfActual = new Array<number>(actual.length).fill(-1);
  const partnerOfExpected = new Array<number>(expected.length).fill(-1);
  const byText = new Map<string, number[]>();
  actual.forEach((row, j) => {
    const key = JSON.stringify(row);
    const list = byText.get(key);
    if (list) list.push(j);
    else byText.set(key, [j]);
  });
  expected.forEach((row, i) => {
    const j = byText.get(JSON.stringify(row))?.pop();
    if (j !== undefined && equal(row, actual[j])) {
      partnerOfExpected[i] = j;
      partnerOfActual[j] = i;
    }
  });
  const candidates = new Map<number, number[]>();
  const candidatesOf = (i: number): number[] => {
    let list = candidates.get(i);
    if (!list) {
      list = [];
      for (let j = 0; j < actual.length; j++) if (equal(expected[i], actual[j])) list.push(j);
      candidates.set(i, list);
    }
    return list;
  };
  const augment = (i: number, visited: Set<number>): boolean => {
    for (const j of candidatesOf(i)) {
      if (visited.has(j)) continue;
      visited.add(j);
      if (partnerOfActual[j] === -1 || augment(partnerOfActual[j], visited)) {
        partnerOfActual[j] = i;
        partnerOfExpected[i] = j;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < expected.length; i++) {
    if (partnerOfExpected[i] === -1 && !augment(i, new Set())) return i;
  }
  return -1;
};

/** Why our rows are not BigQuery's, or undefined. */
export const rowsDifference = (expected: Cell[][], actual: Cell[][], schema: SchemaField[], ordered: boolean): RowMismatch | undefined => {
  if (expected.length !== actual.length) return { sub: "row count", detail: `${actual.length} rows, BigQuery returned ${expected.length}` };
  const equal = (e: Cell[], a: Cell[]): boolean => rowsEqual(e, a, schema);
  const missing = unmatchedRow(expected, actual, equal);
  if (ordered) {
    const first = expected.findIndex((row, i) => !equal(row, actual[i]));
    if (first < 0) return undefined;
    if (missing < 0) return { sub: "row order", detail: `same rows in another order (first at row ${first + 1}, the query orders them)` };
    return { sub: "values", detail: `row ${first + 1} is ${show(actual[first])}, BigQuery's is ${show(expected[first])}` };
  }
  if (missing < 0) return undefined;
  return { sub: "values", detail: `BigQuery's row ${show(expected[missing])} is not among ours (e.g. ${show(actual[Math.min(missing, actual.length - 1)])})` };
};

// ---- ORDER BY ----------------------------------------------------------------------------------------------------

/** Statements that close a block and yield no rows: the result is the statement before them. */
const BLOCK_END = /^(END(\s+(IF|LOOP|WHILE|FOR|REPEAT|CASE))?|COMMIT(\s+TRANSACTION)?)$/i;

/**
 * True when the statement whose rows the query returns (the last one of a script, ignoring block ends)
 * has ORDER BY outside every parenthesis: then BigQuery's row order is part of the answer. ORDER BY inside
 * OVER (...), a subquery or an aggregate does not order the result. Strings, quoted names and comments
 * are skipped, so an "order by" inside them does not count.
 */
export const outermostStatementOrders = (sql: string): boolean => {
  const statements: string[][] = [[]];
  let depth = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const rest = sql.slice(i, i + 3);
    if (c === "-" && sql[i + 1] === "-") i = skipLine(sql, i);
    else if (c === "#") i = skipLine(sql, i);
    else if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (rest === "'''" || rest === '"""') {
      const end = sql.indexOf(rest, i + 3);
      i = end < 0 ? sql.length : end + 3;
    } else if (c === "'" || c === '"' || c === "`") {
      let j = i + 1;
      while (j < sql.length && sql[j] !== c) j += sql[j] === "\\" ? 2 : 1;
      i = j + 1;
    } else if (c === "(" || c === "[") {
      depth++;
      i++;
    } else if (c === ")" || c === "]") {
      depth = Math.max(0, depth - 1);
      i++;
    } else if (c === ";" && depth === 0) {
      statements.push([]);
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i, i + 200));
      const word = m ? m[0] : c;
      // Words inside parentheses still matter for telling a block end; mark their depth.
      statements[statements.length - 1].push(depth === 0 ? word.toUpperCase() : `(${word.toUpperCase()}`);
      i += word.length;
    } else i++;
  }
  const meaningful = statements.filter((words) => words.length > 0 && !BLOCK_END.test(words.join(" ")));
  const last = meaningful[meaningful.length - 1] ?? [];
  return last.some((word, k) => word === "ORDER" && last[k + 1] === "BY");
};

const skipLine = (sql: string, i: number): number => {
  const end = sql.indexOf("\n", i);
  return end < 0 ? sql.length : end + 1;
};
