/**
 * `npm start`: the whole product on one machine. Starts the local BigQuery in its
 * own process (data kept in .local-bigquery/), runs the real `dataform run` against it, and
 * serves the `orders` function through functions-framework on 127.0.0.1.
 * Ctrl-C or SIGTERM stops everything. Also the harness of the function's
 * integration tests and benchmark (startStack), so they run the same product.
 *
 * Also serves the local dashboard (dashboard/) on DASHBOARD_PORT.
 *
 * Environment: PORT (8080), LOCAL_BIGQUERY_PORT (9050), DASHBOARD_PORT (8090), LOCAL_BIGQUERY_DATA
 * (.local-bigquery), plus the function's own variables (see function/config.ts).
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { startDashboard, type Dashboard } from "../dashboard/server";
import { startLocalBigQueryProcess, type LocalBigQueryProcess } from "./local_bigquery_process";

const REPO = resolve(__dirname, "..");
export const LOCAL_PROJECT = "local-project";
const HOST = "127.0.0.1";

export interface StackOptions {
  /** Function port; 0 = a free one. */
  port: number;
  /** Local BigQuery port; 0 = a free one. */
  bigqueryPort: number;
  /** Dashboard port; 0 = a free one. */
  dashboardPort?: number;
  dataDir: string;
  /** Function environment on top of what the stack sets (e.g. LOG_LEVEL, BIGQUERY_MAX_RETRIES). */
  env?: Record<string, string>;
  /** Print dataform's output and the local BigQuery's logs. */
  verbose?: boolean;
}

export interface Stack {
  url: string;
  bigqueryUrl: string;
  dashboardUrl: string;
  dataDir: string;
  /** The local BigQuery's process id while it runs. */
  bigqueryPid(): number | undefined;
  /** Stops the local BigQuery only (the function keeps serving and answers 503). */
  stopBigQuery(): Promise<void>;
  /** Starts the local BigQuery again on the same port and data. */
  startBigQuery(): Promise<void>;
  stop(): Promise<void>;
}

/** Environment that keeps every Google client on this machine (no credentials, no metadata server). */
const offlineEnv = (bigqueryUrl: string, dataDir: string): Record<string, string> => ({
  BIGQUERY_EMULATOR_HOST: bigqueryUrl,
  METADATA_SERVER_DETECTION: "none",
  CLOUDSDK_CONFIG: join(dataDir, "gcloud-config"),
});

