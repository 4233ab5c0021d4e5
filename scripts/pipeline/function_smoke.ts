/**
 * The local stand-in for `gcloud functions deploy`: serve the built function the way the
 * Cloud Functions runtime does (functions-framework, `--target` = the deploy step's entry
 * point, its environment variables), then call POST and GET once and check the answers.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { join } from "node:path";

import { CommandFailed, track } from "./run_command";

export interface SmokeOptions {
  repoDir: string;
  target: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  startTimeoutMs?: number;
}

const freePort = async (): Promise<number> => {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no free port");
  return address.port;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const fail = (message: string): never => {
  throw new CommandFailed(message, 1);
};

/** Starts the function, checks one POST and one GET, and always stops it again. */
export const smokeTestFunction = async (options: SmokeOptions): Promise<void> => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const bin = join(options.repoDir, "node_modules", ".bin", "functions-framework");
  const args = [`--target=${options.target}`, `--port=${port}`];
  options.log(`functions-framework ${args.join(" ")}  (source: package.json "main")`);
  const child = track(spawn(bin, args, { cwd: options.repoDir, env: { ...options.env, PORT: String(port) }, stdio: "inherit", detached: true }));
  let exited: string | undefined;
  child.once("exit", (code, signal) => {
    exited = `the function exited (${signal ?? `code ${code}`})`;
  });
  try {
    const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
    for (;;) {
      if (exited) fail(exited);
      try {
        await fetch(`${base}/`, { method: "HEAD" });
        break;
      } catch {
        if (Date.now() > deadline) fail(`the function did not answer on ${base} within the start timeout`);
        await sleep(200);
      }
    }

    const orderId = `PIPELINE-LOCAL-${Date.now()}`;
    const order = { order_id: orderId, order_date: new Date().toISOString(), order_details: "pipeline:local smoke test", order_status: "Pending" };
    const post = await fetch(`${base}/`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify([order]) });
    const posted = (await post.json()) as { accepted?: number };
    if (post.status !== 200 || posted.accepted !== 1) fail(`POST / answered ${post.status} ${JSON.stringify(posted)}, expected 200 with accepted: 1`);
    options.log(`POST / -> ${post.status} ${JSON.stringify(posted)}`);

    const get = await fetch(`${base}/?order_id=${encodeURIComponent(orderId)}`);
    const listed = (await get.json()) as Array<{ order_id?: string; order_status?: string }>;
    const found = Array.isArray(listed) ? listed.find((o) => o.order_id === orderId) : undefined;
    if (get.status !== 200 || found?.order_status !== "Pending") {
      fail(`GET /?order_id=${orderId} answered ${get.status} ${JSON.stringify(listed)}, expected the order just posted`);
    }
    options.log(`GET /?order_id=${orderId} -> ${get.status} ${JSON.stringify(found)}`);
  } finally {
    if (!exited) {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  }
};
