/**
 * Differential runs: one query through ZetaSQL's reference evaluator and through the DuckDB
 * compiler on the same tables; both answers (or both failures) are returned for comparison.
 */
import { startEngine, type Engine, type EngineTable } from "../../src/engine";
import { DuckDbRunner, compileQuery, type CompiledQuery } from "../../src/engine/duckdb";
import type { Field, QueryParameter, Row, Value } from "../../src/model";
import { GCP_PROJECT, DATASET } from "../../../test/support/warehouse";

export interface Outcome {
  /** The rows, or the failure's message. */
  rows?: Row[];
  error?: string;
  schema?: Field[];
}

export interface Differential {
  /** Both engines' outcomes, and what the compiler made (or refused). */
  run(sql: string, params?: QueryParameter[], referenceSql?: string): Promise<{ reference: Outcome; duck: Outcome; compiled: CompiledQuery | string }>;
  /** The compiler's refusal message, or undefined when it compiles. */
  refusal(sql: string, params?: QueryParameter[]): Promise<string | undefined>;
  stop(): Promise<void>;
}

const outcome = async (work: () => Promise<{ rows: Row[]; schema: Field[] }>): Promise<Outcome> => {
  try {
    return await work();
  } catch (error) {
    return { error: (error as Error).message };
  }
};

export async function startDifferential(tables: EngineTable[]): Promise<Differential> {
  const engine: Engine = await startEngine({ deadlineMs: 60_000 });
  const duck = await DuckDbRunner.open();
  for (const table of tables) await duck.load(table);
  const compile = async (sql: string, params: QueryParameter[]) =>
    compileQuery(await engine.analyze(sql, { tables, params }), params);
  return {
    // referenceSql: what the reference evaluator runs instead (for functions it lacks).
    async run(sql, params = [], referenceSql = sql) {
      const compiled = await compile(sql, params);
      const reference = await outcome(() => engine.evaluateQuery(referenceSql, { tables, params }));
      if (!compiled.ok) return { reference, duck: { error: compiled.unsupported }, compiled: compiled.unsupported };
      return { reference, duck: await outcome(() => duck.run(compiled)), compiled };
    },
    async refusal(sql, params = []) {
      const compiled = await compile(sql, params);
      return compiled.ok ? undefined : compiled.unsupported;
    },
    async stop() {
      duck.close();
      await engine.stop();
    },
  };
}

/** Rows in a canonical order, for comparing results whose order the query leaves open. */
export const sortedRows = (rows: Row[]): string[] => rows.map((r) => JSON.stringify(r)).sort();

/**
 * FLOAT64 cells of SUM, AVG, STDDEV and VARIANCE: BigQuery fixes no summation order, ZetaSQL's
 * reference sums exactly, DuckDB's fsum (Kahan-Babuska) nearly so. Those columns only are compared
 * within a relative 1e-12 (inputs without catastrophic cancellation).
 */
export function closeEnough(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => closeEnough(v, b[i]));
  }
  if (a === null || b === null) return false;
  const x = Number(a);
  const y = Number(b);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  return Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y));
}

/** Whether two outcomes agree: both failed, or equal rows (approximate columns within closeEnough). */
export function agree(reference: Outcome, duck: Outcome, ordered: boolean, approx: number[] = []): boolean {
  if (reference.error !== undefined || duck.error !== undefined) return reference.error !== undefined && duck.error !== undefined;
  const exact = (row: Row): Row => row.map((v, i) => (approx.includes(i) ? null : v));
  const order = (rows: Row[]): Row[] => (ordered ? rows : [...rows].sort((p, q) => (JSON.stringify(exact(p)) < JSON.stringify(exact(q)) ? -1 : 1)));
  const r = order(reference.rows ?? []);
  const d = order(duck.rows ?? []);
  return r.length === d.length && r.every((row, i) => row.every((v, j) => (approx.includes(j) ? closeEnough(v, d[i][j]) : JSON.stringify(v) === JSON.stringify(d[i][j]))));
}

/** The assertions the differential tests make. */
/**
 * Starts a differential for the enclosing describe (stopped after it) and returns its checks;
 * `diff()` is the differential itself, for what the checks do not cover.
 */
export function differentialSuite(tables: EngineTable[] = TABLES): ReturnType<typeof agreement> & { diff: () => Differential } {
  let diff: Differential | undefined;
  beforeAll(async () => {
    diff = await startDifferential(tables);
  });
  afterAll(async () => {
    await diff?.stop();
  });
  const get = (): Differential => {
    if (!diff) throw new Error("the differential is not started: call differentialSuite() inside describe()");
    return diff;
  };
  return { ...agreement(get), diff: get };
}

