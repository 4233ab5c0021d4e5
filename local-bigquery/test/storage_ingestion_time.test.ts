/**
 * The store's ingestion time: an ingestion-time partitioned table's rows get the writing
 * transaction's time (truncated to the partition unit) in hidden columns that survive schema
 * additions and restarts; a table stored before they existed gains them on start, its rows placed
 * at its last write.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TableMeta, TableRef } from "../src/model";
import { openStore } from "../src/storage/duckdb_store";

const ref: TableRef = { projectId: "p", datasetId: "d", tableId: "ingested" };
const DAY_MS = 86_400_000;
const meta: TableMeta = {
  ref,
  type: "TABLE",
  schema: [{ name: "id", type: "INTEGER", mode: "REQUIRED" }],
  timePartitioning: { type: "DAY" },
  clustering: ["id"],
  creationTime: 1,
  lastModifiedTime: 1,
};

describe("duckdb store: ingestion time", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "lbq-ingestion-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("appended rows carry today's partition, also after a column is added and after a restart", async () => {
    const path = join(dir, "bigquery.duckdb");
    let store = await openStore(path);
    await store.createDataset({ ref, location: "US", creationTime: 1, lastModifiedTime: 1 });
    await store.createTable(meta);
    await store.appendRows(ref, [["1"]]);
    await store.updateTable(ref, { schema: [...meta.schema, { name: "note", type: "STRING", mode: "NULLABLE" }] });
    await store.appendRows(ref, [["2", "x"]]);
    await store.close();
    store = await openStore(path);
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const rows = await store.readRows(ref);
    expect(rows.map((r) => r.cells)).toEqual([["1", null], ["2", "x"]]);
    expect(rows.map((r) => r.pseudo)).toEqual(Array(2).fill({ _PARTITIONTIME: String(today * 1000), _PARTITIONDATE: new Date(today).toISOString().slice(0, 10) }));
    await store.close();
  });

  it("a table stored without the hidden columns gains them on start, its rows at its last write", async () => {
    const path = join(dir, "bigquery.duckdb");
    let store = await openStore(path);
    await store.createDataset({ ref, location: "US", creationTime: 1, lastModifiedTime: 1 });
    await store.createTable(meta);
    await store.appendRows(ref, [["7"]]);
    // As an older version stored it: no hidden columns.
    await store.read(async (c) => {
      await c.run(`DROP INDEX IF EXISTS data.t1_cluster`);
      await c.run(`ALTER TABLE ${store.relation(ref)} DROP COLUMN "_PARTITIONTIME"`);
      await c.run(`ALTER TABLE ${store.relation(ref)} DROP COLUMN "_PARTITIONDATE"`);
    });
    const lastWrite = store.getTable(ref)?.lastModifiedTime ?? 0;
    await store.close();
    store = await openStore(path);
    const day = Math.floor(lastWrite / DAY_MS) * DAY_MS;
    expect((await store.readRows(ref)).map((r) => [r.cells, r.pseudo?._PARTITIONTIME])).toEqual([[["7"], String(day * 1000)]]);
    await store.appendRows(ref, [["8"]]);
    expect((await store.readRows(ref)).map((r) => r.cells)).toEqual([["7"], ["8"]]);
    await store.close();
  });
});
