/**
 * `npm run bigquery:local`: serves the local BigQuery until SIGINT or SIGTERM.
 * Prints the BIGQUERY_EMULATOR_HOST line that points the clients at it.
 */
import { OptionsError, parseOptions } from "./cli_options";
import { startLocalBigQuery } from "./index";

async function main(): Promise<void> {
  const options = parseOptions();
  const server = await startLocalBigQuery({ port: options.port, host: options.host, dataDir: options.dataDir, logLevel: options.logLevel });
  console.log(`Local BigQuery serving on ${server.url} (data in ${server.dataDir})`);
  console.log(`BIGQUERY_EMULATOR_HOST=${server.url}`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof OptionsError) {
    console.error(error.message);
  } else {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    console.error(code === "EADDRINUSE" ? `The port is already in use: ${message}` : `Local BigQuery failed to start: ${message}`);
  }
  process.exit(1);
});
