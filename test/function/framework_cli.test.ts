/**
 * Body-parser failures through the functions-framework command line, as Cloud
 * Functions runs it (no server.ts around it): the API's JSON answers, not
 * Express's HTML error page. Before body_errors.ts, every case here got HTML.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });

let child: ChildProcess;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(
    process.execPath,
    ["--import", "tsx", "node_modules/@google-cloud/functions-framework/build/src/main.js", "--target=orders", "--source=function/index.ts", `--port=${port}`],
    {
      // A closed port for BigQuery: none of these requests may reach it.
      env: { ...process.env, BIGQUERY_PROJECT: "local-project", BIGQUERY_EMULATOR_HOST: "http://127.0.0.1:9", LOG_LEVEL: "silent" },
      stdio: "ignore",
    },
  );
  for (let i = 0; i < 200; i++) {
    if (await fetch(base).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("functions-framework did not start");
});

afterAll(() => {
  child.kill("SIGTERM");
});

const cases: { name: string; body: string; contentType: string; status: number; error: string }[] = [
  { name: "malformed JSON", body: '[{"order_id": "A1"', contentType: "application/json", status: 400, error: "invalid_json" },
  { name: "a JSON scalar", body: "42", contentType: "application/json", status: 400, error: "invalid_body" },
  { name: "an unknown charset", body: "[]", contentType: "application/json; charset=klingon", status: 415, error: "unsupported_media_type" },
];

test.each(cases)("$name gets JSON $status $error", async ({ body, contentType, status, error }) => {
  const res = await fetch(base, { method: "POST", headers: { "content-type": contentType }, body });
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(await res.json()).toMatchObject({ error });
});
