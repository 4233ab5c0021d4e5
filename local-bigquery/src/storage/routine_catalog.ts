/**
 * Routines (functions and procedures) of the DuckDB store: one catalog table `lbq.routines`
 * holding each routine's metadata as JSON, read into memory at start like the tables' catalog.
 * Writes run inside the store's catalog transactions (the caller's connection).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { duplicate, notFound } from "../errors";
import type { DatasetRef, RoutineMeta, RoutineRef } from "../model";

export const ROUTINES_SQL = "CREATE TABLE IF NOT EXISTS lbq.routines (project VARCHAR NOT NULL, dataset VARCHAR NOT NULL, routine VARCHAR NOT NULL, meta VARCHAR NOT NULL)";

const key = (ref: RoutineRef): string => `${ref.projectId}.${ref.datasetId}.${ref.routineId}`;
const inDataset = (meta: RoutineMeta, ref: DatasetRef): boolean => meta.ref.projectId === ref.projectId && meta.ref.datasetId === ref.datasetId;
export const routineLabel = (ref: RoutineRef): string => `${ref.projectId}:${ref.datasetId}.${ref.routineId}`;

export class RoutineCatalog {
  private readonly routines = new Map<string, RoutineMeta>();

  async load(c: DuckDBConnection): Promise<void> {
    await c.run(ROUTINES_SQL);
    for (const [meta] of (await c.runAndReadAll("SELECT meta FROM lbq.routines")).getRows()) {
      const routine = JSON.parse(meta as string) as RoutineMeta;
      this.routines.set(key(routine.ref), routine);
    }
  }

  get(ref: RoutineRef): RoutineMeta | undefined {
    return this.routines.get(key(ref));
  }

  list(ref: DatasetRef): RoutineMeta[] {
    return [...this.routines.values()].filter((r) => inDataset(r, ref)).sort((a, b) => (a.ref.routineId < b.ref.routineId ? -1 : 1));
  }

  /** Writes a routine (replace: over an existing one); `after` publishes it once the transaction commits. */
  async put(c: DuckDBConnection, meta: RoutineMeta, opts: { replace?: boolean; ifNotExists?: boolean }): Promise<{ result: boolean; after?: () => void }> {
    const existing = this.get(meta.ref);
    if (existing && opts.ifNotExists && !opts.replace) return { result: false };
    if (existing && !opts.replace) throw duplicate(`Already Exists: Routine ${routineLabel(meta.ref)}`);
    await this.deleteSql(c, meta.ref);
    await c.run("INSERT INTO lbq.routines VALUES ($1, $2, $3, $4)", [meta.ref.projectId, meta.ref.datasetId, meta.ref.routineId, JSON.stringify(meta)]);
    return { result: true, after: () => void this.routines.set(key(meta.ref), meta) };
  }

  async delete(c: DuckDBConnection, ref: RoutineRef, opts: { ifExists?: boolean }): Promise<{ result: boolean; after?: () => void }> {
    if (!this.get(ref)) {
      if (opts.ifExists) return { result: false };
      throw notFound(`Not found: Routine ${routineLabel(ref)}`);
    }
    await this.deleteSql(c, ref);
    return { result: true, after: () => void this.routines.delete(key(ref)) };
  }

  /** Removes a dataset's routines (the dataset is being deleted with its contents). */
  async deleteDataset(c: DuckDBConnection, ref: DatasetRef): Promise<() => void> {
    const gone = this.list(ref);
    await c.run("DELETE FROM lbq.routines WHERE project = $1 AND dataset = $2", [ref.projectId, ref.datasetId]);
    return () => gone.forEach((r) => this.routines.delete(key(r.ref)));
  }

  private async deleteSql(c: DuckDBConnection, ref: RoutineRef): Promise<void> {
    await c.run("DELETE FROM lbq.routines WHERE project = $1 AND dataset = $2 AND routine = $3", [ref.projectId, ref.datasetId, ref.routineId]);
  }
}