export function agreement(get: () => Differential): {
  same(sql: string, params?: QueryParameter[], approx?: string[]): Promise<Row[]>;
  bothFail(sql: string): Promise<void>;
} {
  return {
    /** Runs both ways; the compiler must accept the query and the answers must match (approx: columns compared within 1e-12). */
    async same(sql, params = [], approx = []) {
      const { reference, duck, compiled } = await get().run(sql, params);
      if (typeof compiled === "string") throw new Error(`${sql}\n  refused: ${compiled}`);
      if (reference.error !== undefined || duck.error !== undefined) {
        if (reference.error === undefined || duck.error === undefined) {
          throw new Error(`${sql}\n  reference: ${reference.error ?? "ok"}\n  duckdb: ${duck.error ?? "ok"}\n  sql: ${compiled.sql}`);
        }
        return [];
      }
      const context = `${sql}\n  sql: ${compiled.sql}`;
      expect({ context, schema: duck.schema }).toEqual({ context, schema: reference.schema });
      const columns = approx.map((name) => (reference.schema ?? []).findIndex((f) => f.name === name));
      if (columns.length > 0) {
        const detail = `${context}\n  reference: ${JSON.stringify(reference.rows)}\n  duckdb: ${JSON.stringify(duck.rows)}`;
        expect({ detail, agree: agree(reference, duck, compiled.ordered, columns) }).toEqual({ detail, agree: true });
        return reference.rows ?? [];
      }
      const rows = (o: Row[] | undefined): unknown => (compiled.ordered ? o : sortedRows(o ?? []));
      expect({ context, rows: rows(duck.rows) }).toEqual({ context, rows: rows(reference.rows) });
      return reference.rows ?? [];
    },
    /** Both must fail (the query is valid, its data makes it fail). */
    async bothFail(sql) {
      const { reference, duck, compiled } = await get().run(sql);
      if (typeof compiled === "string") throw new Error(`${sql}\n  refused: ${compiled}`);
      expect({ sql, reference: reference.error !== undefined, duck: duck.error !== undefined }).toEqual({ sql, reference: true, duck: true });
    },
  };
}

/* The tables every differential test reads. */
const f = (name: string, type: Field["type"], mode: Field["mode"] = "NULLABLE"): { name: string; field: Field } => ({
  name,
  field: { name, type, mode },
});

/** Edge values: INT64 limits, NaN and infinities, empty and non-ASCII strings, far dates, NULLs, duplicates. */
const t: EngineTable = {
  name: "t",
  columns: [f("id", "INTEGER"), f("a", "INTEGER"), f("x", "FLOAT"), f("s", "STRING"), f("ts", "TIMESTAMP"), f("d", "DATE"), f("b", "BOOLEAN"), f("n", "NUMERIC"), f("arr", "INTEGER", "REPEATED")],
  rows: [
    ["1", "9223372036854775807", "NaN", "a", "-62135596800000000", "0001-01-01", "true", "99999999999999999999999999999.999999999", ["1", "2"]],
    ["2", "-9223372036854775808", "Infinity", "B", "253402300799999999", "9999-12-31", "false", "-0.000000001", []],
    ["3", null, "-Infinity", "", null, null, null, null, ["3"]],
    ["4", "0", "0", "é", "1735689600123456", "2025-01-01", "true", "0", ["-1", "0", "-1"]],
    ["5", "7", "-1.5", "a", "1735689599999999", "2024-12-31", "false", "2.5", []],
    ["6", "-7", null, null, "1735776000000000", "2025-01-05", null, "-2.5", ["9223372036854775807"]],
    ["7", "7", "2.5", "B", "1735689600000000", "2025-03-01", "true", "1", ["5"]],
    ["8", "2", "1e308", "abc", "-1", "1970-01-01", "false", "3", []],
  ],
};
const small: EngineTable = {
  name: "u",
  columns: [f("k", "INTEGER"), f("v", "STRING")],
  rows: [
    ["7", "seven"],
    ["7", "siete"],
    ["0", "zero"],
    [null, "null key"],
    ["100", "unmatched"],
  ],
};
/** The remaining types: DATETIME, TIME, BYTES, STRUCT and an ARRAY of STRUCT. */
const wide: EngineTable = {
  name: "w",
  columns: [
    f("id", "INTEGER"),
    f("dt", "DATETIME"),
    f("tm", "TIME"),
    f("bin", "BYTES"),
    { name: "rec", field: { name: "rec", type: "RECORD", mode: "NULLABLE", fields: [{ name: "a", type: "INTEGER", mode: "NULLABLE" }, { name: "b", type: "STRING", mode: "NULLABLE" }] } },
    { name: "recs", field: { name: "recs", type: "RECORD", mode: "REPEATED", fields: [{ name: "k", type: "STRING", mode: "NULLABLE" }] } },
  ],
  rows: [
    ["1", "0001-01-01T00:00:00", "00:00:00", "", ["1", "x"], [["k1"], [null]]],
    ["2", "9999-12-31T23:59:59.999999", "23:59:59.999999", Buffer.from([0, 255, 10]).toString("base64"), [null, null], []],
    ["3", null, null, null, null, []],
    ["4", "2025-01-31T10:11:12.5", "12:00:00.000001", "AA==", ["-5", ""], [["k2"]]],
  ],
};
const empty: EngineTable = { name: "e", columns: [f("a", "INTEGER"), f("x", "FLOAT"), f("s", "STRING")], rows: [] };

