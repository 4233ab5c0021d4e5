/**
 * `npm run pipeline:local`: the Cloud Build pipeline rehearsed on this machine. The steps and
 * their order come from cloudbuild.yaml itself; each runs as its local equivalent
 * (scripts/pipeline/local_steps.ts) against a fresh local BigQuery. Exit 0 when every step
 * passed, the failing step's exit code otherwise, 2 for a usage error.
 *
 *   npm run pipeline:local                      all steps
 *   npm run pipeline:local -- --skip-checks     without install/lint/typecheck/test (CI ran them)
 *   npm run pipeline:local -- --skip=test --substitutions=_DATASET=orders_dev
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

import type { LocalBigQuery } from "../local-bigquery/src/index";
import { loadCloudBuild, parseKeyValueList, resolveStep, type BuildStep } from "./pipeline/cloudbuild_config";
import { CHECK_STEPS, LOCAL_STEPS, type LocalContext } from "./pipeline/local_steps";
import { CommandFailed, stopChildren } from "./pipeline/run_command";

/** Built-in substitutions as a local build sees them. */
export const LOCAL_BUILT_INS: Readonly<Record<string, string>> = {
  PROJECT_ID: "local-project",
  PROJECT_NUMBER: "0",
  BUILD_ID: "local",
  LOCATION: "local",
};

const USAGE = `Usage: npm run pipeline:local -- [options]

Runs the steps of cloudbuild.yaml, in order, against a local BigQuery.

Options:
  --skip-checks              skip ${CHECK_STEPS.join(", ")} (what .ci/run already ran)
  --skip=ID[,ID...]          skip these step ids
  --substitutions=K=V[,K=V]  override substitution defaults, e.g. _DATASET=orders_dev
  --config=PATH              build config (default: cloudbuild.yaml)
  --help                     show this help`;

class UsageError extends Error {}

interface Plan {
  steps: Array<{ step: BuildStep; skipped: boolean }>;
  values: Record<string, string>;
}

/** Reads the config and the options into the list of resolved steps; throws UsageError. */
export const planPipeline = (argv: readonly string[], repoDir: string): Plan | "help" => {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        "skip-checks": { type: "boolean", default: false },
        skip: { type: "string", default: "" },
        substitutions: { type: "string", default: "" },
        config: { type: "string", default: "cloudbuild.yaml" },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const opts = parsed.values;
  if (opts.help) return "help";

  const config = loadCloudBuild(resolve(repoDir, opts.config));
  const ids = config.steps.map((s) => s.id);
  const unmapped = ids.filter((id) => !(id in LOCAL_STEPS));
  if (unmapped.length > 0) {
    throw new UsageError(`no local equivalent for step(s) ${unmapped.join(", ")}: add them to scripts/pipeline/local_steps.ts`);
  }
  const skip = new Set([...opts.skip.split(",").filter((s) => s !== ""), ...(opts["skip-checks"] ? CHECK_STEPS : [])]);
  const unknown = [...skip].filter((id) => !ids.includes(id));
  if (unknown.length > 0) throw new UsageError(`--skip names unknown step(s) ${unknown.join(", ")}; steps are ${ids.join(", ")}`);

  let overrides: Record<string, string>;
  try {
    overrides = parseKeyValueList(opts.substitutions);
  } catch (err) {
    throw new UsageError(`--substitutions: ${(err as Error).message}`);
  }
  const undeclared = Object.keys(overrides).filter((k) => !(k in config.substitutions));
  if (undeclared.length > 0) throw new UsageError(`--substitutions: ${undeclared.join(", ")} not declared in ${opts.config}`);

  const values = { ...config.substitutions, ...overrides, ...LOCAL_BUILT_INS };
  return { steps: config.steps.map((step) => ({ step: resolveStep(step, values), skipped: skip.has(step.id) })), values };
};

/** An environment that cannot reach Google: no credentials, no metadata server, empty gcloud config. */
const offlineEnv = (workDir: string): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, METADATA_SERVER_DETECTION: "none", CLOUDSDK_CONFIG: join(workDir, "gcloud") };
  delete env.GOOGLE_APPLICATION_CREDENTIALS;
  delete env.BIGQUERY_EMULATOR_HOST;
  return env;
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

let interruptedBy: NodeJS.Signals | undefined;

/** Stops the running step and runs no further one; main then cleans up and exits 130. */
const interrupt = (signal: NodeJS.Signals): void => {
  console.error(`\npipeline:local: ${signal}, stopping`);
  interruptedBy = signal;
  stopChildren(signal);
};

export const main = async (argv: readonly string[]): Promise<number> => {
  const repoDir = resolve(__dirname, "..");
  let plan: Plan | "help";
  try {
    plan = planPipeline(argv, repoDir);
  } catch (err) {
    console.error(`pipeline:local: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (plan === "help") {
    console.log(USAGE);
    return 0;
  }

  const workDir = mkdtempSync(join(tmpdir(), "pipeline-local-"));
  let bigquery: LocalBigQuery | undefined;
  const log = (line: string) => console.log(`  ${line}`);
  const ctx: LocalContext = {
    repoDir,
    workDir,
    env: offlineEnv(workDir),
    log,
    bigquery: async () => {
      // Loaded on first use, so --help and the planning work without the engine.
      const engine = await import("../local-bigquery/src/index");
      bigquery ??= await engine.startLocalBigQuery({ port: 0, dataDir: join(workDir, "bigquery"), quiet: true });
      return bigquery.url;
    },
  };
  const shown = ["PROJECT_ID", ...Object.keys(plan.values).filter((k) => k.startsWith("_"))].map((k) => `${k}=${plan.values[k]}`);
  console.log(`pipeline:local: ${plan.steps.length} steps from cloudbuild.yaml\n  ${shown.join(" ")}`);

  const results: string[] = [];
  let exitCode = 0;
  try {
    for (const [i, { step, skipped }] of plan.steps.entries()) {
      if (interruptedBy) break;
      const local = LOCAL_STEPS[step.id];
      const label = `[${i + 1}/${plan.steps.length}] ${step.id}`;
      if (skipped) {
        console.log(`\n- ${label}: skipped`);
        results.push(`  skipped  ${step.id}`);
        continue;
      }
      console.log(`\n▶ ${label}: ${local.describe(step)}`);
      const started = Date.now();
      try {
        await local.run(step, ctx);
      } catch (err) {
        exitCode = interruptedBy ? 130 : err instanceof CommandFailed ? err.exitCode || 1 : 1;
        console.error(`✘ ${step.id} failed after ${seconds(Date.now() - started)}: ${(err as Error).message}`);
        results.push(`  FAILED   ${step.id}`);
        break;
      }
      console.log(`✔ ${step.id} (${seconds(Date.now() - started)})`);
      results.push(`  passed   ${step.id}  ${seconds(Date.now() - started)}`);
    }
  } finally {
    await bigquery?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  if (interruptedBy) exitCode = 130;
  const notRun = plan.steps.slice(results.length).map(({ step }) => `  not run  ${step.id}`);
  console.log(`\npipeline:local ${exitCode === 0 ? "passed" : "FAILED"}\n${[...results, ...notRun].join("\n")}`);
  return exitCode;
};

if (require.main === module) {
  // Stop the running step's process; its step fails and the finally above stops the local
  // BigQuery and removes the temp dir. (Ctrl-C reaches the child as well; that is harmless.)
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => interrupt(signal));
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
