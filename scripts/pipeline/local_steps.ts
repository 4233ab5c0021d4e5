/**
 * The local equivalent of each Cloud Build step, keyed by step id. The command line of a
 * step always comes from cloudbuild.yaml; this table only says where and how it runs here:
 * as is, against the local BigQuery, or (for the deploy) replaced by a local smoke test.
 * A step id without an entry stops `pipeline:local` before anything runs.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { flagValue, parseKeyValueList, type BuildStep } from "./cloudbuild_config";
import { smokeTestFunction } from "./function_smoke";
import { CommandFailed, renderCommand, runCommand } from "./run_command";

export interface LocalContext {
  repoDir: string;
  /** A private temp dir: the credentials step writes here instead of the repo. */
  workDir: string;
  /** Environment for every command: offline, no Google credentials visible. */
  env: NodeJS.ProcessEnv;
  /** Starts the local BigQuery on first use; returns its URL (BIGQUERY_EMULATOR_HOST). */
  bigquery: () => Promise<string>;
  log: (line: string) => void;
}

export interface LocalStep {
  /** How the step is run here, printed before it runs. */
  describe: (step: BuildStep) => string;
  run: (step: BuildStep, ctx: LocalContext) => Promise<void>;
}

const commandOf = (step: BuildStep): string => {
  if (!step.entrypoint) throw new CommandFailed(`step ${step.id} has no entrypoint, so it has no local command`, 2);
  return step.entrypoint;
};

const credentialsFile = (ctx: LocalContext) => join(ctx.workDir, ".df-credentials.json");

/** The step's own command, in the repository, unchanged. */
const asIs: LocalStep = {
  describe: (step) => renderCommand(commandOf(step), step.args),
  run: (step, ctx) => runCommand(commandOf(step), step.args, { cwd: ctx.repoDir, env: ctx.env }),
};

/** The step's own command, run in the private work dir so it cannot touch the repo's files. */
const inWorkDir: LocalStep = {
  describe: (step) => `${renderCommand(commandOf(step), step.args)}   (in a temp dir)`,
  run: async (step, ctx) => {
    await runCommand(commandOf(step), step.args, { cwd: ctx.workDir, env: ctx.env });
    if (!existsSync(credentialsFile(ctx))) throw new CommandFailed(`step ${step.id} did not write .df-credentials.json`, 1);
    ctx.log(`wrote ${credentialsFile(ctx)}: ${readFileSync(credentialsFile(ctx), "utf8").trim()}`);
  },
};

/** The step's own Dataform command against the local BigQuery, with the temp credentials. */
const againstLocalBigQuery: LocalStep = {
  describe: (step) => `${renderCommand(commandOf(step), [...step.args, "--credentials=<temp>/.df-credentials.json"])}   (local BigQuery)`,
  run: async (step, ctx) => {
    const url = await ctx.bigquery();
    const args = [...step.args, `--credentials=${credentialsFile(ctx)}`];
    await runCommand(commandOf(step), args, { cwd: ctx.repoDir, env: { ...ctx.env, BIGQUERY_EMULATOR_HOST: url } });
  },
};

/** `gcloud functions deploy` becomes: build as the buildpack does, serve, POST and GET once. */
const deployLocally: LocalStep = {
  describe: (step) =>
    `npm run gcp-build, then functions-framework --target=${flagValue(step.args, "--entry-point") ?? "?"} with the deploy step's --set-env-vars, then POST / and GET / once`,
  run: async (step, ctx) => {
    const target = flagValue(step.args, "--entry-point");
    if (!target) throw new CommandFailed("the deploy step has no --entry-point", 2);
    const functionEnv = parseKeyValueList(flagValue(step.args, "--set-env-vars") ?? "");
    await runCommand("npm", ["run", "gcp-build"], { cwd: ctx.repoDir, env: ctx.env });
    const url = await ctx.bigquery();
    await smokeTestFunction({
      repoDir: ctx.repoDir,
      target,
      env: { ...ctx.env, ...functionEnv, BIGQUERY_EMULATOR_HOST: url, LOG_LEVEL: "warn" },
      log: ctx.log,
    });
  },
};

export const LOCAL_STEPS: Readonly<Record<string, LocalStep>> = {
  install: asIs,
  lint: asIs,
  typecheck: asIs,
  test: asIs,
  "dataform-compile": asIs,
  "dataform-credentials": inWorkDir,
  "dataform-test": againstLocalBigQuery,
  "dataform-run": againstLocalBigQuery,
  deploy: deployLocally,
};

/** The steps CI has already run (`.ci/run` is `npm ci && npm test`), skipped by --skip-checks. */
export const CHECK_STEPS = ["install", "lint", "typecheck", "test"] as const;
