/** What was acknowledged stays: across restarts, kill -9 under load, and concurrent writers and readers. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BigQuery } from "@google-cloud/bigquery";
import { clientFor, PROJECT, startForTest } from "./support/local_bigquery";

const ROOT = join(__dirname, "..", "..");

const started: ChildProcess[] = [];

/** SIGKILL to the child's whole process group (tsx, the server's node process, ZetaSQL). */
const killGroup = (child: ChildProcess): void => {
  try {
    process.kill(-(child.pid as number), "SIGKILL");
  } catch {
    // already gone
  }
};

/** Runs `npm run bigquery:local`'s entry in a child process; resolves with its URL once it serves. */
function startChild(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(join(ROOT, "node_modules", ".bin", "tsx"), [join(ROOT, "local-bigquery", "src", "main.ts")], {
    env: { ...process.env, LOCAL_BIGQUERY_PORT: "0", LOCAL_BIGQUERY_DATA: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: tsx runs the server in a child node process, which runs ZetaSQL; SIGKILL hits them all.
    detached: true,
  });
  started.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`child did not start: ${out} ${err}`)), 60_000);
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /BIGQUERY_EMULATOR_HOST=(\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      killGroup(child);
      reject(new Error(`child exited with ${code}: ${err}`));
    });
  });
}

const schema = { fields: [{ name: "id", type: "STRING", mode: "REQUIRED" }, { name: "writer", type: "INTEGER" }] };

describe("local BigQuery durability", () => {
  afterAll(() => started.forEach(killGroup));

  it("keeps datasets, tables, metadata and rows across a restart", async () => {
    const first = await startForTest();
    const [ds] = await first.bq.createDataset("keep", { description: "kept dataset" });
    const [table] = await ds.createTable("t", {
      schema,
      description: "kept table",
      timePartitioning: { type: "DAY" },
      clustering: { fields: ["id"] },
    });
    await table.insert([{ insertId: "a", json: { id: "a", writer: 1 } }], { raw: true });
    await first.server.stop();

    const second = await startForTest(first.server.dataDir);
    try {
      const again = second.bq.dataset("keep");
      expect((await again.getMetadata())[0].description).toBe("kept dataset");
      const [meta] = await again.table("t").getMetadata();
      expect(meta).toMatchObject({ description: "kept table", timePartitioning: { type: "DAY" }, clustering: { fields: ["id"] } });
      expect((await again.table("t").getRows())[0]).toEqual([{ id: "a", writer: 1 }]);
      // The insertId log survives too: a client retry after the restart is not stored twice.
      await again.table("t").insert([{ insertId: "a", json: { id: "a", writer: 1 } }], { raw: true });
      expect((await again.table("t").getRows())[0]).toHaveLength(1);
    } finally {
      await second.server.stop();
    }
  });

  it("loses no acknowledged row when the server is killed with SIGKILL under insert load", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "kill9-"));
    const { child, url } = await startChild(dataDir);
    const exited = new Promise((r) => child.once("exit", r));
    const bq = new BigQuery({ projectId: PROJECT, apiEndpoint: url, autoRetry: false });
    const [ds] = await bq.createDataset("load");
    const [table] = await ds.createTable("rows", { schema });

    const acknowledged: string[] = [];
    let running = true;
    const writer = async (w: number): Promise<void> => {
      for (let batch = 0; running; batch++) {
        const rows = Array.from({ length: 20 }, (_, i) => {
          const id = `${w}-${batch}-${i}`;
          return { insertId: id, json: { id, writer: w } };
        });
        try {
          await table.insert(rows, { raw: true, partialRetries: 0 });
          acknowledged.push(...rows.map((r) => r.json.id));
        } catch {
          return; // the server died mid-request: this batch was never acknowledged
        }
      }
    };
    const writers = Array.from({ length: 4 }, (_, w) => writer(w));
    await new Promise((r) => setTimeout(r, 1500));
    killGroup(child);
    running = false;
    await Promise.all(writers);
    await exited;
    expect(acknowledged.length).toBeGreaterThan(0);

    const restarted = await startForTest(dataDir);
    try {
      const [rows] = await restarted.bq.dataset("load").table("rows").getRows();
      const ids = rows.map((r) => r.id as string);
      expect(new Set(ids).size).toBe(ids.length);
      const stored = new Set(ids);
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await restarted.server.stop();
    }
  });

  it("20 concurrent writers and readers lose and double nothing", async () => {
    const t = await startForTest();
    try {
      const [ds] = await t.bq.createDataset("conc");
      const [table] = await ds.createTable("rows", { schema });
      const BATCHES = 5;
      const ROWS = 40;
      const writer = async (w: number): Promise<void> => {
        const client = clientFor(t.server.url).dataset("conc").table("rows");
        for (let b = 0; b < BATCHES; b++) {
          const rows = Array.from({ length: ROWS }, (_, i) => ({ insertId: `${w}-${b}-${i}`, json: { id: `${w}-${b}-${i}`, writer: w } }));
          await client.insert(rows, { raw: true });
          if (b === 0) await client.insert(rows, { raw: true }); // a client retry: must not double
        }
      };
      let readerError: unknown;
      const reader = async (r: number): Promise<void> => {
        for (let k = 0; k < 3; k++) {
          if (r % 2 === 0) {
            const [rows] = await table.getRows();
            const ids = rows.map((x) => x.id as string);
            if (new Set(ids).size !== ids.length) readerError = new Error("a tabledata.list reader saw a row twice");
          } else {
            const [[counts]] = await t.bq.query("SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM conc.rows");
            if (counts.n !== counts.d) readerError = new Error(`a query reader saw ${counts.n} rows but ${counts.d} ids`);
          }
        }
      };
      await Promise.all([...Array.from({ length: 20 }, (_, w) => writer(w)), ...Array.from({ length: 20 }, (_, r) => reader(r))]);
      expect(readerError).toBeUndefined();
      const [rows] = await table.getRows();
      const ids = rows.map((r) => r.id as string);
      expect(ids).toHaveLength(20 * BATCHES * ROWS);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await t.server.stop();
    }
  });
});
