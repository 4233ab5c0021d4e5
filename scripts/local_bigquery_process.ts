/**
 * The local BigQuery as its own process (`local-bigquery/src/main.ts`), so that it and
 * the function each get an event loop and a core. Ready when it prints its
 * BIGQUERY_EMULATOR_HOST line; it never outlives this process (exit hook + watchdog).
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { killWithThisProcess } from "../local-bigquery/src/engine/watchdog";

const REPO = resolve(__dirname, "..");
const MAIN = resolve(REPO, "local-bigquery/src/main.ts");
const READY = /^BIGQUERY_EMULATOR_HOST=(http:\/\/\S+?:(\d+))$/m;
const STOP_TIMEOUT_MS = 15_000;

export interface LocalBigQueryProcess {
  url: string;
  port: number;
  /** Its process id (the benchmark reads its CPU time). */
  pid: number;
  stop(): Promise<void>;
}

export interface LocalBigQueryProcessOptions {
  port: number;
  host: string;
  dataDir: string;
  /** Print its request log and output here. */
  verbose?: boolean;
}

/** Starts the server process and resolves once it serves; rejects with its own message if it will not start. */
export const startLocalBigQueryProcess = (opts: LocalBigQueryProcessOptions): Promise<LocalBigQueryProcess> => {
  const args = [...(process.env.LOCAL_BIGQUERY_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.LOCAL_BIGQUERY_PROFILE}`] : []), "--import", "tsx", MAIN, "--port", String(opts.port), "--host", opts.host, "--data", opts.dataDir];
  args.push("--log-level", opts.verbose ? "info" : "warn");
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ["ignore", "pipe", "pipe"], env: process.env });
  killWithThisProcess(child);
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  let output = "";
  return new Promise((ready, fail) => {
    let started = false;
    const onData = (chunk: Buffer): void => {
      if (opts.verbose) process.stdout.write(chunk);
      if (started) return;
      output += chunk.toString();
      const match = READY.exec(output);
      if (!match) return;
      started = true;
      ready({ url: match[1], port: Number(match[2]), pid: child.pid ?? 0, stop });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      if (!started) output += chunk.toString();
    });
    child.once("error", fail);
    void exited.then(() => {
      if (started) return;
      const message = output.trim().split("\n").at(-1) ?? "";
      const error = new Error(`the local BigQuery process exited before serving (${child.exitCode ?? child.signalCode}): ${message}`);
      if (/already in use/.test(message)) Object.assign(error, { code: "EADDRINUSE" });
      fail(error);
    });
  });
};
