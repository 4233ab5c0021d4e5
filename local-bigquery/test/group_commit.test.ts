/**
 * Group commit of streaming inserts: concurrent insertAll requests share one transaction,
 * each is answered with its own outcome, and insertIds de-duplicate across the group.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Table } from "@google-cloud/bigquery";
import { BigQueryError } from "../src/errors";
import type { TableMeta, TableRef } from "../src/model";
import { GroupCommit } from "../src/storage/group_commit";
import { openStore } from "../src/storage/duckdb_store";
import type { Store } from "../src/storage/store";
import { startForTest, type Running } from "./support/local_bigquery";

const ref = (tableId: string): TableRef => ({ projectId: "p", datasetId: "d", tableId });
const table = (tableId: string): TableMeta => ({
  ref: ref(tableId),
  type: "TABLE",
  schema: [{ name: "id", type: "STRING", mode: "REQUIRED" }],
  creationTime: 1,
  lastModifiedTime: 1,
});

describe("GroupCommit on the DuckDB store", () => {
  let dir: string;
  let store: Store;
  let groups: number[];
  let commits: GroupCommit;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "group-commit-"));
    store = await openStore(join(dir, "db.duckdb"));
    await store.createDataset({ ref: { projectId: "p", datasetId: "d" }, location: "US", creationTime: 1, lastModifiedTime: 1 });
    await store.createTable(table("t"));
    // The real store, with each appendGroup call's size recorded.
    groups = [];
    const appendGroup = store.appendGroup.bind(store);
    store.appendGroup = (appends) => {
      groups.push(appends.length);
      return appendGroup(appends);
    };
    commits = new GroupCommit(store);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ids = async (): Promise<unknown[]> => (await store.readRows(ref("t"))).map((r) => r.cells[0]);

  it("commits appends of the same turn in one transaction, and those arriving during a commit in the next", async () => {
    const first = await Promise.all([1, 2, 3].map((n) => commits.append({ ref: ref("t"), rows: [[`a${n}`], [`b${n}`]] })));
    expect(first).toEqual([1, 2, 3].map(() => ({ inserted: 2, deduplicated: 0 })));
    await commits.append({ ref: ref("t"), rows: [["c"]] });
    expect(groups).toEqual([3, 1]);
    // Two arrive while a commit is being written: they wait for it, then share the next one.
    const during = commits.append({ ref: ref("t"), rows: [["d"]] });
    await new Promise((resolve) => setImmediate(resolve));
    const more = [commits.append({ ref: ref("t"), rows: [["e"]] }), commits.append({ ref: ref("t"), rows: [["f"]] })];
    await Promise.all([during, ...more]);
    expect(groups).toEqual([3, 1, 1, 2]);
    expect(await ids()).toEqual(["a1", "b1", "a2", "b2", "a3", "b3", "c", "d", "e", "f"]);
  });

  it("stores a row once when two appends of one group carry its insertId", async () => {
    const [a, b] = await Promise.all([
      commits.append({ ref: ref("t"), rows: [["x"], ["y"]], insertIds: ["id-x", "id-y"] }),
      commits.append({ ref: ref("t"), rows: [["x again"], ["z"]], insertIds: ["id-x", "id-z"] }),
    ]);
    expect(groups).toEqual([1 + 1]);
    expect(a).toEqual({ inserted: 2, deduplicated: 0 });
    expect(b).toEqual({ inserted: 1, deduplicated: 1 });
    expect(await ids()).toEqual(["x", "y", "z"]);
  });

  it("fails only the append that fails; the rest of its group is stored", async () => {
    const results = await Promise.allSettled([
      commits.append({ ref: ref("t"), rows: [["before"]] }),
      commits.append({ ref: ref("missing"), rows: [["lost"]], insertIds: ["id-lost"] }),
      commits.append({ ref: ref("t"), rows: [["after"]] }),
    ]);
    expect(groups).toEqual([3]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const reason = (results[1] as PromiseRejectedResult).reason as BigQueryError;
    expect(reason).toBeInstanceOf(BigQueryError);
    expect(reason.message).toBe("Not found: Table p:d.missing");
    expect(await ids()).toEqual(["before", "after"]);
  });

  it("acknowledges nothing when the commit itself fails", async () => {
    await store.close(); // every statement now throws, as on an I/O error
    const results = await Promise.allSettled([commits.append({ ref: ref("t"), rows: [["a"]] }), commits.append({ ref: ref("t"), rows: [["b"]] })]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });
});

describe("concurrent insertAll through the client", () => {
  let running: Running;
  let t: Table;

  beforeAll(async () => {
    running = await startForTest();
    const [ds] = await running.bq.createDataset("concurrent");
    [t] = await ds.createTable("events", { schema: { fields: [{ name: "id", type: "STRING", mode: "REQUIRED" }, { name: "n", type: "INTEGER" }] } });
  }, 60_000);

  afterAll(async () => {
    await running?.server.stop();
  });

  const stored = async (prefix: string): Promise<string[]> => {
    const [rows] = await t.getRows();
    return (rows as Array<{ id: string }>).map((r) => r.id).filter((id) => id.startsWith(prefix));
  };

  it("stores every row of 20 concurrent requests exactly once", async () => {
    const requests = Array.from({ length: 20 }, (_, r) =>
      Array.from({ length: 100 }, (_, i) => ({ insertId: `all-${r}-${i}`, json: { id: `all-${r}-${i}`, n: i } })),
    );
    await Promise.all(requests.map((rows) => t.insert(rows, { raw: true })));
    const ids = await stored("all-");
    expect(ids).toHaveLength(2000);
    expect(new Set(ids).size).toBe(2000);
  });

  it("answers a bad request with its own errors while the concurrent ones are stored", async () => {
    const good = (r: number) => Array.from({ length: 50 }, (_, i) => ({ insertId: `mix-${r}-${i}`, json: { id: `mix-${r}-${i}` } }));
    const bad = [{ json: { id: "mix-bad-1" } }, { json: { n: 2 } }];
    const results = await Promise.allSettled([t.insert(good(1), { raw: true }), t.insert(bad, { raw: true }), t.insert(good(2), { raw: true })]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const error = (results[1] as PromiseRejectedResult).reason as { name: string; errors: Array<{ errors: Array<{ reason: string; location?: string }> }> };
    expect(error.name).toBe("PartialFailureError");
    expect(error.errors.map((e) => e.errors[0].reason).sort()).toEqual(["invalid", "stopped"]);
    const ids = await stored("mix-");
    expect(ids).toHaveLength(100);
    expect(ids).not.toContain("mix-bad-1");
  });

  it("stores a row once when concurrent requests resend its insertId", async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ insertId: `dup-${i}`, json: { id: `dup-${i}` } }));
    await Promise.all(Array.from({ length: 5 }, () => t.insert(rows, { raw: true })));
    const ids = await stored("dup-");
    expect(ids.sort()).toEqual(rows.map((r) => r.json.id).sort());
  });
});
