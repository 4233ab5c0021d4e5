/**
 * Differential runs of DML: one statement through the current executor (ZetaSQL's EvaluateModify,
 * MERGE as its rewritten join query, on the DuckDB store) and through compileModify + applyChanges on an
 * in-memory DuckDB, each starting from the same table contents. Returned: both outcomes (the
 * tables' rows afterwards and the affected-row count, or the failure) for comparison.
 */
import type { EngineTable } from "../../src/engine";
import { DuckDbRunner, applyChanges, compileModify, toCell, type CompiledModify } from "../../src/engine/duckdb";
import { quoteIdent } from "../../src/engine/duckdb/types";
import { typeOf } from "../../src/engine/types";
import type { Field, QueryParameter, Row } from "../../src/model";
import { PROJECT, startHarness, type Harness } from "./executor_harness";

export const DATASET = "dml";

/** A table of both engines: its name (bare in SQL; the executor's in DATASET), BigQuery schema and rows. */
export interface TableSpec {
  name: string;
  schema: Field[];
  rows: Row[];
}

export interface ModifyOutcome {
  /** Each table's rows afterwards, as sorted JSON (a multiset), by table name. */
  tables?: Record<string, string[]>;
  affected?: number;
  error?: string;
}

export interface ModifyRun {
  reference: ModifyOutcome;
  duck: ModifyOutcome;
  /** What the compiler made of the statement, or its refusal. */
  compiled: CompiledModify | string;
}

export interface ModifyDifferential {
  /**
   * `referenceSql`: what the executor runs instead, an equivalent statement, where the executor
   * lacks the construct (it cannot SET struct fields in MERGE).
   */
  run(sql: string, tables: TableSpec[], params?: QueryParameter[], referenceSql?: string): Promise<ModifyRun>;
  /** The compiler's refusal, or undefined when it compiles. */
  refusal(sql: string, tables: TableSpec[], params?: QueryParameter[]): Promise<string | undefined>;
  stop(): Promise<void>;
}

const ROW_ID = "__lbq_row_id";
const sortedJson = (rows: unknown[][]): string[] => rows.map((r) => JSON.stringify(r)).sort();

/** The statement's target: the table named after INSERT [OR ...] [INTO], UPDATE, DELETE [FROM], MERGE [INTO] or TRUNCATE TABLE. */
function targetOf(sql: string): { kind: string; name: string } {
  const m = /^\s*(INSERT|UPDATE|DELETE|MERGE|TRUNCATE)\s+(?:OR\s+\w+\s+)?(?:(?:INTO|FROM|TABLE)\s+)?`?([\w.-]+)`?/i.exec(sql);
  if (!m) throw new Error(`no DML target in: ${sql}`);
  return { kind: m[1].toUpperCase(), name: m[2] };
}

export async function startModifyDifferential(): Promise<ModifyDifferential> {
  // The reference runs every statement on ZetaSQL's reference evaluator (EvaluateModify, MERGE as its join query).
  const harness: Harness = await startHarness({ referenceOnly: true });
  await harness.run(`CREATE SCHEMA \`${PROJECT}.${DATASET}\``);
  const duck = await DuckDbRunner.open();

  /** The engine catalog the executor would build: the target of UPDATE, DELETE and MERGE gets the hidden row id. */
  const catalog = (tables: TableSpec[], target: { kind: string; name: string }): EngineTable[] =>
    tables.map((t) => {
      const columns: EngineTable["columns"] = t.schema.map((f) => ({ name: f.name, field: f }));
      if (t.name === target.name && target.kind !== "INSERT") columns.push({ name: ROW_ID, field: { type: "INTEGER", mode: "NULLABLE" }, pseudo: true });
      return { name: t.name, columns, rows: t.rows };
    });

  const compile = async (sql: string, tables: TableSpec[], params: QueryParameter[]) => {
    const target = targetOf(sql);
    const spec = tables.find((t) => t.name === target.name);
    if (!spec) throw new Error(`target ${target.name} not among the tables`);
    let resolved;
    try {
      resolved = await harness.engine.analyze(sql, { tables: catalog(tables, target), params });
    } catch (error) {
      // Invalid statements fail in both; the caller compares failures.
      return { spec, compiled: { ok: false as const, unsupported: `analysis: ${(error as Error).message}` } };
    }
    return { spec, compiled: compileModify(resolved, params, { targetSchema: spec.schema }) };
  };

  async function reference(sql: string, tables: TableSpec[], params: QueryParameter[]): Promise<ModifyOutcome> {
    const now = Date.now();
    for (const t of tables) {
      await harness.store.createTable(
        { ref: harness.ref(DATASET, t.name), type: "TABLE", schema: t.schema, creationTime: now, lastModifiedTime: now },
        { replace: true, rows: t.rows },
      );
    }
    try {
      const result = await harness.run(sql, { params, defaultDataset: { projectId: PROJECT, datasetId: DATASET } });
      // The store keeps a NULL array as NULL; BigQuery (and DuckDB's toCell) read it as [].
      const read = async (t: TableSpec): Promise<unknown[][]> =>
        (await harness.cells(DATASET, t.name)).map((row) => row.map((v, i) => (v === null && t.schema[i].mode === "REPEATED" ? [] : v)));
      const contents: Record<string, string[]> = {};
      for (const t of tables) contents[t.name] = sortedJson(await read(t));
      return { tables: contents, affected: result.numDmlAffectedRows };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  async function duckContents(tables: TableSpec[]): Promise<Record<string, string[]>> {
    const contents: Record<string, string[]> = {};
    for (const t of tables) {
      const types = t.schema.map(typeOf);
      const reader = await duck.connection.runAndReadAll(`SELECT * FROM ${quoteIdent(t.name)}`);
      contents[t.name] = sortedJson(reader.getRows().map((row) => row.map((v, i) => toCell(v, types[i]))));
    }
    return contents;
  }

  async function viaDuck(compiled: CompiledModify, spec: TableSpec, tables: TableSpec[]): Promise<ModifyOutcome> {
    for (const t of tables) await duck.load({ name: t.name, columns: t.schema.map((f) => ({ name: f.name, field: f })), rows: t.rows });
    const before = await duckContents(tables);
    const connection = duck.connection;
    await connection.run("BEGIN TRANSACTION");
    let affected: number;
    try {
      affected = await applyChanges(connection, compiled.sql, { relation: quoteIdent(spec.name), columns: spec.schema.map((f) => f.name) });
      await connection.run("COMMIT");
    } catch (error) {
      await connection.run("ROLLBACK");
      // The executor answers a failure by rolling back: nothing may remain of the statement.
      if (JSON.stringify(await duckContents(tables)) !== JSON.stringify(before)) throw new Error(`tables changed by a failed statement: ${compiled.sql}`);
      return { error: (error as Error).message };
    }
    return { tables: await duckContents(tables), affected };
  }

  return {
    async run(sql, tables, params = [], referenceSql = sql) {
      const { spec, compiled } = await compile(sql, tables, params);
      const ref = await reference(referenceSql, tables, params);
      if (!compiled.ok) return { reference: ref, duck: { error: compiled.unsupported }, compiled: compiled.unsupported };
      return { reference: ref, duck: await viaDuck(compiled, spec, tables), compiled };
    },
    async refusal(sql, tables, params = []) {
      const { compiled } = await compile(sql, tables, params);
      return compiled.ok ? undefined : compiled.unsupported;
    },
    async stop() {
      duck.close();
      await harness.stop();
    },
  };
}
