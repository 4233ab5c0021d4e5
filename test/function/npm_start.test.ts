/**
 * `npm start` as a user runs it (scripts/start.ts in its own process): it prints
 * the URLs, serves the function, stops cleanly on SIGINT and SIGTERM, and the
 * data survives a restart. Free ports and a temporary data directory, so it can
 * run beside anything else.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const REPO = resolve(__dirname, "../..");
const dataDir = mkdtempSync(join(tmpdir(), "orders-npm-start-"));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

const start = async (): Promise<Started> => {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", LOCAL_BIGQUERY_PORT: "0", DASHBOARD_PORT: "0", LOCAL_BIGQUERY_DATA: dataDir, LOG_LEVEL: "warn" };
  delete env.NODE_OPTIONS;
  const child = spawn(join(REPO, "node_modules/.bin/tsx"), ["scripts/start.ts"], { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  for (let i = 0; i < 1200 && !output.includes("Ctrl-C stops everything"); i++) {
    if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = /Orders function:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1];
  if (!url) throw new Error(`no URL printed:\n${output}`);
  return { child, url, output: () => output };
};

const stop = async (s: Started, signal: NodeJS.Signals): Promise<number | null> => {
  const exited = new Promise<number | null>((done) => s.child.once("exit", (code) => done(code)));
  s.child.kill(signal);
  return exited;
};

test("prints the URLs and curl lines, stops on SIGINT/SIGTERM, keeps the data across a restart", async () => {
  const first = await start();
  expect(first.output()).toMatch(/curl -X POST http:\/\/127\.0\.0\.1:\d+\/ -H 'Content-Type: application\/json' -d '\[\{"order_id": "A1001"/);
  expect(first.output()).toMatch(/curl http:\/\/127\.0\.0\.1:\d+\//);
  const dashboard = /Dashboard:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(first.output())?.[1];
  const page = await fetch(`${dashboard}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("Orders dashboard");
  const order = { order_id: "kept-1", order_date: "2025-08-08T10:00:00Z", order_status: "Pending" };
  const posted = await fetch(`${first.url}/`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(order) });
  expect(posted.status).toBe(200);
  expect(await stop(first, "SIGINT")).toBe(0);
  expect(first.output()).toMatch(/Stopped\./);

  const second = await start();
  const listed = await fetch(`${second.url}/`);
  expect(await listed.json()).toEqual([expect.objectContaining({ order_id: "kept-1", order_status: "Pending" })]);
  expect(await stop(second, "SIGTERM")).toBe(0);
}, 300_000);

/** Pids and parent pids of the processes whose command line holds `text`. */
const processesWith = (text: string): Array<{ pid: number; ppid: number }> =>
  execFileSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.includes(text) && !line.includes("ps -eo"))
    .map((line) => {
      const [pid, ppid] = line.trim().split(/\s+/, 2).map(Number);
      return { pid, ppid };
    });

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test("the local BigQuery runs in its own process and dies with npm start, even on kill -9", async () => {
  const first = await start();
  const [bigquery] = processesWith(`--data ${dataDir}`);
  expect(bigquery).toBeDefined();
  expect(bigquery.pid).not.toBe(first.child.pid);
  // Kill the process that runs start.ts outright: no exit hook, no signal handler.
  process.kill(bigquery.ppid, "SIGKILL");
  for (let i = 0; i < 100 && isAlive(bigquery.pid); i++) await new Promise((r) => setTimeout(r, 100));
  expect(isAlive(bigquery.pid)).toBe(false);
  if (first.child.exitCode === null) first.child.kill("SIGKILL");

  // Nothing holds the data file: a new npm start opens it and still has the order.
  const second = await start();
  const listed = await fetch(`${second.url}/`);
  expect(await listed.json()).toEqual([expect.objectContaining({ order_id: "kept-1" })]);
  expect(await stop(second, "SIGTERM")).toBe(0);
}, 300_000);
