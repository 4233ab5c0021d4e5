/**
 * `npm run conformance -- DIR [DIR...] [--filter SUBSTR] [--json FILE] [--concurrency N] [--verbose]`
 *
 * How often does the local BigQuery give real BigQuery's answer? Replays a folder of conformance fixtures
 * (queries recorded on real BigQuery with their setup and answer) through @google-cloud/bigquery against a
 * local BigQuery of its own (a free port, a fresh temporary data directory), or against BIGQUERY_EMULATOR_HOST
 * when that is set, and prints the pass rate per area and in total. Not part of `npm test`: it measures,
 * it does not gate. Exit status 0 when every fixture ran (whatever the rate), 2 when the run itself failed.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadFixtures, type Fixture } from "./conformance/fixtures";
import { printReport } from "./conformance/report";
import { PASS, errorSeen, makeClient, replayFixture, runQueryJob, type Outcome } from "./conformance/replay";

const PROJECT = "local-project";
const USAGE = "usage: npm run conformance -- DIR [DIR...] [--filter SUBSTR] [--json FILE] [--concurrency N] [--verbose]";

interface Options {
  paths: string[];
  filter: string;
  json?: string;
  concurrency: number;
  verbose: boolean;
}

const parseArgs = (args: string[]): Options => {
  const opts: Options = { paths: [], filter: "", concurrency: 4, verbose: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === "--filter") opts.filter = value();
    else if (a === "--json") opts.json = resolve(value());
    else if (a === "--concurrency") {
      opts.concurrency = Number(value());
      if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) throw new Error(`--concurrency must be a whole number >= 1\n${USAGE}`);
    } else if (a === "--verbose") opts.verbose = true;
    else if (a === "--help" || a === "-h") throw new Error(USAGE);
    else if (a.startsWith("--")) throw new Error(`unknown option ${a}\n${USAGE}`);
    else opts.paths.push(resolve(a));
  }
  if (opts.paths.length === 0) throw new Error(`which fixtures? ${USAGE}`);
  return opts;
};

interface Server {
  url: string;
  stop(): Promise<void>;
}

/** BIGQUERY_EMULATOR_HOST if set, else a local BigQuery of our own, in this process, on a free port and fresh data. */
const openServer = async (): Promise<Server> => {
  const external = process.env.BIGQUERY_EMULATOR_HOST;
  if (external) return { url: external.replace(/\/+$/, ""), stop: async () => undefined };
  // Loaded only here, so measuring another server does not start DuckDB and ZetaSQL for nothing.
  const { startLocalBigQuery } = await import("../local-bigquery/src");
  const dataDir = mkdtempSync(join(tmpdir(), "conformance-"));
  const local = await startLocalBigQuery({ port: 0, dataDir, quiet: true });
  return {
    url: local.url,
    stop: async () => {
      await local.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

const main = async (): Promise<void> => {
  const opts = parseArgs(process.argv.slice(2));
  // Keep the Google client offline: no metadata server probe, no credentials to refresh.
  process.env.METADATA_SERVER_DETECTION ??= "none";
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS;

  const fixtures = loadFixtures(opts.paths, opts.filter);
  if (fixtures.length === 0) throw new Error(`no fixtures${opts.filter ? ` with ${opts.filter} in their id` : ""} in ${opts.paths.join(", ")}`);

  const server = await openServer();
  const stopOnSignal = (): void => {
    void server.stop().finally(() => process.exit(130));
  };
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  try {
    const client = makeClient(server.url, PROJECT);
    try {
      await runQueryJob(client, { query: { query: "SELECT 1 AS ok", useLegacySql: false } });
    } catch (e) {
      throw new Error(`the BigQuery at ${server.url} does not answer SELECT 1: ${errorSeen(e).message}`);
    }

    const runTag = Date.now().toString(36);
    const started = Date.now();
    const outcomes = new Array<Outcome>(fixtures.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < fixtures.length) {
        const i = next++;
        const fx: Fixture = fixtures[i];
        outcomes[i] = await replayFixture(fx, {
          client,
          host: server.url,
          projectId: PROJECT,
          datasetId: `conformance_${runTag}_${i + 1}`,
          clientWithHeaders: (headers) => makeClient(server.url, PROJECT, headers),
        });
        const o = outcomes[i];
        if (opts.verbose && o.category !== PASS) console.log(`${o.category.padEnd(31)} ${o.id}: ${o.detail.replace(/\s+/g, " ").slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, fixtures.length) }, worker));
    const seconds = (Date.now() - started) / 1000;

    if (opts.json) {
      writeFileSync(opts.json, `${JSON.stringify({ server: server.url, seconds, sources: opts.paths, outcomes }, null, 1)}\n`);
      console.log(`Every fixture's outcome: ${opts.json}`);
    }
    printReport({ outcomes, server: server.url, seconds, sources: opts.paths, concurrency: opts.concurrency }, (line) => console.log(line));
  } finally {
    await server.stop();
  }
};

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 2;
});