/** `dataform run` with the real CLI against the local BigQuery; credentials live beside the data, never in the repo. */
export const runDataform = async (bigqueryUrl: string, dataDir: string, verbose = false): Promise<void> => {
  const credentials = join(dataDir, "df-credentials.json");
  mkdirSync(join(dataDir, "gcloud-config"), { recursive: true });
  writeFileSync(credentials, JSON.stringify({ projectId: LOCAL_PROJECT, location: "US" }));
  const env: NodeJS.ProcessEnv = { ...process.env, ...offlineEnv(bigqueryUrl, dataDir) };
  delete env.GOOGLE_APPLICATION_CREDENTIALS;
  const child = spawn(join(REPO, "node_modules/.bin/dataform"), ["run", REPO, "--credentials", credentials], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((done) => child.on("close", done));
  if (verbose || code !== 0) process.stdout.write(output);
  if (code !== 0) throw new Error(`dataform run failed (exit ${code}); its output is above`);
};

/** Starts the local BigQuery, the warehouse and the function; the caller stops it. */
export const startStack = async (opts: StackOptions): Promise<Stack> => {
  const dataDir = resolve(opts.dataDir);
  let bigquery: LocalBigQueryProcess | undefined = await startLocalBigQueryProcess({ port: opts.bigqueryPort, host: HOST, dataDir, verbose: opts.verbose });
  const bigqueryPort = bigquery.port;
  let server: Server | undefined;
  let dashboard: Dashboard;
  try {
    await runDataform(bigquery.url, dataDir, opts.verbose);
    // The function reads its configuration at load, from the environment, as in the cloud.
    Object.assign(process.env, offlineEnv(bigquery.url, dataDir), { BIGQUERY_PROJECT: LOCAL_PROJECT }, opts.env);
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    const { createServer } = await import("../function/server");
    const created = createServer();
    server = created;
    await new Promise<void>((ready, fail) => {
      created.once("error", fail);
      created.listen(opts.port, HOST, ready);
    });
    dashboard = await startDashboard({ bigqueryUrl: bigquery.url, projectId: LOCAL_PROJECT, dataset: "ecommerce_orders", port: opts.dashboardPort ?? 0, host: HOST });
  } catch (error) {
    server?.close();
    await bigquery.stop();
    throw error;
  }
  const listening = server;
  const bigqueryUrl = bigquery.url;
  return {
    url: `http://${HOST}:${(listening.address() as AddressInfo).port}`,
    bigqueryUrl,
    dashboardUrl: dashboard.url,
    dataDir,
    bigqueryPid: () => bigquery?.pid,
    stopBigQuery: async () => {
      await bigquery?.stop();
      bigquery = undefined;
    },
    startBigQuery: async () => {
      bigquery ??= await startLocalBigQueryProcess({ port: bigqueryPort, host: HOST, dataDir, verbose: opts.verbose });
    },
    stop: async () => {
      await new Promise<void>((closed) => {
        listening.close(() => closed());
        listening.closeAllConnections();
      });
      await dashboard.stop();
      await bigquery?.stop();
      bigquery = undefined;
    },
  };
};

const portFromEnv = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new Error(`${name} must be a port number (0-65535), got ${JSON.stringify(raw)}`);
  return Number(raw);
};

const main = async (): Promise<void> => {
  const port = portFromEnv("PORT", 8080);
  const bigqueryPort = portFromEnv("LOCAL_BIGQUERY_PORT", 9050);
  const dashboardPort = portFromEnv("DASHBOARD_PORT", 8090);
  const dataDir = process.env.LOCAL_BIGQUERY_DATA || join(REPO, ".local-bigquery");
  console.log(`Starting the local BigQuery on ${HOST}:${bigqueryPort} (data in ${dataDir}) and running dataform run...`);
  const stack = await startStack({ port, bigqueryPort, dashboardPort, dataDir, verbose: process.env.VERBOSE === "1" });
  console.log(`
Orders function:  ${stack.url}/           (GET, POST)
                  ${stack.url}/orders/{order_id}
Local BigQuery:   ${stack.bigqueryUrl}   (BIGQUERY_EMULATOR_HOST; dataset ecommerce_orders in project ${LOCAL_PROJECT})
Dashboard:        ${stack.dashboardUrl}/   (the Looker Studio report's charts, from the local views)
Data directory:   ${stack.dataDir}

Try:
  curl -X POST ${stack.url}/ -H 'Content-Type: application/json' -d '[{"order_id": "A1001", "order_date": "2025-08-08T10:00:00Z", "order_details": "Laptop, Mouse", "order_status": "Processing"}]'
  curl ${stack.url}/

Ctrl-C stops everything; the data stays in ${stack.dataDir}.`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      console.error(`${signal} again: exiting now`);
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping the function and the local BigQuery...`);
    stack.stop().then(
      () => {
        console.log("Stopped.");
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`Stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
};

if (require.main === module) {
  main().catch((error: unknown) => {
    const e = error as { code?: string; message?: string; name?: string };
    if (e.code === "EADDRINUSE") console.error(`npm start: a port is already in use (${e.message}); set PORT / LOCAL_BIGQUERY_PORT / DASHBOARD_PORT to free ones`);
    else if (e.name === "ConfigError") console.error(`npm start: ${e.message}`);
    else console.error(`npm start failed: ${e.message ?? String(error)}`);
    process.exit(1);
  });
}