const RAW = `${GCP_PROJECT}.${DATASET}.orders_raw`;
const ts = (text: string): string => String(Date.parse(text) * 1000);
const raw: EngineTable = {
  name: RAW,
  columns: [f("event_id", "STRING"), f("order_id", "STRING"), f("order_date", "TIMESTAMP"), f("order_details", "STRING"), f("order_status", "STRING"), f("updated_at", "TIMESTAMP"), f("ingested_at", "TIMESTAMP")],
  rows: [
    // o1: a full lifecycle, one resend (same event_id, later ingest) and an updated_at in the past.
    ["e1", "o1", ts("2025-01-01T10:00:00Z"), "2 items", "Pending", ts("2025-01-01T10:00:00Z"), ts("2025-01-01T10:00:01Z")],
    ["e1", "o1", ts("2025-01-01T10:00:00Z"), "2 items", "Pending", ts("2025-01-01T10:00:00Z"), ts("2025-01-01T10:05:00Z")],
    ["e2", "o1", ts("2025-01-01T10:00:00Z"), "2 items", "Processing", ts("2025-01-01T11:00:00.5Z"), ts("2025-01-01T11:00:02Z")],
    ["e3", "o1", ts("2025-01-01T10:00:00Z"), null, "Shipped", ts("2025-01-02T09:30:00Z"), ts("2025-01-02T09:30:01Z")],
    ["e4", "o1", ts("2025-01-01T10:00:00Z"), null, "Delivered", null, ts("2025-01-03T12:00:00Z")],
    // o2: cancelled; o3: a single version; o4: statuses repeated.
    ["e5", "o2", ts("2025-02-01T00:00:00Z"), "", "Pending", null, ts("2025-02-01T00:00:00Z")],
    ["e6", "o2", ts("2025-02-01T00:00:00Z"), "", "Cancelled", ts("2025-02-01T00:30:00Z"), ts("2025-02-01T00:30:00Z")],
    ["e7", "o3", ts("2025-03-01T08:00:00Z"), "é", "Pending", ts("2025-03-01T08:00:00Z"), ts("2025-03-01T08:00:00Z")],
    ["e8", "o4", ts("2025-03-02T08:00:00Z"), "x", "Pending", ts("2025-03-02T08:00:00Z"), ts("2025-03-02T08:00:00Z")],
    ["e9", "o4", ts("2025-03-02T08:00:00Z"), "x", "Pending", ts("2025-03-02T09:00:00Z"), ts("2025-03-02T09:00:00Z")],
    ["e10", "o4", ts("2025-03-02T08:00:00Z"), "x", "Returned", ts("2025-03-05T09:00:00Z"), ts("2025-03-05T09:00:00Z")],
  ],
};


/** JSON cells as BigQuery returns them: canonical compact text (sorted keys, shortest numbers). */
const json: EngineTable = {
  name: "j",
  columns: [f("id", "INTEGER"), f("doc", "JSON")],
  rows: [
    ["1", '{"a":1,"b":"x","c":[1,2.5,"é"],"d":{"e":null}}'],
    ["2", '[1,"two",{"three":3}]'],
    ["3", '"str"'],
    ["4", "123"],
    ["5", "null"],
    ["6", '{"a":"line\\nbreak","b":true,"big":12345678901234567890,"neg":-0.5}'],
    ["7", null],
    ["8", '{"a":{"b":{"c":[10,20]}},"b":false}'],
  ],
};

export const TABLES: EngineTable[] = [t, small, wide, empty, raw, json];
